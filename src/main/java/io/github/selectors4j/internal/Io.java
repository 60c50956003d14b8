package io.github.selectors4j.internal;

import io.github.selectors4j.ErrnoException;
import java.nio.ByteBuffer;

/**
 * {@code read} and {@code write} on any fd through a {@link ByteBuffer}, with the JDK channels'
 * contract: the buffer's position advances by the bytes moved; a read returns -1 at end of stream;
 * "would block" ({@code EAGAIN}) is not an error but a return of 0; {@code EINTR} is retried.
 */
public final class Io {

    /** What {@link #readNative} and {@link #writeNative} return when a non-blocking fd would block. */
    public static final long WOULD_BLOCK = -1;

    /** What {@link #outcome} gives for a call {@code EINTR} interrupted: the caller makes it again. */
    private static final long INTERRUPTED = -2;

    private Io() {
    }

    /**
     * {@code read(2)} into native memory, for the fds whose reads are fixed-size records (eventfd,
     * timerfd, signalfd, inotify): {@code EINTR} is retried, {@code EAGAIN} is not an error.
     *
     * @param fd      the fd
     * @param address where to read to
     * @param length  how many bytes at most
     * @return the bytes read (0 at end of file), or {@link #WOULD_BLOCK}
     * @throws ErrnoException any failure but {@code EAGAIN} and {@code EINTR}
     */
    public static long readNative(int fd, long address, long length) throws ErrnoException {
        long n;
        do {
            n = outcome(Native.LIBC.read(fd, address, length), "read", fd);
        } while (n == INTERRUPTED);
        return n;
    }

    /**
     * {@code write(2)} from native memory: {@code EINTR} is retried, {@code EAGAIN} is not an error.
     *
     * @param fd      the fd
     * @param address the bytes
     * @param length  how many
     * @return the bytes written, or {@link #WOULD_BLOCK}
     * @throws ErrnoException any failure but {@code EAGAIN} and {@code EINTR}
     */
    public static long writeNative(int fd, long address, long length) throws ErrnoException {
        long n;
        do {
            n = outcome(Native.LIBC.write(fd, address, length), "write", fd);
        } while (n == INTERRUPTED);
        return n;
    }

    /**
     * Sorts a system call's result, read at once after the call so that errno is still its own:
     * the count if it succeeded, {@link #WOULD_BLOCK} for {@code EAGAIN}, {@link #INTERRUPTED} for
     * {@code EINTR}; any other failure is thrown, naming {@code call} and {@code fd}.
     */
    private static long outcome(long result, String call, int fd) throws ErrnoException {
        if (result >= 0) {
            return result;
        }
        int errno = Native.lastErrno();
        if (Errno.wouldBlock(errno)) {
            return WOULD_BLOCK;
        }
        if (errno == Errno.EINTR) {
            return INTERRUPTED;
        }
        throw Errno.exception(call, errno, fd);
    }

    /**
     * Reads into {@code dst}'s remaining space.
     *
     * @param fd  the fd
     * @param dst a writable buffer, heap or direct
     * @return bytes read; 0 if the fd is non-blocking and has nothing; -1 at end of stream
     * @throws ErrnoException           any failure but {@code EAGAIN} and {@code EINTR}
     * @throws IllegalArgumentException if {@code dst} is read-only
     */
    public static int read(int fd, ByteBuffer dst) throws ErrnoException {
        return readAt(fd, dst, -1);
    }

    /**
     * Reads at a file position with {@code pread(2)}, leaving the fd's offset alone (which an fd
     * shared with another process, as one passed with {@code SCM_RIGHTS}, also uses).
     *
     * @param fd       the fd
     * @param dst      a writable buffer, heap or direct
     * @param position where in the file to read, or -1 for the fd's offset ({@code read(2)})
     * @return bytes read; 0 if the fd is non-blocking and has nothing; -1 at end of file
     * @throws ErrnoException           any failure but {@code EAGAIN} and {@code EINTR}, e.g.
     *                                  {@code ESPIPE} on a pipe or socket
     * @throws IllegalArgumentException if {@code dst} is read-only
     */
    public static int readAt(int fd, ByteBuffer dst, long position) throws ErrnoException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (dst.isDirect()) {
            return readDirect(fd, dst, position);
        }
        // A heap buffer is read through a direct scratch buffer and exactly the bytes read are copied
        // over. Letting jnr-ffi marshal the array instead would copy its whole remaining range back,
        // filling the part the kernel did not write with whatever the native temporary held.
        ByteBuffer scratch = HeapReadScratch.get(dst.remaining());
        int n = readDirect(fd, scratch, position);
        if (n > 0) {
            dst.put(scratch.flip());
        }
        return n;
    }

    private static int readDirect(int fd, ByteBuffer dst, long position) throws ErrnoException {
        int wanted = dst.remaining();
        long n;
        do {
            n = position < 0 ? outcome(Native.LIBC.read(fd, dst, wanted), "read", fd)
                    : outcome(Native.LIBC.pread(fd, dst, wanted, position), "pread", fd);
        } while (n == INTERRUPTED);
        if (n == WOULD_BLOCK) {
            return 0;
        }
        if (n == 0) {
            return -1;
        }
        dst.position(dst.position() + (int) n);
        return (int) n;
    }

    /** One direct buffer per thread for reads into heap buffers, as the JDK's temporary buffer cache. */
    private static final class HeapReadScratch {
        /** A read into a heap buffer moves at most this much at once; short reads are in the contract. */
        private static final int MAX = 64 * 1024;
        private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(4096));

        static ByteBuffer get(int wanted) {
            int size = Math.min(wanted, MAX);
            ByteBuffer buffer = BUFFER.get();
            if (buffer.capacity() < size) {
                buffer = ByteBuffer.allocateDirect(Math.max(size, Math.min(buffer.capacity() * 2, MAX)));
                BUFFER.set(buffer);
            }
            return buffer.clear().limit(size);
        }
    }

    /**
     * Writes {@code src}'s remaining bytes, or as many as the fd accepts.
     *
     * @param fd  the fd
     * @param src the bytes, heap or direct
     * @return bytes written; 0 if the fd is non-blocking and full
     * @throws ErrnoException any failure but {@code EAGAIN} and {@code EINTR} (e.g. {@code EPIPE})
     */
    public static int write(int fd, ByteBuffer src) throws ErrnoException {
        int length = src.remaining();
        if (length == 0) {
            return 0;
        }
        long n;
        do {
            n = outcome(Native.LIBC.write(fd, src, length), "write", fd);
        } while (n == INTERRUPTED);
        if (n == WOULD_BLOCK) {
            return 0;
        }
        src.position(src.position() + (int) n);
        return (int) n;
    }
}
