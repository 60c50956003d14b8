package io.github.selectors4j.select;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.NotRegisteredException;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.internal.FileObjects;
import io.github.selectors4j.internal.InterruptibleWait;
import io.github.selectors4j.internal.Native;
import io.github.selectors4j.internal.NativeBuffer;
import io.github.selectors4j.internal.Platform;
import io.github.selectors4j.internal.ReadyList;
import io.github.selectors4j.internal.ResourceGuard;
import io.github.selectors4j.internal.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A set of fds to {@code poll(2)}: Python's {@code select.poll()} object.
 *
 * <pre>{@code
 * try (Poll poll = Poll.open()) {
 *     poll.register(pipeReadFd, Poll.POLLIN);
 *     for (FdEvent ready : poll.poll(1000)) {         // wait at most one second
 *         if ((ready.events() & Poll.POLLNVAL) != 0) ... // the fd was closed while registered
 *     }
 * }
 * }</pre>
 *
 * <p>As in Python, registering an fd again replaces its mask, {@link #modify} of an unknown fd fails
 * with {@code ENOENT}, {@link #unregister} of an unknown fd raises {@link NotRegisteredException},
 * and an fd closed while registered is reported with {@link #POLLNVAL}. Unlike Python's object,
 * this one holds native memory and is {@link AutoCloseable}.
 *
 * <p><b>Allocation-free waiting.</b> {@link #waitReady(long)} leaves the results in place, read with
 * {@link #readyFd(int)} and {@link #readyEvents(int)} until the next wait. The native
 * {@code pollfd} array is rebuilt only when the registrations changed.
 *
 * <p><b>Threads.</b> Registrations may change from any thread, also during a wait; they take effect
 * at the next wait. Only one thread may wait at a time.
 *
 * <p><b>Closing.</b> After {@link #close()} every method throws {@link AlreadyClosedException} but
 * {@code close()}, {@link #isClosed()}, {@code toString()} and the {@code ready*(i)} accessors, which
 * keep returning the last wait's results.
 */
public final class Poll implements AutoCloseable {

    /** There is data to read. */
    public static final int POLLIN = 0x001;
    /** There is urgent data to read. */
    public static final int POLLPRI = 0x002;
    /** Writing will not block. */
    public static final int POLLOUT = 0x004;
    /** Error condition (output only). */
    public static final int POLLERR = 0x008;
    /** Hung up (output only). */
    public static final int POLLHUP = 0x010;
    /** Invalid request: the fd is not open (output only). */
    public static final int POLLNVAL = 0x020;
    /** Normal data readable. */
    public static final int POLLRDNORM = 0x040;
    /** Priority band data readable. */
    public static final int POLLRDBAND = 0x080;
    /** Normal data writable; equal to {@link #POLLOUT} on the BSDs and macOS. */
    public static final int POLLWRNORM = Platform.CURRENT.pollWrNorm();
    /** Priority band data writable. */
    public static final int POLLWRBAND = Platform.CURRENT.pollWrBand();
    /** Linux only (unused by the kernel); 0 elsewhere. */
    public static final int POLLMSG = Platform.CURRENT.pollMsg();
    /** Stream socket peer closed or shut down writing; Linux and FreeBSD, 0 elsewhere. */
    public static final int POLLRDHUP = Platform.CURRENT.pollRdHup();

    /** Mask {@link #register(int)} uses when none is given, as Python: {@code POLLIN | POLLPRI | POLLOUT}. */
    public static final int DEFAULT_MASK = POLLIN | POLLPRI | POLLOUT;

    /** {@code struct pollfd { int fd; short events; short revents; }}: the same 8 bytes everywhere. */
    private static final int POLLFD_SIZE = 8;
    private static final int EVENTS_OFFSET = 4;
    private static final int REVENTS_OFFSET = 6;
    private static final int NO_SLOT = -1;
    private static final String NAME = "Poll";

    private final ResourceGuard guard = new ResourceGuard(NAME, this::release);
    private final InterruptibleWait kernelWait = this::pollOnce;

    // Registrations, guarded by "this". Slots are dense: unregistering moves the last slot into the hole.
    private int count;
    private int[] slotFds = new int[16];
    private short[] slotMasks = new short[16];
    private int[] slotOfFd = newSlotIndex(64);
    private boolean dirty;

    // The waiter's state.
    private final NativeBuffer pollfds = new NativeBuffer((long) POLLFD_SIZE * 16);
    private int polledCount;
    private final ReadyList ready = new ReadyList(16);

    private Poll() {
    }

    /**
     * Creates an empty poll object.
     *
     * @return the poll object
     */
    public static Poll open() {
        return new Poll();
    }

    /**
     * Registers an fd with {@link #DEFAULT_MASK}, or replaces its mask.
     *
     * @param fd the fd
     */
    public void register(int fd) {
        register(fd, DEFAULT_MASK);
    }

    /**
     * Registers an fd, or replaces the mask of one already registered.
     *
     * @param fd        the fd
     * @param eventMask {@code POLL*} flags (16 bits)
     * @throws IllegalArgumentException for a negative fd or a mask wider than 16 bits
     */
    public void register(int fd, int eventMask) {
        FileObjects.checkFd(fd);
        checkMask(eventMask);
        guard.enter();
        try {
            synchronized (this) {
                int slot = slotOf(fd);
                if (slot == NO_SLOT) {
                    slot = addSlot(fd);
                }
                slotMasks[slot] = (short) eventMask;
                dirty = true;
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Registers a file object ({@code Integer}, {@link io.github.selectors4j.FileDescriptorLike} or
     * {@link java.io.FileDescriptor}).
     *
     * @param fileobj   the file object
     * @param eventMask {@code POLL*} flags
     */
    public void register(Object fileobj, int eventMask) {
        register(FileObjects.fd(fileobj), eventMask);
    }

    /**
     * Changes the mask of a registered fd.
     *
     * @param fd        the fd
     * @param eventMask {@code POLL*} flags
     * @throws ErrnoException {@code ENOENT} if the fd is not registered, as Python
     */
    public void modify(int fd, int eventMask) throws ErrnoException {
        FileObjects.checkFd(fd);
        checkMask(eventMask);
        guard.enter();
        try {
            synchronized (this) {
                int slot = slotOf(fd);
                if (slot == NO_SLOT) {
                    throw Errno.exception("poll.modify", Errno.ENOENT, fd);
                }
                slotMasks[slot] = (short) eventMask;
                dirty = true;
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Changes the mask of a registered file object, as {@link #modify(int, int)}.
     *
     * @param fileobj   the file object
     * @param eventMask {@code POLL*} flags
     * @throws ErrnoException {@code ENOENT} if its fd is not registered, as Python
     */
    public void modify(Object fileobj, int eventMask) throws ErrnoException {
        modify(FileObjects.fd(fileobj), eventMask);
    }

    /**
     * Removes a file object, as {@link #unregister(int)}.
     *
     * @param fileobj the file object
     * @throws NotRegisteredException if its fd is not registered
     */
    public void unregister(Object fileobj) {
        unregister(FileObjects.fd(fileobj));
    }

    /**
     * Removes an fd.
     *
     * @param fd the fd
     * @throws NotRegisteredException if the fd is not registered
     */
    public void unregister(int fd) {
        FileObjects.checkFd(fd);
        guard.enter();
        try {
            synchronized (this) {
                int slot = slotOf(fd);
                if (slot == NO_SLOT) {
                    throw new NotRegisteredException(fd);
                }
                int last = --count;
                if (slot != last) {
                    slotFds[slot] = slotFds[last];
                    slotMasks[slot] = slotMasks[last];
                    slotOfFd[slotFds[slot]] = slot;
                }
                slotOfFd[fd] = NO_SLOT;
                dirty = true;
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Waits without a timeout; Python's {@code poll.poll()}.
     *
     * @return the fds with events
     * @throws ErrnoException if {@code poll} fails
     */
    public List<FdEvent> poll() throws ErrnoException {
        return collect(waitReady(Timeouts.FOREVER));
    }

    /**
     * Waits for at most {@code timeoutMillis}; Python's {@code poll.poll(timeout)}.
     *
     * @param timeoutMillis negative to wait forever, zero not to wait
     * @return the fds with events; empty on timeout
     * @throws ErrnoException if {@code poll} fails
     */
    public List<FdEvent> poll(long timeoutMillis) throws ErrnoException {
        long nanos = timeoutMillis < 0 ? Timeouts.FOREVER : Timeouts.toNanos(Duration.ofMillis(timeoutMillis));
        return collect(waitReady(nanos));
    }

    private List<FdEvent> collect(int n) {
        List<FdEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(new FdEvent(ready.fd(i), ready.events(i)));
        }
        return events;
    }

    /**
     * Waits, leaving the results in place: the allocation-free form of {@link #poll}.
     *
     * @param timeoutNanos negative to wait forever, zero not to wait; rounded up to the millisecond
     * @return the number of fds with events, readable until the next wait
     * @throws ErrnoException        if {@code poll} fails (never {@code EINTR}: it is retried)
     * @throws IllegalStateException if another thread is waiting
     */
    public int waitReady(long timeoutNanos) throws ErrnoException {
        guard.enterWaiter();
        try {
            synchronized (this) {
                if (dirty) {
                    rebuildPollfds();
                }
            }
            InterruptibleWait.await(kernelWait, timeoutNanos, TimeUnit.MILLISECONDS, "poll", ErrnoException.NO_FD);
            // Read the kernel's copy, not the registrations: they may have changed meanwhile.
            ready.clear();
            for (int slot = 0; slot < polledCount; slot++) {
                long offset = (long) slot * POLLFD_SIZE;
                int revents = pollfds.getShort(offset + REVENTS_OFFSET) & 0xffff;
                if (revents != 0) {
                    ready.add(pollfds.getInt(offset), revents, 0);
                }
            }
            return ready.size();
        } finally {
            guard.exitWaiter();
        }
    }

    private int pollOnce(long timeoutMillis) {
        int n = Native.LIBC.poll(pollfds.address(), polledCount, (int) timeoutMillis);
        return n >= 0 ? n : -Native.lastErrno();
    }

    private void rebuildPollfds() {
        pollfds.ensureCapacity((long) Math.max(count, 1) * POLLFD_SIZE);
        ready.ensureCapacity(count);
        for (int slot = 0; slot < count; slot++) {
            long offset = (long) slot * POLLFD_SIZE;
            pollfds.putInt(offset, slotFds[slot]);
            pollfds.putShort(offset + EVENTS_OFFSET, slotMasks[slot]);
            pollfds.putShort(offset + REVENTS_OFFSET, (short) 0);
        }
        polledCount = count;
        dirty = false;
    }

    /**
     * The fd of the {@code i}-th result of the last wait.
     * Readable after {@link #close()} too: the results are kept in Java memory.
     *
     * @param i index below the count the wait returned
     * @return the fd
     * @throws IndexOutOfBoundsException if {@code i} is not below the count the last wait returned
     */
    public int readyFd(int i) {
        return ready.fd(i);
    }

    /**
     * The {@code POLL*} events of the {@code i}-th result of the last wait.
     * Readable after {@link #close()} too: the results are kept in Java memory.
     *
     * @param i index below the count the wait returned
     * @return the returned events
     * @throws IndexOutOfBoundsException if {@code i} is not below the count the last wait returned
     */
    public int readyEvents(int i) {
        return ready.events(i);
    }

    /**
     * Returns the number of registered fds.
     *
     * @return the count
     * @throws AlreadyClosedException after {@link #close()}
     */
    public synchronized int size() {
        guard.checkOpen();
        return count;
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
     * Releases the native array. Idempotent; registered fds are not closed.
     */
    @Override
    public void close() {
        guard.close();
    }

    private void release() {
        pollfds.free();
    }

    private int slotOf(int fd) {
        return fd < slotOfFd.length ? slotOfFd[fd] : NO_SLOT;
    }

    private int addSlot(int fd) {
        if (count == slotFds.length) {
            slotFds = Arrays.copyOf(slotFds, count * 2);
            slotMasks = Arrays.copyOf(slotMasks, count * 2);
        }
        if (fd >= slotOfFd.length) {
            int old = slotOfFd.length;
            slotOfFd = Arrays.copyOf(slotOfFd, Math.max(old * 2, fd + 1));
            Arrays.fill(slotOfFd, old, slotOfFd.length, NO_SLOT);
        }
        int slot = count++;
        slotFds[slot] = fd;
        slotOfFd[fd] = slot;
        return slot;
    }

    private static int[] newSlotIndex(int size) {
        int[] index = new int[size];
        Arrays.fill(index, NO_SLOT);
        return index;
    }

    private static void checkMask(int eventMask) {
        if ((eventMask & ~0xffff) != 0) {
            throw new IllegalArgumentException("poll event mask must fit in 16 bits: 0x" + Integer.toHexString(eventMask));
        }
    }

    @Override
    public String toString() {
        // Not size(): a close from another thread between the check and the call would make it throw.
        int fds;
        synchronized (this) {
            fds = count;
        }
        return guard.isClosed() ? "Poll[closed]" : "Poll[" + fds + " fds]";
    }
}
