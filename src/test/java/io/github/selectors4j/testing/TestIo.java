package io.github.selectors4j.testing;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.internal.Io;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.SocketOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Small I/O helpers for tests on raw fds. */
public final class TestIo {

    /** A call that may throw an IOException. */
    @FunctionalInterface
    public interface IoCall<T> {
        T call() throws IOException;
    }

    private TestIo() {
    }

    /** Runs an I/O call where only unchecked exceptions are allowed (e.g. in a CompletableFuture). */
    public static <T> T unchecked(IoCall<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a string to a fd, all of it. */
    public static void send(int fd, String text) throws ErrnoException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            if (Io.write(fd, bytes) == 0) {
                throw new IllegalStateException("fd " + fd + " is full");
            }
        }
    }

    /** Reads what is available (at most 64 KiB) from a non-blocking fd. */
    public static String receive(int fd) throws ErrnoException {
        ByteBuffer bytes = ByteBuffer.allocate(65536);
        Io.read(fd, bytes);
        return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
    }

    /** The pending error of a socket (SO_ERROR) as an errno symbol, or "0". */
    public static String socketError(int fd) throws ErrnoException {
        int errno = NativeSocket.fromFd(fd).getOption(SocketOptions.SO_ERROR);
        return errno == 0 ? "0" : Errno.exception("", errno, fd).errnoName();
    }
}
