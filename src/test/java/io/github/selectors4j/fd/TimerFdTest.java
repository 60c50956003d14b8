package io.github.selectors4j.fd;

import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.selectors.EpollSelector;
import io.github.selectors4j.selectors.ReadyKey;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.OpenFds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link TimerFd} on the real kernel: one-shot, periodic and absolute timers seen through epoll. */
class TimerFdTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    @Test
    void aOneShotTimerMakesTheFdReadableOnce() throws Exception {
        TimerFd timer = closer.add(TimerFd.open());
        EpollSelector selector = closer.add(EpollSelector.open());
        selector.register(timer, EVENT_READ, "timer");
        assertEquals(0, timer.read(), "never armed, non-blocking: 0");
        assertEquals(Duration.ZERO, timer.remaining(), "disarmed");

        timer.schedule(Duration.ofSeconds(10));
        Duration remaining = timer.remaining();
        assertTrue(remaining.compareTo(Duration.ofSeconds(9)) > 0 && remaining.compareTo(Duration.ofSeconds(10)) <= 0, remaining.toString());
        assertEquals(Duration.ZERO, timer.interval(), "one-shot");
        assertTrue(selector.select(Duration.ZERO).isEmpty(), "not expired yet");

        timer.schedule(Duration.ofMillis(30));   // replaces the 10 s setting
        assertTrue(timer.remaining().compareTo(Duration.ofMillis(30)) <= 0, timer.remaining().toString());
        List<ReadyKey> ready = selector.select(Duration.ofSeconds(5));
        assertEquals(1, ready.size(), "expired within 5 s: " + ready);
        assertEquals("timer", ready.get(0).key().data());
        assertEquals(1, timer.read());
        assertEquals(0, timer.read(), "the count resets on read");
        assertEquals(Duration.ZERO, timer.remaining(), "a one-shot timer disarms when it expires");
        assertTrue(selector.select(Duration.ofMillis(30)).isEmpty(), "no second expiry");
    }

    @Test
    void aPeriodicTimerCountsExpirationsAndAZeroInitialDelayStillArmsIt() throws Exception {
        TimerFd timer = closer.add(TimerFd.open());
        EpollSelector selector = closer.add(EpollSelector.open());
        selector.register(timer, EVENT_READ);

        timer.schedule(Duration.ZERO, Duration.ofMillis(2));
        assertEquals(Duration.ofMillis(2), timer.interval());
        assertEquals(1, selector.select(Duration.ofSeconds(5)).size(), "a zero initial delay expires at once, it does not disarm");
        assertTrue(timer.read() >= 1);
        Thread.sleep(40);   // lets time pass, not a wait for readiness: the kernel counts the periods
        long expirations = timer.read();
        assertTrue(expirations >= 10, "40 ms at 2 ms periods: " + expirations);

        timer.cancel();
        assertEquals(Duration.ZERO, timer.remaining());
        assertEquals(Duration.ZERO, timer.interval());
        timer.read();   // an expiry may have landed between the last read and the cancel
        assertTrue(selector.select(Duration.ofMillis(30)).isEmpty(), "cancelled: no more expiries");
        assertEquals(0, timer.read());
    }

    @Test
    void durationsReachTheKernelExactly() throws Exception {
        TimerFd timer = closer.add(TimerFd.open());
        Duration delay = Duration.ofSeconds(1000, 123_456_789);
        Duration period = Duration.ofSeconds(3, 5);
        timer.schedule(delay, period);
        assertEquals(period, timer.interval(), "to the nanosecond");
        Duration remaining = timer.remaining();
        assertTrue(remaining.compareTo(delay) <= 0 && remaining.compareTo(delay.minusSeconds(10)) > 0, remaining.toString());

        timer.schedule(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999));
        assertTrue(timer.remaining().toDays() > 200 * 365, "the kernel saturates, it does not wrap: " + timer.remaining());
    }

    @Test
    void badDurationsAreRefused() throws Exception {
        TimerFd timer = closer.add(TimerFd.open());
        assertThrowsWithMessage(IllegalArgumentException.class, "initial delay must not be negative: PT-0.001S",
                () -> timer.schedule(Duration.ofMillis(-1)));
        assertThrowsWithMessage(IllegalArgumentException.class, "period must not be negative: PT-1S",
                () -> timer.schedule(Duration.ofSeconds(1), Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> timer.schedule(null));
        assertEquals(Duration.ZERO, timer.remaining(), "a refused schedule leaves the timer disarmed");
    }

    @Test
    void scheduleAtUsesWallClockTimeOnARealtimeTimerOnly() throws Exception {
        TimerFd realtime = closer.add(TimerFd.open(TimerFd.Clock.REALTIME));
        EpollSelector selector = closer.add(EpollSelector.open());
        selector.register(realtime, EVENT_READ);

        realtime.scheduleAt(Instant.now().plusSeconds(3600));
        assertTrue(realtime.remaining().compareTo(Duration.ofMinutes(59)) > 0, realtime.remaining().toString());
        realtime.scheduleAt(Instant.now().plusMillis(40));
        assertEquals(1, selector.select(Duration.ofSeconds(5)).size());
        assertEquals(1, realtime.read());
        realtime.scheduleAt(Instant.EPOCH);
        assertEquals(1, selector.select(Duration.ofSeconds(5)).size(), "a past deadline expires at once");
        assertEquals(1, realtime.read());
        assertThrowsWithMessage(IllegalArgumentException.class, "before 1970",
                () -> realtime.scheduleAt(Instant.parse("1969-12-31T23:59:59Z")));

        TimerFd monotonic = closer.add(TimerFd.open());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> monotonic.scheduleAt(Instant.now()));
        assertTrue(e.getMessage().contains("Clock.REALTIME") && e.getMessage().contains("MONOTONIC"), e.getMessage());
    }

    @Test
    void everyClockOpensAndFlagsAreUsedAsGiven() throws Exception {
        for (TimerFd.Clock clock : TimerFd.Clock.values()) {
            try (TimerFd timer = TimerFd.open(clock)) {
                assertEquals(clock, timer.clock());
                assertTrue(Fds.isNonBlocking(timer.fileno()), clock.toString());
                assertTrue(Fds.isCloseOnExec(timer.fileno()), clock.toString());
                assertEquals("anon_inode:[timerfd]", OpenFds.target(timer.fileno()));
            }
        }
        try (TimerFd blocking = TimerFd.open(TimerFd.Clock.MONOTONIC, TimerFd.TFD_CLOEXEC)) {
            assertFalse(Fds.isNonBlocking(blocking.fileno()));
            assertTrue(Fds.isCloseOnExec(blocking.fileno()));
            blocking.schedule(Duration.ofMillis(20));
            assertEquals(1, blocking.read(), "a blocking read waits for the expiry");
        }
        try (TimerFd plain = TimerFd.open(TimerFd.Clock.MONOTONIC, 0)) {
            assertFalse(Fds.isNonBlocking(plain.fileno()));
            assertFalse(Fds.isCloseOnExec(plain.fileno()));
        }
        assertEquals(1, TimerFd.Clock.MONOTONIC.id());
        assertEquals(0, TimerFd.Clock.REALTIME.id());
        assertEquals(7, TimerFd.Clock.BOOTTIME.id());
    }

    @Test
    void useAfterCloseIsRefused() throws Exception {
        TimerFd timer = TimerFd.open();
        timer.schedule(Duration.ofSeconds(10));
        timer.close();
        timer.close();
        assertTrue(timer.isClosed());
        assertEquals("TimerFd[closed]", timer.toString());
        assertEquals("TimerFd is closed", assertThrows(AlreadyClosedException.class, timer::read).getMessage());
        assertThrows(AlreadyClosedException.class, () -> timer.schedule(Duration.ofSeconds(1)));
        assertThrows(AlreadyClosedException.class, timer::cancel);
        assertThrows(AlreadyClosedException.class, timer::remaining);
        assertThrows(AlreadyClosedException.class, timer::fileno);
    }
}
