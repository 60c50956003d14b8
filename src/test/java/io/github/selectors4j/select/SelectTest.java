package io.github.selectors4j.select;

import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.FileDescriptorLike;
import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.HighFds;
import io.github.selectors4j.testing.KernelWaits;
import io.github.selectors4j.testing.TestIo;
import io.github.selectors4j.testing.TestSockets;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Select} and {@link FdSet} with Python's {@code select.select} semantics. */
class SelectTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    @Test
    void returnsTheSameObjectsThatWerePassedIn() throws Exception {
        Pipe pipe = closer.add(Pipe.open());
        FileDescriptorLike reader = pipe.readEnd();
        Integer writer = pipe.writeEnd().fileno();
        pipe.writeEnd().write(ByteBuffer.wrap(new byte[] {1}));

        Select.Result<Object> ready = Select.select(List.of(reader), List.of(writer), List.of(), Duration.ofSeconds(5));
        assertEquals(1, ready.readable().size());
        assertSame(reader, ready.readable().get(0));
        assertSame(writer, ready.writable().get(0));
        assertTrue(ready.exceptional().isEmpty());
    }

    @Test
    void socketPairsAndEventFdsBecomeReady() throws Exception {
        int[] pair = closer.addFds(TestSockets.unixStreamPair());
        EventFd events = closer.add(EventFd.open());
        List<Object> readers = List.of(pair[0], events);
        Select.Result<Object> idle = Select.select(readers, List.of(pair[0]), List.of(), Duration.ZERO);
        assertEquals(List.of(), idle.readable(), "nothing sent, nothing counted");
        assertEquals(List.of(pair[0]), idle.writable(), "a connected socket with room is writable");

        TestIo.send(pair[1], "x");
        events.write(1);
        assertEquals(readers, Select.select(readers, List.of(), List.of(), Duration.ofSeconds(5)).readable());

        events.read();
        assertEquals("x", TestIo.receive(pair[0]));
        assertEquals(List.of(), Select.select(readers, List.of(), List.of(), Duration.ZERO).readable(), "both drained");
        closer.closeFd(pair[1]);
        assertEquals(List.of(pair[0]), Select.select(readers, List.of(), List.of(), Duration.ofSeconds(5)).readable(),
                "a closed peer makes the socket readable (end of file)");
    }

    @Test
    void refusesWhatSelectCannotDo() throws Exception {
        assertThrowsWithMessage(IllegalArgumentException.class, "filedescriptor out of range in select(): 1024",
                () -> Select.select(List.of(1024), List.of(), List.of(), Duration.ZERO));
        List<Integer> tooMany = new ArrayList<>(Collections.nCopies(FdSet.SIZE + 1, 0));
        assertThrowsWithMessage(IllegalArgumentException.class, "too many file descriptors in select()",
                () -> Select.select(tooMany, List.of(), List.of(), Duration.ZERO));
        assertThrowsWithMessage(IllegalArgumentException.class, "timeout must be non-negative",
                () -> Select.select(List.of(), List.of(), List.of(), Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> new FdSet().set(-1));
    }

    @Test
    void aClosedFdFailsWithEbadf() throws Exception {
        Pipe pipe = closer.add(Pipe.open());
        int fd = HighFds.dupHigh(pipe.readEnd().fileno());
        Fds.close(fd);
        assertEquals("EBADF", assertThrows(ErrnoException.class, () -> Select.select(List.of(fd), List.of(), List.of(), Duration.ZERO)).errnoName());
    }

    /**
     * A timeout is one call with the microseconds rounded up: a truncated one would still never end
     * early (the wait goes on for what remains) but would be a 0 µs call and a busy loop of retries.
     */
    @Test
    void timeoutsAreRoundedUpToTheMicrosecondInOneCallNeverEarly() throws Exception {
        long[][] nanosToMicros = {{1, 1}, {1_001, 2}, {999_999, 1_000}, {2_000_001, 2_001}};
        for (long[] timeout : nanosToMicros) {
            try (KernelWaits waits = KernelWaits.record()) {
                long start = System.nanoTime();
                assertEquals(0, Select.select(null, null, null, timeout[0]));
                long elapsed = System.nanoTime() - start;
                assertTrue(elapsed >= timeout[0], timeout[0] + " ns timeout returned after " + elapsed + " ns");
                assertEquals(List.of(new KernelWaits.Attempt("select", timeout[1])), waits.attempts(),
                        timeout[0] + " ns: one select of " + timeout[1] + " us");
            }
        }
        try (KernelWaits waits = KernelWaits.record()) {
            assertEquals(0, Select.select(null, null, null, 0));
            assertEquals(List.of(new KernelWaits.Attempt("select", 0)), waits.attempts(), "zero polls once");
        }
    }

    @Test
    void fdSetsWorkInPlace() throws Exception {
        Pipe pipe = closer.add(Pipe.open());
        FdSet read = new FdSet().set(pipe.readEnd().fileno());
        FdSet write = new FdSet().set(pipe.writeEnd().fileno()).set(pipe.readEnd().fileno());
        assertEquals(1, Select.select(read, write, null, Duration.ZERO), "only the write end is ready");
        assertFalse(read.isSet(pipe.readEnd().fileno()));
        assertTrue(write.isSet(pipe.writeEnd().fileno()));
        assertFalse(write.isSet(pipe.readEnd().fileno()));
        assertEquals(pipe.writeEnd().fileno(), write.highestFd());
        assertEquals(1, write.count());
        assertEquals(pipe.writeEnd().fileno(), write.nextSet(0));
        assertEquals(-1, write.nextSet(pipe.writeEnd().fileno() + 1));
        assertEquals(-1, new FdSet().highestFd());
        assertEquals("FdSet[3, 64, 1023]", new FdSet().set(1023).set(64).set(3).toString());
        FdSet copy = new FdSet().copyFrom(write);
        assertTrue(copy.isSet(pipe.writeEnd().fileno()));
        copy.clearAll();
        assertEquals(0, copy.count());
    }
}
