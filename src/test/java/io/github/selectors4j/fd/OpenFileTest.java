package io.github.selectors4j.fd;

import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.Ownership;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.ControlMessage;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.ReceivedMessage;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.PollSelector;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.HighFds;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenFileTest {

    private final Closer closer = new Closer();

    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    @Test
    void writesAndReadsAFileItOpened() throws Exception {
        Path path = dir.resolve("f");
        try (OpenFile out = OpenFile.open(path, OpenFile.O_WRONLY | OpenFile.O_CREAT | OpenFile.O_TRUNC, 0600)) {
            assertEquals(5, out.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII))));
            assertTrue(Fds.isCloseOnExec(out.fileno()), "opened close-on-exec");
            assertEquals(Ownership.OWNED, out.ownership());
        }
        assertEquals("hello", Files.readString(path));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        try (OpenFile in = OpenFile.open(path, OpenFile.O_RDONLY)) {
            ByteBuffer buffer = ByteBuffer.allocate(16);
            assertEquals(5, in.read(buffer));
            assertEquals(-1, in.read(buffer), "end of file");
            assertEquals("hello", new String(buffer.array(), 0, 5, StandardCharsets.US_ASCII));
            ByteBuffer at = ByteBuffer.allocate(3);
            assertEquals(3, in.read(at, 2), "pread at position 2");
            assertEquals("llo", new String(at.array(), StandardCharsets.US_ASCII));
            assertEquals(-1, in.read(ByteBuffer.allocate(1)), "the fd's own offset did not move: still at the end");
            assertThrows(IllegalArgumentException.class, () -> in.read(ByteBuffer.allocate(1), -1));
            ErrnoException readOnly = assertThrows(ErrnoException.class, () -> in.write(ByteBuffer.wrap(new byte[] {1})));
            assertEquals("EBADF", readOnly.errnoName());
        }
    }

    @Test
    void openErrorsNameThePathAndTheErrno() throws Exception {
        Path missing = dir.resolve("missing");
        assertThrowsWithMessage(ErrnoException.class, "open(" + missing + ") failed: ENOENT (2)",
                () -> OpenFile.open(missing, OpenFile.O_RDONLY));
        Path existing = Files.writeString(dir.resolve("x"), "x");
        assertThrowsWithMessage(ErrnoException.class, "EEXIST",
                () -> OpenFile.open(existing, OpenFile.O_WRONLY | OpenFile.O_CREAT | OpenFile.O_EXCL));
        assertThrowsWithMessage(IllegalArgumentException.class, "mode must be permission bits",
                () -> OpenFile.open(existing, OpenFile.O_RDONLY, 0100000));
    }

    @Test
    void aBorrowedFdStaysOpenAndAnOwnedOneIsClosed() throws Exception {
        Pipe pipe = closer.add(Pipe.open());
        int fd = pipe.readEnd().fileno();
        OpenFile borrowed = OpenFile.fromFd(fd);
        borrowed.close();
        assertTrue(Fds.isOpen(fd), "a borrowed fd is left to its owner");
        assertThrows(AlreadyClosedException.class, borrowed::fileno);

        int copy = Fds.dup(fd);
        OpenFile owned = OpenFile.fromFd(copy, Ownership.OWNED);
        owned.close();
        owned.close();   // idempotent
        assertFalse(Fds.isOpen(copy), "an owned fd is closed with its wrapper");
    }

    @Test
    void fromFdRefusesNegativeAndClosedFds() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> OpenFile.fromFd(-1));
        int fd = HighFds.dupHigh(closer.add(Pipe.open()).readEnd().fileno());
        Fds.close(fd);
        assertThrowsWithMessage(ErrnoException.class, "EBADF", () -> OpenFile.fromFd(fd, Ownership.OWNED));
    }

    /** The case the unix-fd-passing sample needed: a received fd is the receiver's to read and close. */
    @Test
    void anFdReceivedWithScmRightsIsReadAndClosed() throws Exception {
        Path path = Files.writeString(dir.resolve("passed"), "passed along\n");
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0);
        closer.add(pair[0]);
        closer.add(pair[1]);
        try (OpenFile sent = OpenFile.open(path, OpenFile.O_RDONLY)) {
            pair[0].sendMsg(ByteBuffer.wrap(new byte[] {'F'}), List.of(ControlMessage.rights(sent.fileno())), 0, null);
        }
        Files.delete(path);   // the open file outlives its name
        ReceivedMessage message = pair[1].recvMsg(ByteBuffer.allocate(1), 64, 0);
        int received = message.controls().get(0).fds()[0];
        try (OpenFile file = OpenFile.fromFd(received, Ownership.OWNED)) {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            int n = file.read(buffer);
            assertEquals("passed along\n", new String(buffer.array(), 0, n, StandardCharsets.UTF_8));
        }
        assertFalse(Fds.isOpen(received), "closed with its wrapper");
    }

    @Test
    void readingAtAPositionOfAPipeIsEspipe() throws Exception {
        Pipe pipe = closer.add(Pipe.open());
        try (OpenFile end = OpenFile.fromFd(pipe.readEnd().fileno())) {
            assertThrowsWithMessage(ErrnoException.class, "pread on fd " + end.fileno() + " failed: ESPIPE",
                    () -> end.read(ByteBuffer.allocate(1), 0));
        }
    }

    @Test
    void aDeviceRegistersInAPollSelector() throws Exception {
        try (OpenFile devNull = OpenFile.open(Path.of("/dev/null"), OpenFile.O_RDWR | OpenFile.O_NONBLOCK);
             BaseSelector selector = PollSelector.open()) {
            selector.register(devNull, BaseSelector.EVENT_READ | BaseSelector.EVENT_WRITE);
            assertEquals(BaseSelector.EVENT_READ | BaseSelector.EVENT_WRITE, selector.select(Duration.ZERO).get(0).events());
            selector.unregister(devNull);
        }
    }
}
