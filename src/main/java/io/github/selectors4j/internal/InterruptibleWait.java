package io.github.selectors4j.internal;

import io.github.selectors4j.ErrnoException;
import java.util.concurrent.TimeUnit;

/**
 * One attempt of a blocking kernel wait ({@code epoll_wait}, {@code poll}, {@code select},
 * {@code kevent}), and the loop that turns attempts into a wait with Python's guarantees.
 *
 * <p>PEP 475: a signal that interrupts the wait ({@code EINTR}) is not an error; the wait resumes
 * with the time that remains. A wait also resumes when the kernel returns "nothing ready" before
 * the deadline, which happens when the timeout exceeded what one call can express. So a timed
 * wait never returns early and never raises {@code EINTR}.
 *
 * <p>The loop converts the remaining time to the kernel's unit itself, rounding up, so that every
 * facility rounds the same way and {@link WaitAttempts} can show tests the argument each attempt
 * passes to the kernel. Rounding that was lost would not make a wait end early (the loop waits
 * again for what remains) but would make it spin: a 0.5 ms wait truncated to a 0 ms
 * {@code poll} is a busy loop until the deadline.
 *
 * <p>Implementations are long-lived objects (usually the wrapper itself), so a wait allocates
 * nothing.
 */
@FunctionalInterface
public interface InterruptibleWait {

    /**
     * Waits once.
     *
     * @param kernelTimeout the kernel's timeout argument, in the unit given to {@link #await}, already
     *                      rounded up; negative means forever, zero means poll
     * @return the number of ready entries ({@code >= 0}), or minus the errno on failure
     */
    int attempt(long kernelTimeout);

    /**
     * Waits until something is ready or the timeout passes, retrying {@code EINTR}.
     *
     * @param wait         the attempt to repeat
     * @param timeoutNanos the timeout; negative means forever, zero means poll
     * @param kernelUnit   the unit of the kernel's timeout argument: milliseconds ({@code poll},
     *                     {@code epoll_wait}, capped at {@code INT_MAX}), microseconds
     *                     ({@code select}'s {@code timeval}) or nanoseconds ({@code kevent}'s
     *                     {@code timespec})
     * @param call         the system call's name, for the error
     * @param fd           the fd the wait is on, for the error
     * @return the number of ready entries, 0 on timeout
     * @throws ErrnoException any failure other than {@code EINTR}
     */
    static int await(InterruptibleWait wait, long timeoutNanos, TimeUnit kernelUnit, String call, int fd)
            throws ErrnoException {
        if (timeoutNanos <= 0 || Timeouts.isEffectivelyForever(timeoutNanos)) {
            long kernelTimeout = timeoutNanos == 0 ? 0 : Timeouts.FOREVER;
            for (;;) {
                WaitAttempts.attempting(call, kernelTimeout);
                int result = wait.attempt(kernelTimeout);
                if (result >= 0) {
                    return result;
                }
                if (-result != Errno.EINTR) {
                    throw Errno.exception(call, -result, fd);
                }
            }
        }
        long deadline = System.nanoTime() + timeoutNanos;
        long remaining = timeoutNanos;
        for (;;) {
            long kernelTimeout = Timeouts.toKernelUnitRoundedUp(remaining, kernelUnit);
            WaitAttempts.attempting(call, kernelTimeout);
            int result = wait.attempt(kernelTimeout);
            if (result > 0) {
                return result;
            }
            if (result < 0 && -result != Errno.EINTR) {
                throw Errno.exception(call, -result, fd);
            }
            remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return 0;
            }
        }
    }
}
