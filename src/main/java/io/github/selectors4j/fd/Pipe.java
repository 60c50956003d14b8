package io.github.selectors4j.fd;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.FileDescriptorLike;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.Io;
import io.github.selectors4j.internal.Platform;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A pipe ({@code pipe2}): a read end and a write end, each a {@link FileDescriptorLike} that
 * registers in any selector.
 *
 * <pre>{@code
 * try (Pipe pipe = Pipe.open()) {
 *     selector.register(pipe.readEnd(), BaseSelector.EVENT_READ);
 *     pipe.writeEnd().write(ByteBuffer.wrap("ping".getBytes()));
 *     selector.select(Duration.ofSeconds(1));          // the read end is ready
 *     pipe.writeEnd().close();                         // a hang-up: once drained, reads return -1
 * }
 * }</pre>
 *
 * <p>Both ends are non-blocking and close-on-exec unless {@link #open(int)} is given other flags.
 * Reads and writes follow the JDK channels' contract: -1 at end of stream, 0 when a non-blocking end
 * would block.
 */
public final class Pipe implements AutoCloseable {

    /** {@code O_NONBLOCK} for {@link #open(int)}. */
    public static final int O_NONBLOCK = Platform.CURRENT.oNonBlock();
    /** {@code O_CLOEXEC} for {@link #open(int)}. */
    public static final int O_CLOEXEC = Platform.CURRENT.oCloexec();

    private final End readEnd;
    private final End writeEnd;

    private Pipe(int[] fds) {
        this.readEnd = new End(fds[0], "Pipe read end");
        this.writeEnd = new End(fds[1], "Pipe write end");
    }

    /**
     * Opens a non-blocking, close-on-exec pipe.
     *
     * @return the pipe
     * @throws ErrnoException e.g. {@code EMFILE}
     */
    public static Pipe open() throws ErrnoException {
        return open(O_NONBLOCK | O_CLOEXEC);
    }

    /**
     * Opens a pipe with exactly the given {@code pipe2} flags.
     *
     * @param flags e.g. {@code O_NONBLOCK | O_CLOEXEC}, used as given
     * @return the pipe
     * @throws ErrnoException e.g. {@code EMFILE}, {@code EINVAL}
     */
    public static Pipe open(int flags) throws ErrnoException {
        return new Pipe(Fds.pipe(flags));
    }

    /**
     * The read end.
     *
     * @return the read end
     */
    public End readEnd() {
        return readEnd;
    }

    /**
     * The write end.
     *
     * @return the write end
     */
    public End writeEnd() {
        return writeEnd;
    }

    /**
     * Closes both ends. Idempotent.
     */
    @Override
    public void close() {
        try {
            readEnd.close();
        } finally {
            writeEnd.close();
        }
    }

    @Override
    public String toString() {
        return "Pipe[" + readEnd + ", " + writeEnd + "]";
    }

    /**
     * One end of a pipe.
     */
    public static final class End extends GuardedFd {

        private End(int fd, String name) {
            super(name, fd);
        }

        @Override
        void release() {
            Fds.closeOwned(fd);
        }

        /**
         * Reads into the buffer's remaining space.
         *
         * @param dst a writable buffer
         * @return bytes read, 0 if nothing is available (non-blocking), -1 at end of stream
         * @throws ErrnoException e.g. {@code EBADF} on the write end
         */
        public int read(ByteBuffer dst) throws ErrnoException {
            Objects.requireNonNull(dst, "dst");
            guard.enter();
            try {
                return Io.read(fd, dst);
            } finally {
                guard.exit();
            }
        }

        /**
         * Reads into a range of an array.
         *
         * @param bytes  the array
         * @param offset where to start
         * @param length how many bytes at most
         * @return bytes read, 0 if nothing is available (non-blocking), -1 at end of stream
         * @throws ErrnoException           on failure
         * @throws IndexOutOfBoundsException if the range is outside the array
         */
        public int read(byte[] bytes, int offset, int length) throws ErrnoException {
            Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(bytes, "bytes").length);
            return read(ByteBuffer.wrap(bytes, offset, length));
        }

        /**
         * Writes the buffer's remaining bytes, or as many as fit.
         *
         * @param src the bytes
         * @return bytes written, 0 if the pipe is full (non-blocking)
         * @throws ErrnoException e.g. {@code EPIPE} when the read end is closed
         */
        public int write(ByteBuffer src) throws ErrnoException {
            Objects.requireNonNull(src, "src");
            guard.enter();
            try {
                return Io.write(fd, src);
            } finally {
                guard.exit();
            }
        }

        /**
         * Writes a range of an array, or as much of it as fits.
         *
         * @param bytes  the array
         * @param offset where to start
         * @param length how many bytes
         * @return bytes written, 0 if the pipe is full (non-blocking)
         * @throws ErrnoException           e.g. {@code EPIPE}
         * @throws IndexOutOfBoundsException if the range is outside the array
         */
        public int write(byte[] bytes, int offset, int length) throws ErrnoException {
            Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(bytes, "bytes").length);
            return write(ByteBuffer.wrap(bytes, offset, length));
        }

        /**
         * Closes this end; the other end sees end of stream or {@code EPIPE}. Idempotent.
         */
        @Override
        public void close() {
            super.close();
        }
    }
}
