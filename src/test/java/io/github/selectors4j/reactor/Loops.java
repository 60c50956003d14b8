package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    /**
     * Asserts that {@code loop} watches nothing: no watcher and no registration left in its selector.
     * A running loop is asked on its own thread, which owns that state.
     */
    static void assertNothingWatched(EventLoop loop, String which) throws Exception {
        String left;
        if (loop.isRunning()) {
            CompletableFuture<String> answer = new CompletableFuture<>();
            loop.execute(() -> answer.complete(leftOver(loop)));
            left = answer.get(10, TimeUnit.SECONDS);
        } else {
            left = leftOver(loop);
        }
        assertEquals("", left, which + " still watches something at the end of the test");
    }

    private static String leftOver(EventLoop loop) {
        int watchers = loop.counts()[0];
        var registrations = loop.selector().getMap();
        return watchers == 0 && registrations.isEmpty() ? "" : watchers + " watchers, registrations " + registrations;
    }

    /** Runs {@code loop} for {@code duration}. */
    static void runFor(EventLoop loop, Duration duration) throws IOException {
        boolean[] done = {false};
        loop.callLater(duration, () -> done[0] = true);
        loop.runUntil(() -> done[0]);
    }
}
