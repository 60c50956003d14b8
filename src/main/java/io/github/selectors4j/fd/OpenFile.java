package io.github.selectors4j.fd;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.Ownership;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.FileObjects;
import io.github.selectors4j.internal.Io;
import io.github.selectors4j.internal.Platform;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Any fd as a readable, writable, closable object: a path opened with {@code open(2)}, an fd
 * received from another process ({@code SCM_RIGHTS}), or one handed over by a C library. Python's
 * {@code os.open}/{@code os.read}/{@code os.write}/{@code os.close} on one object.
 *
 * <pre>{@code
 * // An fd that arrived with SCM_RIGHTS is ours to read and to close:
 * int fd = message.controls().get(0).fds()[0];
 * try (OpenFile file = OpenFile.fromFd(fd, Ownership.OWNED)) {
 *     ByteBuffer buffer = ByteBuffer.allocate(4096);
 *     int n = file.read(buffer);                       // -1 at end of file
 * }
 *
 * // A character device, watched like any other fd:
 * try (OpenFile tty = OpenFile.open(Path.of("/dev/ttyUSB0"), OpenFile.O_RDWR | OpenFile.O_NONBLOCK)) {
 *     selector.register(tty, BaseSelector.EVENT_READ);
 * }
 * }</pre>
 *
 * <p>Files opened here are close-on-exec. Reads and writes go straight to {@code read(2)} and
 * {@code write(2)} at the fd's current offset. On a non-blocking fd, "would block" is a value (0),
 * not an exception, as for {@link Pipe}; end of file is -1. Regular files are always ready, so
 * epoll refuses them ({@code EPERM}); poll and select report them ready.
 */
public final class OpenFile extends GuardedFd {

    /** Open for reading only. */
    public static final int O_RDONLY = Platform.CURRENT.openFlag("O_RDONLY");
    /** Open for writing only. */
    public static final int O_WRONLY = Platform.CURRENT.openFlag("O_WRONLY");
    /** Open for reading and writing. */
    public static final int O_RDWR = Platform.CURRENT.openFlag("O_RDWR");
    /** Create the file if it does not exist (with the mode given to {@link #open(Path, int, int)}). */
    public static final int O_CREAT = Platform.CURRENT.openFlag("O_CREAT");
    /** With {@link #O_CREAT}: fail with {@code EEXIST} if the file exists. */
    public static final int O_EXCL = Platform.CURRENT.openFlag("O_EXCL");
    /** Truncate an existing regular file to length 0. */
    public static final int O_TRUNC = Platform.CURRENT.openFlag("O_TRUNC");
    /** Every write appends. */
    public static final int O_APPEND = Platform.CURRENT.openFlag("O_APPEND");
    /** Reads and writes never block; "would block" is returned as 0. */
    public static final int O_NONBLOCK = Platform.CURRENT.oNonBlock();
    /** Do not make a terminal device the process's controlling terminal. */
    public static final int O_NOCTTY = Platform.CURRENT.openFlag("O_NOCTTY");

    private static final String NAME = "OpenFile";

    private final Ownership ownership;

    private OpenFile(int fd, Ownership ownership) {
        super(NAME, fd);
        this.ownership = ownership;
    }

    @Override
    void release() {
        if (ownership == Ownership.OWNED) {
            Fds.closeOwned(fd);
        }
    }

    /**
     * Opens a path; the new fd is close-on-exec and owned by the returned object.
     *
     * @param path  the path
     * @param flags {@code O_*} flags, e.g. {@code O_RDONLY}, {@code O_WRONLY | O_CREAT | O_TRUNC}
     * @return the open file
     * @throws ErrnoException e.g. {@code ENOENT}, {@code EACCES}, {@code EISDIR}
     */
    public static OpenFile open(Path path, int flags) throws ErrnoException {
        return open(path, flags, 0644);
    }

    /**
     * Opens a path, with the permission bits a file created by {@link #O_CREAT} gets (before the
     * umask).
     *
     * @param path  the path
     * @param flags {@code O_*} flags
     * @param mode  permission bits, e.g. {@code 0600}
     * @return the open file
     * @throws ErrnoException e.g. {@code ENOENT}, {@code EACCES}, {@code EEXIST}
     */
    public static OpenFile open(Path path, int flags, int mode) throws ErrnoException {
        Objects.requireNonNull(path, "path");
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode must be permission bits (0 to 07777): 0" + Integer.toOctalString(mode));
        }
        return new OpenFile(Fds.open(path.toString(), flags, mode), Ownership.OWNED);
    }

    /**
     * Wraps an fd someone else opened, borrowed: {@link #close()} leaves it open.
     *
     * @param fd an open fd
     * @return the wrapper
     * @throws IllegalArgumentException if {@code fd} is negative
     * @throws ErrnoException           {@code EBADF} if {@code fd} is not open
     */
    public static OpenFile fromFd(int fd) throws ErrnoException {
        return fromFd(fd, Ownership.BORROWED);
    }

    /**
     * Wraps an fd, saying who closes it: {@link Ownership#OWNED} for an fd handed over to us (one
     * received with {@code SCM_RIGHTS} is the receiver's to close).
     *
     * @param fd        an open fd
     * @param ownership who closes it
     * @return the wrapper
     * @throws IllegalArgumentException if {@code fd} is negative
     * @throws ErrnoException           {@code EBADF} if {@code fd} is not open
     */
    public static OpenFile fromFd(int fd, Ownership ownership) throws ErrnoException {
        FileObjects.checkFd(fd);
        Objects.requireNonNull(ownership, "ownership");
        if (!Fds.isOpen(fd)) {
            throw Errno.exception("fromFd", Errno.EBADF, fd);
        }
        return new OpenFile(fd, ownership);
    }

    /**
     * Reads into the buffer's remaining space, at the fd's offset.
     *
     * @param dst a writable buffer
     * @return bytes read, 0 if nothing is available (non-blocking), -1 at end of file
     * @throws ErrnoException e.g. {@code EBADF} on a write-only fd, {@code EISDIR}
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
     * Reads at a position in the file ({@code pread(2)}), leaving the fd's offset where it was:
     * the way to read an fd whose offset others share, such as one passed with {@code SCM_RIGHTS}
     * (sender and receivers share one open file, offset included).
     *
     * @param dst      a writable buffer
     * @param position the byte position in the file, 0 or more
     * @return bytes read, -1 at end of file
     * @throws ErrnoException           e.g. {@code ESPIPE} on a pipe, socket or terminal
     * @throws IllegalArgumentException if {@code position} is negative
     */
    public int read(ByteBuffer dst, long position) throws ErrnoException {
        Objects.requireNonNull(dst, "dst");
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative: " + position);
        }
        guard.enter();
        try {
            return Io.readAt(fd, dst, position);
        } finally {
            guard.exit();
        }
    }

    /**
     * Writes the buffer's remaining bytes, or as many as the file takes.
     *
     * @param src the bytes
     * @return bytes written, 0 if the fd would block (non-blocking)
     * @throws ErrnoException e.g. {@code EBADF} on a read-only fd, {@code ENOSPC}
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
     * Who closes the fd.
     *
     * @return {@link Ownership#OWNED} if {@link #close()} closes it
     */
    public Ownership ownership() {
        return ownership;
    }

    /**
     * Closes the fd if it is owned, else only marks the wrapper closed. Idempotent; a read or write
     * in progress in another thread finishes first.
     */
    @Override
    public void close() {
        super.close();
    }

    @Override
    String details() {
        return ownership == Ownership.BORROWED ? ", borrowed" : "";
    }
}
