package io.github.selectors4j.fd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Fds;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** {@link Pipe}: the JDK channel contract for reads and writes, EOF, EPIPE, bounds. */
class PipeTest {

    @Test
    void bytesGoThroughHeapAndDirectBuffers() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            assertEquals(0, pipe.readEnd().read(ByteBuffer.allocate(8)), "empty and non-blocking: 0");
            assertEquals(5, pipe.writeEnd().write("hello".getBytes(), 0, 5));
            ByteBuffer direct = ByteBuffer.allocateDirect(16);
            direct.position(3);
            assertEquals(5, pipe.writeEnd().write(ByteBuffer.wrap("world".getBytes())));
            assertEquals(10, pipe.readEnd().read(direct));
            assertEquals(13, direct.position(), "position advanced from 3");
            byte[] read = new byte[10];
            direct.flip().position(3);
            direct.get(read);
            assertArrayEquals("helloworld".getBytes(), read);

            byte[] array = new byte[8];
            pipe.writeEnd().write(new byte[] {1, 2, 3}, 1, 2);
            assertEquals(2, pipe.readEnd().read(array, 4, 4));
            assertArrayEquals(new byte[] {0, 0, 0, 0, 2, 3, 0, 0}, array);
        }
    }

    @Test
    void endOfStreamAndBrokenPipe() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.writeEnd().close();
            assertEquals(-1, pipe.readEnd().read(ByteBuffer.allocate(4)));
        }
        try (Pipe pipe = Pipe.open()) {
            pipe.readEnd().close();
            ErrnoException e = assertThrows(ErrnoException.class, () -> pipe.writeEnd().write(ByteBuffer.wrap(new byte[1])));
            assertEquals("EPIPE", e.errnoName(), "the JVM ignores SIGPIPE, so the write fails instead of killing us");
        }
    }

    @Test
    void aFullPipeAcceptsZeroBytes() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
            long total = 0;
            int written;
            while ((written = pipe.writeEnd().write(chunk.clear())) > 0) {
                total += written;
            }
            assertEquals(0, written);
            assertTrue(total >= 4096, "a pipe buffers at least a page: " + total);
        }
    }

    @Test
    void badArgumentsAreRefusedBeforeAnyNativeCall() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            assertThrows(IndexOutOfBoundsException.class, () -> pipe.readEnd().read(new byte[4], 3, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> pipe.writeEnd().write(new byte[4], -1, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> pipe.writeEnd().write(new byte[4], 0, -1));
            assertThrows(NullPointerException.class, () -> pipe.readEnd().read((ByteBuffer) null));
            assertEquals("Read-only buffer", assertThrows(IllegalArgumentException.class,
                    () -> pipe.readEnd().read(ByteBuffer.allocate(4).asReadOnlyBuffer())).getMessage());
        }
    }

    @Test
    void endsAreNonBlockingCloseOnExecAndCloseIndependently() throws Exception {
        Pipe pipe = Pipe.open();
        for (int fd : new int[] {pipe.readEnd().fileno(), pipe.writeEnd().fileno()}) {
            assertTrue(Fds.isNonBlocking(fd));
            assertTrue(Fds.isCloseOnExec(fd));
        }
        pipe.readEnd().close();
        assertThrows(AlreadyClosedException.class, () -> pipe.readEnd().read(ByteBuffer.allocate(1)));
        assertTrue(pipe.writeEnd().fileno() >= 0);
        pipe.close();
        pipe.close();
        assertTrue(pipe.writeEnd().isClosed());
    }
}
