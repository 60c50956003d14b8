package io.github.selectors4j.bench;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Raises the process's open-file limit ({@code RLIMIT_NOFILE}) for benchmarks that register tens of
 * thousands of fds. Raising the hard limit needs root (or {@code CAP_SYS_RESOURCE}); without it
 * the soft limit can still go up to the hard one.
 */
final class FdLimit {

    /** The libc functions. */
    public interface LibC {
        int getrlimit(int resource, Pointer rlimit);

        int setrlimit(int resource, Pointer rlimit);
    }

    /** {@code RLIMIT_NOFILE} on Linux. */
    private static final int RLIMIT_NOFILE = 7;
    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

    private FdLimit() {
    }

    /**
     * Whether this process can have {@code needed} fds open, raising its limit if it may; JMH forks
     * inherit the raised limit.
     *
     * @param needed the fd count
     * @return false if the limit is lower and cannot be raised
     */
    static boolean tryAtLeast(long needed) {
        try {
            atLeast(needed);
            return true;
        } catch (IllegalStateException refused) {
            return false;
        }
    }

    /**
     * The current soft limit.
     *
     * @return {@code RLIMIT_NOFILE}'s soft value
     */
    static long current() {
        Runtime runtime = Runtime.getRuntime(LIBC);
        Pointer limit = Memory.allocateDirect(runtime, 16);
        if (LIBC.getrlimit(RLIMIT_NOFILE, limit) != 0) {
            throw new IllegalStateException("getrlimit(RLIMIT_NOFILE) failed, errno " + runtime.getLastError());
        }
        return limit.getLong(0);
    }

    /**
     * Makes sure at least {@code needed} fds can be open.
     *
     * @param needed the fd count the benchmark needs
     * @throws IllegalStateException if the limit cannot be raised that far, saying what it is
     */
    static void atLeast(long needed) {
        Runtime runtime = Runtime.getRuntime(LIBC);
        Pointer limit = Memory.allocateDirect(runtime, 16);   // struct rlimit: two rlim_t, native order
        if (LIBC.getrlimit(RLIMIT_NOFILE, limit) != 0) {
            throw new IllegalStateException("getrlimit(RLIMIT_NOFILE) failed, errno " + runtime.getLastError());
        }
        long soft = limit.getLong(0);
        long hard = limit.getLong(8);
        if (soft >= needed) {
            return;
        }
        limit.putLong(0, needed);
        limit.putLong(8, Math.max(hard, needed));
        if (LIBC.setrlimit(RLIMIT_NOFILE, limit) != 0) {
            throw new IllegalStateException("this benchmark needs " + needed + " open files; the limit is " + soft
                    + " (hard " + hard + ") and setrlimit failed with errno " + runtime.getLastError()
                    + ": run as root or raise `ulimit -n`");
        }
    }
}
