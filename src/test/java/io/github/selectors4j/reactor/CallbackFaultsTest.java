package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.selectors.Backends;
import io.github.selectors4j.selectors.SelectorBackend;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.HighFds;
import io.github.selectors4j.testing.OpenFds;
import io.github.selectors4j.testing.Signals;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Callbacks that misbehave, on a loop over each backend that serves {@link Bystanders} meanwhile:
 * one that throws every time, one that closes its own fd, one that closes another watcher's fd;
 * and the loop's selector closed from another thread while the loop is blocked in it.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.github.selectors4j.selectors.Backends#available")
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CallbackFaultsTest {

    @Parameter
    SelectorBackend backend;

    private EventLoop loop;
    private final Closer closer = new Closer();
    private final List<String> reported = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private Bystanders bystanders;

    @BeforeEach
    void open() throws IOException {
        Backends.assumeAvailable(backend);
        loop = EventLoop.open(backend.open());
        loop.setExceptionHandler((context, error) -> {
            reported.add(context);
            errors.add(error);
        });
        bystanders = Bystanders.start(loop, 6, 60, 7300);
        Loops.runUntil(loop, bystanders::halfWay, Duration.ofSeconds(20), "the bystanders half-way");
    }

    /** Ends as LoopTestBase does: once the bystanders are gone, the loop watches nothing, neither itself nor in its selector. */
    @AfterEach
    void checkAndClose() throws Exception {
        try {
            if (bystanders != null) {
                bystanders.close();
            }
            if (loop != null && !loop.isClosed()) {
                assertFalse(loop.isRunning(), "the loop still runs at the end of the test");
                Loops.assertNothingWatched(loop, "the loop");
            }
        } finally {
            if (loop != null) {
                loop.close();
            }
            closer.close();
        }
    }

    private void finish(java.util.function.BooleanSupplier faultDone, String what) throws IOException {
        Loops.runUntil(loop, () -> faultDone.getAsBoolean() && bystanders.finished(), Duration.ofSeconds(30), what + ", and the bystanders");
        bystanders.assertServedThroughout();
        System.out.printf("%s, %s: bystanders verified %d KiB, %d messages echoed after the fault%n",
                backend.displayName(), what, bystanders.bytesVerified() / 1024, bystanders.echoedAfterFault());
    }

    /** Once the bystanders are gone, nothing the test added is still watched, nor registered. */
    private void assertNoWatcherLeft() {
        bystanders.close();
        assertEquals(0, loop.counts()[0], "watchers left");
        assertEquals(Map.of(), loop.selector().getMap(), "registrations left");
    }

    @Test
    void aCallbackThatThrowsEveryTimeIsReportedEachTimeAndTheLoopGoesOn() throws Exception {
        EventFd always = closer.add(EventFd.open());
        always.write(1);   // never read: ready at every iteration
        IllegalStateException failure = new IllegalStateException("a bug in the callback");
        int[] runs = {0};
        loop.addReader(always, () -> {
            runs[0]++;
            throw failure;
        });
        bystanders.faultInjected();

        finish(() -> runs[0] >= 3, "a callback that always throws");
        assertTrue(loop.removeReader(always));
        assertEquals(runs[0], errors.size(), "each failure reported once");
        for (int i = 0; i < errors.size(); i++) {
            assertSame(failure, errors.get(i));
            assertTrue(reported.get(i).startsWith("reader "), reported.get(i));
        }
    }

    @Test
    void aCallbackThatClosesItsOwnFdIsNotCalledAgainAndTheLoopGoesOn() throws Exception {
        EventFd own = closer.add(EventFd.open());
        own.write(1);
        int[] runs = {0};
        loop.addReader(own, () -> {
            runs[0]++;
            own.close();   // without removing its reader
        });
        bystanders.faultInjected();

        finish(() -> runs[0] >= 1, "a callback that closes its own fd");
        assertEquals(1, runs[0], "the reader ran again after closing its fd");
        assertEquals(List.of(), reported);
        loop.removeReader(own);   // found by identity; true or false depending on whether the loop dropped it already
        assertNoWatcherLeft();
    }

    @Test
    void aCallbackThatClosesAnotherWatchersFdSilencesThatWatcherAndTheLoopGoesOn() throws Exception {
        EventFd first = closer.add(EventFd.open());
        EventFd second = closer.add(EventFd.open());
        first.write(1);
        second.write(1);
        List<String> runs = new ArrayList<>();
        loop.addReader(first, () -> {
            runs.add("first");
            first.read();
            if (!second.isClosed()) {
                second.close();   // the other watcher's fd, with its reader left behind
            }
        });
        loop.addReader(second, () -> {
            runs.add("second");
            second.read();
            if (!first.isClosed()) {
                first.close();
            }
        });
        bystanders.faultInjected();

        finish(() -> !runs.isEmpty(), "a callback that closes another watcher's fd");
        assertEquals(1, runs.size(), "whichever ran first closed the other, which never ran: " + runs);
        assertEquals(List.of(), reported);
        EventFd survivor = runs.get(0).equals("first") ? first : second;
        EventFd closed = survivor == first ? second : first;
        survivor.write(1);
        Loops.runUntil(loop, () -> runs.size() == 2, Duration.ofSeconds(5), "the survivor's reader");
        assertEquals(runs.get(0), runs.get(1), "only the survivor runs");
        assertTrue(loop.removeReader(survivor));
        loop.removeReader(closed);
        assertNoWatcherLeft();
    }

    /**
     * select(2) fails a whole wait when one of its fds was closed; the loop drops that watch and
     * goes on (poll reports such an fd and epoll forgets it, so only the select backend gets here).
     * A number gives no object to ask whether it was closed, so this one is reported.
     */
    @Test
    void aWatchedNumberClosedBehindTheLoopsBackIsReportedOnceAndTheLoopGoesOn() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(backend == SelectorBackend.SELECT,
                "only select(2) fails the whole wait for a closed fd; poll reports it, epoll forgets it");
        EventFd file = closer.add(EventFd.open());
        int number = HighFds.dupHigh(file.fileno());
        loop.addReader(number, () -> {
            throw new AssertionError("the reader of a closed number ran");
        });
        bystanders.faultInjected();
        Fds.close(number);

        finish(() -> !reported.isEmpty(), "a watched number closed behind the loop's back");
        assertEquals(List.of("watching fd " + number + ", which was closed while watched"), reported);
        assertEquals("EBADF", assertInstanceOf(ErrnoException.class, errors.get(0)).errnoName());
        assertNoWatcherLeft();
    }

    /** A thread's scheduling state from /proc (R running, S sleeping...). */
    private static char threadState(int tid) throws IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/task/" + tid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    @Test
    void theSelectorClosedFromAnotherThreadEndsTheBlockedLoopPromptly() throws Exception {
        bystanders.close();   // this one ends the loop: nothing else to serve
        bystanders = null;
        Map<Integer, String> before = OpenFds.snapshot();
        EventFd idle = closer.add(EventFd.open());
        loop.addReader(idle, () -> { });
        Throwable[] ended = new Throwable[1];
        java.util.concurrent.atomic.AtomicInteger tid = new java.util.concurrent.atomic.AtomicInteger();
        loop.callSoon(() -> tid.set(Signals.currentTid()));
        Thread thread = new Thread(() -> {
            try {
                loop.runForever();
            } catch (Throwable e) {
                ended[0] = e;
            }
        }, "blocked-loop");
        thread.start();
        // Blocked in the kernel's wait: the loop thread sleeps (state S) with nothing to do.
        org.awaitility.Awaitility.await("the loop blocks in its select").atMost(Duration.ofSeconds(5))
                .until(() -> tid.get() != 0 && threadState(tid.get()) == 'S');

        loop.selector().close();
        thread.join(TimeUnit.SECONDS.toMillis(5));
        assertFalse(thread.isAlive(), "the loop still runs after its selector was closed");
        assertInstanceOf(AlreadyClosedException.class, ended[0], "how the loop ended: " + ended[0]);
        assertTrue(loop.selector().isClosed());
        loop.close();
        idle.close();
        // The selector's fds (epoll or kqueue, and the wakeup fd) are released with it.
        Map<Integer, String> after = OpenFds.snapshot();
        after.keySet().removeAll(before.keySet());
        assertEquals(Map.of(), after, "fds left");
    }
}
