package io.github.selectors4j.reactor;

import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.fd.EventFd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Timers: never early, cancellable, repeating at a fixed rate without bursts, and purged when
 * cancelled ones pile up.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventLoopTimersTest extends AllBackendsLoopTest {

    @Test
    void timersNeverRunEarly() throws Exception {
        int count = 200;
        long[] scheduledAt = new long[count];
        long[] delays = new long[count];
        long[] ranAt = new long[count];
        long[] loopTimeAtRun = new long[count];
        Handle[] handles = new Handle[count];
        int[] ran = {0};
        Random random = new Random(1);
        for (int i = 0; i < count; i++) {
            int n = i;
            delays[i] = Duration.ofMillis(1).toNanos() + random.nextInt(4_000_001);   // 1 to 5 ms
            scheduledAt[i] = System.nanoTime();
            handles[i] = loop.callLater(Duration.ofNanos(delays[i]), () -> {
                ranAt[n] = System.nanoTime();
                loopTimeAtRun[n] = loop.time();
                ran[0]++;
            });
            if (i % 10 == 9) {
                loop.runOnce();   // scheduling interleaved with running, as a real program does
            }
        }
        runUntil(() -> ran[0] == count, Duration.ofSeconds(10), "all timers");
        for (int i = 0; i < count; i++) {
            assertTrue(ranAt[i] - handles[i].deadline() >= 0, "timer " + i + " ran " + (handles[i].deadline() - ranAt[i]) + " ns before its deadline");
            assertTrue(ranAt[i] - (scheduledAt[i] + delays[i]) >= 0,
                    "timer " + i + " ran " + (scheduledAt[i] + delays[i] - ranAt[i]) + " ns before scheduling time + delay");
            assertTrue(loopTimeAtRun[i] - handles[i].deadline() >= 0, "loop.time() in timer " + i + " is before its deadline");
        }
    }

    @Test
    void aTimerSleepsAtLeastItsDelayEvenAlone() throws Exception {
        // One timer alone: the loop's only reason to wake is its select timeout, rounded to ms by epoll.
        for (long micros : new long[] {1, 999, 1000, 1001, 2500}) {
            long start = System.nanoTime();
            boolean[] done = {false};
            long[] at = new long[1];
            loop.callLater(Duration.ofNanos(micros * 1000), () -> {
                at[0] = System.nanoTime();
                done[0] = true;
            });
            runUntil(() -> done[0], Duration.ofSeconds(5), "the timer");
            assertTrue(at[0] - start >= micros * 1000, micros + " µs timer ran after " + (at[0] - start) / 1000 + " µs");
        }
    }

    @Test
    void cancelPreventsARun() throws Exception {
        List<Integer> ran = new ArrayList<>();
        List<Handle> handles = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            handles.add(loop.callLater(Duration.ofMillis(1 + i % 7), () -> ran.add(n)));
        }
        for (int i = 1; i < 100; i += 2) {
            handles.get(i).cancel();
            handles.get(i).cancel();   // idempotent
            assertTrue(handles.get(i).isCancelled());
        }
        boolean[] done = {false};
        loop.callLater(Duration.ofMillis(20), () -> done[0] = true);
        runUntil(() -> done[0], Duration.ofSeconds(5), "the last timer");
        assertEquals(50, ran.size(), "ran: " + ran);
        assertTrue(ran.stream().allMatch(n -> n % 2 == 0), "only uncancelled timers ran: " + ran);
    }

    @Test
    void callEveryRunsAtAFixedRateAndStopsWhenCancelled() throws Exception {
        Duration period = Duration.ofMillis(20);
        List<Long> runs = new ArrayList<>();
        long start = System.nanoTime();
        Handle every = loop.callEvery(period, () -> runs.add(System.nanoTime()));
        assertTrue(every.isRepeating());
        runFor(Duration.ofMillis(210));
        int inWindow = runs.size();
        // Never early: the k-th run is due k periods after the start, so at most 10 fit in 210 ms.
        assertTrue(inWindow <= 10, inWindow + " runs in 210 ms of a 20 ms period");
        assertTrue(inWindow >= 4, "only " + inWindow + " runs in 210 ms of a 20 ms period");
        for (int k = 0; k < runs.size(); k++) {
            assertTrue(runs.get(k) - start >= (k + 1) * period.toNanos(), "run " + k + " was early");
        }
        every.cancel();
        runFor(Duration.ofMillis(100));
        assertEquals(inWindow, runs.size(), "no run after cancel()");
        assertEquals(0, loop.counts()[1], "a cancelled repeating timer is gone");
    }

    @Test
    void aRepeatingTimerMayCancelItselfFromItsCallback() throws Exception {
        int[] runs = {0};
        Handle[] every = new Handle[1];
        every[0] = loop.callEvery(Duration.ofMillis(2), () -> {
            if (++runs[0] == 5) {
                every[0].cancel();
            }
        });
        runUntil(() -> runs[0] == 5, Duration.ofSeconds(5), "five runs");
        runFor(Duration.ofMillis(30));
        assertEquals(5, runs[0]);
        assertEquals(0, loop.counts()[1]);
    }

    /** A loop that fell behind skips the missed runs: one run catches up, the next is a full period later. */
    @Test
    void aRepeatingTimerDoesNotBurstAfterTheLoopWasBusy() throws Exception {
        long period = Duration.ofMillis(10).toNanos();
        List<Long> runs = new ArrayList<>();
        long[] busyUntil = {0};
        Handle every = loop.callEvery(Duration.ofNanos(period), () -> {
            runs.add(System.nanoTime());
            if (runs.size() == 1) {
                // The loop is busy for more than five periods (bounded busy wait, no sleep).
                long end = System.nanoTime() + 6 * period;
                while (System.nanoTime() - end < 0) {
                    Thread.onSpinWait();
                }
                busyUntil[0] = System.nanoTime();
            }
        });
        runUntil(() -> runs.size() >= 4, Duration.ofSeconds(5), "four runs");
        every.cancel();
        long soonAfterBusy = runs.stream().filter(t -> t - busyUntil[0] >= 0 && t - busyUntil[0] < period).count();
        assertTrue(soonAfterBusy <= 1, soonAfterBusy + " runs within one period after the busy spell: a burst of missed runs");
    }

    @Test
    void timersMayBeScheduledFromTimers() throws Exception {
        List<String> ran = new ArrayList<>();
        loop.callLater(Duration.ofMillis(1), () -> {
            ran.add("outer");
            loop.callLater(Duration.ofMillis(1), () -> ran.add("inner"));
        });
        runUntil(() -> ran.size() == 2, Duration.ofSeconds(5), "both timers");
        assertEquals(List.of("outer", "inner"), ran);
    }

    /**
     * A timer that re-arms itself at a deadline already past (callAt(loop.time()), a negative delay)
     * must wait for the next iteration: running it in the same batch would never let the loop
     * select again, and a ready fd would starve.
     */
    @Test
    void aTimerReArmingItselfInThePastCannotStarveIo() throws Exception {
        EventFd ready = closer.add(EventFd.open());
        int[] timerRuns = {0};
        int[] readerRanAfter = {-1};
        loop.addReader(ready, () -> {
            ready.read();
            readerRanAfter[0] = timerRuns[0];
            loop.removeReader(ready);
        });
        Callback[] rearm = new Callback[1];
        rearm[0] = () -> {
            if (timerRuns[0] == 0) {
                ready.write(1);   // ready from now on: the next select reports it
            }
            // Bounded, so that a failing loop ends instead of spinning forever.
            if (++timerRuns[0] < 100_000 && readerRanAfter[0] < 0) {
                loop.callAt(loop.time(), rearm[0]);
            }
        };
        loop.callAt(loop.time(), rearm[0]);
        runUntil(() -> readerRanAfter[0] >= 0, Duration.ofSeconds(10), "the reader");
        assertTrue(readerRanAfter[0] <= 3, "the ready reader ran only after " + readerRanAfter[0] + " runs of a re-arming timer");
        int runs = timerRuns[0];
        runFor(Duration.ofMillis(20));
        assertTrue(timerRuns[0] <= runs + 1, "the timer stops re-arming once the reader ran");
    }

    @Test
    void negativeAndHugeDelaysAreSafe() throws Exception {
        boolean[] ran = {false};
        loop.callLater(Duration.ofMillis(-5), () -> ran[0] = true);
        loop.runOnce();
        assertTrue(ran[0], "a negative delay means: at the next timer check");

        Handle far = loop.callLater(Duration.ofSeconds(Long.MAX_VALUE), () -> {
        });
        assertTrue(far.deadline() - System.nanoTime() > Duration.ofDays(365).toNanos(), "saturated, not overflowed into the past");
        Handle farEvery = loop.callEvery(Duration.ofSeconds(Long.MAX_VALUE), () -> {
        });
        assertTrue(farEvery.deadline() - System.nanoTime() > Duration.ofDays(365).toNanos());
        boolean[] other = {false};
        loop.callSoon(() -> other[0] = true);
        loop.callSoon(loop::stop);
        long start = System.nanoTime();
        loop.runForever();   // one iteration: the far timers are not due
        assertTrue(other[0]);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos());
        assertEquals(2, loop.counts()[1], "both far timers wait");
        far.cancel();
        farEvery.cancel();
    }

    @Test
    void callEveryRefusesANonPositivePeriod() {
        assertThrowsWithMessage(IllegalArgumentException.class, "PT0S", () -> loop.callEvery(Duration.ZERO, () -> {
        }));
        assertThrowsWithMessage(IllegalArgumentException.class, "PT-1S", () -> loop.callEvery(Duration.ofSeconds(-1), () -> {
        }));
    }

    @Test
    void cancelledTimersArePurgedWhenTheyPileUp() throws Exception {
        List<Handle> handles = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            handles.add(loop.callLater(Duration.ofHours(1).plusMillis(i), () -> {
            }));
        }
        assertEquals(10_000, loop.counts()[1]);
        for (int i = 0; i < 9_000; i++) {
            handles.get(i).cancel();
        }
        int size = loop.counts()[1];
        assertTrue(size <= 2_000, size + " timers held for 1,000 live ones: cancelled timers were not purged");
        assertTrue(size >= 1_000);
        for (int i = 9_000; i < 10_000; i++) {
            handles.get(i).cancel();
        }
        long start = System.nanoTime();
        loop.runOnce();   // only cancelled timers: nothing to wait for
        assertTrue(System.nanoTime() - start < Duration.ofMillis(100).toNanos(), "runOnce waited for a cancelled timer");
        assertEquals(0, loop.counts()[1], "no timer left");
    }

    /** After purges, the survivors still come due in deadline, then scheduling, order. */
    @Test
    void purgingKeepsTheOrderOfTheSurvivors() throws Exception {
        Random random = new Random(3);
        long now = System.nanoTime();
        record Timer(int index, long deadline, Handle handle) {
        }
        List<Timer> timers = new ArrayList<>();
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            int n = i;
            long deadline = now - 1_000L * random.nextInt(50);
            timers.add(new Timer(n, deadline, loop.callAt(deadline, () -> ran.add(n))));
        }
        List<Timer> survivors = new ArrayList<>();
        for (Timer timer : timers) {
            if (random.nextInt(4) == 0) {
                survivors.add(timer);
            } else {
                timer.handle().cancel();
            }
        }
        assertTrue(loop.counts()[1] < 3_000, "purged");
        loop.runOnce();
        assertEquals(survivors.stream().sorted(Comparator.comparingLong(Timer::deadline)).map(Timer::index).collect(Collectors.toList()), ran);
    }

    @Test
    void cancellingATimerThatAlreadyRanIsHarmless() throws Exception {
        boolean[] ran = {false};
        Handle once = loop.callLater(Duration.ZERO, () -> ran[0] = true);
        loop.runOnce();
        assertTrue(ran[0]);
        once.cancel();
        assertTrue(once.isCancelled());
        assertFalse(once.isRepeating());
        // Random other timers still work.
        int[] count = {0};
        for (int i = 0; i < 10; i++) {
            loop.callLater(Duration.ofMillis(ThreadLocalRandom.current().nextInt(3)), () -> count[0]++);
        }
        runUntil(() -> count[0] == 10, Duration.ofSeconds(5), "ten timers");
    }
}
