package io.github.selectors4j.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands the end of a batch from a loop thread back to the benchmark thread, allocating nothing
 * (a {@code CompletableFuture} per batch would show up in the allocation figures of the loops).
 * One batch at a time: {@link #arm()}, start the batch on the loop, {@link #await()}; the loop
 * calls {@link #complete()} or {@link #fail(Throwable)}.
 */
final class BatchCompletion {

    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private volatile Thread waiter;
    private volatile boolean done;
    private volatile Throwable failure;

    /** Prepares for one batch; called by the benchmark thread before it starts the batch. */
    void arm() {
        failure = null;
        done = false;
        waiter = Thread.currentThread();
    }

    /** The loop finished the batch. */
    void complete() {
        done = true;
        LockSupport.unpark(waiter);
    }

    /** The loop failed during the batch. */
    void fail(Throwable error) {
        failure = error;
        complete();
    }

    /**
     * Waits for {@link #complete()} or {@link #fail(Throwable)}.
     *
     * @throws Exception the loop's failure, or a timeout if the batch never finished (a lost
     *                   message would otherwise hang the benchmark forever)
     */
    void await() throws Exception {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (!done) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("the batch did not finish within 30 s");
            }
            LockSupport.parkNanos(this, left);
        }
        Throwable error = failure;
        if (error instanceof Exception e) {
            throw e;
        }
        if (error != null) {
            throw new IllegalStateException("the loop failed", error);
        }
    }
}
