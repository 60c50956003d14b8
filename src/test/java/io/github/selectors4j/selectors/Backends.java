package io.github.selectors4j.selectors;

import io.github.selectors4j.select.Kqueue;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** The backends the contract suite runs against, and the skip for one this machine lacks. */
public final class Backends {

    private Backends() {
    }

    /** Every backend; one that cannot open here is skipped by the suite with the reason. */
    public static List<SelectorBackend> available() {
        return Arrays.asList(SelectorBackend.values());
    }

    /**
     * Whether the backend opens on this machine: false where the platform lacks it (epoll off
     * Linux, kqueue on Linux without libkqueue).
     */
    public static boolean opens(SelectorBackend backend) throws IOException {
        try (BaseSelector selector = backend.open()) {
            return true;
        } catch (LinkageError | UnsupportedOperationException unavailable) {
            return false;
        }
    }

    /** Skips the calling test, with the reason printed, if the backend cannot run on this machine. */
    public static void assumeAvailable(SelectorBackend backend) {
        if (backend == SelectorBackend.KQUEUE) {
            Assumptions.assumeTrue(Kqueue.isAvailable(), () -> "kqueue backend skipped: " + Kqueue.unavailableReason());
        }
    }
}
