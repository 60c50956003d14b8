package io.github.selectors4j.internal;

import io.github.selectors4j.AlreadyClosedException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a native resource (an fd, native memory) alive while any call is using it, so that
 * {@code close()} from another thread can never free memory the kernel is still writing into, nor
 * close an fd number that a blocked call would then find reused by an unrelated file.
 *
 * <p>Every native operation brackets itself with {@link #enter()} and {@link #exit()}; a blocking
 * wait uses {@link #enterWaiter()} and {@link #exitWaiter()}, which also refuse a second concurrent
 * wait (two waits would share one native result array). {@link #close()} marks the resource
 * closed; whoever leaves last after the mark, the closer or the final user, runs the release
 * action, exactly once. Allocation-free on every call: one atomic integer.
 *
 * <pre>{@code
 * private final ResourceGuard guard = new ResourceGuard("Epoll", this::release);
 *
 * void ctl(...) {
 *     guard.enter();
 *     try {
 *         ... use fd and memory ...
 *     } finally {
 *         guard.exit();
 *     }
 * }
 * }</pre>
 */
public final class ResourceGuard {

    private static final int CLOSED = 0x8000_0000;
    private static final int WAITER = 0x4000_0000;
    private static final int USERS = 0x3fff_ffff;

    private final AtomicInteger state = new AtomicInteger();
    private final String name;
    private final Runnable release;

    /**
     * Creates the guard of one resource.
     *
     * @param name    the resource's name, for {@link AlreadyClosedException}
     * @param release frees the resource; run once, by the closer or the last user after the close
     */
    public ResourceGuard(String name, Runnable release) {
        this.name = name;
        this.release = release;
    }

    /**
     * Registers a user.
     *
     * @throws AlreadyClosedException if the resource is closed
     */
    public void enter() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                throw new AlreadyClosedException(name);
            }
            if (state.compareAndSet(s, s + 1)) {
                return;
            }
        }
    }

    /** Deregisters a user; releases the resource if it was closed meanwhile and this was the last user. */
    public void exit() {
        if (state.decrementAndGet() == CLOSED) {
            release.run();
        }
    }

    /**
     * Registers the (single) waiter.
     *
     * @throws AlreadyClosedException if the resource is closed
     * @throws IllegalStateException  if another thread is already waiting
     */
    public void enterWaiter() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                throw new AlreadyClosedException(name);
            }
            if ((s & WAITER) != 0) {
                throw new IllegalStateException("concurrent wait on " + name + ": only one thread may wait at a time");
            }
            if (state.compareAndSet(s, (s + 1) | WAITER)) {
                return;
            }
        }
    }

    /** Deregisters the waiter; releases the resource if it was closed meanwhile and this was the last user. */
    public void exitWaiter() {
        if (state.addAndGet(-(WAITER + 1)) == CLOSED) {
            release.run();
        }
    }

    /**
     * Marks the resource closed, and releases it now if no call is using it. Idempotent.
     */
    public void close() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return;
            }
            if (state.compareAndSet(s, s | CLOSED)) {
                if ((s & USERS) == 0) {
                    release.run();
                }
                return;
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

    /**
     * Whether some call is using the resource now, for a closer that may want to wake it.
     *
     * @return true if at least one user is inside
     */
    public boolean inUse() {
        return (state.get() & USERS) != 0;
    }

    /**
     * Throws if the resource is closed; for accessors such as {@code fileno()}.
     *
     * @throws AlreadyClosedException if closed
     */
    public void checkOpen() {
        if (isClosed()) {
            throw new AlreadyClosedException(name);
        }
    }
}
