package io.github.selectors4j.reactor;

import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.fd.EventFd;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/** Which thread may call what, and what closing does. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventLoopLifecycleTest extends AllBackendsLoopTest {

    @Test
    void loopMethodsOffTheLoopThreadWhileItRunsAreRefusedNamingExecute() throws Exception {
        EventFd fd = closer.add(EventFd.open());
        Watch watch = loop.watch(fd, EVENT_READ, (w, e) -> {
        });
        Handle timer = loop.callLater(Duration.ofHours(1), () -> {
        });
        try (LoopThread running = LoopThread.start(loop, "the-loop")) {
            Map<String, Executable> calls = new LinkedHashMap<>();
            calls.put("addReader", () -> loop.addReader(fd, () -> {
            }));
            calls.put("addWriter", () -> loop.addWriter(fd, () -> {
            }));
            calls.put("removeReader", () -> loop.removeReader(fd));
            calls.put("removeWriter", () -> loop.removeWriter(fd));
            calls.put("watch", () -> loop.watch(fd, EVENT_READ, (w, e) -> {
            }));
            calls.put("callSoon", () -> loop.callSoon(() -> {
            }));
            calls.put("callLater", () -> loop.callLater(Duration.ZERO, () -> {
            }));
            calls.put("callAt", () -> loop.callAt(System.nanoTime(), () -> {
            }));
            calls.put("callEvery", () -> loop.callEvery(Duration.ofSeconds(1), () -> {
            }));
            calls.put("addSignalHandler", () -> loop.addSignalHandler(10, () -> {
            }));
            calls.put("removeSignalHandler", () -> loop.removeSignalHandler(10));
            calls.put("Watch.setInterest", () -> watch.setInterest(0));
            calls.put("Watch.cancel", watch::cancel);
            calls.forEach((name, call) -> {
                IllegalStateException refused = assertThrows(IllegalStateException.class, call, name + " off the loop thread");
                assertTrue(refused.getMessage().contains("execute()"), name + ": \"" + refused.getMessage() + "\" does not name execute()");
                assertTrue(refused.getMessage().contains("the-loop"), name + ": the message names the loop's thread");
            });
            assertThrowsWithMessage(IllegalStateException.class, "already running", loop::runForever);
            assertThrowsWithMessage(IllegalStateException.class, "already running", loop::runOnce);
            assertThrowsWithMessage(IllegalStateException.class, "stop it first", loop::close);
            assertFalse(loop.isClosed(), "the refused close() left the loop open");
            assertTrue(loop.isRunning());
            assertFalse(loop.isInLoopThread());

            // The thread-safe ones work from here.
            CountDownLatch ran = new CountDownLatch(2);
            loop.execute(ran::countDown);
            loop.callSoonThreadsafe(ran::countDown);
            loop.wakeup();
            assertTrue(ran.await(5, TimeUnit.SECONDS));
            assertTrue(watch.isActive(), "the refused calls changed nothing");
            assertEquals(EVENT_READ, running.call(watch::interest));
            running.call(() -> {
                watch.cancel();
                timer.cancel();
                return null;
            });
        }
        assertFalse(loop.isRunning());
    }

    @Test
    void closeDropsEverythingButClosesNoFd() throws Exception {
        EventFd fd = closer.add(EventFd.open());
        Watch watch = loop.watch(fd, EVENT_READ, (w, e) -> {
        });
        EventFd other = closer.add(EventFd.open());
        loop.addReader(other, () -> {
        });
        Handle timer = loop.callLater(Duration.ofHours(1), () -> {
        });
        loop.callSoon(() -> {
        });
        loop.close();
        assertTrue(loop.isClosed());
        assertArrayEquals(new int[] {0, 0, 0}, loop.counts());
        assertFalse(fd.isClosed());
        assertTrue(fd.write(1), "the fd still works");
        assertFalse(watch.isActive(), "the watch died with the loop");
        watch.cancel();   // harmless after close: nothing is reported
        timer.cancel();
        loop.close();   // idempotent
        assertTrue(loop.selector().isClosed());
    }

    @Test
    void aClosedLoopRefusesWork() {
        loop.close();
        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> {
        }));
        assertThrows(RejectedExecutionException.class, () -> loop.callSoonThreadsafe(() -> {
        }));
        assertThrows(AlreadyClosedException.class, () -> loop.callSoon(() -> {
        }));
        assertThrows(AlreadyClosedException.class, () -> loop.callLater(Duration.ZERO, () -> {
        }));
        assertThrows(AlreadyClosedException.class, loop::runForever);
        assertThrows(AlreadyClosedException.class, loop::runOnce);
        assertThrows(AlreadyClosedException.class, () -> loop.addSignalHandler(10, () -> {
        }));
        loop.stop();     // harmless
        loop.wakeup();   // harmless
    }

    @Test
    void aLoopCanRunAgainAfterStopping() throws Exception {
        int[] runs = {0};
        for (int i = 0; i < 3; i++) {
            loop.callSoon(() -> {
                runs[0]++;
                loop.stop();
            });
            loop.runForever();
            assertFalse(loop.isRunning());
        }
        assertEquals(3, runs[0]);
    }

    @Test
    void aLoopRunsOnWhicheverThreadRunsIt() throws Exception {
        boolean[] inLoopThread = {false};
        loop.callSoon(() -> inLoopThread[0] = loop.isInLoopThread());
        Thread other = new Thread(() -> {
            try {
                loop.runOnce();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        other.start();
        other.join(5_000);
        assertFalse(other.isAlive());
        assertTrue(inLoopThread[0]);
        assertFalse(loop.isInLoopThread(), "not running: no thread is the loop's");
    }
}
