package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.fd.EventFd;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** No source of work can keep the others from running: callbacks, readiness and timers take turns. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventLoopStarvationTest extends AllBackendsLoopTest {

    @Test
    void aCallbackThatRequeuesItselfForeverDoesNotStarveAReadyReader() throws Exception {
        EventFd ready = closer.add(EventFd.open());
        ready.write(1);
        int[] spins = {0};
        int[] readerRanAfter = {-1};
        boolean[] stopSpinning = {false};
        loop.addReader(ready, () -> {
            ready.read();
            readerRanAfter[0] = spins[0];
            loop.removeReader(ready);
        });
        Callback[] spin = new Callback[1];
        spin[0] = () -> {
            spins[0]++;
            // Bounded, so that a failing loop ends instead of spinning forever.
            if (!stopSpinning[0] && spins[0] < 1_000_000) {
                loop.callSoon(spin[0]);
            }
        };
        loop.callSoon(spin[0]);
        runUntil(() -> readerRanAfter[0] >= 0, Duration.ofSeconds(10), "the reader");
        assertTrue(readerRanAfter[0] <= 2, "the ready reader ran only after " + readerRanAfter[0] + " runs of a self-requeuing callback");
        stopSpinning[0] = true;
        loop.runOnce();
    }

    @Test
    void aCallbackThatRequeuesItselfForeverDoesNotStarveDueTimers() throws Exception {
        int[] spins = {0};
        int[] timerRanAfter = {-1};
        boolean[] stopSpinning = {false};
        Callback[] spin = new Callback[1];
        spin[0] = () -> {
            spins[0]++;
            if (!stopSpinning[0] && spins[0] < 1_000_000) {
                loop.callSoon(spin[0]);
            }
        };
        loop.callSoon(spin[0]);
        loop.callLater(Duration.ofMillis(5), () -> timerRanAfter[0] = spins[0]);
        long start = System.nanoTime();
        runUntil(() -> timerRanAfter[0] >= 0, Duration.ofSeconds(10), "the timer");
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
        assertTrue(spins[0] < 1_000_000, "the timer ran only when the spinning callback gave up");
        stopSpinning[0] = true;
        loop.runOnce();
    }

    /** Level-triggered readiness that its reader never consumes keeps coming, but callbacks and timers still run. */
    @Test
    void anAlwaysReadyFdDoesNotStarveCallbacksOrTimers() throws Exception {
        EventFd ready = closer.add(EventFd.open());
        ready.write(1);
        int[] reads = {0};
        loop.addReader(ready, () -> reads[0]++);   // never drains
        boolean[] callback = {false};
        boolean[] timer = {false};
        loop.callSoon(() -> loop.callSoon(() -> callback[0] = true));
        loop.callLater(Duration.ofMillis(5), () -> timer[0] = true);
        runUntil(() -> callback[0] && timer[0], Duration.ofSeconds(5), "the callback and the timer");
        assertTrue(reads[0] >= 1);
        loop.removeReader(ready);
    }
}
