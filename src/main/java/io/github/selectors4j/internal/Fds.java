package io.github.selectors4j.internal;

import io.github.selectors4j.ErrnoException;
import java.io.UncheckedIOException;
import jnr.constants.platform.Fcntl;

/**
 * File-descriptor primitives: create, duplicate, flag and close. Every fd created here is
 * close-on-exec from birth (set atomically by the creating call, never by a later {@code fcntl},
 * which would race with a {@code fork}+{@code exec} in another thread).
 */
public final class Fds {

    private static final int FD_CLOEXEC = 1;

    private Fds() {
    }

    /**
     * Closes an fd. {@code EINTR} counts as success: on Linux the fd is released before the
     * interruption is reported, and retrying could close a number another thread just reused.
     *
     * @param fd the fd
     * @throws ErrnoException on any other failure (e.g. {@code EBADF})
     */
    public static void close(int fd) throws ErrnoException {
        if (Native.POSIX.close(fd) < 0) {
            int errno = Native.lastErrno();
            if (errno != Errno.EINTR) {
                throw Errno.exception("close", errno, fd);
            }
        }
    }

    /**
     * Closes an fd the caller owns, from a {@code close()} method that declares no checked
     * exception. A failure here means the fd was closed behind our back ({@code EBADF}), which is a
     * bug worth hearing about rather than a condition to ignore.
     *
     * @param fd the fd
     * @throws UncheckedIOException if {@code close} fails
     */
    public static void closeOwned(int fd) {
        try {
            close(fd);
        } catch (ErrnoException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Closes an fd while another failure is already being reported; a failure to close is attached
     * to that one instead of hiding it.
     *
     * @param fd      the fd
     * @param primary the failure in flight
     */
    public static void closeAfterFailure(int fd, Throwable primary) {
        try {
            close(fd);
        } catch (ErrnoException e) {
            primary.addSuppressed(e);
        }
    }

    /**
     * Creates a pipe.
     *
     * @param flags {@code pipe2} flags ({@code O_NONBLOCK}, {@code O_CLOEXEC})
     * @return {read end, write end}
     * @throws ErrnoException e.g. {@code EMFILE}
     */
    public static int[] pipe(int flags) throws ErrnoException {
        int[] fds = new int[2];
        if (Native.LIBC.pipe2(fds, flags) < 0) {
            throw Errno.last("pipe2", ErrnoException.NO_FD);
        }
        return fds;
    }

    /**
     * Creates a connected socket pair.
     *
     * @param domain   address family, e.g. {@code AF_UNIX}
     * @param type     socket type, possibly or-ed with {@code SOCK_NONBLOCK}/{@code SOCK_CLOEXEC}
     * @param protocol protocol, usually 0
     * @return the two sockets
     * @throws ErrnoException e.g. {@code EMFILE}
     */
    public static int[] socketpair(int domain, int type, int protocol) throws ErrnoException {
        int[] fds = new int[2];
        if (Native.POSIX.socketpair(domain, type, protocol, fds) < 0) {
            throw Errno.last("socketpair", ErrnoException.NO_FD);
        }
        return fds;
    }

    /**
     * Creates an eventfd.
     *
     * @param initialValue the counter's initial value
     * @param flags        {@code EFD_*} flags
     * @return the fd
     * @throws ErrnoException e.g. {@code EMFILE}
     */
    public static int eventfd(int initialValue, int flags) throws ErrnoException {
        int fd = Native.LIBC.eventfd(initialValue, flags);
        if (fd < 0) {
            throw Errno.last("eventfd", ErrnoException.NO_FD);
        }
        return fd;
    }

    /**
     * Opens a path, always close-on-exec.
     *
     * @param path  the path
     * @param flags {@code O_*} flags
     * @param mode  the permission bits of a file {@code O_CREAT} creates
     * @return the fd
     * @throws ErrnoException e.g. {@code ENOENT}, {@code EACCES}
     */
    public static int open(String path, int flags, int mode) throws ErrnoException {
        int fd = Native.POSIX.open(path, flags | Platform.CURRENT.oCloexec(), mode);
        if (fd < 0) {
            throw Errno.exception("open(" + path + ")", Native.POSIX.errno(), ErrnoException.NO_FD);
        }
        return fd;
    }

    /**
     * Duplicates an fd to the lowest free number, close-on-exec ({@code F_DUPFD_CLOEXEC}).
     *
     * @param fd the fd
     * @return the new fd
     * @throws ErrnoException e.g. {@code EBADF}
     */
    public static int dup(int fd) throws ErrnoException {
        int copy = Native.LIBC.fcntl(fd, Platform.CURRENT.fDupfdCloexec(), 0);
        if (copy < 0) {
            throw Errno.last("fcntl(F_DUPFD_CLOEXEC)", fd);
        }
        return copy;
    }

    /**
     * Makes {@code newFd} a close-on-exec copy of {@code oldFd}, closing what {@code newFd} was
     * ({@code dup3} on Linux; {@code dup2} and then {@code FD_CLOEXEC} elsewhere).
     *
     * @param oldFd the fd to copy
     * @param newFd the number to give the copy
     * @throws ErrnoException e.g. {@code EBADF}
     */
    public static void dup2(int oldFd, int newFd) throws ErrnoException {
        if (oldFd == newFd) {
            // dup2's contract for equal numbers (dup3 would refuse with EINVAL): nothing to do if open.
            if (!isOpen(oldFd)) {
                throw Errno.exception("dup2", Errno.EBADF, oldFd);
            }
            return;
        }
        if (Platform.CURRENT.isLinux()) {
            if (Native.LIBC.dup3(oldFd, newFd, Platform.CURRENT.oCloexec()) < 0) {
                throw Errno.last("dup3", oldFd);
            }
            return;
        }
        if (Native.POSIX.dup2(oldFd, newFd) < 0) {
            throw Errno.last("dup2", oldFd);
        }
        setCloseOnExec(newFd, true);
    }

    /**
     * Returns whether {@code FD_CLOEXEC} is set.
     *
     * @param fd the fd
     * @return the flag
     * @throws ErrnoException e.g. {@code EBADF}
     */
    public static boolean isCloseOnExec(int fd) throws ErrnoException {
        return (getFlags(fd, Fcntl.F_GETFD, "fcntl(F_GETFD)") & FD_CLOEXEC) != 0;
    }

    /**
     * Sets or clears {@code FD_CLOEXEC}.
     *
     * @param fd  the fd
     * @param on  the wanted state
     * @throws ErrnoException e.g. {@code EBADF}
     */
    public static void setCloseOnExec(int fd, boolean on) throws ErrnoException {
        int flags = getFlags(fd, Fcntl.F_GETFD, "fcntl(F_GETFD)");
        setFlags(fd, Fcntl.F_SETFD, "fcntl(F_SETFD)", on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC);
    }

    /**
     * Returns whether {@code O_NONBLOCK} is set.
     *
     * @param fd the fd
     * @return the flag
     * @throws ErrnoException e.g. {@code EBADF}
     */
    public static boolean isNonBlocking(int fd) throws ErrnoException {
        return (getFlags(fd, Fcntl.F_GETFL, "fcntl(F_GETFL)") & Platform.CURRENT.oNonBlock()) != 0;
    }

    /**
     * Sets or clears {@code O_NONBLOCK}.
     *
     * @param fd the fd
     * @param on the wanted state
     * @throws ErrnoException e.g. {@code EBADF}
     */
    public static void setNonBlocking(int fd, boolean on) throws ErrnoException {
        int nonBlock = Platform.CURRENT.oNonBlock();
        int flags = getFlags(fd, Fcntl.F_GETFL, "fcntl(F_GETFL)");
        setFlags(fd, Fcntl.F_SETFL, "fcntl(F_SETFL)", on ? flags | nonBlock : flags & ~nonBlock);
    }

    /**
     * Returns whether the number is an open fd of this process.
     *
     * @param fd the number
     * @return false for {@code EBADF}
     */
    public static boolean isOpen(int fd) {
        return fd >= 0 && Native.POSIX.fcntlInt(fd, Fcntl.F_GETFD, 0) >= 0;
    }

    private static int getFlags(int fd, Fcntl cmd, String call) throws ErrnoException {
        int flags = Native.POSIX.fcntlInt(fd, cmd, 0);
        if (flags < 0) {
            throw Errno.last(call, fd);
        }
        return flags;
    }

    private static void setFlags(int fd, Fcntl cmd, String call, int flags) throws ErrnoException {
        if (Native.POSIX.fcntlInt(fd, cmd, flags) < 0) {
            throw Errno.last(call, fd);
        }
    }
}
