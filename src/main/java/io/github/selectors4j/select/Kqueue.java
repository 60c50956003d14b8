package io.github.selectors4j.select;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.FileDescriptorLike;
import io.github.selectors4j.Ownership;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.internal.FileObjects;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.InterruptibleWait;
import io.github.selectors4j.internal.KqueueAbi;
import io.github.selectors4j.internal.KqueueLib;
import io.github.selectors4j.internal.KqueueLibrary;
import io.github.selectors4j.internal.Native;
import io.github.selectors4j.internal.NativeBuffer;
import io.github.selectors4j.internal.ResourceGuard;
import io.github.selectors4j.internal.Timeouts;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A kernel event queue: Python's {@code select.kqueue}. Native on macOS and the BSDs; on Linux it
 * works through libkqueue when that library is installed (see {@link #isAvailable()}).
 *
 * <pre>{@code
 * try (Kqueue kq = Kqueue.open()) {
 *     kq.control(List.of(KEvent.of(socket, Kqueue.KQ_FILTER_READ, Kqueue.KQ_EV_ADD)), 0, Duration.ZERO);
 *     for (KEvent event : kq.control(List.of(), 16, Duration.ofSeconds(1))) {
 *         if ((event.flags() & Kqueue.KQ_EV_EOF) != 0) ... // the peer closed
 *     }
 * }
 * }</pre>
 *
 * <p>The constants below take this platform's values (filters differ between macOS, the BSDs and
 * libkqueue); {@link #constant(String)} looks up any other name the platform's {@code sys/event.h}
 * defines. The struct layout is chosen once per platform: 32 bytes on macOS, FreeBSD before 12,
 * OpenBSD, DragonFly and libkqueue, 64 bytes with {@code ext[4]} on FreeBSD 12 and later, and
 * NetBSD's with 32-bit filter and flags.
 *
 * <p><b>Allocation-free form.</b> {@link #change} applies one change at once, and
 * {@link #waitReady(long, int)} leaves the events in place for {@code readyIdent(i)},
 * {@code readyFilter(i)}... until the next wait.
 *
 * <p><b>EINTR.</b> A signal that interrupts {@link #control} is absorbed and the wait resumes with
 * the remaining time, without submitting the change list again: the kernel applied it before it
 * began to wait, and applying an {@code EV_DELETE} twice would fail.
 *
 * <p><b>Threads.</b> {@link #change} may be called from any thread; only one thread may wait at a
 * time; {@link #close()} from another thread releases the queue when a wait in progress returns.
 *
 * <p><b>Closing.</b> After {@link #close()} every method throws {@link AlreadyClosedException} but
 * {@code close()}, {@link #isClosed()}, {@code toString()} and the {@code ready*(i)} accessors, which
 * keep returning the last wait's events.
 */
public final class Kqueue implements FileDescriptorLike, AutoCloseable {

    private static final KqueueAbi ABI = KqueueAbi.CURRENT;

    /** Readable: data bytes available (an fd), or a pending connection (a listening socket). */
    public static final int KQ_FILTER_READ = ABI.value("EVFILT_READ");
    /** Writable. */
    public static final int KQ_FILTER_WRITE = ABI.value("EVFILT_WRITE");
    /** Asynchronous I/O requests. */
    public static final int KQ_FILTER_AIO = ABI.value("EVFILT_AIO");
    /** Changes to a file ({@code KQ_NOTE_DELETE}, {@code KQ_NOTE_WRITE}...). */
    public static final int KQ_FILTER_VNODE = ABI.value("EVFILT_VNODE");
    /** Process events ({@code KQ_NOTE_EXIT}, {@code KQ_NOTE_FORK}...). */
    public static final int KQ_FILTER_PROC = ABI.value("EVFILT_PROC");
    /** Signal deliveries (counted even if the signal is ignored). */
    public static final int KQ_FILTER_SIGNAL = ABI.value("EVFILT_SIGNAL");
    /** Timers: {@code data} is the period, in milliseconds unless a unit note says otherwise. */
    public static final int KQ_FILTER_TIMER = ABI.value("EVFILT_TIMER");
    /** User events, triggered with {@code KQ_NOTE_TRIGGER}: a cross-thread wakeup. */
    public static final int KQ_FILTER_USER = ABI.value("EVFILT_USER");

    /** Add the event (and enable it). */
    public static final int KQ_EV_ADD = ABI.value("EV_ADD");
    /** Remove the event. */
    public static final int KQ_EV_DELETE = ABI.value("EV_DELETE");
    /** Report the event again. */
    public static final int KQ_EV_ENABLE = ABI.value("EV_ENABLE");
    /** Keep the event but do not report it. */
    public static final int KQ_EV_DISABLE = ABI.value("EV_DISABLE");
    /** Report once, then delete. */
    public static final int KQ_EV_ONESHOT = ABI.value("EV_ONESHOT");
    /** Reset the state after reporting (edge-triggered). */
    public static final int KQ_EV_CLEAR = ABI.value("EV_CLEAR");
    /** Return an {@code EV_ERROR} event for each change, with {@code data} 0 on success. */
    public static final int KQ_EV_RECEIPT = ABI.value("EV_RECEIPT");
    /** Disable after reporting. */
    public static final int KQ_EV_DISPATCH = ABI.value("EV_DISPATCH");
    /** Reserved for the system. */
    public static final int KQ_EV_SYSFLAGS = ABI.value("EV_SYSFLAGS");
    /** Filter-specific flag. */
    public static final int KQ_EV_FLAG1 = ABI.value("EV_FLAG1");
    /** End of file / peer closed (output). */
    public static final int KQ_EV_EOF = ABI.value("EV_EOF");
    /** The change failed; {@code data} holds the errno (output). */
    public static final int KQ_EV_ERROR = ABI.value("EV_ERROR");

    /** EVFILT_READ/WRITE: {@code data} is a low-water mark. */
    public static final int KQ_NOTE_LOWAT = ABI.value("NOTE_LOWAT");
    /** EVFILT_VNODE: the file was deleted. */
    public static final int KQ_NOTE_DELETE = ABI.value("NOTE_DELETE");
    /** EVFILT_VNODE: the file was written. */
    public static final int KQ_NOTE_WRITE = ABI.value("NOTE_WRITE");
    /** EVFILT_VNODE: the file grew. */
    public static final int KQ_NOTE_EXTEND = ABI.value("NOTE_EXTEND");
    /** EVFILT_VNODE: attributes changed. */
    public static final int KQ_NOTE_ATTRIB = ABI.value("NOTE_ATTRIB");
    /** EVFILT_VNODE: the link count changed. */
    public static final int KQ_NOTE_LINK = ABI.value("NOTE_LINK");
    /** EVFILT_VNODE: the file was renamed. */
    public static final int KQ_NOTE_RENAME = ABI.value("NOTE_RENAME");
    /** EVFILT_VNODE: access was revoked. */
    public static final int KQ_NOTE_REVOKE = ABI.value("NOTE_REVOKE");
    /** EVFILT_PROC: the process exited. */
    public static final int KQ_NOTE_EXIT = ABI.value("NOTE_EXIT");
    /** EVFILT_PROC: the process forked. */
    public static final int KQ_NOTE_FORK = ABI.value("NOTE_FORK");
    /** EVFILT_PROC: the process exec'd. */
    public static final int KQ_NOTE_EXEC = ABI.value("NOTE_EXEC");
    /** EVFILT_PROC: mask of the control bits. */
    public static final int KQ_NOTE_PCTRLMASK = ABI.value("NOTE_PCTRLMASK");
    /** EVFILT_PROC: mask of the pid data. */
    public static final int KQ_NOTE_PDATAMASK = ABI.value("NOTE_PDATAMASK");
    /** EVFILT_USER: trigger the event. */
    public static final int KQ_NOTE_TRIGGER = ABI.value("NOTE_TRIGGER");
    /** EVFILT_USER: ignore the input fflags. */
    public static final int KQ_NOTE_FFNOP = ABI.value("NOTE_FFNOP");
    /** EVFILT_USER: and the fflags. */
    public static final int KQ_NOTE_FFAND = ABI.value("NOTE_FFAND");
    /** EVFILT_USER: or the fflags. */
    public static final int KQ_NOTE_FFOR = ABI.value("NOTE_FFOR");
    /** EVFILT_USER: copy the fflags. */
    public static final int KQ_NOTE_FFCOPY = ABI.value("NOTE_FFCOPY");
    /** EVFILT_USER: mask of the control bits. */
    public static final int KQ_NOTE_FFCTRLMASK = ABI.value("NOTE_FFCTRLMASK");
    /** EVFILT_USER: mask of the user flags. */
    public static final int KQ_NOTE_FFLAGSMASK = ABI.value("NOTE_FFLAGSMASK");

    private static final String NAME = "Kqueue";
    private static final int INITIAL_EVENTS = 64;

    private final int kq;
    private final Ownership ownership;
    private final KqueueLib lib;
    private final ResourceGuard guard = new ResourceGuard(NAME, this::release);
    private final InterruptibleWait kernelWait = this::keventOnce;

    /** One change for {@link #change}, guarded by its own monitor. */
    private final NativeBuffer oneChange = new NativeBuffer(ABI.keventSize());
    private final ByteBuffer oneChangeView = oneChange.asByteBuffer();
    private final NativeBuffer zeroTimeout = new NativeBuffer(ABI.timespecSize());

    // The waiter's state.
    private final NativeBuffer waitTimeout = new NativeBuffer(ABI.timespecSize());
    private final ByteBuffer waitTimeoutView = waitTimeout.asByteBuffer();
    private NativeBuffer changes = new NativeBuffer((long) ABI.keventSize() * INITIAL_EVENTS);
    private ByteBuffer changesView = changes.asByteBuffer();
    private int changesCapacity = INITIAL_EVENTS;
    private NativeBuffer events = new NativeBuffer((long) ABI.keventSize() * INITIAL_EVENTS);
    private ByteBuffer eventsView = events.asByteBuffer();
    private int eventsCapacity = INITIAL_EVENTS;
    private int pendingChanges;
    private int waitMaxEvents;

    // The last wait's events, decoded into Java memory so that reading them is safe even if
    // another thread closes the queue meanwhile.
    private int readyCount;
    private long[] readyIdents = new long[INITIAL_EVENTS];
    private int[] readyFilters = new int[INITIAL_EVENTS];
    private int[] readyFlags = new int[INITIAL_EVENTS];
    private int[] readyFflags = new int[INITIAL_EVENTS];
    private long[] readyData = new long[INITIAL_EVENTS];
    private long[] readyUdata = new long[INITIAL_EVENTS];

    private Kqueue(int kq, Ownership ownership, KqueueLib lib) {
        this.kq = kq;
        this.ownership = ownership;
        this.lib = lib;
    }

    /**
     * Whether a kqueue implementation is available: always on macOS and the BSDs; on Linux when
     * libkqueue can be loaded.
     *
     * @return true if {@link #open()} can succeed
     */
    public static boolean isAvailable() {
        return KqueueLibrary.isAvailable();
    }

    /**
     * Why kqueue is unavailable here, naming what was tried.
     *
     * @return the reason, or null if {@link #isAvailable()}
     */
    public static String unavailableReason() {
        return KqueueLibrary.unavailableReason();
    }

    /**
     * Creates a kqueue; its fd is close-on-exec.
     *
     * @return the queue, which owns its fd
     * @throws ErrnoException                e.g. {@code EMFILE}
     * @throws UnsupportedOperationException if no kqueue implementation is available, with the reason
     */
    public static Kqueue open() throws ErrnoException {
        KqueueLib lib = KqueueLibrary.get();
        int fd = lib.kqueue();
        if (fd < 0) {
            throw Errno.last("kqueue", ErrnoException.NO_FD);
        }
        try {
            // No portable kqueue1(O_CLOEXEC): macOS and the BSDs do not pass a kqueue across fork
            // anyway, and libkqueue's fd would otherwise survive an exec.
            Fds.setCloseOnExec(fd, true);
        } catch (ErrnoException e) {
            Fds.closeAfterFailure(fd, e);
            throw e;
        }
        return new Kqueue(fd, Ownership.OWNED, lib);
    }

    /**
     * Wraps an existing kqueue fd without taking ownership.
     *
     * @param fd a kqueue fd
     * @return the wrapper
     * @throws IllegalArgumentException      if {@code fd} is negative
     * @throws UnsupportedOperationException if no kqueue implementation is available, with the reason
     */
    public static Kqueue fromFd(int fd) {
        return fromFd(fd, Ownership.BORROWED);
    }

    /**
     * Wraps an existing kqueue fd.
     *
     * @param fd        a kqueue fd
     * @param ownership whether {@link #close()} closes it
     * @return the wrapper
     * @throws IllegalArgumentException      if {@code fd} is negative
     * @throws UnsupportedOperationException if no kqueue implementation is available, with the reason
     */
    public static Kqueue fromFd(int fd, Ownership ownership) {
        FileObjects.checkFd(fd);
        return new Kqueue(fd, Objects.requireNonNull(ownership, "ownership"), KqueueLibrary.get());
    }

    /**
     * Looks up any constant of this platform's {@code sys/event.h} by its C name.
     *
     * @param name e.g. {@code "EVFILT_EXCEPT"} or {@code "NOTE_SECONDS"}
     * @return the value, or empty if the platform does not define it
     */
    public static OptionalInt constant(String name) {
        return ABI.find(Objects.requireNonNull(name, "name"));
    }

    /**
     * Applies changes and then waits for events: Python's {@code kqueue.control}.
     *
     * @param changes   events to add, delete, enable... (may be empty)
     * @param maxEvents how many events to return at most; 0 only applies the changes and returns at
     *                  once, as {@code kevent} does, whatever the timeout
     * @param timeout   null to wait forever, zero not to wait
     * @return the events; changes that failed come back as {@code EV_ERROR} events when there is room
     * @throws ErrnoException           if kevent fails (e.g. {@code ENOENT} deleting an unknown event
     *                                  when {@code maxEvents} is 0)
     * @throws IllegalArgumentException for a negative {@code maxEvents} or timeout
     * @throws IllegalStateException    if another thread is waiting
     */
    public List<KEvent> control(Collection<KEvent> changes, int maxEvents, Duration timeout) throws ErrnoException {
        Objects.requireNonNull(changes, "changes");
        if (maxEvents < 0) {
            throw new IllegalArgumentException("Length of eventlist must be 0 or positive, got " + maxEvents);
        }
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative (null waits forever): " + timeout);
        }
        long nanos = timeout == null ? Timeouts.FOREVER : Timeouts.toNanos(timeout);
        guard.enterWaiter();
        try {
            ensureChangesCapacity(changes.size());
            int i = 0;
            for (KEvent change : changes) {
                ABI.encode(changesView, i++ * ABI.keventSize(), change.ident(), change.filter(), change.flags(),
                        change.fflags(), change.data(), change.udata());
            }
            // With no room for events kevent returns at once, timeout or not (as Python's control
            // does): one call that does not wait, not a wait loop that would retry "nothing
            // ready" until the deadline.
            int n = waitLocked(maxEvents == 0 ? 0 : nanos, maxEvents, changes.size());
            List<KEvent> result = new ArrayList<>(n);
            for (int e = 0; e < n; e++) {
                result.add(new KEvent(readyIdents[e], readyFilters[e], readyFlags[e], readyFflags[e], readyData[e], readyUdata[e]));
            }
            return result;
        } finally {
            guard.exitWaiter();
        }
    }

    /**
     * Applies one change at once, without waiting and without allocating.
     *
     * @param ident  the identifier (an fd for READ and WRITE)
     * @param filter a {@code KQ_FILTER_*} constant
     * @param flags  {@code KQ_EV_*} flags
     * @param fflags filter flags
     * @param data   filter data
     * @param udata  user data
     * @throws ErrnoException e.g. {@code ENOENT} deleting an event that does not exist, {@code EBADF}
     *                        for a closed fd
     */
    public void change(long ident, int filter, int flags, int fflags, long data, long udata) throws ErrnoException {
        guard.enter();
        try {
            synchronized (oneChange) {
                ABI.encode(oneChangeView, 0, ident, filter, flags, fflags, data, udata);
                for (;;) {
                    if (KqueueLibrary.kevent(lib, kq, oneChange.address(), 1, 0, 0, zeroTimeout) >= 0) {
                        return;
                    }
                    int errno = Native.lastErrno();
                    if (errno != Errno.EINTR) {
                        throw Errno.exception("kevent(" + ABI.filterName(filter) + ", " + ABI.flagNames(flags) + ")",
                                errno, (int) ident);
                    }
                }
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Waits for events, leaving them in place: the allocation-free form of {@link #control}.
     *
     * @param timeoutNanos negative to wait forever, zero not to wait; exact to the nanosecond
     * @param maxEvents    at least 1
     * @return the number of events, readable until the next wait
     * @throws ErrnoException           if kevent fails (never {@code EINTR}: it is retried)
     * @throws IllegalArgumentException if {@code maxEvents < 1}
     * @throws IllegalStateException    if another thread is waiting
     */
    public int waitReady(long timeoutNanos, int maxEvents) throws ErrnoException {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be greater than 0, got " + maxEvents);
        }
        guard.enterWaiter();
        try {
            return waitLocked(timeoutNanos, maxEvents, 0);
        } finally {
            guard.exitWaiter();
        }
    }

    private int waitLocked(long timeoutNanos, int maxEvents, int changeCount) throws ErrnoException {
        ensureEventsCapacity(maxEvents);
        waitMaxEvents = maxEvents;
        pendingChanges = changeCount;
        readyCount = 0;
        int n = InterruptibleWait.await(kernelWait, timeoutNanos, TimeUnit.NANOSECONDS, "kevent", kq);
        for (int e = 0; e < n; e++) {
            int at = e * ABI.keventSize();
            readyIdents[e] = ABI.ident(eventsView, at);
            readyFilters[e] = ABI.filter(eventsView, at);
            readyFlags[e] = ABI.flags(eventsView, at);
            readyFflags[e] = ABI.fflags(eventsView, at);
            readyData[e] = ABI.data(eventsView, at);
            readyUdata[e] = ABI.udata(eventsView, at);
        }
        readyCount = n;
        return n;
    }

    private int keventOnce(long timeoutNanos) {
        NativeBuffer timeout = null;
        if (timeoutNanos >= 0) {
            ABI.encodeTimespec(waitTimeoutView, 0, timeoutNanos);
            timeout = waitTimeout;
        }
        int changeCount = pendingChanges;
        // Changes are applied before the wait begins; a retry after EINTR must not apply them again.
        pendingChanges = 0;
        int n = KqueueLibrary.kevent(lib, kq, changes.address(), changeCount, events.address(), waitMaxEvents, timeout);
        return n >= 0 ? n : -Native.lastErrno();
    }

    private void ensureChangesCapacity(int count) {
        if (count > changesCapacity) {
            changes.ensureCapacity((long) count * ABI.keventSize());
            changesView = changes.asByteBuffer();
            changesCapacity = count;
        }
    }

    private void ensureEventsCapacity(int count) {
        if (count > eventsCapacity) {
            events.ensureCapacity((long) count * ABI.keventSize());
            eventsView = events.asByteBuffer();
            eventsCapacity = count;
            readyIdents = Arrays.copyOf(readyIdents, count);
            readyFilters = Arrays.copyOf(readyFilters, count);
            readyFlags = Arrays.copyOf(readyFlags, count);
            readyFflags = Arrays.copyOf(readyFflags, count);
            readyData = Arrays.copyOf(readyData, count);
            readyUdata = Arrays.copyOf(readyUdata, count);
        }
    }

    /**
     * The ident of the {@code i}-th event of the last wait.
     * Readable after {@link #close()} too: the results are kept in Java memory.
     *
     * @param i index below the count the wait returned
     * @return the ident
     * @throws IndexOutOfBoundsException if {@code i} is not below the count the last wait returned
     */
    public long readyIdent(int i) {
        return readyIdents[checkReadyIndex(i)];
    }

    /**
     * The filter of the {@code i}-th event of the last wait.
     * Readable after {@link #close()} too: the results are kept in Java memory.
     *
     * @param i index below the count the wait returned
     * @return the filter
     * @throws IndexOutOfBoundsException if {@code i} is not below the count the last wait returned
     */
    public int readyFilter(int i) {
        return readyFilters[checkReadyIndex(i)];
    }

    /**
     * The flags of the {@code i}-th event of the last wait.
     * Readable after {@link #close()} too: the results are kept in Java memory.
     *
     * @param i index below the count the wait returned
     * @return the flags
     * @throws IndexOutOfBoundsException if {@code i} is not below the count the last wait returned
     */
    public int readyFlags(int i) {
        return readyFlags[checkReadyIndex(i)];
    }

    /**
     * The filter flags of the {@code i}-th event of the last wait.
     * Readable after {@link #close()} too: the results are kept in Java memory.
     *
     * @param i index below the count the wait returned
     * @return the fflags
     * @throws IndexOutOfBoundsException if {@code i} is not below the count the last wait returned
     */
    public int readyFflags(int i) {
        return readyFflags[checkReadyIndex(i)];
    }

    /**
     * The data of the {@code i}-th event of the last wait.
     * Readable after {@link #close()} too: the results are kept in Java memory.
     *
     * @param i index below the count the wait returned
     * @return the data
     * @throws IndexOutOfBoundsException if {@code i} is not below the count the last wait returned
     */
    public long readyData(int i) {
        return readyData[checkReadyIndex(i)];
    }

    /**
     * The user data of the {@code i}-th event of the last wait.
     * Readable after {@link #close()} too: the results are kept in Java memory.
     *
     * @param i index below the count the wait returned
     * @return the udata
     * @throws IndexOutOfBoundsException if {@code i} is not below the count the last wait returned
     */
    public long readyUdata(int i) {
        return readyUdata[checkReadyIndex(i)];
    }

    private int checkReadyIndex(int i) {
        if (i < 0 || i >= readyCount) {
            throw new IndexOutOfBoundsException("ready index " + i + " out of range: the last wait returned " + readyCount);
        }
        return i;
    }

    /**
     * Returns the kqueue fd.
     *
     * @return the fd
     * @throws AlreadyClosedException after {@link #close()}
     */
    @Override
    public int fileno() {
        guard.checkOpen();
        return kq;
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
     * Closes the queue (its fd only if owned). Idempotent.
     */
    @Override
    public void close() {
        guard.close();
    }

    private void release() {
        for (NativeBuffer buffer : Arrays.asList(oneChange, zeroTimeout, waitTimeout, changes, events)) {
            buffer.free();
        }
        if (ownership == Ownership.OWNED) {
            Fds.closeOwned(kq);
        }
    }

    @Override
    public String toString() {
        return guard.isClosed() ? "Kqueue[closed]" : "Kqueue[fd=" + kq + "]";
    }
}
