package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.testing.Waiters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The order of one iteration, as {@link EventLoop}'s class documentation lists it: queued callbacks
 * in FIFO order, one generation per iteration; timers by deadline, then scheduling order; stop()
 * ending the loop after the current iteration.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventLoopOrderingTest extends AllBackendsLoopTest {

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().collect(Collectors.toList());
    }

    @Test
    void callSoonRunsInFifoOrder() throws Exception {
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            loop.callSoon(() -> ran.add(n));
        }
        loop.runOnce();
        assertEquals(range(0, 1000), ran);
    }

    @Test
    void callbacksQueuedDuringAnIterationRunInTheNextOne() throws Exception {
        List<String> ran = new ArrayList<>();
        loop.callSoon(() -> {
            ran.add("a");
            loop.callSoon(() -> {
                ran.add("c");
                loop.callSoon(() -> ran.add("e"));
            });
            loop.callSoonThreadsafe(() -> ran.add("d"));   // from the loop's own thread: also the next iteration
        });
        loop.callSoon(() -> ran.add("b"));

        loop.runOnce();
        assertEquals(List.of("a", "b"), ran, "the first iteration runs only the first generation");
        long start = System.nanoTime();
        loop.runOnce();
        assertEquals(List.of("a", "b", "c", "d"), ran, "the second runs the second generation, in the order it was queued");
        loop.runOnce();
        assertEquals(List.of("a", "b", "c", "d", "e"), ran);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos(), "with callbacks waiting, the loop does not block");
        assertEquals(0, loop.counts()[2], "nothing queued any more");
    }

    @Test
    void cancelledCallbacksDoNotRun() throws Exception {
        List<String> ran = new ArrayList<>();
        Handle[] second = new Handle[1];
        loop.callSoon(() -> {
            ran.add("first");
            second[0].cancel();   // same generation, queued behind this one
        });
        second[0] = loop.callSoon(() -> ran.add("second"));
        Handle third = loop.callSoon(() -> ran.add("third"));
        third.cancel();
        loop.runOnce();
        assertEquals(List.of("first"), ran);
        assertTrue(second[0].isCancelled());
        assertEquals(Long.MIN_VALUE, second[0].deadline(), "a callSoon handle has no deadline");
    }

    @Test
    void callLaterRunsTimersInDeadlineOrder() throws Exception {
        List<Integer> ran = new ArrayList<>();
        for (int delay : new int[] {30, 10, 50, 20, 40}) {
            loop.callLater(Duration.ofMillis(delay), () -> ran.add(delay));
        }
        runUntil(() -> ran.size() == 5, Duration.ofSeconds(5), "five timers");
        assertEquals(List.of(10, 20, 30, 40, 50), ran);
    }

    @Test
    void equalDeadlinesRunInSchedulingOrder() throws Exception {
        long base = System.nanoTime() + Duration.ofMillis(20).toNanos();
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            loop.callAt(base, () -> ran.add(n));
        }
        runUntil(() -> ran.size() == 100, Duration.ofSeconds(5), "100 timers of one deadline");
        assertEquals(range(0, 100), ran);
    }

    /** Many timers over few distinct deadlines, all due in one batch: a stable sort by deadline. */
    @Test
    void oneBatchOfDueTimersRunsSortedByDeadlineThenSchedulingOrder() throws Exception {
        Random random = new Random(7);
        long now = System.nanoTime();
        record Timer(int index, long deadline) {
        }
        List<Timer> scheduled = new ArrayList<>();
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int n = i;
            long deadline = now - 1_000_000L * random.nextInt(5);   // five deadlines, all past
            scheduled.add(new Timer(n, deadline));
            loop.callAt(deadline, () -> ran.add(n));
        }
        loop.runOnce();
        List<Integer> expected = scheduled.stream().sorted(Comparator.comparingLong(Timer::deadline))   // stable
                .map(Timer::index).collect(Collectors.toList());
        assertEquals(expected, ran);
    }

    @Test
    void aTimerMayCancelAnotherTimerDueInTheSameBatch() throws Exception {
        long past = System.nanoTime() - 1;
        List<String> ran = new ArrayList<>();
        Handle[] victims = new Handle[2];
        loop.callAt(past - 10, () -> {
            ran.add("canceller");
            victims[0].cancel();
            victims[1].cancel();
        });
        victims[0] = loop.callAt(past - 10, () -> ran.add("same deadline"));
        victims[1] = loop.callAt(past, () -> ran.add("later deadline"));
        loop.callAt(past, () -> ran.add("survivor"));
        loop.runOnce();
        assertEquals(List.of("canceller", "survivor"), ran);
        assertEquals(0, loop.counts()[1], "no timer left");
    }

    @Test
    void stopInsideACallbackEndsRunForeverAfterTheCurrentIteration() throws Exception {
        List<String> ran = new ArrayList<>();
        EventFd idle = closer.add(EventFd.open());
        loop.addReader(idle, () -> ran.add("never: nothing is written"));   // would block an idle loop
        loop.callSoon(() -> {
            ran.add("stopper");
            loop.stop();
            loop.callSoon(() -> ran.add("next iteration"));
        });
        loop.callSoon(() -> ran.add("same generation"));
        loop.callAt(System.nanoTime() - 1, () -> ran.add("due timer"));   // the timer step of this iteration

        long start = System.nanoTime();
        loop.runForever();
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos(), "stopping does not wait for the idle fd");
        assertEquals(List.of("stopper", "same generation", "due timer"), ran);
        assertFalse(loop.isRunning());

        assertTrue(loop.removeReader(idle));   // else runOnce would go on to wait for it
        loop.runOnce();
        assertEquals(List.of("stopper", "same generation", "due timer", "next iteration"), ran,
                "the callback queued after stop() is kept for the next run");
    }

    @Test
    void stopFromAnotherThreadEndsRunForever() throws Exception {
        EventFd idle = closer.add(EventFd.open());
        loop.addReader(idle, () -> {
        });
        Thread loopThread = Thread.currentThread();
        AtomicReference<Throwable> notBlocked = new AtomicReference<>();
        Thread stopper = new Thread(() -> {
            try {
                Waiters.awaitBlockedInKernelWait(loopThread);   // so that stop() must wake a blocked wait
            } catch (Throwable e) {
                notBlocked.set(e);
            }
            loop.stop();
        });
        stopper.start();
        long start = System.nanoTime();
        loop.runForever();
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
        stopper.join();
        assertNull(notBlocked.get(), "the loop never blocked in its wait");
        loop.removeReader(idle);
    }

    /** The condition is checked before the loop would block: a callback making it true ends the run at once. */
    @Test
    void runUntilReturnsWhenACallbackMakesItsConditionTrue() throws Exception {
        EventFd idle = closer.add(EventFd.open());
        loop.addReader(idle, () -> {
        });   // nothing else would ever wake the loop
        boolean[] done = {false};
        loop.callSoon(() -> loop.callSoon(() -> done[0] = true));
        long start = System.nanoTime();
        Handle guard = loop.callLater(Duration.ofSeconds(5), () -> {
        });   // so that a failure ends after 5 s instead of never
        loop.runUntil(() -> done[0]);
        long elapsed = System.nanoTime() - start;
        guard.cancel();
        assertTrue(done[0]);
        assertTrue(elapsed < Duration.ofSeconds(1).toNanos(), "runUntil waited " + elapsed / 1_000_000 + " ms after its condition held");
        loop.removeReader(idle);
    }

    @Test
    void runOnceWithNothingToDoReturnsAtOnce() throws Exception {
        Handle cancelled = loop.callLater(Duration.ofHours(1), () -> {
        });
        cancelled.cancel();
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            loop.runOnce();
            long elapsed = System.nanoTime() - start;
            assertTrue(elapsed < Duration.ofMillis(100).toNanos(), "runOnce of an idle loop took " + elapsed / 1000 + " µs");
        }
        assertEquals(0, loop.counts()[1], "the cancelled timer was dropped");
    }

    /** A caller stepping the loop gets it back after the work it asked for, even with fds watched. */
    @Test
    void runOnceThatRanCallbacksDoesNotWaitForIo() throws Exception {
        EventFd idle = closer.add(EventFd.open());
        loop.addReader(idle, () -> {
        });   // watched and never ready: a waiting select would block for good
        Handle guard = loop.callLater(Duration.ofSeconds(5), () -> {
        });   // so that a failure ends after 5 s instead of never
        List<String> ran = new ArrayList<>();
        loop.callSoon(() -> ran.add("work"));

        long start = System.nanoTime();
        loop.runOnce();
        long elapsed = System.nanoTime() - start;
        assertEquals(List.of("work"), ran);
        assertTrue(elapsed < Duration.ofSeconds(1).toNanos(), "runOnce waited " + elapsed / 1_000_000 + " ms after its callbacks");
        guard.cancel();
        loop.removeReader(idle);
    }

    /** As asyncio: stop() before runForever() makes it one iteration that polls, runs what is ready, and returns. */
    @Test
    void stopBeforeRunForeverRunsOneIterationWithoutWaiting() throws Exception {
        EventFd ready = closer.add(EventFd.open());
        EventFd idle = closer.add(EventFd.open());
        List<String> ran = new ArrayList<>();
        loop.addReader(ready, () -> {
            ran.add("reader");
            ready.read();
        });
        loop.addReader(idle, () -> ran.add("never: nothing is written"));
        ready.write(1);
        loop.callSoon(() -> ran.add("queued"));
        Handle guard = loop.callLater(Duration.ofSeconds(5), () -> ran.add("the guard timer: runForever waited"));

        loop.stop();
        loop.runForever();
        assertEquals(List.of("queued", "reader"), ran);
        assertFalse(loop.isRunning());
        guard.cancel();
        loop.removeReader(ready);
        loop.removeReader(idle);
    }
}
