package io.github.selectors4j.selectors;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.AlreadyRegisteredException;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.NotRegisteredException;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.internal.FileObjects;
import io.github.selectors4j.internal.ResourceGuard;
import io.github.selectors4j.internal.Timeouts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A selector: Python's {@code selectors.BaseSelector}, the high-level way to wait for many file
 * descriptors at once. Get one from {@link DefaultSelector#open()}, which picks the best backend.
 *
 * <pre>{@code
 * try (BaseSelector selector = DefaultSelector.open()) {
 *     selector.register(socket, EVENT_READ, "client 1");
 *     for (ReadyKey ready : selector.select(Duration.ofSeconds(5))) {
 *         System.out.println(ready.key().data() + " is readable");
 *     }
 * }
 * }</pre>
 *
 * <h2>Semantics (as CPython's {@code selectors})</h2>
 * <ul>
 *   <li>A file object is an {@code Integer} fd, a {@link io.github.selectors4j.FileDescriptorLike},
 *       a {@link java.io.FileDescriptor} or a JDK {@link java.nio.channels.SelectableChannel} (the
 *       last two need JVM flags, see the getting-started guide). An event mask is {@link #EVENT_READ}, {@link #EVENT_WRITE}
 *       or both; anything else is an {@link IllegalArgumentException}.</li>
 *   <li>An fd is registered at most once, whatever object it comes through
 *       ({@link AlreadyRegisteredException}); unknown objects raise {@link NotRegisteredException}.</li>
 *   <li>{@link #unregister} works after the fd was closed, and after its number was reused.</li>
 *   <li>{@link #modify} with new data only does not touch the kernel; an invalid mask fails without
 *       changing the key; if the kernel refuses the change, the key is unregistered and the error
 *       raised (the registration's state is unknown then, as in CPython).</li>
 *   <li>A failed kernel registration leaves no key behind.</li>
 *   <li>Hang-up and error conditions are reported as readiness for what the key asked for: a peer
 *       that closed makes a reader readable, a failed connect makes a writer writable.</li>
 *   <li>Timeouts: {@code null} blocks, zero or negative polls, a positive duration is rounded
 *       <em>up</em> to the backend's resolution. A signal (EINTR) does not end the wait early.</li>
 * </ul>
 *
 * <h2>Beyond Python</h2>
 * <ul>
 *   <li>{@link #select(Duration, ReadyHandler)} hands each ready key to a callback and allocates
 *       nothing; {@link #select(Duration)} builds a list, as Python does.</li>
 *   <li>{@link #wakeup()} makes a blocked select return, from any thread.</li>
 *   <li>No stale events: an fd unregistered by a handler earlier in the same batch, or registered
 *       after the wait began, is not reported. Closing a file object does not unregister it, here
 *       as in Python: a key whose file object was closed, before the wait or by an earlier handler,
 *       is still handed over (poll even reports a closed fd as ready), so unregister before closing.
 *       The reactor's {@code EventLoop} checks the file object and drops such watchers itself.</li>
 * </ul>
 *
 * <h2>Threads and closing</h2>
 * Like Python's, a selector is meant for one thread. {@link #wakeup()} and {@link #close()} may be
 * called from any thread. Closing from another thread while a select is blocked wakes it; the select
 * returns what it had and the kernel resources are released as it leaves. After {@code close()},
 * every method but {@code close()}, {@code isClosed()}, {@code wakeup()} and {@code backend()}
 * (which names what the selector was) throws {@link AlreadyClosedException}; {@code close()} is idempotent and {@code wakeup()} becomes a
 * no-op (as the JDK's, because another thread may race with the close).
 */
public abstract sealed class BaseSelector implements AutoCloseable
        permits EpollSelector, KqueueSelector, PollSelector, SelectSelector {

    /** Interest in, or readiness for, reading. */
    public static final int EVENT_READ = 1;
    /** Interest in, or readiness for, writing. */
    public static final int EVENT_WRITE = 2;

    /** The registration generation of the wakeup fd; user keys start at 1. */
    static final int WAKEUP_GENERATION = 0;
    /** Returned by {@link #readyGeneration} when the backend cannot tell. */
    static final int ANY_GENERATION = -1;

    /** The class name, computed once: it names the selector in every use-after-close error. */
    private final String name = getClass().getSimpleName();
    private final Wakeup wakeup;
    private final KeyTable table = new KeyTable();
    private final ResourceGuard guard = new ResourceGuard(name, this::release);
    private final SelectorMap mapView = new SelectorMap(this, table);
    private int lastGeneration;

    BaseSelector(Wakeup wakeup) {
        this.wakeup = wakeup;
    }

    // ----------------------------------------------------------------- the backend's part

    /** Adds {@code fd} to the kernel's interest set. */
    abstract void backendRegister(int fd, int events, int generation) throws ErrnoException;

    /** Changes an interest set entry from {@code oldEvents} to {@code events}. */
    abstract void backendModify(int fd, int oldEvents, int events, int generation) throws ErrnoException;

    /** Removes an interest set entry registered for {@code events}. */
    abstract void backendUnregister(int fd, int events) throws ErrnoException;

    /** Waits; returns the number of raw ready entries, the wakeup fd included. */
    abstract int backendWait(long timeoutNanos, int registeredCount) throws ErrnoException;

    /** The fd of raw ready entry {@code i}. */
    abstract int readyFd(int i);

    /** The readiness of raw entry {@code i} as {@code EVENT_*} bits, hang-up and errors included. */
    abstract int readyEvents(int i);

    /** The generation the kernel returned with entry {@code i}, or {@link #ANY_GENERATION}. */
    int readyGeneration(int i) {
        return ANY_GENERATION;
    }

    /** Releases the kernel object. */
    abstract void backendClose();

    /**
     * Names the backend.
     *
     * @return the backend of this selector
     */
    public abstract SelectorBackend backend();

    /** Adds the wakeup fd to the kernel's interest set, level-triggered unless a backend knows better. */
    void registerWakeup(Wakeup wakeup) throws ErrnoException {
        backendRegister(wakeup.fd(), EVENT_READ, WAKEUP_GENERATION);
    }

    /** Registers the wakeup fd; the factories call it once the backend exists, and close on failure. */
    static <S extends BaseSelector> S started(S selector) throws ErrnoException {
        try {
            BaseSelector base = selector;
            base.registerWakeup(base.wakeup);
            return selector;
        } catch (ErrnoException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    // ----------------------------------------------------------------- registration

    /**
     * Registers a file object with no data.
     *
     * @param fileobj an {@code Integer} fd, a {@link io.github.selectors4j.FileDescriptorLike}, a
     *                {@link java.io.FileDescriptor} or a JDK {@link java.nio.channels.SelectableChannel}
     * @param events  {@link #EVENT_READ}, {@link #EVENT_WRITE} or both
     * @return the new key
     * @throws IllegalArgumentException      for an invalid mask or an object without a valid fd
     * @throws AlreadyRegisteredException    if the fd is registered already, through any object
     * @throws IOException                   if the kernel refuses (e.g. {@code EPERM} for a regular
     *                                       file on epoll, {@code EBADF} for a closed fd); no key is
     *                                       left behind
     * @throws UnsupportedOperationException for a {@code FileDescriptor} or JDK channel whose fd
     *                                       cannot be read without the JVM flag the message names
     * @throws AlreadyClosedException        after {@link #close()}
     */
    public final SelectorKey register(Object fileobj, int events) throws IOException {
        return register(fileobj, events, null);
    }

    /**
     * Registers a file object.
     *
     * @param fileobj an {@code Integer} fd, a {@link io.github.selectors4j.FileDescriptorLike}, a
     *                {@link java.io.FileDescriptor} or a JDK {@link java.nio.channels.SelectableChannel}
     * @param events  {@link #EVENT_READ}, {@link #EVENT_WRITE} or both
     * @param data    anything, null included, handed back in the key
     * @return the new key
     * @throws IllegalArgumentException      for an invalid mask or an object without a valid fd
     * @throws AlreadyRegisteredException    if the fd is registered already, through any object
     * @throws IOException                   if the kernel refuses; no key is left behind
     * @throws UnsupportedOperationException for a {@code FileDescriptor} or JDK channel whose fd
     *                                       cannot be read without the JVM flag the message names
     * @throws AlreadyClosedException        after {@link #close()}
     */
    public final SelectorKey register(Object fileobj, int events, Object data) throws IOException {
        guard.enter();
        try {
            checkEvents(events);
            int fd = FileObjects.fd(fileobj);
            if (table.get(fd) != null) {
                throw new AlreadyRegisteredException(fileobj, fd);
            }
            if (fd == wakeup.fd()) {
                throw new IllegalArgumentException("fd " + fd + " is this selector's own wakeup fd");
            }
            int generation = nextGeneration();
            backendRegister(fd, events, generation);
            SelectorKey key = new SelectorKey(fileobj, fd, events, data);
            table.put(fd, key, generation);
            return key;
        } finally {
            guard.exit();
        }
    }

    /**
     * Unregisters a file object. Works after the fd was closed (an object that can no longer
     * tell its fd is found by identity) and after the fd number was reused.
     *
     * @param fileobj the object given to {@link #register}, or another with the same fd
     * @return the key that was removed
     * @throws NotRegisteredException   if the object is not registered
     * @throws IllegalArgumentException if the object has no fd and is not registered
     * @throws UncheckedIOException     if the kernel reports anything but "that fd is gone" (a bug);
     *                                  the key is removed all the same
     * @throws AlreadyClosedException   after {@link #close()}
     */
    public final SelectorKey unregister(Object fileobj) {
        guard.enter();
        try {
            int fd = lookupFd(fileobj);
            SelectorKey key = table.remove(fd);
            if (key == null) {
                throw new NotRegisteredException(fileobj);
            }
            try {
                backendUnregister(fd, key.events());
            } catch (ErrnoException e) {
                if (!isFdGone(e)) {
                    throw new UncheckedIOException(e);
                }
            }
            return key;
        } finally {
            guard.exit();
        }
    }

    /**
     * Changes the events of a registration and sets its data to null, as Python's
     * {@code modify(fileobj, events)}.
     *
     * @param fileobj a registered file object
     * @param events  the new mask
     * @return the new key
     * @throws IllegalArgumentException for an invalid mask; the key is unchanged
     * @throws NotRegisteredException   if the object is not registered
     * @throws IOException              if the kernel refuses; the key is then unregistered
     * @throws AlreadyClosedException   after {@link #close()}
     */
    public final SelectorKey modify(Object fileobj, int events) throws IOException {
        return modify(fileobj, events, null);
    }

    /**
     * Changes the events and/or data of a registration. When only the data changes, the kernel is
     * not involved.
     *
     * @param fileobj a registered file object
     * @param events  the new mask
     * @param data    the new data, null included
     * @return the new key (the same key if nothing changed)
     * @throws IllegalArgumentException for an invalid mask; the key is unchanged
     * @throws NotRegisteredException   if the object is not registered
     * @throws IOException              if the kernel refuses; the key is then unregistered
     * @throws AlreadyClosedException   after {@link #close()}
     */
    public final SelectorKey modify(Object fileobj, int events, Object data) throws IOException {
        guard.enter();
        try {
            checkEvents(events);
            int fd = lookupFd(fileobj);
            SelectorKey key = table.get(fd);
            if (key == null) {
                throw new NotRegisteredException(fileobj);
            }
            if (events != key.events()) {
                try {
                    backendModify(fd, key.events(), events, table.generation(fd));
                } catch (ErrnoException e) {
                    table.remove(fd);
                    try {
                        backendUnregister(fd, key.events());
                    } catch (ErrnoException cleanup) {
                        e.addSuppressed(cleanup);
                    }
                    throw e;
                }
            } else if (Objects.equals(data, key.data())) {
                return key;
            }
            SelectorKey updated = new SelectorKey(key.fileobj(), fd, events, data);
            table.replace(fd, updated);
            return updated;
        } finally {
            guard.exit();
        }
    }

    /**
     * Returns the key of a registered file object.
     *
     * @param fileobj a file object
     * @return its key
     * @throws NotRegisteredException if it is not registered
     * @throws AlreadyClosedException after {@link #close()}
     */
    public final SelectorKey getKey(Object fileobj) {
        guard.enter();
        try {
            SelectorKey key = table.get(lookupFd(fileobj));
            if (key == null) {
                throw new NotRegisteredException(fileobj);
            }
            return key;
        } finally {
            guard.exit();
        }
    }

    /**
     * Returns a live, read-only view of the registrations, from fd to key, in ascending fd order.
     * As with Python's mapping, {@code get} and {@code containsKey} also accept any file object.
     *
     * @return the view; it empties when the selector is closed
     * @throws AlreadyClosedException after {@link #close()}
     */
    public final Map<Integer, SelectorKey> getMap() {
        guard.checkOpen();
        return mapView;
    }

    // ----------------------------------------------------------------- selecting

    /**
     * Waits until a registered fd is ready or {@link #wakeup()} is called.
     *
     * @return the ready keys; empty if woken up
     * @throws IOException if the backend fails (e.g. {@code EBADF} from {@link SelectSelector})
     */
    public final List<ReadyKey> select() throws IOException {
        return select(null);
    }

    /**
     * Waits until a registered fd is ready, the timeout passes, or {@link #wakeup()} is called.
     *
     * @param timeout null to block, zero or negative not to wait; rounded up to the backend's
     *                resolution
     * @return the ready keys with their ready events; empty on timeout or wakeup
     * @throws IOException            if the backend fails
     * @throws AlreadyClosedException after {@link #close()}
     * @throws IllegalStateException  if another thread is selecting
     */
    public final List<ReadyKey> select(Duration timeout) throws IOException {
        List<ReadyKey> ready = new ArrayList<>();
        select(timeout, (key, events) -> ready.add(new ReadyKey(key, events)));
        return ready;
    }

    /**
     * Waits like {@link #select(Duration)} and hands each ready key to {@code handler}; allocates
     * nothing. Each key is checked against the current registration just before its handler runs,
     * so an earlier handler may unregister later fds of the same batch (one it closes without
     * unregistering is still handed over, see the class comment).
     *
     * @param timeout null to block, zero or negative not to wait
     * @param handler receives each ready key and its events
     * @return the number of keys handed to the handler
     * @throws IOException            if the backend or the handler fails
     * @throws AlreadyClosedException after {@link #close()}
     * @throws IllegalStateException  if another thread is selecting
     */
    public final int select(Duration timeout, ReadyHandler handler) throws IOException {
        long timeoutNanos = timeout == null ? Timeouts.FOREVER
                : timeout.isNegative() || timeout.isZero() ? 0 : Timeouts.toNanos(timeout);
        return selectNanos(timeoutNanos, handler);
    }

    /**
     * Waits like {@link #select(Duration, ReadyHandler)}, with the timeout as a number, so that a loop
     * computing a new timeout each time allocates no {@code Duration}.
     *
     * @param timeout zero or negative not to wait; {@code Long.MAX_VALUE} nanoseconds (or any timeout
     *                longer than about 146 years) to block
     * @param unit    the timeout's unit
     * @param handler receives each ready key and its events
     * @return the number of keys handed to the handler
     * @throws IOException            if the backend or the handler fails
     * @throws AlreadyClosedException after {@link #close()}
     */
    public final int select(long timeout, TimeUnit unit, ReadyHandler handler) throws IOException {
        Objects.requireNonNull(unit, "unit");
        long nanos = unit.toNanos(timeout);
        return selectNanos(nanos <= 0 ? 0 : Timeouts.isEffectivelyForever(nanos) ? Timeouts.FOREVER : nanos, handler);
    }

    private int selectNanos(long timeoutNanos, ReadyHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        guard.enterWaiter();
        try {
            int batchGeneration = lastGeneration;
            return dispatch(backendWait(timeoutNanos, table.size()), batchGeneration, handler);
        } finally {
            guard.exitWaiter();
        }
    }

    private int dispatch(int entries, int batchGeneration, ReadyHandler handler) throws IOException {
        int delivered = 0;
        for (int i = 0; i < entries && !guard.isClosed(); i++) {
            int fd = readyFd(i);
            if (fd == wakeup.fd()) {
                wakeup.drain();
                continue;
            }
            SelectorKey key = table.get(fd);
            if (key == null || !isCurrent(fd, batchGeneration, readyGeneration(i))) {
                continue;
            }
            int events = readyEvents(i) & key.events();
            if (events != 0) {
                delivered++;
                handler.ready(key, events);
            }
        }
        return delivered;
    }

    /**
     * An event belongs to the fd's current registration if that registration is not newer than
     * the wait (an fd re-registered by a handler is not ready just because its number was) and,
     * where the kernel returns the generation it was told, the two agree (epoll keeps reporting a
     * file under an old fd number if the file outlived that number through a dup).
     */
    private boolean isCurrent(int fd, int batchGeneration, int eventGeneration) {
        int generation = table.generation(fd);
        return generation - batchGeneration <= 0 && (eventGeneration == ANY_GENERATION || eventGeneration == generation);
    }

    /**
     * Makes the current select return, or the next one if none is in progress. Thread-safe;
     * concurrent calls coalesce into one system call. A no-op after {@link #close()}.
     */
    public final void wakeup() {
        wakeup.signal();
    }

    // ----------------------------------------------------------------- closing

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public final boolean isClosed() {
        return guard.isClosed();
    }

    /**
     * Closes the selector: forgets every key and releases the kernel object. Registered fds are not
     * closed (they are not the selector's). Idempotent and thread-safe: a select blocked in another
     * thread is woken and the release happens when it returns.
     */
    @Override
    public final void close() {
        guard.close();
        // Wakes a select blocked in another thread, which then releases on its way out; a no-op
        // if the release already happened here.
        wakeup.signal();
    }

    private void release() {
        table.clear();
        try {
            backendClose();
        } finally {
            wakeup.close();
        }
    }

    // ----------------------------------------------------------------- helpers

    /** Resolves a file object to a registered fd number, falling back to identity (Python's _fileobj_lookup). */
    int lookupFd(Object fileobj) {
        int fd = FileObjects.tryFd(fileobj);
        if (fd != FileObjects.NO_FD) {
            return fd;
        }
        int found = table.findByIdentity(fileobj);
        if (found >= 0) {
            return found;
        }
        return FileObjects.fd(fileobj);
    }

    int registeredCount() {
        return table.size();
    }

    private int nextGeneration() {
        int next = lastGeneration + 1;
        if (next == WAKEUP_GENERATION || next == ANY_GENERATION) {
            next = 1;
        }
        lastGeneration = next;
        return next;
    }

    private static boolean isFdGone(ErrnoException e) {
        return e.errno() == Errno.EBADF || e.errno() == Errno.ENOENT;
    }

    static void checkEvents(int events) {
        if (events == 0 || (events & ~(EVENT_READ | EVENT_WRITE)) != 0) {
            throw new IllegalArgumentException("Invalid events: " + events
                    + " (use EVENT_READ, EVENT_WRITE or both)");
        }
    }

    static String eventsToString(int events) {
        return switch (events) {
            case 0 -> "0";
            case EVENT_READ -> "READ";
            case EVENT_WRITE -> "WRITE";
            case EVENT_READ | EVENT_WRITE -> "READ|WRITE";
            default -> "0x" + Integer.toHexString(events);
        };
    }

    @Override
    public String toString() {
        return name + (guard.isClosed() ? "[closed]" : "[" + table.size() + " keys]");
    }
}
