package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded ways to run a loop on the test thread. */
final class Loops {

    private Loops() {
    }

    /**
     * Runs {@code loop} until {@code condition} holds (checked after each iteration), failing after
     * {@code timeout}: a timer of the loop itself ends the wait, so nothing can block forever.
     */
    static void runUntil(EventLoop loop, BooleanSupplier condition, Duration timeout, String what) throws IOException {
        boolean[] timedOut = {false};
        Handle guard = loop.callLater(timeout, () -> timedOut[0] = true);
        try {
            loop.runUntil(() -> timedOut[0] || condition.getAsBoolean());
        } finally {
            guard.cancel();
        }
        assertTrue(condition.getAsBoolean(), "not within " + timeout + ": " + what);
    }

    /** Runs {@code loop} for {@code duration}. */
    static void runFor(EventLoop loop, Duration duration) throws IOException {
        boolean[] done = {false};
        loop.callLater(duration, () -> done[0] = true);
        loop.runUntil(() -> done[0]);
    }
}
