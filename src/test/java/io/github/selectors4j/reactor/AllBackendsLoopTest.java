package io.github.selectors4j.reactor;

import io.github.selectors4j.internal.KqueueAbi;
import io.github.selectors4j.selectors.Backends;
import io.github.selectors4j.selectors.SelectorBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A {@link LoopTestBase} whose tests run once per selector backend (epoll, poll, select, and kqueue
 * where one is loadable; a backend this machine lacks is skipped with the reason printed), as the
 * selector contract suite does: the loop's guarantees (no stale events, ordering, timers, wakeups)
 * must not depend on which kernel facility it waits on.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.github.selectors4j.selectors.Backends#available")
abstract class AllBackendsLoopTest extends LoopTestBase {

    @Parameter
    SelectorBackend backend;

    /**
     * The backend of this run; skips the test, with the reason, when it cannot run here. Called when
     * the base class opens the loop, which happens before any {@code @BeforeEach} of a subclass.
     */
    @Override
    protected SelectorBackend backend() {
        Backends.assumeAvailable(backend);
        return backend;
    }

    /**
     * Skips, with the reason, where the backend itself consumes a socket's pending error: libkqueue
     * reads {@code SO_ERROR} to fill a kevent's fflags when it reports {@code EV_EOF}, which clears
     * the error, so the application's {@code finishConnect}, read or send then sees "in progress",
     * end of stream or {@code EPIPE} instead. A kernel kqueue, epoll, poll and select leave the
     * error to the application.
     */
    protected void assumeSocketErrorsReachTheApplication() {
        Assumptions.assumeFalse(backend == SelectorBackend.KQUEUE && KqueueAbi.CURRENT.flavor() == KqueueAbi.Flavor.LIBKQUEUE,
                "libkqueue reads (and so clears) a socket's pending error itself when it reports EV_EOF");
    }
}
