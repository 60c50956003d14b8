package io.github.selectors4j.reactor;

import io.github.selectors4j.selectors.Backends;
import io.github.selectors4j.selectors.SelectorBackend;
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
}
