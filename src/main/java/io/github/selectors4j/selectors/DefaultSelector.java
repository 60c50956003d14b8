package io.github.selectors4j.selectors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the most efficient selector this platform offers: Python's {@code selectors.DefaultSelector}.
 *
 * <pre>{@code
 * try (BaseSelector selector = DefaultSelector.open()) {
 *     System.out.println("using " + selector.backend().displayName());   // "epoll" on Linux
 * }
 * }</pre>
 *
 * <p>Backends are tried in the order of {@link SelectorBackend}: epoll, kqueue, poll, select; the first
 * that opens on this machine is chosen once per JVM. The system property
 * {@value #BACKEND_PROPERTY}, read at every call, forces one ({@code -Dselectors4j.backend=poll}); a forced backend that
 * does not work fails loudly instead of falling back.
 */
public final class DefaultSelector {

    /** System property that forces a backend: {@code epoll}, {@code kqueue}, {@code poll} or {@code select}. */
    public static final String BACKEND_PROPERTY = "selectors4j.backend";

    private DefaultSelector() {
    }

    /**
     * Opens a selector of the chosen backend.
     *
     * @return the selector
     * @throws IOException if the kernel refuses (e.g. {@code EMFILE})
     */
    public static BaseSelector open() throws IOException {
        return backend().open();
    }

    /**
     * Returns the backend {@link #open()} uses.
     *
     * @return the chosen backend
     * @throws IllegalArgumentException if {@value #BACKEND_PROPERTY} names no backend
     * @throws IllegalStateException    if no backend works (the reasons are attached as suppressed)
     */
    public static SelectorBackend backend() {
        String forced = System.getProperty(BACKEND_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            return SelectorBackend.byName(forced);
        }
        return Probe.BEST;
    }

    /** Holder: the probe runs on first use, once per JVM. */
    private static final class Probe {
        static final SelectorBackend BEST = probe();

        private static SelectorBackend probe() {
            List<Throwable> reasons = new ArrayList<>();
            for (SelectorBackend candidate : SelectorBackend.values()) {
                try (BaseSelector probe = candidate.open()) {
                    return probe.backend();
                } catch (IOException | LinkageError | RuntimeException unavailable) {
                    reasons.add(unavailable);
                }
            }
            IllegalStateException none = new IllegalStateException("no selector backend works on this platform");
            reasons.forEach(none::addSuppressed);
            throw none;
        }
    }
}
