package io.github.selectors4j.selectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.select.Kqueue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * DefaultSelector's order of preference on the platforms this machine is not: each test makes
 * some backends unavailable, the way a platform without them fails (a missing symbol, a missing
 * library), and lets the others open for real.
 */
class DefaultSelectorProbeTest {

    /** Fails for the missing backends as their absence does, opens the others for real. */
    private static DefaultSelector.Opener without(SelectorBackend... missing) {
        Set<SelectorBackend> absent = Set.of(missing);
        return backend -> {
            if (absent.contains(backend)) {
                throw new UnsatisfiedLinkError(backend.displayName() + " is not on this platform (simulated)");
            }
            return backend.open();
        };
    }

    private static SelectorBackend probe(DefaultSelector.Opener opener) throws Exception {
        try (BaseSelector selector = DefaultSelector.openFirstThatWorks(opener)) {
            return selector.backend();
        }
    }

    @Test
    void withoutEpollKqueueIsPreferredWhereItLoadsAndPollElsewhere() throws Exception {
        SelectorBackend expected = Kqueue.isAvailable() ? SelectorBackend.KQUEUE : SelectorBackend.POLL;
        assertEquals(expected, probe(without(SelectorBackend.EPOLL)), "macOS and the BSDs pick kqueue");
    }

    @Test
    void withoutEpollAndKqueuePollIsPicked() throws Exception {
        assertEquals(SelectorBackend.POLL, probe(without(SelectorBackend.EPOLL, SelectorBackend.KQUEUE)));
    }

    @Test
    void selectIsTheLastResort() throws Exception {
        assertEquals(SelectorBackend.SELECT, probe(without(SelectorBackend.EPOLL, SelectorBackend.KQUEUE, SelectorBackend.POLL)));
    }

    @Test
    void noBackendFailsWithEveryReason() {
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> probe(without(SelectorBackend.values())));
        assertEquals("no selector backend works on this platform", none.getMessage());
        assertEquals(List.of("epoll is not on this platform (simulated)", "kqueue is not on this platform (simulated)",
                "poll is not on this platform (simulated)", "select is not on this platform (simulated)"),
                Arrays.stream(none.getSuppressed()).map(Throwable::getMessage).toList());
    }

    @Test
    void aShortageIsThrownAtOnceWithoutTryingTheRest() {
        List<SelectorBackend> tried = new ArrayList<>();
        ErrnoException emfile = Errno.exception("epoll_create1", Errno.EMFILE, ErrnoException.NO_FD);
        ErrnoException thrown = assertThrows(ErrnoException.class, () -> probe(backend -> {
            tried.add(backend);
            throw emfile;
        }));
        assertSame(emfile, thrown);
        assertEquals(List.of(SelectorBackend.EPOLL), tried, "a shortage says nothing about the backend: no fallback");
    }

    @Test
    void anotherKernelRefusalFallsThroughToTheNextBackend() throws Exception {
        List<SelectorBackend> tried = new ArrayList<>();
        SelectorBackend picked = probe(backend -> {
            tried.add(backend);
            if (backend == SelectorBackend.EPOLL || backend == SelectorBackend.KQUEUE) {
                throw Errno.exception(backend.displayName(), Errno.ENOSYS, ErrnoException.NO_FD);
            }
            return backend.open();
        });
        assertEquals(SelectorBackend.POLL, picked);
        assertEquals(List.of(SelectorBackend.EPOLL, SelectorBackend.KQUEUE, SelectorBackend.POLL), tried);
    }
}
