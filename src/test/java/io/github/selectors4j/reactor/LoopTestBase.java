package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.selectors.SelectorBackend;
import io.github.selectors4j.testing.Closer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * One fresh {@link EventLoop} per test, and the checks every reactor test ends with: the loop is not
 * running, nothing is watched any more (neither by the loop nor in its selector), nothing was
 * reported to the exception handler that the test did not take, and the loop closes. Fds are
 * checked globally by {@code FdLeakCheck}.
 */
abstract class LoopTestBase {

    /** What the loop reported to its exception handler. */
    record Reported(String context, Throwable error, Thread thread) {
    }

    protected EventLoop loop;
    protected final Closer closer = new Closer();
    /** Reports of the loop's exception handler; a test that expects some takes them with {@link #takeReports()}. */
    protected final List<Reported> reported = new CopyOnWriteArrayList<>();

    @BeforeEach
    void openLoop() throws IOException {
        loop = newLoop();
        loop.setExceptionHandler((context, error) -> reported.add(new Reported(context, error, Thread.currentThread())));
    }

    @AfterEach
    void checkAndCloseLoop() throws Exception {
        if (loop == null) {
            closer.close();   // skipped before the loop opened (a backend this machine lacks)
            return;
        }
        try {
            assertFalse(loop.isRunning(), "the loop still runs at the end of the test");
            if (!loop.isClosed()) {
                assertEquals(0, loop.counts()[0], "watchers left at the end of the test");
                assertTrue(loop.selector().getMap().isEmpty(), "registrations left in the selector: " + loop.selector().getMap());
                loop.close();
            }
            assertTrue(loop.isClosed());
            assertTrue(loop.selector().isClosed(), "closing the loop closes its selector");
            assertTrue(reported.isEmpty(), "unexpected reports to the exception handler: " + reported);
        } finally {
            loop.close();
            closer.close();
        }
    }

    /**
     * The selector backend the test's loops run on, or null for the default one. {@link
     * AllBackendsLoopTest} runs a class once per backend.
     */
    protected SelectorBackend backend() {
        return null;
    }

    /** A new loop on {@link #backend()}, for {@link #loop} and for any other loop a test needs. */
    protected EventLoop newLoop() throws IOException {
        SelectorBackend backend = backend();
        return backend == null ? EventLoop.open() : EventLoop.open(backend.open());
    }

    /** Takes what was reported so far. */
    protected List<Reported> takeReports() {
        List<Reported> taken = new ArrayList<>(reported);
        reported.removeAll(taken);
        return taken;
    }

    /** Runs the loop on this thread until {@code condition} holds, failing after {@code timeout}. */
    protected void runUntil(BooleanSupplier condition, Duration timeout, String what) throws IOException {
        Loops.runUntil(loop, condition, timeout, what);
    }

    /** Runs the loop on this thread for {@code duration} (a timer stops it). */
    protected void runFor(Duration duration) throws IOException {
        Loops.runFor(loop, duration);
    }
}
