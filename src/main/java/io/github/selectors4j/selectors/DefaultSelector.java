package io.github.selectors4j.selectors;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Errno;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * that opens on this machine is chosen and remembered for the life of the JVM. A failure that is
 * only a shortage ({@code EMFILE}, {@code ENFILE}, {@code ENOMEM}) is thrown as it is and remembers
 * nothing, so a later call, with fds freed, probes again. The system property
 * {@value #BACKEND_PROPERTY}, read at every call, forces one ({@code -Dselectors4j.backend=poll}); a forced backend that
 * does not work fails loudly instead of falling back.
 */
public final class DefaultSelector {

    /** System property that forces a backend: {@code epoll}, {@code kqueue}, {@code poll} or {@code select}. */
    public static final String BACKEND_PROPERTY = "selectors4j.backend";

    /**
     * Made at class initialisation, not at the first probe: that probe may run out of fds, when
     * loading a class from a directory of classes fails.
     */
    private static final Opener REAL_OPENER = SelectorBackend::open;

    /** The backend the first successful probe chose; only success is remembered. */
    private static volatile SelectorBackend chosen;

    private DefaultSelector() {
    }

    /**
     * Opens a selector of the chosen backend.
     *
     * @return the selector
     * @throws IOException if the kernel refuses (e.g. {@code EMFILE}); nothing is remembered then,
     *                     and the next call tries again
     * @throws IllegalStateException if no backend works (the reasons are attached as suppressed)
     */
    public static BaseSelector open() throws IOException {
        SelectorBackend known = forcedOrChosen();
        if (known != null) {
            return known.open();
        }
        BaseSelector selector = openFirstThatWorks(REAL_OPENER);
        chosen = selector.backend();
        return selector;
    }

    /** Opens one backend; the probe's seam, so that tests can make a backend unavailable. */
    @FunctionalInterface
    interface Opener {

        /**
         * Opens a selector of the backend.
         *
         * @param backend the candidate
         * @return the selector
         * @throws IOException if the kernel refuses
         */
        BaseSelector open(SelectorBackend backend) throws IOException;
    }

    /**
     * The probe: opens the backends in order of preference and returns the first selector that
     * opened. Remembers nothing; {@link #open()} does.
     *
     * @param opener opens one backend ({@link SelectorBackend#open()} but in tests)
     * @return the selector of the first backend that opened
     * @throws ErrnoException        a resource shortage, at once: it says nothing about the backend
     * @throws IllegalStateException if none opens, with each one's reason attached as suppressed
     */
    static BaseSelector openFirstThatWorks(Opener opener) throws IOException {
        List<Throwable> reasons = new ArrayList<>();
        for (SelectorBackend candidate : SelectorBackend.values()) {
            try {
                return opener.open(candidate);
            } catch (ErrnoException e) {
                if (isResourceShortage(e)) {
                    throw e;
                }
                reasons.add(e);
            } catch (IOException | LinkageError | RuntimeException unavailable) {
                reasons.add(unavailable);
            }
        }
        throw noBackend(reasons);
    }

    /**
     * Returns the backend {@link #open()} uses, probing once if none was chosen yet.
     *
     * @return the chosen backend
     * @throws IllegalArgumentException if {@value #BACKEND_PROPERTY} names no backend
     * @throws IllegalStateException    if no backend works (the reasons are attached as suppressed)
     * @throws UncheckedIOException     if the probe ran out of a resource ({@code EMFILE},
     *                                  {@code ENFILE}, {@code ENOMEM}); the next call tries again
     */
    public static SelectorBackend backend() {
        SelectorBackend known = forcedOrChosen();
        if (known != null) {
            return known;
        }
        try (BaseSelector probe = open()) {
            return probe.backend();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SelectorBackend forcedOrChosen() {
        String forced = System.getProperty(BACKEND_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            return SelectorBackend.byName(forced);
        }
        return chosen;
    }

    /**
     * A failure that says nothing about whether the backend works here: the process or system is
     * short of fds or memory right now. Remembering a fallback chosen because of it would pin a
     * worse backend for the life of the JVM.
     */
    private static boolean isResourceShortage(ErrnoException e) {
        return e.errno() == Errno.EMFILE || e.errno() == Errno.ENFILE || e.errno() == Errno.ENOMEM;
    }

    private static IllegalStateException noBackend(List<Throwable> reasons) {
        IllegalStateException none = new IllegalStateException("no selector backend works on this platform");
        reasons.forEach(none::addSuppressed);
        return none;
    }
}
