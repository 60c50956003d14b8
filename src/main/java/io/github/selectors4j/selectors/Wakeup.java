package io.github.selectors4j.selectors;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.internal.Platform;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * The fd a selector watches besides the user's, so that {@link BaseSelector#wakeup()} can end a
 * blocked wait from any thread: an eventfd on Linux, a pipe elsewhere.
 *
 * <p>Signals coalesce: while one is pending, further ones write nothing, so a storm of wakeups
 * costs one system call per select. No lock: the first signaller claims the pending flag with a
 * compare-and-set and writes; the selecting thread reads the fd empty <em>before</em> it clears
 * the flag. A signal that finds the flag still set in between is not lost: the select it meant to
 * wake has already returned and not yet finished. (A lock here, as the JDK's selectors have, puts
 * a contended monitor between every submitting thread and the loop; measured, it cost the
 * cross-thread benchmark several microseconds per wakeup on a busy core.)
 *
 * <p>A signal racing with {@link #close()} either writes before the close, or finds the fd's
 * guard closed and writes nothing: the guard keeps the fd number from being closed, and reused,
 * under a write in progress.
 */
final class Wakeup implements AutoCloseable {

    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(Wakeup.class, "pending", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventFd eventFd;
    private final Pipe pipe;
    private final int fd;
    private final ByteBuffer signalByte = ByteBuffer.allocateDirect(1);
    private final ByteBuffer drainBuffer = ByteBuffer.allocateDirect(64);
    @SuppressWarnings("unused") // accessed through PENDING
    private volatile boolean pending;
    private boolean edgeTriggered;

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
        if (pending || !PENDING.compareAndSet(this, false, true)) {
            return;
        }
        try {
            if (eventFd != null) {
                eventFd.write(1);
            } else {
                // Only the flag's owner writes, so the one-byte buffer is never shared.
                pipe.writeEnd().write(signalByte.clear());
            }
        } catch (AlreadyClosedException closed) {
            // Closed meanwhile: there is no wait left to wake.
        } catch (ErrnoException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Tells that the selector watches the eventfd edge-triggered, so that {@link #drain()} only has
     * to clear the pending flag. Called once, before any select.
     */
    void skipDraining() {
        if (eventFd == null) {
            throw new IllegalStateException("only an eventfd wakeup can be watched edge-triggered");
        }
        edgeTriggered = true;
    }

    /** Consumes the pending signal; called by the selecting thread when the fd is readable. */
    void drain() throws ErrnoException {
        if (edgeTriggered) {
            pending = false;
            return;
        }
        try {
            if (eventFd != null) {
                eventFd.read();
            } else {
                while (pipe.readEnd().read(drainBuffer.clear()) > 0) {
                    // Only one byte is ever pending; the loop is defensive against stray writes.
                }
            }
        } catch (AlreadyClosedException closed) {
            // The selector is being closed by another thread; its select ends with this batch.
            return;
        }
        pending = false;
    }

    @Override
    public void close() {
        if (eventFd != null) {
            eventFd.close();
        } else {
            pipe.close();
        }
    }
}
