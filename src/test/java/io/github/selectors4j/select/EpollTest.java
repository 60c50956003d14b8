package io.github.selectors4j.select;

import static io.github.selectors4j.testing.Asserts.assertSameElements;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.Ownership;
import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.HighFds;
import io.github.selectors4j.testing.KernelWaits;
import io.github.selectors4j.testing.OpenFds;
import io.github.selectors4j.testing.TestIo;
import io.github.selectors4j.testing.TestSockets;
import java.io.FileInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Epoll} against the real kernel: errors, triggering modes, paging, timeouts, closing. */
class EpollTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    private static void writeByte(Pipe pipe) throws Exception {
        pipe.writeEnd().write(ByteBuffer.wrap(new byte[] {1}));
    }

    @Test
    void kernelErrorsAreSpecific(@TempDir Path dir) throws Exception {
        Epoll epoll = closer.add(Epoll.open());
        Pipe pipe = closer.add(Pipe.open());
        int fd = pipe.readEnd().fileno();
        epoll.register(fd, Epoll.EPOLLIN);

        assertEquals("EEXIST", assertThrows(ErrnoException.class, () -> epoll.register(fd, Epoll.EPOLLIN)).errnoName());
        int unknown = pipe.writeEnd().fileno();
        assertEquals("ENOENT", assertThrows(ErrnoException.class, () -> epoll.modify(unknown, Epoll.EPOLLOUT)).errnoName());
        assertEquals("ENOENT", assertThrows(ErrnoException.class, () -> epoll.unregister(unknown)).errnoName());
        try (FileInputStream file = new FileInputStream(Files.writeString(dir.resolve("f"), "x").toFile())) {
            assertEquals("EPERM", assertThrows(ErrnoException.class, () -> epoll.register(file.getFD(), Epoll.EPOLLIN)).errnoName());
        }
        assertThrows(IllegalArgumentException.class, () -> epoll.register(-1, Epoll.EPOLLIN));
        int closed = HighFds.dupHigh(pipe.writeEnd().fileno());
        Fds.close(closed);
        assertEquals("EBADF", assertThrows(ErrnoException.class, () -> epoll.register(closed, Epoll.EPOLLOUT)).errnoName());
    }

    @Test
    void pipesSocketPairsAndEventFdsBecomeReady() throws Exception {
        Epoll epoll = closer.add(Epoll.open());
        Pipe pipe = closer.add(Pipe.open());
        int[] pair = closer.addFds(TestSockets.unixStreamPair());
        EventFd events = closer.add(EventFd.open());
        epoll.register(pipe.readEnd(), Epoll.EPOLLIN);
        epoll.register(pair[0], Epoll.EPOLLIN | Epoll.EPOLLRDHUP);
        epoll.register(events, Epoll.EPOLLIN);
        assertTrue(epoll.poll(Duration.ZERO).isEmpty());

        writeByte(pipe);
        TestIo.send(pair[1], "x");
        events.write(1);
        assertSameElements(List.of(new FdEvent(pipe.readEnd().fileno(), Epoll.EPOLLIN), new FdEvent(pair[0], Epoll.EPOLLIN),
                new FdEvent(events.fileno(), Epoll.EPOLLIN)), epoll.poll(Duration.ofSeconds(5)));

        closer.closeFd(pair[1]);
        int peerGone = epoll.poll(Duration.ofSeconds(5)).stream().filter(e -> e.fd() == pair[0]).findFirst().orElseThrow().events();
        assertEquals(Epoll.EPOLLIN | Epoll.EPOLLRDHUP | Epoll.EPOLLHUP, peerGone, "a closed peer: readable, RDHUP and HUP");
    }

    @Test
    void levelTriggeredReportsWhileReadyEdgeTriggeredOncePerChange() throws Exception {
        Epoll epoll = closer.add(Epoll.open());
        Pipe level = closer.add(Pipe.open());
        Pipe edge = closer.add(Pipe.open());
        epoll.register(level.readEnd(), Epoll.EPOLLIN);
        epoll.register(edge.readEnd(), Epoll.EPOLLIN | Epoll.EPOLLET);
        writeByte(level);
        writeByte(edge);

        assertSameElements(List.of(new FdEvent(level.readEnd().fileno(), Epoll.EPOLLIN), new FdEvent(edge.readEnd().fileno(), Epoll.EPOLLIN)),
                epoll.poll(Duration.ofSeconds(5)));
        assertEquals(List.of(new FdEvent(level.readEnd().fileno(), Epoll.EPOLLIN)), epoll.poll(Duration.ZERO),
                "edge-triggered: nothing new, not reported again");
        writeByte(edge);
        assertEquals(2, epoll.poll(Duration.ZERO).size(), "new data is a new edge");
    }

    @Test
    void oneShotReportsOnceUntilRearmedByModify() throws Exception {
        Epoll epoll = closer.add(Epoll.open());
        Pipe pipe = closer.add(Pipe.open());
        int fd = pipe.readEnd().fileno();
        epoll.register(fd, Epoll.EPOLLIN | Epoll.EPOLLONESHOT);
        writeByte(pipe);
        assertEquals(List.of(new FdEvent(fd, Epoll.EPOLLIN)), epoll.poll(Duration.ofSeconds(5)));
        assertTrue(epoll.poll(Duration.ofMillis(10)).isEmpty(), "disabled after one report, though still readable");
        epoll.modify(fd, Epoll.EPOLLIN | Epoll.EPOLLONESHOT);
        assertEquals(List.of(new FdEvent(fd, Epoll.EPOLLIN)), epoll.poll(Duration.ofSeconds(5)));
    }

    @Test
    void exclusiveIsAcceptedAtRegistrationAndRefusedByModify() throws Exception {
        Epoll epoll = closer.add(Epoll.open());
        EventFd events = closer.add(EventFd.open());
        epoll.register(events, Epoll.EPOLLIN | Epoll.EPOLLEXCLUSIVE);
        events.write(1);
        assertEquals(List.of(new FdEvent(events.fileno(), Epoll.EPOLLIN)), epoll.poll(Duration.ofSeconds(5)));
        // The kernel forbids EPOLL_CTL_MOD on an exclusive registration.
        assertEquals("EINVAL", assertThrows(ErrnoException.class, () -> epoll.modify(events, Epoll.EPOLLIN)).errnoName());
    }

    @Test
    void maxEventsPagesThroughTheReadyFds() throws Exception {
        Epoll epoll = closer.add(Epoll.open());
        Set<Integer> expected = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            EventFd events = closer.add(EventFd.open());
            events.write(1);
            epoll.register(events.fileno(), Epoll.EPOLLIN);
            expected.add(events.fileno());
        }
        Set<Integer> seen = new HashSet<>();
        for (int call = 0; call < 3; call++) {
            List<FdEvent> page = epoll.poll(Duration.ZERO, 2);
            assertTrue(page.size() <= 2, "maxEvents honoured: " + page);
            page.forEach(event -> seen.add(event.fd()));
        }
        assertEquals(expected, seen, "level-triggered fds rotate, so three pages of two cover all five");
        assertThrows(IllegalArgumentException.class, () -> epoll.poll(Duration.ZERO, 0));
        assertThrows(IllegalArgumentException.class, () -> epoll.waitReady(0, -1));
    }

    @Test
    void tagsComeBackWithTheirEventsInPlace() throws Exception {
        Epoll epoll = closer.add(Epoll.open());
        EventFd events = closer.add(EventFd.open());
        epoll.register(events.fileno(), Epoll.EPOLLIN, 0x7eadbeef);
        events.write(1);
        assertEquals(1, epoll.waitReady(5_000_000_000L, 8));
        assertEquals(events.fileno(), epoll.readyFd(0));
        assertEquals(Epoll.EPOLLIN, epoll.readyEvents(0));
        assertEquals(0x7eadbeef, epoll.readyTag(0));
        assertThrows(IndexOutOfBoundsException.class, () -> epoll.readyFd(1));
        epoll.modify(events.fileno(), Epoll.EPOLLIN, -2);
        assertEquals(1, epoll.waitReady(0, 8));
        assertEquals(-2, epoll.readyTag(0));
    }

    /**
     * A timeout is one call with the milliseconds rounded up: a truncated one would still never end
     * early (the wait goes on for what remains) but would be a 0 ms call and a busy loop of retries.
     */
    @Test
    void timeoutsAreRoundedUpToTheMillisecondInOneCallNeverEarly() throws Exception {
        Epoll epoll = closer.add(Epoll.open());
        long[][] nanosToMillis = {{1, 1}, {999_999, 1}, {1_000_001, 2}, {2_500_000, 3}};
        for (long[] timeout : nanosToMillis) {
            try (KernelWaits waits = KernelWaits.record()) {
                long start = System.nanoTime();
                assertEquals(0, epoll.waitReady(timeout[0], 1));
                long elapsed = System.nanoTime() - start;
                assertTrue(elapsed >= timeout[0], timeout[0] + " ns timeout returned after " + elapsed + " ns");
                assertEquals(List.of(new KernelWaits.Attempt("epoll_wait", timeout[1])), waits.attempts(),
                        timeout[0] + " ns: one epoll_wait of " + timeout[1] + " ms");
            }
        }
    }

    @Test
    void operationsAfterCloseFailClearlyAndCloseIsIdempotent() throws Exception {
        Epoll epoll = Epoll.open();
        int fd = epoll.fileno();
        assertTrue(Fds.isCloseOnExec(fd));
        epoll.close();
        epoll.close();
        assertTrue(epoll.isClosed());
        assertFalse("anon_inode:[eventpoll]".equals(OpenFds.target(fd)), "the epoll fd was closed");
        assertEquals("Epoll is closed", assertThrows(AlreadyClosedException.class, () -> epoll.register(0, Epoll.EPOLLIN)).getMessage());
        assertThrows(AlreadyClosedException.class, () -> epoll.modify(0, Epoll.EPOLLIN));
        assertThrows(AlreadyClosedException.class, () -> epoll.unregister(0));
        assertThrows(AlreadyClosedException.class, () -> epoll.poll(Duration.ZERO));
        assertThrows(AlreadyClosedException.class, epoll::fileno);
    }

    @Test
    void theLastResultsStayReadableAfterClose() throws Exception {
        Epoll epoll = Epoll.open();
        EventFd events = closer.add(EventFd.open());
        epoll.register(events.fileno(), Epoll.EPOLLIN, 42);
        events.write(1);
        assertEquals(1, epoll.waitReady(5_000_000_000L, 4));
        epoll.close();
        assertEquals("Epoll[closed]", epoll.toString());
        assertThrows(AlreadyClosedException.class, () -> epoll.waitReady(0, 4));
        assertEquals(events.fileno(), epoll.readyFd(0), "results live in Java memory, not in the released native array");
        assertEquals(Epoll.EPOLLIN, epoll.readyEvents(0));
        assertEquals(42, epoll.readyTag(0));
        assertThrows(IndexOutOfBoundsException.class, () -> epoll.readyFd(1));
    }

    @Test
    void fromFdBorrowsUnlessToldToOwn() throws Exception {
        Epoll owner = closer.add(Epoll.open());
        Epoll borrowed = Epoll.fromFd(owner.fileno());
        borrowed.close();
        assertTrue(Fds.isOpen(owner.fileno()), "a borrowed fd is never closed by us");

        int adoptedFd = Fds.dup(owner.fileno());
        Epoll adopted = Epoll.fromFd(adoptedFd, Ownership.OWNED);
        adopted.close();
        assertFalse(Fds.isOpen(adoptedFd));
    }

    @Test
    void onlyOneThreadMayWaitAtATime() throws Exception {
        Epoll epoll = closer.add(Epoll.open());
        Thread waiter = new Thread(() -> {
            try {
                epoll.poll(Duration.ofSeconds(30));
            } catch (ErrnoException e) {
                throw new AssertionError(e);
            }
        });
        EventFd release = closer.add(EventFd.open());
        epoll.register(release, Epoll.EPOLLIN);
        waiter.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.RUNNABLE && isWaiting(epoll));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> epoll.poll(Duration.ZERO));
        assertTrue(e.getMessage().contains("concurrent wait"), e.getMessage());
        release.write(1);
        waiter.join(5000);
        assertFalse(waiter.isAlive());
    }

    private static boolean isWaiting(Epoll epoll) {
        try {
            epoll.poll(Duration.ZERO);
            return false;
        } catch (IllegalStateException busy) {
            return true;
        } catch (ErrnoException e) {
            throw new AssertionError(e);
        }
    }
}
