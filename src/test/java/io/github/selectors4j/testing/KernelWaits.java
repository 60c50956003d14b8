package io.github.selectors4j.testing;

import io.github.selectors4j.internal.WaitAttempts;
import java.util.ArrayList;
import java.util.List;

/**
 * Records the kernel wait attempts the calling thread makes while open, each with the timeout
 * argument it passed to the kernel. A timeout that lost its rounding never makes a wait end early
 * (the wait loop waits again for what remains), so only the attempts show it: a zero-timeout call
 * followed by a busy loop of retries instead of one call.
 *
 * <pre>{@code
 * try (KernelWaits waits = KernelWaits.record()) {
 *     poll.waitReady(999_999);
 *     assertEquals(List.of(new KernelWaits.Attempt("poll", 1)), waits.attempts());
 * }
 * }</pre>
 */
public final class KernelWaits implements AutoCloseable {

    /**
     * One attempt.
     *
     * @param call          the system call, e.g. {@code "epoll_wait"}
     * @param kernelTimeout its timeout argument in the kernel's unit; negative means forever
     */
    public record Attempt(String call, long kernelTimeout) {
    }

    private final Thread thread = Thread.currentThread();
    private final List<Attempt> attempts = new ArrayList<>();

    private KernelWaits() {
    }

    /** Starts recording this thread's attempts; there is one recorder at a time in the JVM. */
    public static KernelWaits record() {
        KernelWaits waits = new KernelWaits();
        WaitAttempts.observe((call, kernelTimeout) -> {
            if (Thread.currentThread() == waits.thread) {
                waits.attempts.add(new Attempt(call, kernelTimeout));
            }
        });
        return waits;
    }

    /** The attempts so far, oldest first. */
    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** Stops recording. */
    @Override
    public void close() {
        WaitAttempts.observe(null);
    }
}
