package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.selectors.SelectorBackend;
import io.github.selectors4j.testing.OpenFds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Eight threads wake one loop a million times each: wakeups coalesce (the wakeup fd is written at
 * most once per loop iteration) and none is lost (every task runs, and the loop still wakes when
 * the storm is over).
 *
 * <p>The writes are counted by the kernel: the epoll selector watches its wakeup eventfd
 * edge-triggered and never reads it, so the eventfd's counter, shown in
 * {@code /proc/self/fdinfo/<fd>} as {@code eventfd-count}, is the number of writes.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WakeupStormTest extends LoopTestBase {

    private static final int THREADS = 8;
    private static final int PER_THREAD = 1_000_000;

    private int wakeupFd;

    /** Replaces the base's loop by one whose wakeup eventfd is known: the one eventfd it opened. */
    @BeforeEach
    void findTheWakeupFd() throws IOException {
        loop.close();
        Map<Integer, String> before = OpenFds.snapshot();
        loop = EventLoop.open();
        loop.setExceptionHandler((context, error) -> reported.add(new Reported(context, error, Thread.currentThread())));
        Assumptions.assumeTrue(loop.selector().backend() == SelectorBackend.EPOLL,
                "the write count is read from the epoll selector's wakeup eventfd; this loop uses " + loop.selector().backend());
        Map<Integer, String> opened = new HashMap<>(OpenFds.snapshot());
        opened.keySet().removeAll(before.keySet());
        List<Integer> eventFds = new ArrayList<>();
        opened.forEach((fd, target) -> {
            if (target.equals("anon_inode:[eventfd]")) {
                eventFds.add(fd);
            }
        });
        assertEquals(1, eventFds.size(), "the loop opened one eventfd: " + opened);
        wakeupFd = eventFds.get(0);
    }

    @Test
    void aMillionTasksFromEachOfEightThreadsAllRunAndWakeupsCoalesce() throws Exception {
        AtomicLong ran = new AtomicLong();
        Storm storm = storm(() -> loop.execute(ran::incrementAndGet));
        org.awaitility.Awaitility.await("every task").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> ran.get() == (long) THREADS * PER_THREAD);
        storm.finish("execute()");
    }

    @Test
    void aMillionWakeupsFromEachOfEightThreadsCoalesceAndTheLastIsNotLost() throws Exception {
        Storm storm = storm(loop::wakeup);
        storm.finish("wakeup()");
    }

    /** The loop on its own thread, and eight threads calling {@code action} a million times each. */
    private Storm storm(Runnable action) throws Exception {
        LoopThread running = LoopThread.start(loop, "storm-loop");
        long writesBefore = eventfdCount(wakeupFd);
        long iterationsBefore = running.call(loop::iterations);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < PER_THREAD; i++) {
                    action.run();
                }
            }, "storm-" + t);
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertTrue(!thread.isAlive(), thread.getName() + " did not finish");
        }
        return new Storm(running, writesBefore, iterationsBefore, start);
    }

    /** One storm: checks the loop still wakes, and the writes per iteration, once the threads are done. */
    private final class Storm {
        private final LoopThread running;
        private final long writesBefore;
        private final long iterationsBefore;
        private final long start;

        Storm(LoopThread running, long writesBefore, long iterationsBefore, long start) {
            this.running = running;
            this.writesBefore = writesBefore;
            this.iterationsBefore = iterationsBefore;
            this.start = start;
        }

        void finish(String what) throws Exception {
            long millis = (System.nanoTime() - start) / 1_000_000;
            try {
                // A lost wakeup leaves the pending flag set with nobody to clear it, and then no later
                // wakeup writes: this task would never run.
                CompletableFuture<Long> after = new CompletableFuture<>();
                loop.execute(() -> after.complete(loop.iterations()));
                long iterations = after.get(10, TimeUnit.SECONDS) - iterationsBefore;
                long writes = eventfdCount(wakeupFd) - writesBefore;
                System.out.printf("%s storm: %d calls from %d threads in %d ms: %d wakeup writes, %d loop iterations%n",
                        what, (long) THREADS * PER_THREAD, THREADS, millis, writes, iterations);
                assertTrue(writes > 0, "no wakeup was written at all");
                // Each write needs the pending flag clear, and only an iteration that saw the wakeup
                // fd clears it: at most one write per iteration, plus the one before the first.
                assertTrue(writes <= iterations + 1, writes + " wakeup writes for " + iterations + " iterations");
            } finally {
                running.close();
            }
        }
    }

    /** The counter of an eventfd, from {@code /proc/self/fdinfo} (printed in hexadecimal). */
    private static long eventfdCount(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("eventfd-count:")) {
                return Long.parseUnsignedLong(line.substring("eventfd-count:".length()).trim(), 16);
            }
        }
        throw new AssertionError("no eventfd-count in /proc/self/fdinfo/" + fd);
    }
}
