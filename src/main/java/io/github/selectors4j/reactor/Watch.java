package io.github.selectors4j.reactor;

import io.github.selectors4j.selectors.BaseSelector;

/**
 * One fd watched by an {@link EventLoop}: created by {@link EventLoop#watch} (one handler for both
 * directions) or, internally, by {@link EventLoop#addReader}/{@link EventLoop#addWriter} (a reader
 * slot and a writer slot, as asyncio).
 *
 * <pre>{@code
 * Watch watch = loop.watch(socket, EVENT_READ, (w, events) -> { ... });
 * watch.setInterest(EVENT_READ | EVENT_WRITE);   // applied before the loop's next select
 * watch.setInterest(0);                          // paused: stays, but reports nothing
 * watch.cancel();                                // gone
 * }</pre>
 *
 * <p>Interest changes are batched: the loop applies the final interest of each changed watch once,
 * just before it selects, so turning write interest on and off again within one iteration costs no
 * system call. Readiness is always filtered by the current interest, applied or not. Methods are for
 * the loop's thread.
 */
public final class Watch {

    final EventLoop loop;
    final Object fileobj;
    final int fd;
    final WatchHandler handler;
    Callback reader;
    Callback writer;
    /** The events wanted now. */
    int interest;
    /** The events the selector holds, 0 when not registered. */
    int registered;
    boolean dirty;
    boolean active = true;

    Watch(EventLoop loop, Object fileobj, int fd, WatchHandler handler) {
        this.loop = loop;
        this.fileobj = fileobj;
        this.fd = fd;
        this.handler = handler;
    }

    /**
     * Changes the events of interest; 0 pauses the watch without removing it.
     *
     * @param events {@link BaseSelector#EVENT_READ}, {@link BaseSelector#EVENT_WRITE}, both, or 0
     * @throws IllegalArgumentException for other bits
     * @throws IllegalStateException    if the watch was cancelled, or called from another thread
     *                                  while the loop runs
     */
    public void setInterest(int events) {
        if ((events & ~(BaseSelector.EVENT_READ | BaseSelector.EVENT_WRITE)) != 0) {
            throw new IllegalArgumentException("Invalid events: " + events);
        }
        if (!active) {
            throw new IllegalStateException("the watch of " + fileobj + " was cancelled");
        }
        loop.changeInterest(this, events);
    }

    /**
     * The events of interest.
     *
     * @return the current interest, applied or about to be
     */
    public int interest() {
        return interest;
    }

    /**
     * Stops watching the fd, at once. Idempotent. The fd itself is not closed.
     */
    public void cancel() {
        if (active) {
            loop.cancelWatch(this);
        }
    }

    /**
     * Whether the watch is still in force.
     *
     * @return false once cancelled (or removed because its file object was closed)
     */
    public boolean isActive() {
        return active;
    }

    /**
     * The watched file object.
     *
     * @return the object given to {@code watch}
     */
    public Object fileobj() {
        return fileobj;
    }

    /**
     * The loop that owns this watch.
     *
     * @return the loop
     */
    public EventLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        return "Watch[" + fileobj + ", interest=" + interest + (active ? "" : ", cancelled") + "]";
    }
}
