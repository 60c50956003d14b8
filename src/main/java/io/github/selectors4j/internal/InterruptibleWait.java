package io.github.selectors4j.internal;

import io.github.selectors4j.ErrnoException;

/**
 * One attempt of a blocking kernel wait ({@code epoll_wait}, {@code poll}, {@code select},
 * {@code kevent}), and the loop that turns attempts into a wait with Python's guarantees.
 *
 * <p>PEP 475: a signal that interrupts the wait ({@code EINTR}) is not an error; the wait resumes
 * with the time that remains. A wait also resumes when the kernel returns "nothing ready" before
 * the deadline, which happens when the timeout exceeded what one call can express. So a timed
 * wait never returns early and never raises {@code EINTR}.
 *
 * <p>Implementations are long-lived objects (usually the wrapper itself), so a wait allocates
 * nothing.
 */
@FunctionalInterface
public interface InterruptibleWait {

    /**
     * Waits once.
     *
     * @param timeoutNanos nanoseconds to wait at most; negative means forever, zero means poll
     * @return the number of ready entries ({@code >= 0}), or minus the errno on failure
     */
    int attempt(long timeoutNanos);

    /**
     * Waits until something is ready or the timeout passes, retrying {@code EINTR}.
     *
     * @param wait         the attempt to repeat
     * @param timeoutNanos the timeout; negative means forever, zero means poll
     * @param call         the system call's name, for the error
     * @param fd           the fd the wait is on, for the error
     * @return the number of ready entries, 0 on timeout
     * @throws ErrnoException any failure other than {@code EINTR}
     */
    static int await(InterruptibleWait wait, long timeoutNanos, String call, int fd) throws ErrnoException {
        if (timeoutNanos <= 0 || Timeouts.isEffectivelyForever(timeoutNanos)) {
            long kernelTimeout = timeoutNanos == 0 ? 0 : Timeouts.FOREVER;
            for (;;) {
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
            int result = wait.attempt(remaining);
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
