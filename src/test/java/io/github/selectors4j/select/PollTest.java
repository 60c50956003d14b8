package io.github.selectors4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.NotRegisteredException;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.HighFds;
import io.github.selectors4j.testing.KernelWaits;
import io.github.selectors4j.testing.TestIo;
import io.github.selectors4j.testing.TestSockets;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Poll} with Python's poll-object semantics, on real pipes. */
class PollTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    @Test
    void registeringAgainReplacesTheMask() throws Exception {
        Poll poll = closer.add(Poll.open());
        Pipe pipe = closer.add(Pipe.open());
        int fd = pipe.writeEnd().fileno();
        poll.register(fd, Poll.POLLIN);
        assertTrue(poll.poll(0).isEmpty(), "a pipe's write end never reads");
        poll.register(fd, Poll.POLLOUT);
        assertEquals(List.of(new FdEvent(fd, Poll.POLLOUT)), poll.poll(0));
        assertEquals(1, poll.size());
    }

    @Test
    void fileObjectsWorkWhereverAnFdDoes() throws Exception {
        Poll poll = closer.add(Poll.open());
        Pipe pipe = closer.add(Pipe.open());
        poll.register(pipe.writeEnd(), Poll.POLLIN);
        assertTrue(poll.poll(0).isEmpty());
        poll.modify(pipe.writeEnd(), Poll.POLLOUT);
        assertEquals(List.of(new FdEvent(pipe.writeEnd().fileno(), Poll.POLLOUT)), poll.poll(0));
        poll.unregister(pipe.writeEnd());
        assertEquals(0, poll.size());
    }

    @Test
    void modifyAndUnregisterOfUnknownFdsFailAsInPython() throws Exception {
        Poll poll = closer.add(Poll.open());
        ErrnoException e = assertThrows(ErrnoException.class, () -> poll.modify(7, Poll.POLLIN));
        assertEquals("ENOENT", e.errnoName());
        assertEquals(7, e.fd());
        assertEquals("fd 7 is not registered", assertThrows(NotRegisteredException.class, () -> poll.unregister(7)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> poll.register(3, 0x10000));
        assertThrows(IllegalArgumentException.class, () -> poll.register(-3, Poll.POLLIN));
    }

    @Test
    void readinessHangUpAndClosedFds() throws Exception {
        Poll poll = closer.add(Poll.open());
        Pipe pipe = closer.add(Pipe.open());
        Pipe closing = closer.add(Pipe.open());
        int reader = pipe.readEnd().fileno();
        int closed = HighFds.dupHigh(closing.readEnd().fileno());
        poll.register(reader, Poll.POLLIN);
        poll.register(closed, Poll.POLLIN);
        Fds.close(closed);
        pipe.writeEnd().write(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(List.of(new FdEvent(reader, Poll.POLLIN), new FdEvent(closed, Poll.POLLNVAL)), poll.poll(1000));

        poll.unregister(closed);
        pipe.writeEnd().close();
        assertEquals(List.of(new FdEvent(reader, Poll.POLLIN | Poll.POLLHUP)), poll.poll(1000));
    }

    @Test
    void socketPairsAndEventFdsBecomeReady() throws Exception {
        Poll poll = closer.add(Poll.open());
        int[] pair = closer.addFds(TestSockets.unixStreamPair());
        EventFd events = closer.add(EventFd.open());
        poll.register(pair[0], Poll.POLLIN | Poll.POLLRDHUP);
        poll.register(events, Poll.POLLIN);
        assertTrue(poll.poll(0).isEmpty());
        events.write(1);
        TestIo.send(pair[1], "x");
        assertEquals(List.of(new FdEvent(pair[0], Poll.POLLIN), new FdEvent(events.fileno(), Poll.POLLIN)), poll.poll(1000));
        closer.closeFd(pair[1]);
        assertEquals(new FdEvent(pair[0], Poll.POLLIN | Poll.POLLRDHUP | Poll.POLLHUP), poll.poll(1000).get(0));
    }

    @Test
    void unregisteringKeepsTheOthersAndTheOrder() throws Exception {
        Poll poll = closer.add(Poll.open());
        Pipe a = closer.add(Pipe.open());
        Pipe b = closer.add(Pipe.open());
        Pipe c = closer.add(Pipe.open());
        for (Pipe pipe : List.of(a, b, c)) {
            poll.register(pipe.writeEnd(), Poll.POLLOUT);
        }
        poll.unregister(a.writeEnd().fileno());
        List<FdEvent> ready = poll.poll(0);
        assertEquals(2, ready.size());
        assertEquals(Set.of(b.writeEnd().fileno(), c.writeEnd().fileno()), Set.of(ready.get(0).fd(), ready.get(1).fd()));
    }

    /**
     * A timeout is one call with the milliseconds rounded up: a truncated one would still never end
     * early (the wait goes on for what remains) but would be a 0 ms call and a busy loop of retries.
     */
    @Test
    void timeoutsAreRoundedUpToTheMillisecondInOneCallNeverEarly() throws Exception {
        Poll poll = closer.add(Poll.open());
        long[][] nanosToMillis = {{1, 1}, {999_999, 1}, {1_000_001, 2}, {2_500_000, 3}};
        for (long[] timeout : nanosToMillis) {
            try (KernelWaits waits = KernelWaits.record()) {
                long start = System.nanoTime();
                assertEquals(0, poll.waitReady(timeout[0]));
                long elapsed = System.nanoTime() - start;
                assertTrue(elapsed >= timeout[0], timeout[0] + " ns timeout returned after " + elapsed + " ns");
                assertEquals(List.of(new KernelWaits.Attempt("poll", timeout[1])), waits.attempts(),
                        timeout[0] + " ns: one poll of " + timeout[1] + " ms");
            }
        }
    }

    /** After close every call but isClosed and toString fails; the last wait's results stay readable. */
    @Test
    void closeIsFinalButTheLastResultsStayReadable() throws Exception {
        Poll poll = Poll.open();
        Pipe pipe = closer.add(Pipe.open());
        int fd = pipe.writeEnd().fileno();
        poll.register(fd, Poll.POLLOUT);
        assertEquals(1, poll.waitReady(0));
        poll.close();
        poll.close();
        assertTrue(poll.isClosed());
        assertEquals("Poll[closed]", poll.toString());
        assertEquals("Poll is closed", assertThrows(AlreadyClosedException.class, () -> poll.register(0)).getMessage());
        assertThrows(AlreadyClosedException.class, () -> poll.register(pipe.readEnd(), Poll.POLLIN));
        assertThrows(AlreadyClosedException.class, () -> poll.modify(fd, Poll.POLLIN));
        assertThrows(AlreadyClosedException.class, () -> poll.modify(pipe.writeEnd(), Poll.POLLIN));
        assertThrows(AlreadyClosedException.class, () -> poll.unregister(fd));
        assertThrows(AlreadyClosedException.class, () -> poll.unregister(pipe.writeEnd()));
        assertThrows(AlreadyClosedException.class, () -> poll.poll());
        assertThrows(AlreadyClosedException.class, () -> poll.poll(0));
        assertThrows(AlreadyClosedException.class, () -> poll.waitReady(0));
        assertThrows(AlreadyClosedException.class, poll::size);
        assertEquals(fd, poll.readyFd(0), "results live in Java memory, not in the released native array");
        assertEquals(Poll.POLLOUT, poll.readyEvents(0));
        assertThrows(IndexOutOfBoundsException.class, () -> poll.readyFd(1));
    }

    @Test
    void constantsHaveTheirLinuxValues() {
        assertEquals(0x100, Poll.POLLWRNORM);
        assertEquals(0x200, Poll.POLLWRBAND);
        assertEquals(0x2000, Poll.POLLRDHUP);
        assertEquals(Poll.POLLIN | Poll.POLLPRI | Poll.POLLOUT, Poll.DEFAULT_MASK);
    }
}
