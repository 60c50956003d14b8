package io.github.selectors4j.selectors;

import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static io.github.selectors4j.selectors.BaseSelector.EVENT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.select.Kqueue;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.TestIo;
import io.github.selectors4j.testing.TestSockets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What only the kqueue backend does: two filters per fd, merged into one ready entry. */
class KqueueSelectorTest {

    private final Closer closer = new Closer();
    private KqueueSelector selector;

    @BeforeEach
    void open() throws Exception {
        Backends.assumeAvailable(SelectorBackend.KQUEUE);
        selector = closer.add(KqueueSelector.open());
    }

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    @Test
    void bothFiltersOfOneFdAreReportedAsOneEntry() throws Exception {
        int[] pair = closer.addFds(TestSockets.unixStreamPair());
        SelectorKey key = selector.register(pair[0], EVENT_READ | EVENT_WRITE);
        TestIo.send(pair[1], "x");   // readable as well as writable now
        List<ReadyKey> ready = selector.select(Duration.ofSeconds(5));
        assertEquals(List.of(new ReadyKey(key, EVENT_READ | EVENT_WRITE)), ready, "one entry, both events");
    }

    @Test
    void modifyAddsAndDeletesOnlyTheFiltersThatChanged() throws Exception {
        int[] pair = closer.addFds(TestSockets.unixStreamPair());
        int fd = pair[0];
        selector.register(fd, EVENT_READ);
        selector.modify(fd, EVENT_READ | EVENT_WRITE);
        assertEquals(List.of(EVENT_WRITE), events(), "the write filter was added");
        selector.modify(fd, EVENT_WRITE);
        TestIo.send(pair[1], "x");
        assertEquals(List.of(EVENT_WRITE), events(), "the read filter was deleted, the write filter kept");

        // Ask the kernel directly, through a borrowed handle on the selector's own kqueue.
        try (Kqueue kernel = Kqueue.fromFd(selector.fileno())) {
            ErrnoException noRead = assertThrows(ErrnoException.class,
                    () -> kernel.change(fd, Kqueue.KQ_FILTER_READ, Kqueue.KQ_EV_DELETE, 0, 0, 0));
            assertEquals("ENOENT", noRead.errnoName());
            kernel.change(fd, Kqueue.KQ_FILTER_WRITE, Kqueue.KQ_EV_DISABLE, 0, 0, 0);   // exists: no error
            kernel.change(fd, Kqueue.KQ_FILTER_WRITE, Kqueue.KQ_EV_ENABLE, 0, 0, 0);
        }
        assertTrue(selector.getMap().containsKey(fd));
    }

    @Test
    void theBackendIsNamedKqueue() {
        assertEquals(SelectorBackend.KQUEUE, selector.backend());
        assertEquals("kqueue", selector.backend().displayName());
    }

    @Test
    void theDefaultSelectorPrefersItOnlyWhereThereIsNoEpoll() throws Exception {
        Assumptions.assumeTrue(System.getProperty(DefaultSelector.BACKEND_PROPERTY) == null,
                "the build forces a backend with -D" + DefaultSelector.BACKEND_PROPERTY);
        boolean epollWorks = Backends.opens(SelectorBackend.EPOLL);
        assertEquals(epollWorks ? SelectorBackend.EPOLL : SelectorBackend.KQUEUE, DefaultSelector.backend(),
                epollWorks ? "Linux keeps epoll first even with libkqueue" : "kqueue where there is no epoll (macOS, the BSDs)");
    }

    private List<Integer> events() throws Exception {
        return selector.select(Duration.ofSeconds(5)).stream().map(ReadyKey::events).toList();
    }
}
