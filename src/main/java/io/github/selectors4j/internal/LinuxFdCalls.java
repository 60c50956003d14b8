package io.github.selectors4j.internal;

import com.kenai.jffi.Library;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;

/**
 * The loaded {@link LinuxFdLib}, and the pidfd calls routed to glibc's wrappers or, on a glibc
 * older than 2.36 that lacks them, to raw {@code syscall(2)}. Loaded on first use, so that
 * programs that never open a timerfd, signalfd, inotify or pidfd pay nothing.
 */
public final class LinuxFdCalls {

    /**
     * Initialises {@link Native} before anything is called: callers read errno through
     * {@link Native#lastErrno()}, and if that first touch loaded the native layer, the loading's own
     * calls would overwrite the errno being read (seen as ENOENT instead of ESRCH).
     */
    private static final jnr.ffi.Runtime RUNTIME = Native.RUNTIME;

    /** The binding. */
    public static final LinuxFdLib LIB = LibraryLoader.create(LinuxFdLib.class)
            .option(LibraryOption.FunctionMapper, new GeneratedCodeAccess())
            .load(Platform.CURRENT.libcName());

    /**
     * The syscall numbers, the same on every Linux architecture but alpha: both calls arrived after
     * the architectures' tables were unified (Linux 5.1 and 5.3).
     */
    private static final long SYS_PIDFD_SEND_SIGNAL = 424;
    private static final long SYS_PIDFD_OPEN = 434;

    /** Decided once: glibc exports the wrappers since 2.36; calling a missing one would link-fail on every call. */
    private static final boolean GLIBC_HAS_PIDFD = hasSymbol("pidfd_open") && hasSymbol("pidfd_send_signal");

    private LinuxFdCalls() {
    }

    /**
     * Refuses to go on outside Linux, where none of these fds exist.
     *
     * @param what the type being opened, for the message
     * @throws UnsupportedOperationException on any other system
     */
    public static void requireLinux(String what) {
        if (!Platform.CURRENT.isLinux()) {
            throw new UnsupportedOperationException(what + " is a Linux facility; this is " + Platform.CURRENT);
        }
    }

    /**
     * {@code pidfd_open(pid, flags)}.
     *
     * @param pid   the process id
     * @param flags {@code PIDFD_*} flags
     * @return the fd, or -1 with errno saved for {@link Native#lastErrno()}
     */
    public static int pidfdOpen(int pid, int flags) {
        return GLIBC_HAS_PIDFD
                ? LIB.pidfd_open(pid, flags)
                : (int) LIB.syscall(SYS_PIDFD_OPEN, pid, Integer.toUnsignedLong(flags));
    }

    /**
     * {@code pidfd_send_signal(pidfd, sig, NULL, 0)}: a signal with the same {@code siginfo} as
     * {@code kill(2)} would send.
     *
     * @param pidfd  the pidfd
     * @param signal the signal, 0 only to check the process still exists
     * @return 0, or -1 with errno saved for {@link Native#lastErrno()}
     */
    public static int pidfdSendSignal(int pidfd, int signal) {
        return GLIBC_HAS_PIDFD
                ? LIB.pidfd_send_signal(pidfd, signal, 0, 0)
                : (int) LIB.syscall(SYS_PIDFD_SEND_SIGNAL, pidfd, signal, 0, 0);
    }

    private static boolean hasSymbol(String name) {
        Library libc = Library.getCachedInstance(Platform.CURRENT.libcName(), Library.LAZY | Library.GLOBAL);
        return libc != null && libc.getSymbolAddress(name) != 0;
    }
}
