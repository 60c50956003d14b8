package io.github.selectors4j.fd;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.LinuxFdCalls;
import io.github.selectors4j.internal.NativeBuffer;
import io.github.selectors4j.internal.Platform;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A Linux timerfd: a kernel timer that makes its fd readable when it expires, so that timeouts
 * live in the same selector as the I/O they bound.
 *
 * <pre>{@code
 * try (TimerFd timer = TimerFd.open()) {
 *     timer.schedule(Duration.ofMillis(100), Duration.ofSeconds(1));  // after 100 ms, then every second
 *     selector.register(timer, BaseSelector.EVENT_READ, "tick");
 *     selector.select(null);
 *     long expirations = timer.read();   // how many periods passed since the last read, here 1
 * }
 * }</pre>
 *
 * <p>Durations are given to the kernel exactly, to the nanosecond, and must not be negative. A
 * timer is armed by {@link #schedule} or {@link #scheduleAt} (each replaces the previous setting)
 * and disarmed by {@link #cancel()}. Non-blocking by default: {@link #read()} returns 0 when the
 * timer has not expired since the last read.
 *
 * <p>Thread-safe: any thread may schedule, read or cancel.
 */
public final class TimerFd extends GuardedFd {

    /** The clock a timer measures. */
    public enum Clock {
        /** {@code CLOCK_MONOTONIC}: steady time that does not count suspend; the usual choice. */
        MONOTONIC(1),
        /** {@code CLOCK_REALTIME}: wall-clock time; the only clock {@link #scheduleAt} accepts. */
        REALTIME(0),
        /** {@code CLOCK_BOOTTIME}: like {@code MONOTONIC}, but also counts time the system was suspended. */
        BOOTTIME(7);

        private final int id;

        Clock(int id) {
            this.id = id;
        }

        /**
         * The Linux clock id.
         *
         * @return e.g. 1 for {@code CLOCK_MONOTONIC}
         */
        public int id() {
            return id;
        }
    }

    /** Non-blocking mode (the default of {@link #open()}). */
    public static final int TFD_NONBLOCK = Platform.CURRENT.oNonBlock();
    /** Close-on-exec (always set by {@link #open()}). */
    public static final int TFD_CLOEXEC = Platform.CURRENT.oCloexec();
    /** {@code timerfd_settime} flag: the expiry is an absolute time of the clock. */
    public static final int TFD_TIMER_ABSTIME = 1;

    private static final String NAME = "TimerFd";
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** {@code struct timespec} is {time_t tv_sec; long tv_nsec}, both {@code long} on Linux. */
    private static final int FIELD = Platform.CURRENT.longSize();
    /** {@code struct itimerspec} is {it_interval; it_value}, in that order. */
    private static final int INTERVAL = 0;
    private static final int VALUE = 2 * FIELD;
    private static final int ITIMERSPEC_SIZE = 4 * FIELD;

    private final Clock clock;
    /** Separate buffers and locks, so that a blocking read cannot hold up a re-arm from another thread. */
    private final NativeBuffer readBuffer = new NativeBuffer(8);
    private final NativeBuffer specBuffer = new NativeBuffer(ITIMERSPEC_SIZE);

    private TimerFd(int fd, Clock clock) {
        super(NAME, fd);
        this.clock = clock;
    }

    /**
     * Opens a disarmed {@code CLOCK_MONOTONIC} timer, non-blocking and close-on-exec.
     *
     * @return the timer
     * @throws ErrnoException e.g. {@code EMFILE}
     */
    public static TimerFd open() throws ErrnoException {
        return open(Clock.MONOTONIC);
    }

    /**
     * Opens a disarmed timer on the given clock, non-blocking and close-on-exec.
     *
     * @param clock the clock
     * @return the timer
     * @throws ErrnoException e.g. {@code EMFILE}
     */
    public static TimerFd open(Clock clock) throws ErrnoException {
        return open(clock, TFD_NONBLOCK | TFD_CLOEXEC);
    }

    /**
     * Opens a disarmed timer with exactly the given flags.
     *
     * @param clock the clock
     * @param flags {@link #TFD_NONBLOCK} and/or {@link #TFD_CLOEXEC}, used as given
     * @return the timer
     * @throws ErrnoException e.g. {@code EINVAL} for unknown flags
     */
    public static TimerFd open(Clock clock, int flags) throws ErrnoException {
        Objects.requireNonNull(clock, "clock");
        LinuxFdCalls.requireLinux(NAME);
        int fd = LinuxFdCalls.LIB.timerfd_create(clock.id(), flags);
        if (fd < 0) {
            throw Errno.last("timerfd_create", ErrnoException.NO_FD);
        }
        return new TimerFd(fd, clock);
    }

    /**
     * Arms a one-shot timer, replacing any previous setting.
     *
     * @param initialDelay how long from now; zero expires at once
     * @throws ErrnoException           if the kernel refuses
     * @throws IllegalArgumentException if the delay is negative
     */
    public void schedule(Duration initialDelay) throws ErrnoException {
        schedule(initialDelay, Duration.ZERO);
    }

    /**
     * Arms a timer that expires after {@code initialDelay} and then every {@code period},
     * replacing any previous setting.
     *
     * @param initialDelay how long from now until the first expiry; zero expires at once
     * @param period       the interval between later expiries; zero for a one-shot timer
     * @throws ErrnoException           if the kernel refuses
     * @throws IllegalArgumentException if either duration is negative
     */
    public void schedule(Duration initialDelay, Duration period) throws ErrnoException {
        checkNotNegative(initialDelay, "initial delay");
        checkNotNegative(period, "period");
        set(0, initialDelay.getSeconds(), initialDelay.getNano(), period);
    }

    /**
     * Arms a one-shot timer for an absolute wall-clock time, replacing any previous setting. A
     * deadline in the past expires at once.
     *
     * @param deadline when to expire
     * @throws ErrnoException           if the kernel refuses
     * @throws IllegalStateException    unless the timer is on {@link Clock#REALTIME}: the other clocks
     *                                  do not count from the epoch
     * @throws IllegalArgumentException if the deadline is before 1970 (the kernel takes no negative time)
     */
    public void scheduleAt(Instant deadline) throws ErrnoException {
        scheduleAt(deadline, Duration.ZERO);
    }

    /**
     * Arms a timer that first expires at an absolute wall-clock time and then every
     * {@code period}, replacing any previous setting.
     *
     * @param deadline the first expiry
     * @param period   the interval between later expiries; zero for a one-shot timer
     * @throws ErrnoException           if the kernel refuses
     * @throws IllegalStateException    unless the timer is on {@link Clock#REALTIME}
     * @throws IllegalArgumentException if the deadline is before 1970 or the period negative
     */
    public void scheduleAt(Instant deadline, Duration period) throws ErrnoException {
        Objects.requireNonNull(deadline, "deadline");
        checkNotNegative(period, "period");
        if (clock != Clock.REALTIME) {
            throw new IllegalStateException("scheduleAt needs a Clock.REALTIME timer: an Instant is wall-clock time, "
                    + "but this timer measures " + clock);
        }
        if (deadline.getEpochSecond() < 0) {
            throw new IllegalArgumentException("deadline before 1970-01-01T00:00:00Z: " + deadline);
        }
        set(TFD_TIMER_ABSTIME, deadline.getEpochSecond(), deadline.getNano(), period);
    }

    /**
     * Disarms the timer; it will not expire until scheduled again. Expirations already counted stay
     * readable.
     *
     * @throws ErrnoException if the kernel refuses
     */
    public void cancel() throws ErrnoException {
        guard.enter();
        try {
            synchronized (specBuffer) {
                specBuffer.pointer().setMemory(0, ITIMERSPEC_SIZE, (byte) 0);
                settime(0);
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * The time until the next expiry ({@code timerfd_gettime}).
     *
     * @return a positive duration while armed; {@link Duration#ZERO} when disarmed (a one-shot timer
     *         is disarmed once it has expired)
     * @throws ErrnoException if the kernel refuses
     */
    public Duration remaining() throws ErrnoException {
        return gettime(VALUE);
    }

    /**
     * The period of the current setting ({@code timerfd_gettime}).
     *
     * @return the period; {@link Duration#ZERO} for a one-shot or disarmed timer
     * @throws ErrnoException if the kernel refuses
     */
    public Duration interval() throws ErrnoException {
        return gettime(INTERVAL);
    }

    /**
     * The clock this timer measures.
     *
     * @return the clock given to {@code open}
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Reads and resets the number of expirations since the last read (or since it was armed).
     * Allocates nothing.
     *
     * @return the expirations, at least 1; 0 if there were none and the timer is non-blocking
     * @throws ErrnoException any failure but {@code EAGAIN}
     */
    public long read() throws ErrnoException {
        return readCounter(readBuffer);
    }

    private void set(int flags, long valueSeconds, int valueNanos, Duration period) throws ErrnoException {
        if (valueSeconds == 0 && valueNanos == 0) {
            // An all-zero it_value means "disarm" to the kernel, so "expire now" (or "now, then every
            // period") would silently do nothing. One nanosecond is in the past by the time the kernel
            // looks, so the timer expires at once, as asked.
            valueNanos = 1;
        }
        guard.enter();
        try {
            synchronized (specBuffer) {
                putTimespec(INTERVAL, period.getSeconds(), period.getNano());
                putTimespec(VALUE, valueSeconds, valueNanos);
                settime(flags);
            }
        } finally {
            guard.exit();
        }
    }

    /** Caller holds the guard and the buffer's lock. */
    private void settime(int flags) throws ErrnoException {
        if (LinuxFdCalls.LIB.timerfd_settime(fd, flags, specBuffer.address(), 0) < 0) {
            throw Errno.last("timerfd_settime", fd);
        }
    }

    private Duration gettime(int offset) throws ErrnoException {
        guard.enter();
        try {
            synchronized (specBuffer) {
                if (LinuxFdCalls.LIB.timerfd_gettime(fd, specBuffer.address()) < 0) {
                    throw Errno.last("timerfd_gettime", fd);
                }
                return Duration.ofSeconds(getField(offset), getField(offset + FIELD));
            }
        } finally {
            guard.exit();
        }
    }

    private void putTimespec(int offset, long seconds, long nanos) {
        if (FIELD == 8) {
            specBuffer.putLong(offset, seconds);
            specBuffer.putLong(offset + FIELD, nanos);
        } else {
            // A 32-bit time_t: clamp rather than wrap, so a long delay stays long (until 2038).
            specBuffer.putInt(offset, (int) Math.min(seconds, Integer.MAX_VALUE));
            specBuffer.putInt(offset + FIELD, (int) nanos);
        }
    }

    private long getField(int offset) {
        return FIELD == 8 ? specBuffer.getLong(offset) : specBuffer.getInt(offset);
    }

    private static void checkNotNegative(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + duration);
        }
    }

    @Override
    void release() {
        readBuffer.free();
        specBuffer.free();
        Fds.closeOwned(fd);
    }

    @Override
    String details() {
        return ", clock=" + clock;
    }
}
