package io.github.selectors4j.internal;

/**
 * A seam for tests: shows each kernel wait attempt of {@link InterruptibleWait#await} with the
 * timeout argument it passes to the kernel.
 *
 * <p>Why it exists: a wait whose timeout lost its rounding still never ends early, because the wait
 * loop waits again for what remains, so no timing test can see the loss; it shows only as extra
 * attempts (a busy loop of zero-timeout calls) and as the wrong argument. Tests observe both here,
 * against the real kernel calls. Nothing observes in production: the cost is one volatile read
 * per attempt.
 */
public final class WaitAttempts {

    /** Receives the attempts while installed. */
    @FunctionalInterface
    public interface Observer {

        /**
         * Called on the waiting thread just before an attempt.
         *
         * @param call          the system call's name, e.g. {@code "poll"}
         * @param kernelTimeout the timeout argument in the kernel's unit; negative means forever
         */
        void attempting(String call, long kernelTimeout);
    }

    private static volatile Observer observer;

    private WaitAttempts() {
    }

    /**
     * Installs the observer of every wait attempt in the JVM, replacing any other.
     *
     * @param newObserver the observer, or null to stop observing
     */
    public static void observe(Observer newObserver) {
        observer = newObserver;
    }

    static void attempting(String call, long kernelTimeout) {
        Observer current = observer;
        if (current != null) {
            current.attempting(call, kernelTimeout);
        }
    }
}
