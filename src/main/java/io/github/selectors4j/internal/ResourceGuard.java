package io.github.selectors4j.internal;

import io.github.selectors4j.AlreadyClosedException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a native resource (an fd, native memory) alive while any call is using it, so that
 * {@code close()} from another thread can never free memory the kernel is still writing into, nor
 * close an fd number that a blocked call would then find reused by an unrelated file.
 *
 * <p>Every native operation brackets itself with {@link #enter} and {@link #exit()}; a blocking wait
 * uses {@link #enterWaiter} and {@link #exitWaiter()}, which also refuse a second concurrent wait
 * (two waits would share one native result array). {@link #close()} marks the resource closed.
 * Whoever leaves last after the mark, the closer or the final user, gets {@code true} and must
 * release the resource. Allocation-free: one atomic integer.
 *
 * <pre>{@code
 * guard.enter("Epoll");
 * try {
 *     ... use fd and memory ...
 * } finally {
 *     if (guard.exit()) release();
 * }
 * }</pre>
 */
public final class ResourceGuard {

    private static final int CLOSED = 0x8000_0000;
    private static final int WAITER = 0x4000_0000;
    private static final int USERS = 0x3fff_ffff;

    private final AtomicInteger state = new AtomicInteger();

    /**
     * Registers a user.
     *
     * @param what the resource's name, for the exception
     * @throws AlreadyClosedException if the resource is closed
     */
    public void enter(String what) {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                throw new AlreadyClosedException(what);
            }
            if (state.compareAndSet(s, s + 1)) {
                return;
            }
        }
    }

    /**
     * Deregisters a user.
     *
     * @return true if the resource was closed meanwhile and this was the last user: release it now
     */
    public boolean exit() {
        return state.decrementAndGet() == CLOSED;
    }

    /**
     * Registers the (single) waiter.
     *
     * @param what the resource's name, for the exception
     * @throws AlreadyClosedException if the resource is closed
     * @throws IllegalStateException  if another thread is already waiting
     */
    public void enterWaiter(String what) {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                throw new AlreadyClosedException(what);
            }
            if ((s & WAITER) != 0) {
                throw new IllegalStateException("concurrent wait on " + what + ": only one thread may wait at a time");
            }
            if (state.compareAndSet(s, (s + 1) | WAITER)) {
                return;
            }
        }
    }

    /**
     * Deregisters the waiter.
     *
     * @return true if the resource was closed meanwhile and this was the last user: release it now
     */
    public boolean exitWaiter() {
        return state.addAndGet(-(WAITER + 1)) == CLOSED;
    }

    /**
     * Marks the resource closed.
     *
     * @return true if no call is using it: release it now; false if it was already closed, or if a
     *         user will release it on exit
     */
    public boolean close() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s | CLOSED)) {
                return (s & USERS) == 0;
            }
        }
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return the closed mark
     */
    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }
}
