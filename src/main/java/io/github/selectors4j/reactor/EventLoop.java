package io.github.selectors4j.reactor;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.FileDescriptorLike;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.internal.FileObjects;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import io.github.selectors4j.selectors.ReadyHandler;
import io.github.selectors4j.selectors.SelectorKey;
import java.io.FileDescriptor;
import java.io.IOException;
import java.time.Duration;
import java.nio.channels.SelectableChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A reactor: one thread waiting on a selector and calling back on readiness, timers and queued
 * work. The common core of asyncio's low-level loop, libuv and Twisted's reactor, over any file
 * descriptor selectors4j can register.
 *
 * <pre>{@code
 * try (EventLoop loop = EventLoop.open()) {
 *     loop.addReader(socket, () -> {
 *         ByteBuffer buffer = ByteBuffer.allocate(4096);
 *         if (socket.recv(buffer) < 0) loop.removeReader(socket);
 *     });
 *     loop.callLater(Duration.ofSeconds(10), loop::stop);
 *     loop.runForever();
 * }
 * }</pre>
 *
 * <h2>One iteration</h2>
 * <ol>
 *   <li>Work submitted from other threads is moved to the loop's queue; then the callbacks queued
 *       so far run, in FIFO order. Callbacks queued while they run wait for the next iteration,
 *       so a callback that re-queues itself cannot starve I/O.</li>
 *   <li>Interest changes made since the last select are applied to the selector, once per fd.</li>
 *   <li>The timeout is computed: zero if callbacks are waiting (or the condition of
 *       {@link #runUntil(BooleanSupplier) runUntil} holds already), else until the next timer (the
 *       selector rounds it up), else forever; {@link #runOnce()} with nothing registered, scheduled
 *       or queued returns at once instead.</li>
 *   <li>The selector waits, and readiness is dispatched: for each ready fd its reader, then its
 *       writer (or its {@link Watch}'s handler). An fd whose watcher was removed, or whose file
 *       object was closed, by an earlier callback of the same batch is skipped; an fd number reused
 *       since the wait began never receives the old watcher's readiness. "Closed" is what the file
 *       object says: a closed {@link FileDescriptorLike}, a JDK channel that is no longer open, a
 *       {@code java.io.FileDescriptor} that is no longer valid. A watcher added with a bare
 *       {@code Integer} cannot know: close such an fd only after removing its watcher, or a
 *       readiness already reported for it in the same batch still runs its callback, and a new file
 *       given the same number may go unwatched: epoll dropped the old file's registration (asyncio
 *       has the same limit).</li>
 *   <li>{@link #time()} is read again, and every timer whose deadline has passed runs, in deadline
 *       order; equal deadlines run in scheduling order. Timers never run early. A timer scheduled
 *       by these timers waits for the next iteration even if it is already due, so that a timer
 *       re-arming itself cannot starve I/O.</li>
 * </ol>
 *
 * <h2>Threads</h2>
 * The loop belongs to the thread that runs it. {@link #execute}, {@link #callSoonThreadsafe},
 * {@link #stop()} and {@link #wakeup()} may be called from any thread; submissions wake the selector,
 * and many submissions between two iterations cost one wakeup. Every other method must be called on
 * the loop's thread (or while the loop is not running), and says so otherwise.
 *
 * <h2>Errors</h2>
 * A callback that throws is reported to the {@link #setExceptionHandler exception handler} (by
 * default, logged with {@code System.Logger}) and the loop goes on. A failing selector ends the
 * {@code run} method with its {@code IOException}.
 *
 * <h2>Garbage</h2>
 * Dispatching readiness allocates nothing: one handler object serves every event, watchers are
 * looked up through the selector's key, and callbacks are called through their interfaces.
 * Scheduling allocates one {@link Handle} per callback; cross-thread submission also one queue node.
 */
public final class EventLoop implements Executor, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final int READ = BaseSelector.EVENT_READ;
    private static final int WRITE = BaseSelector.EVENT_WRITE;

    private final BaseSelector selector;
    private final ReadyHandler dispatcher = this::dispatch;
    private final ArrayDeque<Handle> ready = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Handle> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupRequested = new AtomicBoolean();
    private final TimerQueue timers = new TimerQueue();
    private final List<Watch> dirty = new ArrayList<>();
    private Watch[] watches = new Watch[64];
    private int watchCount;
    private long sequence;
    /** Iterations run, for tests that bound work per iteration; the loop's thread's, as every other field. */
    private long iterations;
    private long now = System.nanoTime();
    private volatile Thread thread;
    /** Held while a run method starts or ends, and by {@link #runAsOwner} while it acts for a loop that is not running. */
    private final Object ownership = new Object();
    private volatile boolean stopping;
    /** The condition of the running {@link #runUntil(BooleanSupplier)}, or null. */
    private BooleanSupplier until;
    private volatile boolean closed;
    private ExceptionHandler exceptionHandler = EventLoop::log;

    private EventLoop(BaseSelector selector) {
        this.selector = selector;
    }

    /**
     * Creates a loop over a new {@link DefaultSelector}.
     *
     * @return the loop
     * @throws IOException if the selector cannot be opened
     */
    public static EventLoop open() throws IOException {
        return new EventLoop(DefaultSelector.open());
    }

    /**
     * Creates a loop over the given selector, which the loop then owns and closes.
     *
     * @param selector an open selector with nothing registered
     * @return the loop
     * @throws IllegalArgumentException if the selector already has registrations
     */
    public static EventLoop open(BaseSelector selector) {
        Objects.requireNonNull(selector, "selector");
        if (!selector.getMap().isEmpty()) {
            throw new IllegalArgumentException("the selector already has registrations: " + selector);
        }
        return new EventLoop(selector);
    }

    // ------------------------------------------------------------------ fd watchers

    /**
     * Calls {@code callback} whenever {@code fileobj} is readable, replacing any previous reader of
     * that fd: asyncio's {@code add_reader}.
     *
     * @param fileobj  an fd, {@link FileDescriptorLike}, {@code FileDescriptor} or JDK channel
     * @param callback what to run
     * @throws IOException           if the selector refuses the fd (e.g. {@code EPERM} for a file on epoll)
     * @throws IllegalStateException if the fd is watched by a {@link Watch}, or off the loop's thread
     */
    public void addReader(Object fileobj, Callback callback) throws IOException {
        addSlot(fileobj, Objects.requireNonNull(callback, "callback"), true);
    }

    /**
     * Calls {@code callback} whenever {@code fileobj} is writable, replacing any previous writer:
     * asyncio's {@code add_writer}.
     *
     * @param fileobj  a file object
     * @param callback what to run
     * @throws IOException           if the selector refuses the fd
     * @throws IllegalStateException if the fd is watched by a {@link Watch}, or off the loop's thread
     */
    public void addWriter(Object fileobj, Callback callback) throws IOException {
        addSlot(fileobj, Objects.requireNonNull(callback, "callback"), false);
    }

    /**
     * Stops calling the reader of {@code fileobj}.
     *
     * @param fileobj a file object
     * @return whether there was a reader
     */
    public boolean removeReader(Object fileobj) {
        return removeSlot(fileobj, true);
    }

    /**
     * Stops calling the writer of {@code fileobj}.
     *
     * @param fileobj a file object
     * @return whether there was a writer
     */
    public boolean removeWriter(Object fileobj) {
        return removeSlot(fileobj, false);
    }

    /**
     * Watches {@code fileobj} with one handler for both directions; the returned {@link Watch}
     * changes its interest or cancels it.
     *
     * @param fileobj a file object not yet watched by this loop
     * @param events  the initial interest: READ, WRITE, both, or 0 (paused)
     * @param handler receives readiness
     * @return the watch
     * @throws IOException           if the selector refuses the fd
     * @throws IllegalStateException if the fd is already watched, or off the loop's thread
     */
    public Watch watch(Object fileobj, int events, WatchHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        if ((events & ~(READ | WRITE)) != 0) {
            throw new IllegalArgumentException("Invalid events: " + events);
        }
        checkThread();
        int fd = FileObjects.fd(fileobj);
        Watch existing = liveWatchOf(fd);
        if (existing != null) {
            throw new IllegalStateException("fd " + fd + " is already watched by this loop: " + existing);
        }
        Watch watch = new Watch(this, fileobj, fd, handler);
        watch.interest = events;
        if (events != 0) {
            register(watch);
        }
        store(watch);
        return watch;
    }

    private void addSlot(Object fileobj, Callback callback, boolean reader) throws IOException {
        checkThread();
        int fd = FileObjects.fd(fileobj);
        Watch watch = liveWatchOf(fd);
        if (watch != null && watch.handler != null) {
            throw new IllegalStateException("fd " + fd + " is watched by " + watch + "; cancel it first");
        }
        if (watch == null) {
            watch = new Watch(this, fileobj, fd, null);
            setSlot(watch, callback, reader);
            watch.interest = reader ? READ : WRITE;
            register(watch);
            store(watch);
            return;
        }
        setSlot(watch, callback, reader);
        changeInterest(watch, watch.interest | (reader ? READ : WRITE));
    }

    private boolean removeSlot(Object fileobj, boolean reader) {
        checkThread();
        Watch watch = watchOf(fileobj);
        if (watch == null || watch.handler != null || (reader ? watch.reader : watch.writer) == null) {
            return false;
        }
        setSlot(watch, null, reader);
        int interest = watch.interest & ~(reader ? READ : WRITE);
        if (interest == 0) {
            cancelWatch(watch);
        } else {
            changeInterest(watch, interest);
        }
        return true;
    }

    private static void setSlot(Watch watch, Callback callback, boolean reader) {
        if (reader) {
            watch.reader = callback;
        } else {
            watch.writer = callback;
        }
    }

    /** Records a new interest; the selector learns it just before the next select. */
    void changeInterest(Watch watch, int events) {
        checkThread();
        watch.interest = events;
        if (!watch.dirty && events != watch.registered) {
            watch.dirty = true;
            dirty.add(watch);
        }
    }

    /** Removes a watch at once, so that a new watch of the same fd number can follow it. */
    void cancelWatch(Watch watch) {
        checkThread();
        watch.active = false;
        watch.interest = 0;
        if (watch.registered != 0) {
            watch.registered = 0;
            unregisterQuietly(watch);
        }
        if (watches[watch.fd] == watch) {
            watches[watch.fd] = null;
            watchCount--;
        }
    }

    private void register(Watch watch) throws IOException {
        selector.register(watch.fileobj, watch.interest, watch);
        watch.registered = watch.interest;
    }

    private void unregisterQuietly(Watch watch) {
        try {
            selector.unregister(watch.fd);
        } catch (RuntimeException e) {
            report("unregistering " + watch.fileobj, e);
        }
    }

    /** Step 2 of an iteration: one selector call per changed watch, with its final interest. */
    private void applyInterestChanges() {
        for (int i = 0; i < dirty.size(); i++) {
            Watch watch = dirty.get(i);
            watch.dirty = false;
            if (!watch.active || watch.interest == watch.registered) {
                continue;
            }
            try {
                if (watch.interest == 0) {
                    selector.unregister(watch.fd);
                } else if (watch.registered == 0) {
                    selector.register(watch.fileobj, watch.interest, watch);
                } else {
                    selector.modify(watch.fd, watch.interest, watch);
                }
                watch.registered = watch.interest;
            } catch (IOException | RuntimeException e) {
                // The fd is unusable (closed behind our back, say): stop watching it.
                watch.registered = 0;
                cancelWatch(watch);
                report("changing the interest of " + watch.fileobj, e);
            }
        }
        dirty.clear();
    }

    private Watch watchOf(int fd) {
        return fd < watches.length ? watches[fd] : null;
    }

    /**
     * The watch of {@code fd}, dropping it first if it is stale: its file object was closed (or no
     * longer has that fd), so the number was freed and may now name another file. Without this, a
     * new watcher of the reused number would join the stale watch, whose selector registration the
     * kernel dropped with the old file, and never hear of the new one; or be cancelled with it when
     * a batch reports the old file closed.
     */
    private Watch liveWatchOf(int fd) {
        Watch watch = watchOf(fd);
        if (watch != null && isStale(watch)) {
            cancelWatch(watch);
            return null;
        }
        return watch;
    }

    private Watch watchOf(Object fileobj) {
        int fd = FileObjects.tryFd(fileobj);
        if (fd != FileObjects.NO_FD) {
            return watchOf(fd);
        }
        for (Watch watch : watches) {
            if (watch != null && watch.fileobj == fileobj) {
                return watch;
            }
        }
        return null;
    }

    private void store(Watch watch) {
        if (watch.fd >= watches.length) {
            watches = Arrays.copyOf(watches, Math.max(watches.length * 2, watch.fd + 1));
        }
        watches[watch.fd] = watch;
        watchCount++;
    }

    // ------------------------------------------------------------------ scheduling

    /**
     * Runs {@code callback} in the next iteration, after the callbacks already queued:
     * asyncio's {@code call_soon}.
     *
     * @param callback what to run
     * @return a handle to cancel it
     */
    public Handle callSoon(Callback callback) {
        checkThread();
        checkOpen();
        Handle handle = new Handle(Objects.requireNonNull(callback, "callback"), sequence++, Handle.SOON, 0, null);
        ready.add(handle);
        return handle;
    }

    /**
     * Runs {@code callback} once {@code delay} has passed, never earlier: asyncio's
     * {@code call_later}.
     *
     * @param delay    how long from now; zero or negative means at the next timer check
     * @param callback what to run
     * @return a handle to cancel it
     */
    public Handle callLater(Duration delay, Callback callback) {
        Objects.requireNonNull(delay, "delay");
        return callAt(deadlineAfter(delay), callback);
    }

    /**
     * Runs {@code callback} at a deadline of the loop's clock ({@link #time()}, nanoseconds of
     * {@link System#nanoTime()}): asyncio's {@code call_at}.
     *
     * @param deadline when, in {@code System.nanoTime()} terms
     * @param callback what to run
     * @return a handle to cancel it
     */
    public Handle callAt(long deadline, Callback callback) {
        return schedule(deadline, 0, callback);
    }

    /**
     * Runs {@code callback} every {@code period}, first one period from now, until its handle is
     * cancelled. Fixed rate: each run is due one period after the previous one was due; if the loop
     * fell more than a period behind, the missed runs are skipped rather than run in a burst.
     *
     * @param period   the interval, positive
     * @param callback what to run
     * @return a handle to cancel it
     */
    public Handle callEvery(Duration period, Callback callback) {
        Objects.requireNonNull(period, "period");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        return schedule(deadlineAfter(period), saturatedNanos(period), callback);
    }

    private Handle schedule(long deadline, long period, Callback callback) {
        checkThread();
        checkOpen();
        Handle timer = new Handle(Objects.requireNonNull(callback, "callback"), sequence++, deadline, period, timers);
        timers.add(timer);
        return timer;
    }

    private static long deadlineAfter(Duration delay) {
        long nanos = delay.isNegative() ? 0 : saturatedNanos(delay);
        long start = System.nanoTime();
        return nanos > Long.MAX_VALUE / 2 ? start + Long.MAX_VALUE / 2 : start + nanos;
    }

    private static long saturatedNanos(Duration duration) {
        return duration.getSeconds() >= Long.MAX_VALUE / 2_000_000_000L ? Long.MAX_VALUE / 2 : duration.toNanos();
    }

    /**
     * Runs {@code command} on the loop's thread, from any thread: the {@link Executor} contract.
     *
     * @param command what to run
     * @throws RejectedExecutionException if the loop is closed
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        callSoonThreadsafe(command::run);
    }

    /**
     * Queues {@code callback} from any thread and wakes the loop: asyncio's
     * {@code call_soon_threadsafe}.
     *
     * @param callback what to run on the loop's thread
     * @return a handle; cancel it only from the loop's thread
     * @throws RejectedExecutionException if the loop is closed
     */
    public Handle callSoonThreadsafe(Callback callback) {
        Objects.requireNonNull(callback, "callback");
        if (closed) {
            throw new RejectedExecutionException("the event loop is closed");
        }
        Handle handle = new Handle(callback, 0, Handle.SOON, 0, null);
        incoming.add(handle);
        if (!isInLoopThread() && wakeupRequested.compareAndSet(false, true)) {
            wakeup();
        }
        return handle;
    }

    /**
     * Makes a blocked iteration return, from any thread.
     */
    public void wakeup() {
        selector.wakeup();
    }

    // ------------------------------------------------------------------ running

    /**
     * Runs until {@link #stop()} is called. A {@code stop()} made before this call ends it after one
     * iteration that does not wait.
     *
     * @throws IOException           if the selector fails
     * @throws IllegalStateException if the loop is running already, or closed
     */
    public void runForever() throws IOException {
        enter();
        try {
            // At least one iteration: after a stop() that came first it polls once without
            // waiting and runs what is due, as asyncio's run_forever does.
            do {
                iterate(true);
            } while (!stopping);
        } finally {
            leave();
        }
    }

    /**
     * Runs one iteration: the callbacks queued so far, then a select, then the due timers. The
     * select only polls if the iteration already ran callbacks, or if nothing is watched,
     * scheduled or queued; otherwise it waits for the next thing to do.
     *
     * @throws IOException           if the selector fails
     * @throws IllegalStateException if the loop is running already, or closed
     */
    public void runOnce() throws IOException {
        enter();
        try {
            iterate(false);
        } finally {
            leave();
        }
    }

    /**
     * Runs until {@code condition} holds (checked after each iteration, and before the loop would
     * wait, so that a callback making it true ends the run without waiting for I/O) or
     * {@link #stop()} is called. If another thread makes the condition true, it should also call
     * {@link #wakeup()}.
     *
     * @param condition when to stop
     * @throws IOException if the selector fails
     */
    public void runUntil(BooleanSupplier condition) throws IOException {
        Objects.requireNonNull(condition, "condition");
        enter();
        try {
            until = condition;
            while (!stopping && !condition.getAsBoolean()) {
                iterate(true);
            }
        } finally {
            leave();
        }
    }

    /**
     * Runs until {@code future} completes, from this loop or any other thread: asyncio's
     * {@code run_until_complete}.
     *
     * @param future the future to wait for
     * @param <T>    its result type
     * @return its result
     * @throws IOException       if the selector fails
     * @throws java.util.concurrent.CompletionException if the future failed
     * @throws java.util.concurrent.CancellationException if it was cancelled
     * @throws IllegalStateException if the loop was stopped before the future completed
     */
    public <T> T runUntil(CompletableFuture<T> future) throws IOException {
        Objects.requireNonNull(future, "future");
        future.whenComplete((result, error) -> wakeup());
        runUntil(future::isDone);
        if (!future.isDone()) {
            throw new IllegalStateException("the loop stopped before the future completed");
        }
        return future.join();
    }

    /**
     * Makes {@code runForever} (or {@code runUntil}) return after the current iteration. Thread-safe.
     */
    public void stop() {
        stopping = true;
        wakeup();
    }

    private void enter() {
        synchronized (ownership) {
            checkOpen();
            if (thread != null) {
                throw new IllegalStateException("the event loop is already running in " + thread.getName());
            }
            thread = Thread.currentThread();
        }
    }

    private void leave() {
        synchronized (ownership) {
            until = null;
            stopping = false;
            thread = null;
        }
    }

    /**
     * Runs {@code action} as the loop's owner: at once on the loop's thread; at once on the calling
     * thread if the loop is not running, holding it so that no {@code run} method can start until the
     * action is done; otherwise queued to the running loop. A check of {@link #isRunning()} followed by
     * a call would race with a {@code run} starting in between, and the action would then run beside
     * the loop. An action queued to a loop that stops before running it waits for the next run.
     */
    void runAsOwner(Runnable action) {
        if (isInLoopThread()) {
            action.run();
            return;
        }
        synchronized (ownership) {
            if (thread == null) {
                action.run();
                return;
            }
            execute(action);
        }
    }

    /** One iteration, as the class documentation lists it. */
    private void iterate(boolean blockWhenIdle) throws IOException {
        iterations++;
        now = System.nanoTime();
        boolean ranCallbacks = runReadyCallbacks();
        applyInterestChanges();
        // runOnce() that already did work only polls: a caller stepping the loop expects it back.
        long timeout = !blockWhenIdle && ranCallbacks ? 0 : timeoutNanos(blockWhenIdle);
        try {
            selector.select(timeout, TimeUnit.NANOSECONDS, dispatcher);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EBADF || !dropClosedWatches(e)) {
                throw e;
            }
        }
        now = System.nanoTime();
        runDueTimers();
    }

    /** Step 1; returns whether any callback ran. */
    private boolean runReadyCallbacks() {
        // A submitter that sees the flag clear will wake us again; clearing it before draining
        // means no submission can slip between the drain and the clearing.
        wakeupRequested.set(false);
        for (Handle handle; (handle = incoming.poll()) != null; ) {
            ready.add(handle);
        }
        boolean ran = false;
        for (int n = ready.size(); n > 0; n--) {
            Handle handle = ready.poll();
            if (!handle.cancelled) {
                run(handle.callback, "callback");
                ran = true;
            }
        }
        return ran;
    }

    private long timeoutNanos(boolean blockWhenIdle) {
        if (!ready.isEmpty() || !incoming.isEmpty() || stopping || (until != null && until.getAsBoolean())) {
            return 0;
        }
        Handle next = nextTimer();
        if (next != null) {
            return Math.max(0, next.deadline - System.nanoTime());
        }
        return blockWhenIdle || watchCount > 0 ? Long.MAX_VALUE : 0;
    }

    /** The next live timer, dropping cancelled ones from the head. */
    private Handle nextTimer() {
        Handle next;
        while ((next = timers.peek()) != null && next.cancelled) {
            timers.poll();
        }
        return next;
    }

    private void runDueTimers() {
        // Timers scheduled by this batch wait for the next iteration, even if already due: a timer
        // re-arming itself at loop.time() would otherwise keep this loop going and starve I/O.
        long batchEnd = sequence;
        Handle timer;
        while ((timer = nextTimer()) != null && timer.deadline - now <= 0 && timer.sequence < batchEnd) {
            timers.poll();
            run(timer.callback, "timer");
            if (timer.period > 0 && !timer.cancelled) {
                long next = timer.deadline + timer.period;
                timer.deadline = next - now > 0 ? next : now + timer.period;
                timers.add(timer);
            }
        }
    }

    /** Step 4: the one handler every ready fd goes through. */
    private void dispatch(SelectorKey key, int events) {
        Watch watch = (Watch) key.data();
        if (!watch.active) {
            return;
        }
        if (isStale(watch)) {
            // Closed by an earlier callback without removing its watcher: nothing to report to.
            cancelWatch(watch);
            return;
        }
        int wanted = events & watch.interest;
        if (wanted == 0) {
            return;
        }
        if (watch.handler != null) {
            try {
                watch.handler.ready(watch, wanted);
            } catch (Exception e) {
                report("handler of " + watch.fileobj, e);
            }
            return;
        }
        Callback reader = watch.reader;
        if ((wanted & READ) != 0 && reader != null) {
            run(reader, "reader");
        }
        Callback writer = watch.writer;
        if ((wanted & WRITE) != 0 && writer != null && watch.active) {
            run(writer, "writer");
        }
    }

    /**
     * After the selector failed with EBADF: drops the watches whose fd was closed, and says whether
     * there were any. select(2) fails the whole wait when one of its fds is closed, where poll
     * reports the fd and epoll forgets it, and the loop drops the watch in both cases; so does this,
     * for the select backend, instead of ending the loop. A closed file object is dropped silently,
     * as dispatch does; a number that is no longer open is reported, since nothing else tells.
     */
    private boolean dropClosedWatches(ErrnoException cause) {
        boolean dropped = false;
        for (int fd = 0; fd < watches.length; fd++) {
            Watch watch = watches[fd];
            if (watch == null || watch.registered == 0) {
                continue;
            }
            if (isStale(watch)) {
                cancelWatch(watch);
                dropped = true;
            } else if (!Fds.isOpen(fd)) {
                cancelWatch(watch);
                report("watching fd " + fd + ", which was closed while watched", cause);
                dropped = true;
            }
        }
        return dropped;
    }

    /**
     * Whether the watch's file object was closed, or no longer has the fd it was watched under. Each
     * kind of file object says so in its own way; a bare {@code Integer} cannot, since nothing tells
     * a closed number from one reused by another file (asyncio has the same limit).
     */
    private static boolean isStale(Watch watch) {
        Object fileobj = watch.fileobj;
        if (fileobj instanceof FileDescriptorLike like) {
            try {
                return like.fileno() != watch.fd;
            } catch (AlreadyClosedException closed) {
                return true;
            }
        }
        if (fileobj instanceof SelectableChannel channel) {
            return !channel.isOpen();
        }
        if (fileobj instanceof FileDescriptor descriptor) {
            return !descriptor.valid();
        }
        return false;
    }

    private void run(Callback callback, String what) {
        try {
            callback.run();
        } catch (Exception e) {
            report(what + " " + callback, e);
        }
    }

    // ------------------------------------------------------------------ clock, state, errors

    /**
     * The loop's clock: {@link System#nanoTime()} as read at the start of this iteration and again
     * after its select. Deadlines of {@link #callAt} are in these units.
     *
     * @return nanoseconds
     */
    public long time() {
        return now;
    }

    /**
     * Whether the calling thread is the one running the loop.
     *
     * @return true inside callbacks
     */
    public boolean isInLoopThread() {
        return thread == Thread.currentThread();
    }

    /**
     * Whether a {@code run} method is in progress.
     *
     * @return true while running
     */
    public boolean isRunning() {
        return thread != null;
    }

    /**
     * Whether the loop was closed.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * The selector the loop waits on, for diagnostics (its backend, its registrations).
     *
     * @return the selector
     */
    public BaseSelector selector() {
        return selector;
    }

    /**
     * Replaces the exception handler; null restores the default, which logs.
     *
     * @param handler the handler
     */
    public void setExceptionHandler(ExceptionHandler handler) {
        exceptionHandler = handler == null ? EventLoop::log : handler;
    }

    /**
     * Reports a failure of code running on the loop, as a throwing callback is reported. A handler
     * that throws in turn must not end the loop (every callback's failure would then become fatal):
     * both failures are logged instead.
     */
    void report(String context, Throwable error) {
        try {
            exceptionHandler.handle(context, error);
        } catch (RuntimeException | Error handlerFailure) {
            if (handlerFailure instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            if (handlerFailure != error) {
                handlerFailure.addSuppressed(error);
            }
            log("exception handler, while handling " + context, handlerFailure);
        }
    }

    private static void log(String context, Throwable error) {
        LOG.log(System.Logger.Level.ERROR, "exception in event loop " + context, error);
    }

    /**
     * Runs {@code callback} on this loop's thread whenever the process receives {@code signal}:
     * asyncio's {@code add_signal_handler}. The JVM receives the signal on its own signal thread
     * (through {@code sun.misc.Signal}, the JVM's supported mechanism, so nothing runs in signal
     * context) and the loop is woken to run the callback. Signals the JVM reserves are refused.
     *
     * @param signal   a signal number, e.g. 1 (SIGHUP), 10 (SIGUSR1), 15 (SIGTERM) on Linux
     * @param callback what to run
     * @throws IllegalArgumentException for a signal the JVM reserves or cannot handle, naming why
     */
    public void addSignalHandler(int signal, Callback callback) {
        checkThread();
        checkOpen();
        SignalDispatch.add(this, signal, Objects.requireNonNull(callback, "callback"));
    }

    /**
     * Removes this loop's handler of {@code signal}; when no loop handles it any more, the JVM's
     * previous handling is restored.
     *
     * @param signal the signal number
     * @return whether there was a handler
     */
    public boolean removeSignalHandler(int signal) {
        checkThread();
        return SignalDispatch.remove(this, signal);
    }

    /**
     * Closes the loop: cancels every timer and watcher, drops queued callbacks, removes its signal
     * handlers and closes the selector. Registered fds are not closed. Idempotent.
     *
     * @throws IllegalStateException if the loop is running
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (isRunning()) {
            throw new IllegalStateException("cannot close a running event loop; stop it first");
        }
        closed = true;
        SignalDispatch.removeAll(this);
        timers.clear();
        ready.clear();
        incoming.clear();
        dirty.clear();
        // The watches die with the selector: a later cancel() (a connection or server closed after
        // its loop, say) must find nothing to unregister rather than a closed selector.
        for (Watch watch : watches) {
            if (watch != null) {
                watch.active = false;
                watch.registered = 0;
                watch.interest = 0;
            }
        }
        Arrays.fill(watches, null);
        watchCount = 0;
        selector.close();
    }

    /** Throws unless called on the loop's thread, or while the loop is not running. */
    void checkThread() {
        Thread owner = thread;
        if (owner != null && owner != Thread.currentThread()) {
            throw new IllegalStateException("event loop methods must be called on the loop's thread ("
                    + owner.getName() + "); use execute() from other threads");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new AlreadyClosedException("EventLoop");
        }
    }

    /** Counts for tests and diagnostics: watchers, pending timers (cancelled included), queued callbacks. */
    int[] counts() {
        return new int[] {watchCount, timers.size(), ready.size() + incoming.size()};
    }

    /**
     * Iterations run since the loop was made, for tests (wakeups per iteration, signals that must
     * not add any). Read it on the loop's thread, or after the loop stopped.
     */
    long iterations() {
        return iterations;
    }
}
