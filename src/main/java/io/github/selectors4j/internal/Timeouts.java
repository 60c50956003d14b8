package io.github.selectors4j.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Timeout conversions. Internally a timeout is a {@code long} of nanoseconds where a negative value
 * means "wait forever" and zero means "do not wait". Conversions to a kernel's unit always round
 * <em>up</em>, so that a wait never ends before the time asked for (as CPython does since 3.5).
 */
public final class Timeouts {

    /** Nanoseconds value meaning "block until ready". */
    public static final long FOREVER = -1;

    /** Longer than this (about 146 years) is treated as forever, which also keeps deadlines from overflowing. */
    private static final long LONGEST_FINITE = Long.MAX_VALUE / 2;

    private Timeouts() {
    }

    /**
     * Converts a non-negative duration to nanoseconds, saturating instead of overflowing.
     *
     * @param timeout a non-null, non-negative duration (each API decides first what null and
     *                negative durations mean)
     * @return nanoseconds; {@link #FOREVER} for durations too long to represent
     */
    public static long toNanos(Duration timeout) {
        if (timeout.getSeconds() >= LONGEST_FINITE / 1_000_000_000L) {
            return FOREVER;
        }
        return timeout.toNanos();
    }

    /**
     * Whether a positive nanosecond count is so long that it means forever.
     *
     * @param nanos a timeout
     * @return true beyond about 146 years
     */
    public static boolean isEffectivelyForever(long nanos) {
        return nanos > LONGEST_FINITE;
    }

    /**
     * Milliseconds for {@code poll}/{@code epoll_wait}: rounded up, capped at {@code INT_MAX}
     * (about 24.8 days; the caller waits again if time remains), {@code -1} for forever.
     *
     * @param nanos a timeout in the internal convention
     * @return the kernel's timeout argument
     */
    public static int toMillisRoundedUp(long nanos) {
        if (nanos < 0) {
            return -1;
        }
        long millis = nanos / 1_000_000L + (nanos % 1_000_000L == 0 ? 0 : 1);
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }

    /**
     * A kernel's timeout argument in its unit: {@link #toMillisRoundedUp} for milliseconds,
     * {@link #toMicrosRoundedUp} for microseconds, unchanged for nanoseconds.
     *
     * @param nanos a timeout in the internal convention
     * @param unit  milliseconds, microseconds or nanoseconds
     * @return the argument; {@code -1} for forever
     * @throws IllegalArgumentException for another unit
     */
    public static long toKernelUnitRoundedUp(long nanos, TimeUnit unit) {
        if (nanos < 0) {
            return -1;
        }
        return switch (unit) {
            case MILLISECONDS -> toMillisRoundedUp(nanos);
            case MICROSECONDS -> toMicrosRoundedUp(nanos);
            case NANOSECONDS -> nanos;
            default -> throw new IllegalArgumentException("no kernel wait takes a timeout in " + unit);
        };
    }

    /**
     * Microseconds for {@code select}'s {@code timeval}, rounded up.
     *
     * @param nanos a non-negative timeout
     * @return microseconds
     */
    public static long toMicrosRoundedUp(long nanos) {
        return nanos / 1_000L + (nanos % 1_000L == 0 ? 0 : 1);
    }
}
