package io.github.selectors4j.selectors;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.internal.Platform;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The fd a selector watches besides the user's, so that {@link BaseSelector#wakeup()} can end a
 * blocked wait from any thread: an eventfd on Linux, a pipe elsewhere.
 *
 * <p>Signals coalesce: while one is pending, further ones write nothing, so a storm of wakeups
 * costs one system call per select. Signalling and draining happen under one lock (as in the
 * JDK's selectors), so a signal sent after the selecting thread drained is never lost, and closing
 * cannot race with a signal writing into a just-closed (and maybe reused) fd number.
 */
final class Wakeup implements AutoCloseable {

    private final EventFd eventFd;
    private final Pipe pipe;
    private final int fd;
    private final ByteBuffer pipeByte = ByteBuffer.allocateDirect(64);
    private final Object lock = new Object();
    private volatile boolean pending;
    private boolean closed;

    private Wakeup(EventFd eventFd, Pipe pipe) {
        this.eventFd = eventFd;
        this.pipe = pipe;
        this.fd = eventFd != null ? eventFd.fileno() : pipe.readEnd().fileno();
    }

    static Wakeup open() throws ErrnoException {
        return Platform.CURRENT.isLinux() ? new Wakeup(EventFd.open(), null) : new Wakeup(null, Pipe.open());
    }

    /** The fd to watch for reading. */
    int fd() {
        return fd;
    }

    /** Makes the current or next wait return. Thread-safe; a no-op once closed. */
    void signal() {
        if (pending) {
            return;
        }
        synchronized (lock) {
            if (closed || pending) {
                return;
            }
            try {
                if (eventFd != null) {
                    eventFd.write(1);
                } else {
                    pipeByte.clear().limit(1);
                    pipe.writeEnd().write(pipeByte);
                }
            } catch (ErrnoException e) {
                throw new UncheckedIOException(e);
            }
            pending = true;
        }
    }

    /** Consumes the pending signal after the wakeup fd was reported readable. */
    void drain() throws ErrnoException {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (eventFd != null) {
                eventFd.read();
            } else {
                while (pipe.readEnd().read(pipeByte.clear()) > 0) {
                    // Only one byte is ever pending; the loop is defensive against stray writes.
                }
            }
            pending = false;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (eventFd != null) {
                eventFd.close();
            } else {
                pipe.close();
            }
        }
    }
}
