package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.testing.Waiters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Work submitted from other threads: every task runs once, on the loop's thread, and no wakeup is lost. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventLoopThreadsTest extends AllBackendsLoopTest {

    @Test
    void tasksFromEightThreadsAllRunExactlyOnceOnTheLoopThread() throws Exception {
        int threads = 8;
        int perThread = 100_000;
        AtomicLongArray runs = new AtomicLongArray(threads * perThread);
        AtomicLong offThread = new AtomicLong();
        AtomicLong outOfOrder = new AtomicLong();
        int[] lastSeen = new int[threads];
        java.util.Arrays.fill(lastSeen, -1);
        long[] done = {0};
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            int producer = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        int index = i;
                        loop.execute(() -> {
                            runs.incrementAndGet(producer * perThread + index);
                            if (!loop.isInLoopThread()) {
                                offThread.incrementAndGet();
                            }
                            // One producer's tasks run in the order it submitted them.
                            if (lastSeen[producer] != index - 1) {
                                outOfOrder.incrementAndGet();
                            }
                            lastSeen[producer] = index;
                            done[0]++;
                        });
                    }
                } catch (Throwable e) {
                    producerFailure.set(e);
                }
            }, "producer-" + t);
            producers.add(thread);
            thread.start();
        }
        start.countDown();
        long total = (long) threads * perThread;
        runUntil(() -> done[0] == total, Duration.ofSeconds(60), "all " + total + " tasks");
        for (Thread thread : producers) {
            thread.join(10_000);
        }
        assertEquals(null, producerFailure.get());
        for (int i = 0; i < runs.length(); i++) {
            if (runs.get(i) != 1) {
                fail("task " + i + " of producer " + i / perThread + " ran " + runs.get(i) + " times");
            }
        }
        assertEquals(0, offThread.get(), "tasks that ran off the loop's thread");
        assertEquals(0, outOfOrder.get(), "tasks that ran out of their producer's order");
        loop.runOnce();
        assertEquals(total, done[0], "no task ran twice");
        assertEquals(0, loop.counts()[2], "nothing queued");
    }

    /**
     * A producer submits one task at a time and waits for it while the loop runs on its own
     * thread, blocked in select whenever it is idle: a submission that fails to wake the loop
     * leaves the task waiting, and the bounded wait catches it. Random pauses move the submission
     * around the loop's iteration (before, during and after its select).
     */
    @Test
    void noWakeupIsLostWhileTheLoopBlocks() throws Exception {
        EventFd idle = closer.add(EventFd.open());
        loop.addReader(idle, () -> fail("nothing writes this eventfd"));   // so the loop blocks when idle
        int rounds = 20_000;
        Semaphore ran = new Semaphore(0);
        AtomicInteger lastRound = new AtomicInteger(-1);
        try (LoopThread running = LoopThread.start(loop, "loop")) {
            for (int round = 0; round < rounds; round++) {
                int r = round;
                int pause = ThreadLocalRandom.current().nextInt(4);
                if (pause == 1) {
                    Thread.onSpinWait();
                } else if (pause == 2) {
                    long until = System.nanoTime() + ThreadLocalRandom.current().nextInt(50_000);
                    while (System.nanoTime() - until < 0) {
                        Thread.onSpinWait();
                    }
                }
                loop.execute(() -> {
                    lastRound.set(r);
                    ran.release();
                });
                if (!ran.tryAcquire(5, TimeUnit.SECONDS)) {
                    fail("lost wakeup: the task of round " + r + " did not run within 5 s (last round run: " + lastRound.get() + ")");
                }
            }
            running.call(() -> loop.removeReader(idle));
        }
        assertEquals(rounds - 1, lastRound.get());
    }

    /** Two producers racing each other, so that one's wakeup coalesces with the other's. */
    @Test
    void noWakeupIsLostWithTwoProducers() throws Exception {
        EventFd idle = closer.add(EventFd.open());
        loop.addReader(idle, () -> fail("nothing writes this eventfd"));
        int rounds = 10_000;
        AtomicReference<String> failure = new AtomicReference<>();
        try (LoopThread running = LoopThread.start(loop, "loop")) {
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                int producer = p;
                Thread thread = new Thread(() -> {
                    Semaphore ran = new Semaphore(0);
                    try {
                        for (int round = 0; round < rounds && failure.get() == null; round++) {
                            loop.execute(ran::release);
                            if (!ran.tryAcquire(5, TimeUnit.SECONDS)) {
                                failure.set("lost wakeup: producer " + producer + ", round " + round);
                            }
                        }
                    } catch (InterruptedException e) {
                        failure.set("interrupted");
                    }
                });
                producers.add(thread);
                thread.start();
            }
            for (Thread thread : producers) {
                thread.join(TimeUnit.SECONDS.toMillis(100));
                assertTrue(!thread.isAlive(), "a producer is still running");
            }
            running.call(() -> loop.removeReader(idle));
        }
        assertEquals(null, failure.get());
    }

    @Test
    void runUntilReturnsTheValueOfAFutureCompletedFromAnotherThread() throws Exception {
        CompletableFuture<String> future = new CompletableFuture<>();
        EventFd idle = closer.add(EventFd.open());
        loop.addReader(idle, () -> {
        });   // the loop would block forever without the completion's wakeup
        Thread loopThread = Thread.currentThread();
        AtomicReference<Throwable> notBlocked = new AtomicReference<>();
        Thread completer = new Thread(() -> {
            try {
                Waiters.awaitBlockedInKernelWait(loopThread);   // so that the completion must wake a blocked wait
            } catch (Throwable e) {
                notBlocked.set(e);
            }
            future.complete("done");
        });
        completer.start();
        long start = System.nanoTime();
        assertEquals("done", loop.runUntil(future));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
        completer.join();
        assertNull(notBlocked.get(), "the loop never blocked in its wait");
        loop.removeReader(idle);
    }

    @Test
    void runUntilReportsHowTheFutureEnded() throws Exception {
        CompletableFuture<String> failed = new CompletableFuture<>();
        loop.callSoon(() -> failed.completeExceptionally(new IllegalStateException("boom")));
        CompletionException thrown = assertThrows(CompletionException.class, () -> loop.runUntil(failed));
        assertEquals("boom", thrown.getCause().getMessage());

        CompletableFuture<String> cancelled = new CompletableFuture<>();
        loop.callSoon(() -> cancelled.cancel(false));
        assertThrows(CancellationException.class, () -> loop.runUntil(cancelled));

        CompletableFuture<String> never = new CompletableFuture<>();
        loop.callSoon(loop::stop);
        IllegalStateException stopped = assertThrows(IllegalStateException.class, () -> loop.runUntil(never));
        assertTrue(stopped.getMessage().contains("stopped before the future completed"), stopped.getMessage());

        CompletableFuture<String> already = CompletableFuture.completedFuture("ready");
        assertEquals("ready", loop.runUntil(already));
    }

    @Test
    void callSoonThreadsafeRunsOnTheLoopThreadAndCanBeCancelledThere() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        try (LoopThread running = LoopThread.start(loop, "the-loop")) {
            CountDownLatch ran = new CountDownLatch(1);
            loop.callSoonThreadsafe(() -> {
                ranOn.set(Thread.currentThread());
                ran.countDown();
            });
            assertTrue(ran.await(5, TimeUnit.SECONDS));
            assertSame(running.thread(), ranOn.get());
            // A handle cancelled on the loop's thread before its turn does not run.
            boolean[] cancelledRan = {false};
            running.call(() -> {
                Handle handle = loop.callSoonThreadsafe(() -> cancelledRan[0] = true);
                handle.cancel();
                return null;
            });
            running.call(() -> null);   // one more round trip: the cancelled one had its turn
            assertTrue(!running.call(() -> cancelledRan[0]));
        }
    }
}
