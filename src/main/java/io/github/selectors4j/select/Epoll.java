package io.github.selectors4j.select;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.FileDescriptorLike;
import io.github.selectors4j.Ownership;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.internal.FileObjects;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.InterruptibleWait;
import io.github.selectors4j.internal.Native;
import io.github.selectors4j.internal.NativeBuffer;
import io.github.selectors4j.internal.Platform;
import io.github.selectors4j.internal.ReadyList;
import io.github.selectors4j.internal.ResourceGuard;
import io.github.selectors4j.internal.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A Linux epoll instance: Python's {@code select.epoll}, with every flag.
 *
 * <pre>{@code
 * try (Epoll epoll = Epoll.open()) {
 *     epoll.register(socketFd, Epoll.EPOLLIN | Epoll.EPOLLET);
 *     for (FdEvent ready : epoll.poll(Duration.ofSeconds(1))) {
 *         ... drain ready.fd() until EAGAIN: edge-triggered reports it once ...
 *     }
 * }
 * }</pre>
 *
 * <p>Errors are the kernel's, as {@link ErrnoException}: registering an fd twice is {@code EEXIST},
 * modifying or unregistering an unknown fd is {@code ENOENT}, registering a regular file is
 * {@code EPERM}, a closed fd is {@code EBADF}.
 *
 * <p><b>Allocation-free waiting.</b> {@link #poll} returns a fresh list, as Python does.
 * {@link #waitReady(long, int)} instead leaves the results in place, to be read with
 * {@link #readyFd(int)}, {@link #readyEvents(int)} and {@link #readyTag(int)} until the next wait;
 * the native event array is allocated once and grows only when a larger {@code maxEvents} is asked
 * for.
 *
 * <p><b>Tags.</b> epoll returns a 64-bit value with each event. Python stores the fd there; so do
 * we, in the low 32 bits, and {@link #register(int, int, int)} lets the caller put 32 bits of its
 * own in the high half — for example a registration generation, to recognise events that belong to
 * an fd number's previous owner.
 *
 * <p><b>Closing.</b> After {@link #close()} every method throws {@link AlreadyClosedException} but
 * {@code close()}, {@link #isClosed()}, {@code toString()} and the {@code ready*(i)} accessors, which
 * keep returning the last wait's results.
 *
 * <p><b>Threads.</b> {@code register}, {@code modify} and {@code unregister} may be called from any
 * thread, also while another thread waits (the kernel applies them to the wait in progress). Only
 * one thread may wait at a time. {@code close()} may be called from any thread; if a wait is in
 * progress the fd and memory are released when it returns (closing does not wake it).
 */
public final class Epoll implements FileDescriptorLike, AutoCloseable {

    /** Readable. */
    public static final int EPOLLIN = 0x001;
    /** Urgent data readable. */
    public static final int EPOLLPRI = 0x002;
    /** Writable. */
    public static final int EPOLLOUT = 0x004;
    /** Error condition; always reported, need not be requested. */
    public static final int EPOLLERR = 0x008;
    /** Hang-up; always reported, need not be requested. */
    public static final int EPOLLHUP = 0x010;
    /** Normal data readable (same as {@link #EPOLLIN} for most files). */
    public static final int EPOLLRDNORM = 0x040;
    /** Priority band data readable. */
    public static final int EPOLLRDBAND = 0x080;
    /** Normal data writable (same as {@link #EPOLLOUT} for most files). */
    public static final int EPOLLWRNORM = 0x100;
    /** Priority band data writable. */
    public static final int EPOLLWRBAND = 0x200;
    /** Unused by Linux; defined for completeness. */
    public static final int EPOLLMSG = 0x400;
    /** Stream socket peer closed its end or shut down writing. */
    public static final int EPOLLRDHUP = 0x2000;
    /** Wake only one of several epoll instances waiting on the same fd (Linux 4.5+). */
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    /** Keep the system awake while the event is pending (needs {@code CAP_BLOCK_SUSPEND}). */
    public static final int EPOLLWAKEUP = 1 << 29;
    /** Report once, then disable until re-armed with {@link #modify}. */
    public static final int EPOLLONESHOT = 1 << 30;
    /** Edge-triggered: report a change of state once rather than the state while it lasts. */
    public static final int EPOLLET = 1 << 31;

    /** Mask {@link #register(int)} uses when none is given, as Python: {@code EPOLLIN | EPOLLPRI | EPOLLOUT}. */
    public static final int DEFAULT_MASK = EPOLLIN | EPOLLPRI | EPOLLOUT;

    /** Events per wait when none is given, as Python: {@code FD_SETSIZE - 1}. */
    public static final int DEFAULT_MAX_EVENTS = Platform.FD_SETSIZE - 1;

    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;
    private static final String NAME = "Epoll";

    private static final int EVENT_SIZE = Platform.CURRENT.epollEventSize();
    private static final int DATA_OFFSET = Platform.CURRENT.epollDataOffset();

    private final int epfd;
    private final Ownership ownership;
    private final ResourceGuard guard = new ResourceGuard(NAME, this::release);
    private final InterruptibleWait kernelWait = this::epollWaitOnce;

    /** One epoll_event for epoll_ctl, shared by the ctl calls under {@link #ctlEvent}'s monitor. */
    private final NativeBuffer ctlEvent = new NativeBuffer(EVENT_SIZE);
    /** The wait's event array; touched only by the single waiter. */
    private final NativeBuffer waitEvents = new NativeBuffer((long) EVENT_SIZE * 64);
    private int waitCapacity = 64;
    private int waitMaxEvents;

    private final ReadyList ready = new ReadyList(64);

    private Epoll(int epfd, Ownership ownership) {
        this.epfd = epfd;
        this.ownership = ownership;
    }

    /**
     * Creates an epoll instance; its fd is close-on-exec.
     *
     * @return the new instance, which owns its fd
     * @throws ErrnoException e.g. {@code EMFILE}
     */
    public static Epoll open() throws ErrnoException {
        int fd = Native.LIBC.epoll_create1(Platform.CURRENT.oCloexec());
        if (fd < 0) {
            throw Errno.last("epoll_create1", ErrnoException.NO_FD);
        }
        return new Epoll(fd, Ownership.OWNED);
    }

    /**
     * Wraps an existing epoll fd without taking ownership: {@link #close()} leaves it open.
     * (Python's {@code epoll.fromfd} takes ownership; use {@link #fromFd(int, Ownership)} for that.)
     *
     * @param fd an epoll fd
     * @return the wrapper
     */
    public static Epoll fromFd(int fd) {
        return fromFd(fd, Ownership.BORROWED);
    }

    /**
     * Wraps an existing epoll fd.
     *
     * @param fd        an epoll fd
     * @param ownership whether {@link #close()} closes it
     * @return the wrapper
     * @throws IllegalArgumentException if {@code fd} is negative
     */
    public static Epoll fromFd(int fd, Ownership ownership) {
        FileObjects.checkFd(fd);
        return new Epoll(fd, Objects.requireNonNull(ownership, "ownership"));
    }

    /**
     * Returns the epoll fd.
     *
     * @return the fd
     * @throws AlreadyClosedException after {@link #close()}
     */
    @Override
    public int fileno() {
        guard.checkOpen();
        return epfd;
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
     * Registers an fd with {@link #DEFAULT_MASK}.
     *
     * @param fd the fd
     * @throws ErrnoException {@code EEXIST}, {@code EPERM}, {@code EBADF}...
     */
    public void register(int fd) throws ErrnoException {
        register(fd, DEFAULT_MASK, 0);
    }

    /**
     * Registers an fd ({@code EPOLL_CTL_ADD}).
     *
     * @param fd        the fd
     * @param eventMask {@code EPOLL*} flags
     * @throws ErrnoException {@code EEXIST} if already registered, {@code EPERM} for a regular file,
     *                        {@code EBADF} for a closed fd
     */
    public void register(int fd, int eventMask) throws ErrnoException {
        register(fd, eventMask, 0);
    }

    /**
     * Registers an fd with a 32-bit tag returned by {@link #readyTag(int)} with its events.
     *
     * @param fd        the fd
     * @param eventMask {@code EPOLL*} flags
     * @param tag       any value
     * @throws ErrnoException as {@link #register(int, int)}
     */
    public void register(int fd, int eventMask, int tag) throws ErrnoException {
        ctl(EPOLL_CTL_ADD, "epoll_ctl(EPOLL_CTL_ADD)", FileObjects.checkFd(fd), eventMask, tag);
    }

    /**
     * Registers a file object ({@code Integer}, {@link FileDescriptorLike} or
     * {@link java.io.FileDescriptor}).
     *
     * @param fileobj   the file object
     * @param eventMask {@code EPOLL*} flags
     * @throws ErrnoException as {@link #register(int, int)}
     */
    public void register(Object fileobj, int eventMask) throws ErrnoException {
        register(FileObjects.fd(fileobj), eventMask, 0);
    }

    /**
     * Changes a registration's mask ({@code EPOLL_CTL_MOD}); also re-arms an
     * {@link #EPOLLONESHOT} registration. The tag becomes 0.
     *
     * @param fd        the fd
     * @param eventMask {@code EPOLL*} flags
     * @throws ErrnoException {@code ENOENT} if not registered
     */
    public void modify(int fd, int eventMask) throws ErrnoException {
        modify(fd, eventMask, 0);
    }

    /**
     * Changes a registration's mask and tag.
     *
     * @param fd        the fd
     * @param eventMask {@code EPOLL*} flags
     * @param tag       the new tag
     * @throws ErrnoException {@code ENOENT} if not registered
     */
    public void modify(int fd, int eventMask, int tag) throws ErrnoException {
        ctl(EPOLL_CTL_MOD, "epoll_ctl(EPOLL_CTL_MOD)", FileObjects.checkFd(fd), eventMask, tag);
    }

    /**
     * Changes a file object's registration.
     *
     * @param fileobj   the file object
     * @param eventMask {@code EPOLL*} flags
     * @throws ErrnoException {@code ENOENT} if not registered
     */
    public void modify(Object fileobj, int eventMask) throws ErrnoException {
        modify(FileObjects.fd(fileobj), eventMask, 0);
    }

    /**
     * Removes a registration ({@code EPOLL_CTL_DEL}).
     *
     * @param fd the fd
     * @throws ErrnoException {@code ENOENT} if not registered, {@code EBADF} if the fd was closed
     *                        (the kernel already forgot it then)
     */
    public void unregister(int fd) throws ErrnoException {
        ctl(EPOLL_CTL_DEL, "epoll_ctl(EPOLL_CTL_DEL)", FileObjects.checkFd(fd), 0, 0);
    }

    /**
     * Removes a file object's registration.
     *
     * @param fileobj the file object
     * @throws ErrnoException as {@link #unregister(int)}
     */
    public void unregister(Object fileobj) throws ErrnoException {
        unregister(FileObjects.fd(fileobj));
    }

    private void ctl(int op, String call, int fd, int eventMask, int tag) throws ErrnoException {
        guard.enter();
        try {
            synchronized (ctlEvent) {
                ctlEvent.putInt(0, eventMask);
                ctlEvent.putLong(DATA_OFFSET, ((long) tag << 32) | (fd & 0xffff_ffffL));
                if (Native.LIBC.epoll_ctl(epfd, op, fd, ctlEvent.address()) < 0) {
                    throw Errno.last(call, fd);
                }
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Waits without a timeout; Python's {@code epoll.poll()}.
     *
     * @return the ready fds, at most {@link #DEFAULT_MAX_EVENTS}
     * @throws ErrnoException if {@code epoll_wait} fails
     */
    public List<FdEvent> poll() throws ErrnoException {
        return poll(null, DEFAULT_MAX_EVENTS);
    }

    /**
     * Waits for at most {@code timeout}; Python's {@code epoll.poll(timeout)}.
     *
     * @param timeout null or negative to wait forever, zero not to wait; rounded up to the millisecond
     * @return the ready fds, at most {@link #DEFAULT_MAX_EVENTS}; empty on timeout
     * @throws ErrnoException if {@code epoll_wait} fails
     */
    public List<FdEvent> poll(Duration timeout) throws ErrnoException {
        return poll(timeout, DEFAULT_MAX_EVENTS);
    }

    /**
     * Waits for at most {@code timeout} and returns at most {@code maxEvents} ready fds; more come
     * on the next call.
     *
     * @param timeout   null or negative to wait forever, zero not to wait; rounded up to the millisecond
     * @param maxEvents at least 1, or -1 for {@link #DEFAULT_MAX_EVENTS}
     * @return the ready fds; empty on timeout
     * @throws ErrnoException if {@code epoll_wait} fails
     */
    public List<FdEvent> poll(Duration timeout, int maxEvents) throws ErrnoException {
        long nanos = timeout == null || timeout.isNegative() ? Timeouts.FOREVER : Timeouts.toNanos(timeout);
        int n = waitReady(nanos, maxEvents == -1 ? DEFAULT_MAX_EVENTS : maxEvents);
        List<FdEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(new FdEvent(ready.fd(i), ready.events(i)));
        }
        return events;
    }

    /**
     * Waits, leaving the results in place: the allocation-free form of {@link #poll}.
     *
     * <pre>{@code
     * int n = epoll.waitReady(TimeUnit.MILLISECONDS.toNanos(10), 256);
     * for (int i = 0; i < n; i++) {
     *     handle(epoll.readyFd(i), epoll.readyEvents(i));
     * }
     * }</pre>
     *
     * @param timeoutNanos negative to wait forever, zero not to wait; rounded up to the millisecond
     * @param maxEvents    at least 1
     * @return the number of ready fds, readable until the next wait
     * @throws ErrnoException           if {@code epoll_wait} fails (never {@code EINTR}: it is retried)
     * @throws IllegalArgumentException if {@code maxEvents < 1}
     * @throws IllegalStateException    if another thread is waiting
     */
    public int waitReady(long timeoutNanos, int maxEvents) throws ErrnoException {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be greater than 0, got " + maxEvents);
        }
        guard.enterWaiter();
        try {
            ensureWaitCapacity(maxEvents);
            waitMaxEvents = maxEvents;
            ready.clear();
            int n = InterruptibleWait.await(kernelWait, timeoutNanos, TimeUnit.MILLISECONDS, "epoll_wait", epfd);
            for (int i = 0; i < n; i++) {
                long offset = (long) i * EVENT_SIZE;
                long data = waitEvents.getLong(offset + DATA_OFFSET);
                ready.add((int) data, waitEvents.getInt(offset), (int) (data >>> 32));
            }
            return n;
        } finally {
            guard.exitWaiter();
        }
    }

    private int epollWaitOnce(long timeoutMillis) {
        int n = Native.LIBC.epoll_wait(epfd, waitEvents.address(), waitMaxEvents, (int) timeoutMillis);
        return n >= 0 ? n : -Native.lastErrno();
    }

    private void ensureWaitCapacity(int maxEvents) {
        if (maxEvents > waitCapacity) {
            waitEvents.ensureCapacity((long) maxEvents * EVENT_SIZE);
            ready.ensureCapacity(maxEvents);
            waitCapacity = maxEvents;
        }
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
     * The {@code EPOLL*} events of the {@code i}-th result of the last wait.
     * Readable after {@link #close()} too: the results are kept in Java memory.
     *
     * @param i index below the count the wait returned
     * @return the events
     * @throws IndexOutOfBoundsException if {@code i} is not below the count the last wait returned
     */
    public int readyEvents(int i) {
        return ready.events(i);
    }

    /**
     * The tag registered with the {@code i}-th result's fd.
     * Readable after {@link #close()} too: the results are kept in Java memory.
     *
     * @param i index below the count the wait returned
     * @return the tag, 0 if none was given
     * @throws IndexOutOfBoundsException if {@code i} is not below the count the last wait returned
     */
    public int readyTag(int i) {
        return ready.tag(i);
    }

    /**
     * Closes the epoll instance (its fd only if owned). Idempotent.
     */
    @Override
    public void close() {
        guard.close();
    }

    private void release() {
        ctlEvent.free();
        waitEvents.free();
        if (ownership == Ownership.OWNED) {
            Fds.closeOwned(epfd);
        }
    }

    @Override
    public String toString() {
        return guard.isClosed() ? "Epoll[closed]" : "Epoll[fd=" + epfd + "]";
    }
}
