package io.github.selectors4j.fd;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.FileDescriptorLike;
import io.github.selectors4j.internal.Io;
import io.github.selectors4j.internal.NativeBuffer;
import io.github.selectors4j.internal.ResourceGuard;

/**
 * What every fd object of this package shares: its fd, the guard that keeps the fd open while a
 * call uses it, and {@code fileno}, {@code isClosed}, {@code close} and {@code toString}. A
 * subclass frees its native memory and closes (or, for a borrowed fd, keeps) the fd in
 * {@link #release()}, which the guard runs once, after the last call in progress has left.
 */
abstract class GuardedFd implements FileDescriptorLike, AutoCloseable {

    /** The fd; use it between {@code guard.enter()} and {@code guard.exit()}. */
    final int fd;
    /** Counts the calls in progress, so that close never pulls the fd from under one. */
    final ResourceGuard guard;
    private final String name;

    GuardedFd(String name, int fd) {
        this.name = name;
        this.fd = fd;
        this.guard = new ResourceGuard(name, this::release);
    }

    /** Frees what the object holds and closes its fd if it owns it. Runs once. */
    abstract void release();

    /** What {@link #toString()} shows after the fd: ", clock=..." or nothing. */
    String details() {
        return "";
    }

    /**
     * Reads the 8-byte counter of an eventfd or timerfd into {@code buffer}, which serialises
     * concurrent reads.
     *
     * @param buffer 8 bytes of the object's own
     * @return the counter, at least 1; 0 if a non-blocking fd has none
     * @throws ErrnoException any failure but {@code EAGAIN}
     */
    final long readCounter(NativeBuffer buffer) throws ErrnoException {
        guard.enter();
        try {
            synchronized (buffer) {
                long n = Io.readNative(fd, buffer.address(), 8);
                if (n == Io.WOULD_BLOCK) {
                    return 0;
                }
                if (n != 8) {
                    throw new IllegalStateException(name + " read returned " + n + " bytes, not 8");
                }
                return buffer.getLong(0);
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Returns the fd.
     *
     * @return the fd
     * @throws AlreadyClosedException after {@link #close()}
     */
    @Override
    public int fileno() {
        guard.checkOpen();
        return fd;
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return guard.isClosed();
    }

    /**
     * Closes the fd and frees the native memory behind the object. Idempotent; if another thread
     * is in a call (a blocking read, say), the fd is closed when that call returns.
     */
    @Override
    public void close() {
        guard.close();
    }

    @Override
    public String toString() {
        return guard.isClosed() ? name + "[closed]" : name + "[fd=" + fd + details() + "]";
    }
}
