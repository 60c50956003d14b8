package io.github.selectors4j.testing;

import io.github.selectors4j.fd.SignalFd;
import io.github.selectors4j.internal.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Signals for {@link SignalFd} tests: sends them to the calling thread or the process, and reads the
 * calling thread's blocked and pending sets from {@code /proc/thread-self/status}.
 *
 * <p>A JVM handler is installed for SIGUSR1 as a safety net: a SIGUSR1 that a test fails to drain
 * is counted by it when the signal is unblocked, instead of killing the test JVM (SIGUSR1's default
 * action). Tests compare {@link #usr1Handled()} before and after to show nothing leaked.
 */
@SuppressWarnings("sunapi")
public final class ThreadSignals {

    public static final int SIGUSR1 = 10;
    public static final int SIGTERM = 15;
    /** SIGRTMIN+6 for glibc: used by nothing in the JVM. */
    public static final int SIGRT_40 = 40;

    private static final AtomicInteger USR1_HANDLED = new AtomicInteger();

    static {
        sun.misc.Signal.handle(new sun.misc.Signal("USR1"), signal -> USR1_HANDLED.incrementAndGet());
    }

    private ThreadSignals() {
    }

    /** How many SIGUSR1 the JVM handler has run for; the first call installs the handler. */
    public static int usr1Handled() {
        return USR1_HANDLED.get();
    }

    /** Sends a signal to the calling thread only ({@code tgkill}, si_code SI_TKILL). */
    public static void sendToCurrentThread(int signal) {
        if (Native.LIBC.tgkill(Native.POSIX.getpid(), Native.LIBC.gettid(), signal) != 0) {
            throw new IllegalStateException("tgkill failed: errno " + Native.lastErrno());
        }
    }

    /** Sends a signal to the whole process ({@code kill}, si_code SI_USER). */
    public static void sendToProcess(int signal) {
        if (Native.POSIX.kill(Native.POSIX.getpid(), signal) != 0) {
            throw new IllegalStateException("kill failed: errno " + Native.lastErrno());
        }
    }

    /** Whether the calling thread blocks the signal. */
    public static boolean isBlockedInCurrentThread(int signal) {
        return hasBit("SigBlk", signal);
    }

    /** Whether the signal is pending for the calling thread itself (not the process). */
    public static boolean isPendingForCurrentThread(int signal) {
        return hasBit("SigPnd", signal);
    }

    /**
     * Takes every pending instance of the signals out of the calling thread's queues through a
     * fresh signalfd, then unblocks them: the order that cannot let a pending signal run its
     * default action. For {@code finally} blocks.
     */
    public static void drainAndUnblock(int... signals) throws IOException {
        try (SignalFd drain = SignalFd.open(signals)) {
            while (drain.read() != null) {
                // Discard.
            }
        } finally {
            SignalFd.unblockInCurrentThread(signals);
        }
    }

    private static boolean hasBit(String field, int signal) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith(field + ":")) {
                    long mask = Long.parseUnsignedLong(line.substring(field.length() + 1).trim(), 16);
                    return (mask & (1L << (signal - 1))) != 0;
                }
            }
            throw new IllegalStateException(field + " not found in /proc/thread-self/status");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
