package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.fd.EventFd;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link EventLoop#time()} is read once per phase of an iteration, as asyncio's {@code loop.time()}
 * is read once per batch: every callback of one batch sees the same time, however long the batch
 * takes, and the next iteration sees a later one.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventLoopClockTest extends AllBackendsLoopTest {

    /** Long enough to be far above the clock's resolution, short enough not to slow the suite. */
    private static final long BUSY = Duration.ofMillis(2).toNanos();

    @Test
    void queuedCallbacksOfOneBatchSeeOneTimeAndTheNextIterationALaterOne() throws Exception {
        long[] seen = new long[3];
        loop.callSoon(() -> {
            seen[0] = loop.time();
            busyFor(BUSY);
            loop.callSoon(() -> seen[2] = loop.time());   // next iteration
        });
        loop.callSoon(() -> seen[1] = loop.time());
        loop.runOnce();
        assertEquals(seen[0], seen[1], "two callbacks of one batch, the first busy for 2 ms");
        assertEquals(0, seen[2], "the callback queued by the batch waits for the next iteration");
        loop.runOnce();
        assertTrue(seen[2] - seen[0] >= BUSY, "the next iteration reads the clock again: " + (seen[2] - seen[0]) + " ns later");
    }

    @Test
    void readersOfOneBatchSeeOneTime() throws Exception {
        EventFd a = closer.add(EventFd.open());
        EventFd b = closer.add(EventFd.open());
        a.write(1);
        b.write(1);   // both ready before the select: one batch
        long[] seen = {0, 0};
        int[] index = {0};
        Callback reader = () -> {
            seen[index[0]++] = loop.time();
            busyFor(BUSY);
        };
        loop.addReader(a, () -> {
            a.read();
            reader.run();
        });
        loop.addReader(b, () -> {
            b.read();
            reader.run();
        });
        loop.runOnce();
        assertEquals(2, index[0], "both readers ran in one iteration");
        assertEquals(seen[0], seen[1], "two readers of one batch, each busy for 2 ms");
        long[] next = {0};
        loop.callSoon(() -> next[0] = loop.time());
        loop.runOnce();
        assertTrue(next[0] - seen[0] >= 2 * BUSY, "the next iteration reads the clock again");
        loop.removeReader(a);
        loop.removeReader(b);
    }

    @Test
    void timersDueInOneBatchSeeOneTime() throws Exception {
        long[] seen = {0, 0};
        long deadline = loop.time();
        loop.callAt(deadline, () -> {
            seen[0] = loop.time();
            busyFor(BUSY);
        });
        loop.callAt(deadline, () -> seen[1] = loop.time());
        runUntil(() -> seen[1] != 0, Duration.ofSeconds(5), "both timers");
        assertEquals(seen[0], seen[1], "two timers of one batch, the first busy for 2 ms");
        assertTrue(seen[0] - deadline >= 0, "not early");
    }

    /** Keeps the loop's thread busy, so that a clock read again would show it. */
    private static void busyFor(long nanos) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < nanos) {
            Thread.onSpinWait();
        }
    }
}
