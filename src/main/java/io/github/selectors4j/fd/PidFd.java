package io.github.selectors4j.fd;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.LinuxFdCalls;
import io.github.selectors4j.internal.Native;
import io.github.selectors4j.internal.NativeBuffer;
import io.github.selectors4j.internal.Platform;
import java.util.Objects;

/**
 * A Linux pidfd (Linux 5.3+): a handle on one process that becomes readable when the process
 * exits, so that a selector can wait for processes next to sockets, with no {@code SIGCHLD}
 * handler and no thread per child.
 *
 * <pre>{@code
 * Process child = new ProcessBuilder("make", "all").start();
 * try (PidFd pidFd = PidFd.of(child)) {
 *     selector.register(pidFd, BaseSelector.EVENT_READ, "make");
 *     selector.select(null);                   // returns when make has exited
 *     int status = child.waitFor();            // already done: no blocking
 * }
 * }</pre>
 *
 * <p>Unlike a pid, a pidfd cannot come to mean another process: {@link #sendSignal} reaches the
 * process it was opened for, or fails with {@code ESRCH}. Readability means the process has
 * terminated; a pidfd itself has no data, so there is nothing to {@code read}. Any process may be
 * watched, not only children; reaping a child stays the job of whoever started it (for a
 * {@link Process}, the JDK's reaper thread, which does it as soon as the child exits).
 *
 * <p>The fd is close-on-exec always (the kernel sets it) and non-blocking by default
 * ({@link #PIDFD_NONBLOCK}). Thread-safe.
 */
public final class PidFd extends GuardedFd {

    /** Non-blocking mode (the default of {@link #open(long)}; Linux 5.10+). */
    public static final int PIDFD_NONBLOCK = Platform.CURRENT.oNonBlock();

    private static final String NAME = "PidFd";
    /** {@code struct pollfd} is {int fd; short events; short revents}. */
    private static final int POLLFD_SIZE = 8;
    private static final short POLLIN = 0x001;

    private final long pid;
    private final NativeBuffer pollBuffer = new NativeBuffer(POLLFD_SIZE);

    private PidFd(int fd, long pid) {
        super(NAME, fd);
        this.pid = pid;
        pollBuffer.putInt(0, fd);
        pollBuffer.putShort(4, POLLIN);
    }

    /**
     * Opens a non-blocking pidfd for a process. The pid names whichever process has it now: if the
     * process you mean may already have exited and been reaped, prefer {@link #of(ProcessHandle)},
     * which checks that it opened the right one.
     *
     * @param pid the process id, positive
     * @return the pidfd
     * @throws ErrnoException           {@code ESRCH} if no process has that pid
     * @throws IllegalArgumentException if {@code pid} is not a positive {@code pid_t}
     */
    public static PidFd open(long pid) throws ErrnoException {
        checkPid(pid);
        LinuxFdCalls.requireLinux(NAME);
        int fd = LinuxFdCalls.pidfdOpen((int) pid, PIDFD_NONBLOCK);
        if (fd < 0 && Native.lastErrno() == Errno.EINVAL) {
            // Linux 5.3 to 5.9 know pidfd_open but not PIDFD_NONBLOCK (the pid was checked above, so
            // the flag is what was refused). O_NONBLOCK set afterwards is the same file flag, and only
            // close-on-exec, which the kernel always sets, must be atomic.
            fd = LinuxFdCalls.pidfdOpen((int) pid, 0);
            if (fd >= 0) {
                try {
                    Fds.setNonBlocking(fd, true);
                } catch (ErrnoException e) {
                    Fds.closeAfterFailure(fd, e);
                    throw e;
                }
            }
        }
        if (fd < 0) {
            throw Errno.last("pidfd_open(" + pid + ")", ErrnoException.NO_FD);
        }
        return new PidFd(fd, pid);
    }

    /**
     * Opens a pidfd with exactly the given flags.
     *
     * @param pid   the process id, positive
     * @param flags {@link #PIDFD_NONBLOCK} or 0, used as given
     * @return the pidfd
     * @throws ErrnoException           {@code ESRCH} if no process has that pid, {@code EINVAL} for
     *                                  unknown flags
     * @throws IllegalArgumentException if {@code pid} is not a positive {@code pid_t}
     */
    public static PidFd open(long pid, int flags) throws ErrnoException {
        checkPid(pid);
        LinuxFdCalls.requireLinux(NAME);
        int fd = LinuxFdCalls.pidfdOpen((int) pid, flags);
        if (fd < 0) {
            throw Errno.last("pidfd_open(" + pid + ")", ErrnoException.NO_FD);
        }
        return new PidFd(fd, pid);
    }

    /**
     * Opens a non-blocking pidfd for a process the JDK knows, and checks it got that process: a pid
     * is free for reuse once its process has been reaped, so a pidfd opened after that could name
     * a stranger. Open it while the process runs.
     *
     * @param process the process
     * @return the pidfd
     * @throws ErrnoException {@code ESRCH} if the process had already exited when (or before) the
     *                        pidfd was opened, or if no process has its pid
     */
    public static PidFd of(ProcessHandle process) throws ErrnoException {
        Objects.requireNonNull(process, "process");
        PidFd pidFd = open(process.pid());
        // Still alive now (isAlive compares start times, so it cannot be fooled by a reused pid)
        // means it was alive when the pidfd was opened, so the pidfd is this process's.
        if (!process.isAlive()) {
            pidFd.close();
            throw Errno.exception("pidfd_open(" + process.pid() + ") of an exited process", Errno.ESRCH,
                    ErrnoException.NO_FD);
        }
        return pidFd;
    }

    /**
     * Opens a non-blocking pidfd for a process this JVM started; see {@link #of(ProcessHandle)}.
     *
     * @param process the process
     * @return the pidfd
     * @throws ErrnoException {@code ESRCH} if the process had already exited
     */
    public static PidFd of(Process process) throws ErrnoException {
        return of(Objects.requireNonNull(process, "process").toHandle());
    }

    /**
     * The process id this pidfd was opened for.
     *
     * @return the pid (in the namespace of the opener)
     */
    public long pid() {
        return pid;
    }

    /**
     * Sends a signal to the process ({@code pidfd_send_signal}), as {@code kill(2)} would, but
     * certain to reach the process this pidfd names.
     *
     * @param signal a signal number in {@code [0, 64]}; 0 sends nothing and only checks that the
     *               process may be signalled
     * @throws ErrnoException           {@code ESRCH} once the process has exited and been reaped,
     *                                  {@code EPERM} without permission
     * @throws IllegalArgumentException for a number outside {@code [0, 64]}
     */
    public void sendSignal(int signal) throws ErrnoException {
        if (signal < 0 || signal > SignalNumbers.MAX) {
            throw new IllegalArgumentException("not a signal number (0.." + SignalNumbers.MAX + "): " + signal);
        }
        guard.enter();
        try {
            if (LinuxFdCalls.pidfdSendSignal(fd, signal) < 0) {
                throw Errno.last("pidfd_send_signal(" + SignalNumbers.name(signal) + ")", fd);
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Whether the process is still running, i.e. the pidfd is not readable yet. Allocates nothing.
     *
     * @return false once the process has terminated (even if not yet reaped)
     * @throws ErrnoException if {@code poll} fails
     */
    public boolean isAlive() throws ErrnoException {
        guard.enter();
        try {
            synchronized (pollBuffer) {
                for (;;) {
                    int n = Native.LIBC.poll(pollBuffer.address(), 1, 0);
                    if (n >= 0) {
                        return n == 0;
                    }
                    int errno = Native.lastErrno();
                    if (errno != Errno.EINTR) {
                        throw Errno.exception("poll", errno, fd);
                    }
                }
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Closes the pidfd; the process is not affected. Idempotent.
     */
    @Override
    public void close() {
        super.close();
    }

    private static void checkPid(long pid) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("not a process id (1.." + Integer.MAX_VALUE + "): " + pid);
        }
    }

    @Override
    void release() {
        pollBuffer.free();
        Fds.closeOwned(fd);
    }

    @Override
    String details() {
        return ", pid=" + pid;
    }
}
