package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.testing.Signals;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Signals that interrupt the loop's blocked select (EINTR): no exception, no early return (the
 * selector retries with the time that remains, so the signals add no iteration), timers neither
 * early nor lost, and readiness after the signals still dispatched.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventLoopEintrTest extends LoopTestBase {

    private static final int SIGNALS = 25;

    @Test
    void signalsDuringABlockedIterationNeitherFailNorShortenIt() throws Exception {
        EventFd ready = closer.add(EventFd.open());
        int[] readerRuns = {0};
        try (LoopThread running = LoopThread.start(loop, "eintr-loop")) {
            int tid = running.call(Signals::currentTid);
            running.call(() -> {
                loop.addReader(ready, () -> {
                    readerRuns[0]++;
                    ready.read();
                });
                return null;
            });
            // The loop now waits for the timer alone: one iteration to arm it, one that blocks until it is due.
            CompletableFuture<Long> fired = new CompletableFuture<>();
            long[] iterationsAtStart = new long[1];
            long start = System.nanoTime();
            running.call(() -> {
                iterationsAtStart[0] = loop.iterations();
                loop.callLater(Duration.ofMillis(500), () -> fired.complete(System.nanoTime() - start));
                return null;
            });
            int handledBefore = Signals.handled();
            for (int i = 0; i < SIGNALS; i++) {
                Thread.sleep(10);   // spreads the signals over the wait; sleeping is the point here, not a wait for a condition
                Signals.interrupt(tid);
            }
            long elapsed = fired.get(10, TimeUnit.SECONDS);
            long iterations = running.call(loop::iterations) - iterationsAtStart[0];

            assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(500), "the timer fired early, after " + elapsed / 1_000_000 + " ms");
            assertTrue(Signals.handled() - handledBefore >= SIGNALS, "the signals were delivered: " + (Signals.handled() - handledBefore));
            // The call that armed the timer, the wait, the timer's run, the call that reads the count: a few, not one per signal.
            assertTrue(iterations < 6, SIGNALS + " signals made the loop iterate " + iterations + " times");
            System.out.printf("%d signals during a 500 ms wait: the timer ran after %d ms, %d loop iterations%n",
                    SIGNALS, elapsed / 1_000_000, iterations);

            // Readiness after the signals is still dispatched.
            ready.write(1);
            org.awaitility.Awaitility.await("the reader after the signals").atMost(Duration.ofSeconds(5))
                    .until(() -> running.call(() -> readerRuns[0]) == 1);
            running.call(() -> loop.removeReader(ready));
        }
        assertEquals(1, readerRuns[0]);
    }
}
