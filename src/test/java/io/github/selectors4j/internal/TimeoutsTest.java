package io.github.selectors4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Timeout conversions round up, saturate, and keep "forever" distinct. */
class TimeoutsTest {

    @Test
    void millisecondsRoundUp() {
        assertEquals(-1, Timeouts.toMillisRoundedUp(Timeouts.FOREVER));
        assertEquals(0, Timeouts.toMillisRoundedUp(0));
        assertEquals(1, Timeouts.toMillisRoundedUp(1));
        assertEquals(1, Timeouts.toMillisRoundedUp(1_000_000));
        assertEquals(2, Timeouts.toMillisRoundedUp(1_000_001));
        assertEquals(Integer.MAX_VALUE, Timeouts.toMillisRoundedUp(Long.MAX_VALUE / 4), "capped; the wait loops for the rest");
    }

    @Test
    void microsecondsRoundUp() {
        assertEquals(0, Timeouts.toMicrosRoundedUp(0));
        assertEquals(1, Timeouts.toMicrosRoundedUp(1));
        assertEquals(2, Timeouts.toMicrosRoundedUp(1_001));
    }

    @Test
    void kernelUnitsRoundUpAndKeepForever() {
        assertEquals(2, Timeouts.toKernelUnitRoundedUp(1_000_001, TimeUnit.MILLISECONDS));
        assertEquals(2, Timeouts.toKernelUnitRoundedUp(1_001, TimeUnit.MICROSECONDS));
        assertEquals(1_001, Timeouts.toKernelUnitRoundedUp(1_001, TimeUnit.NANOSECONDS));
        for (TimeUnit unit : new TimeUnit[] {TimeUnit.MILLISECONDS, TimeUnit.MICROSECONDS, TimeUnit.NANOSECONDS}) {
            assertEquals(-1, Timeouts.toKernelUnitRoundedUp(Timeouts.FOREVER, unit), unit.toString());
            assertEquals(0, Timeouts.toKernelUnitRoundedUp(0, unit), unit.toString());
        }
        assertThrows(IllegalArgumentException.class, () -> Timeouts.toKernelUnitRoundedUp(1, TimeUnit.SECONDS));
    }

    @Test
    void hugeDurationsMeanForever() {
        assertEquals(Timeouts.FOREVER, Timeouts.toNanos(Duration.ofDays(365L * 1000)));
        assertEquals(1_500_000, Timeouts.toNanos(Duration.ofNanos(1_500_000)));
        assertTrue(Timeouts.isEffectivelyForever(Long.MAX_VALUE));
    }
}
