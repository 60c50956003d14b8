package io.github.selectors4j;

import java.io.IOException;

/**
 * A system call failed. Carries what Python's {@code OSError} carries, and a little more: the name
 * of the call, the errno number and its symbol, and the file descriptor the call was about.
 *
 * <pre>{@code
 * try {
 *     epoll.register(regularFileFd, Epoll.EPOLLIN);
 * } catch (ErrnoException e) {
 *     // "epoll_ctl(EPOLL_CTL_ADD) on fd 7 failed: EPERM (1) Operation not permitted"
 *     if (e.errnoName().equals("EPERM")) { ... }
 * }
 * }</pre>
 *
 * <p>Instances are created in one place inside the library, from the errno the kernel reported, so
 * that every failure reads the same way.
 */
public class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Value of {@link #fd()} when the failed call was not about one file descriptor. */
    public static final int NO_FD = -1;

    /** The system call that failed, e.g. {@code "epoll_ctl(EPOLL_CTL_ADD)"}. */
    private final String call;
    /** The errno number the kernel reported. */
    private final int errno;
    /** The errno symbol, e.g. {@code "EPERM"}. */
    private final String errnoName;
    /** The file descriptor the call was about, or {@link #NO_FD}. */
    private final int fd;

    /**
     * Creates the exception. Library code uses the internal factory, which looks up the symbol and
     * description; this constructor exists for tests and for wrappers that relay a kernel error.
     *
     * @param call        the system call, with its operation if it has several, e.g.
     *                    {@code "epoll_ctl(EPOLL_CTL_ADD)"}
     * @param errno       the errno number
     * @param errnoName   the errno symbol, e.g. {@code "EPERM"}
     * @param description the human-readable description, e.g. {@code "Operation not permitted"}
     * @param fd          the file descriptor concerned, or {@link #NO_FD}
     */
    public ErrnoException(String call, int errno, String errnoName, String description, int fd) {
        super(call + (fd == NO_FD ? "" : " on fd " + fd) + " failed: " + errnoName + " (" + errno + ") " + description);
        this.call = call;
        this.errno = errno;
        this.errnoName = errnoName;
        this.fd = fd;
    }

    /**
     * Returns the system call that failed.
     *
     * @return the call name, e.g. {@code "epoll_ctl(EPOLL_CTL_ADD)"}
     */
    public String call() {
        return call;
    }

    /**
     * Returns the errno number, which is platform specific.
     *
     * @return the errno
     */
    public int errno() {
        return errno;
    }

    /**
     * Returns the errno symbol, which is the portable way to test for a condition.
     *
     * @return the symbol, e.g. {@code "EBADF"}; {@code "errno <n>"} for a number the platform does not name
     */
    public String errnoName() {
        return errnoName;
    }

    /**
     * Returns the file descriptor the failed call was about.
     *
     * @return the fd, or {@link #NO_FD}
     */
    public int fd() {
        return fd;
    }
}
