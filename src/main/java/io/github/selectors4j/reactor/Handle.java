package io.github.selectors4j.reactor;

/**
 * A scheduled callback ({@code callSoon}, {@code callLater}, {@code callAt}, {@code callEvery}) that
 * can be cancelled: asyncio's {@code Handle} and {@code TimerHandle}.
 *
 * <pre>{@code
 * Handle timeout = loop.callLater(Duration.ofSeconds(30), connection::close);
 * ... the answer came in time ...
 * timeout.cancel();
 * }</pre>
 *
 * <p>Cancelling is cheap: a cancelled timer stays in the queue, costs nothing when it comes due,
 * and the queue is purged when cancelled timers pile up. Handles are for the loop's thread; from
 * another thread, cancel inside {@link EventLoop#execute}.
 */
public final class Handle {

    /** No deadline: a {@code callSoon} callback. */
    static final long SOON = Long.MIN_VALUE;

    final Callback callback;
    final long sequence;
    long deadline;
    final long period;
    boolean cancelled;
    /** Whether the timer is in its queue's heap (cancelled or not): the queue counts its cancellations. */
    boolean inQueue;
    /** The queue holding this timer, told of cancellations; null for callSoon handles. */
    private final TimerQueue timers;

    Handle(Callback callback, long sequence, long deadline, long period, TimerQueue timers) {
        this.callback = callback;
        this.sequence = sequence;
        this.deadline = deadline;
        this.period = period;
        this.timers = timers;
    }

    /**
     * Cancels the callback; it will not run (a repeating one will not run again). Idempotent.
     */
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            if (timers != null) {
                timers.cancelled(this);
            }
        }
    }

    /**
     * Whether {@link #cancel()} was called.
     *
     * @return true once cancelled
     */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * When the callback is due, on the loop's clock ({@link EventLoop#time()}, nanoseconds).
     *
     * @return the deadline; {@code Long.MIN_VALUE} for a {@code callSoon} callback
     */
    public long deadline() {
        return deadline;
    }

    /**
     * Whether the callback repeats ({@link EventLoop#callEvery}).
     *
     * @return true for a repeating timer
     */
    public boolean isRepeating() {
        return period > 0;
    }

    /** Due first: earlier deadline, then earlier scheduling. */
    boolean before(Handle other) {
        return deadline != other.deadline ? deadline - other.deadline < 0 : sequence < other.sequence;
    }

    @Override
    public String toString() {
        return "Handle[" + (cancelled ? "cancelled, " : "") + (deadline == SOON ? "soon" : "at " + deadline)
                + (period > 0 ? ", every " + period + " ns" : "") + "]";
    }
}
