package io.github.selectors4j.testing;

import io.github.selectors4j.internal.Native;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Interrupts a thread's system call with a real signal: installs a counting handler for SIGWINCH
 * (which the JVM does not use, and whose default action is to ignore it) and sends it to one
 * thread with {@code tgkill}. A blocked {@code epoll_wait}, {@code poll} or {@code select} then
 * fails with {@code EINTR}, which is what the library must absorb.
 */
@SuppressWarnings("sunapi")
public final class Signals {

    public static final int SIGWINCH = 28;

    private static final AtomicInteger HANDLED = new AtomicInteger();

    static {
        sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), signal -> HANDLED.incrementAndGet());
    }

    private Signals() {
    }

    /** The calling thread's kernel thread id. */
    public static int currentTid() {
        return Native.LIBC.gettid();
    }

    /** Sends SIGWINCH to one thread of this process. */
    public static void interrupt(int tid) {
        if (Native.LIBC.tgkill(Native.POSIX.getpid(), tid, SIGWINCH) != 0) {
            throw new IllegalStateException("tgkill failed: errno " + Native.lastErrno());
        }
    }

    /** How many SIGWINCH the handler has seen, so tests can show the signals really arrived. */
    public static int handled() {
        return HANDLED.get();
    }
}
