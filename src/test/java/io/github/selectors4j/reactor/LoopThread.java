package io.github.selectors4j.reactor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an {@link EventLoop}'s {@code runForever} on a thread of its own, for tests that talk to a
 * running loop from outside. {@link #close()} stops it, waits for the thread and rethrows whatever
 * ended {@code runForever} abnormally.
 */
final class LoopThread implements AutoCloseable {

    private final EventLoop loop;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private LoopThread(EventLoop loop, String name) {
        this.loop = loop;
        this.thread = new Thread(() -> {
            try {
                loop.runForever();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, name);
        thread.setDaemon(true);
    }

    /** Starts the loop and returns once it runs. */
    static LoopThread start(EventLoop loop, String name) {
        LoopThread started = new LoopThread(loop, name);
        started.thread.start();
        await("the loop starts running").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                .until(() -> loop.isRunning() || !started.thread.isAlive());
        return started;
    }

    Thread thread() {
        return thread;
    }

    /** Runs {@code call} on the loop's thread and returns its result (waiting at most 10 s). */
    <T> T call(Callable<T> call) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception exception) {
                throw exception;
            }
            throw e;
        }
    }

    /** Stops the loop, waits for its thread and rethrows what ended it abnormally. */
    @Override
    public void close() throws IOException {
        loop.stop();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the loop thread", e);
        }
        assertFalse(thread.isAlive(), "the loop thread did not end within 10 s of stop()");
        Throwable error = failure.get();
        if (error instanceof IOException io) {
            throw io;
        }
        if (error instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (error instanceof Error e) {
            throw e;
        }
    }
}
