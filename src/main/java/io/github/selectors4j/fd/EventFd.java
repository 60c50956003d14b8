package io.github.selectors4j.fd;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.Io;
import io.github.selectors4j.internal.NativeBuffer;
import io.github.selectors4j.internal.Platform;

/**
 * A Linux eventfd: a 64-bit counter that is readable while non-zero. The cheapest way to make a
 * selector wake up from another thread.
 *
 * <pre>{@code
 * try (EventFd events = EventFd.open()) {
 *     selector.register(events, BaseSelector.EVENT_READ);
 *     new Thread(() -> {
 *         try {
 *             events.write(1);                      // another thread signals
 *         } catch (ErrnoException e) {
 *             throw new UncheckedIOException(e);
 *         }
 *     }).start();
 *     selector.select(null);                        // ... and this one wakes up
 *     long signals = events.read();                 // counter mode: the sum, and the counter resets
 * }
 * }</pre>
 *
 * <p>In counter mode a read returns the counter and resets it to zero; in semaphore mode
 * ({@link #EFD_SEMAPHORE}) a read returns 1 and decrements it. Non-blocking by default: a read with
 * the counter at zero returns 0, and a write that would overflow it returns false.
 *
 * <p>Thread-safe: reads and writes may happen concurrently from any threads.
 */
public final class EventFd extends GuardedFd {

    /** Semaphore mode: each read returns 1 and decrements the counter. */
    public static final int EFD_SEMAPHORE = 1;
    /** Non-blocking mode (the default of {@link #open()}). */
    public static final int EFD_NONBLOCK = Platform.CURRENT.oNonBlock();
    /** Close-on-exec (always set by {@link #open()}). */
    public static final int EFD_CLOEXEC = Platform.CURRENT.oCloexec();

    private static final String NAME = "EventFd";

    /** Separate buffers and locks, so that a blocking read cannot hold up a writer. */
    private final NativeBuffer readBuffer = new NativeBuffer(8);
    private final NativeBuffer writeBuffer = new NativeBuffer(8);

    private EventFd(int fd) {
        super(NAME, fd);
    }

    /**
     * Opens a counter-mode eventfd starting at 0, non-blocking and close-on-exec.
     *
     * @return the eventfd
     * @throws ErrnoException e.g. {@code EMFILE}
     */
    public static EventFd open() throws ErrnoException {
        return open(0, EFD_NONBLOCK | EFD_CLOEXEC);
    }

    /**
     * Opens a non-blocking, close-on-exec eventfd.
     *
     * @param initialValue the counter's start, in {@code [0, 2^32)}
     * @param semaphore    true for semaphore mode
     * @return the eventfd
     * @throws ErrnoException e.g. {@code EMFILE}
     */
    public static EventFd open(long initialValue, boolean semaphore) throws ErrnoException {
        return open(initialValue, EFD_NONBLOCK | EFD_CLOEXEC | (semaphore ? EFD_SEMAPHORE : 0));
    }

    /**
     * Opens an eventfd with exactly the given flags.
     *
     * @param initialValue the counter's start, in {@code [0, 2^32)}
     * @param flags        {@code EFD_*} flags, used as given
     * @return the eventfd
     * @throws ErrnoException           e.g. {@code EINVAL} for unknown flags
     * @throws IllegalArgumentException if {@code initialValue} is out of range
     */
    public static EventFd open(long initialValue, int flags) throws ErrnoException {
        if (initialValue < 0 || initialValue > 0xffff_ffffL) {
            throw new IllegalArgumentException("eventfd initial value must be in [0, 2^32): " + initialValue);
        }
        return new EventFd(Fds.eventfd((int) initialValue, flags));
    }

    /**
     * Reads the counter (counter mode) or takes one unit (semaphore mode).
     *
     * @return the value read, at least 1; 0 if the counter is zero and the eventfd is non-blocking
     * @throws ErrnoException any failure but {@code EAGAIN}
     */
    public long read() throws ErrnoException {
        return readCounter(readBuffer);
    }

    /**
     * Adds to the counter, making the eventfd readable.
     *
     * @param value an unsigned 64-bit amount; all ones ({@code -1L}) is refused by the kernel
     * @return true if added; false if the counter would overflow and the eventfd is non-blocking
     * @throws ErrnoException e.g. {@code EINVAL} for {@code -1L}
     */
    public boolean write(long value) throws ErrnoException {
        guard.enter();
        try {
            synchronized (writeBuffer) {
                writeBuffer.putLong(0, value);
                // An eventfd takes all 8 bytes or none: EAGAIN means the counter would overflow.
                return Io.writeNative(fd, writeBuffer.address(), 8) != Io.WOULD_BLOCK;
            }
        } finally {
            guard.exit();
        }
    }

    @Override
    void release() {
        readBuffer.free();
        writeBuffer.free();
        Fds.closeOwned(fd);
    }
}
