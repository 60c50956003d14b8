package io.github.selectors4j.internal;

import io.github.selectors4j.ErrnoException;

/**
 * errno values the library branches on, read from the platform tables once, and the single place
 * where an errno becomes an {@link ErrnoException}.
 */
public final class Errno {

    /** Operation not permitted. */
    public static final int EPERM = value(jnr.constants.platform.Errno.EPERM);
    /** No such file or directory (or: no such registration). */
    public static final int ENOENT = value(jnr.constants.platform.Errno.ENOENT);
    /** Interrupted system call. */
    public static final int EINTR = value(jnr.constants.platform.Errno.EINTR);
    /** Bad file descriptor. */
    public static final int EBADF = value(jnr.constants.platform.Errno.EBADF);
    /** Resource temporarily unavailable. */
    public static final int EAGAIN = value(jnr.constants.platform.Errno.EAGAIN);
    /** Operation would block (equal to EAGAIN on Linux). */
    public static final int EWOULDBLOCK = value(jnr.constants.platform.Errno.EWOULDBLOCK);
    /** Out of memory. */
    public static final int ENOMEM = value(jnr.constants.platform.Errno.ENOMEM);
    /** Already exists (or: already registered). */
    public static final int EEXIST = value(jnr.constants.platform.Errno.EEXIST);
    /** Invalid argument. */
    public static final int EINVAL = value(jnr.constants.platform.Errno.EINVAL);
    /** Too many open files in this process. */
    public static final int EMFILE = value(jnr.constants.platform.Errno.EMFILE);
    /** Too many open files in the system. */
    public static final int ENFILE = value(jnr.constants.platform.Errno.ENFILE);
    /** Operation now in progress (a non-blocking connect started). */
    public static final int EINPROGRESS = value(jnr.constants.platform.Errno.EINPROGRESS);
    /** The socket is not connected. */
    public static final int ENOTCONN = value(jnr.constants.platform.Errno.ENOTCONN);
    /** Address family not supported by protocol. */
    public static final int EAFNOSUPPORT = value(jnr.constants.platform.Errno.EAFNOSUPPORT);
    /** Connection reset by peer. */
    public static final int ECONNRESET = value(jnr.constants.platform.Errno.ECONNRESET);
    /** Broken pipe. */
    public static final int EPIPE = value(jnr.constants.platform.Errno.EPIPE);
    /** No such process. */
    public static final int ESRCH = value(jnr.constants.platform.Errno.ESRCH);
    /** Function not implemented. */
    public static final int ENOSYS = value(jnr.constants.platform.Errno.ENOSYS);
    /** Protocol not available (an unknown socket option). */
    public static final int ENOPROTOOPT = value(jnr.constants.platform.Errno.ENOPROTOOPT);
    /** Operation not supported on the socket. */
    public static final int EOPNOTSUPP = value(jnr.constants.platform.Errno.EOPNOTSUPP);
    /** Software caused connection abort (a connection reset while it waited to be accepted). */
    public static final int ECONNABORTED = value(jnr.constants.platform.Errno.ECONNABORTED);

    private Errno() {
    }

    /**
     * Builds the exception for a failed call.
     *
     * @param call  the call, with its operation if it has several
     * @param errno the errno it reported
     * @param fd    the fd it was about, or {@link ErrnoException#NO_FD}
     * @return the exception, never thrown here
     */
    public static ErrnoException exception(String call, int errno, int fd) {
        jnr.constants.platform.Errno known = jnr.constants.platform.Errno.valueOf(errno);
        boolean named = known != null && known.defined() && known != jnr.constants.platform.Errno.__UNKNOWN_CONSTANT__;
        String name = named ? known.name() : "errno " + errno;
        String description = named ? known.description() : Native.POSIX.strerror(errno);
        return new ErrnoException(call, errno, name, description, fd);
    }

    /**
     * Builds the exception for a call that just failed on this thread, from the saved errno.
     *
     * @param call the call
     * @param fd   the fd it was about, or {@link ErrnoException#NO_FD}
     * @return the exception, never thrown here
     */
    public static ErrnoException last(String call, int fd) {
        return exception(call, Native.lastErrno(), fd);
    }

    /**
     * Returns whether an errno means "would block" ({@code EAGAIN} or {@code EWOULDBLOCK}).
     *
     * @param errno the errno
     * @return true for the two "try again" codes
     */
    public static boolean wouldBlock(int errno) {
        return errno == EAGAIN || errno == EWOULDBLOCK;
    }

    private static int value(jnr.constants.platform.Errno errno) {
        return errno.intValue();
    }
}
