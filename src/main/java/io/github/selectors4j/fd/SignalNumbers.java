package io.github.selectors4j.fd;

import io.github.selectors4j.internal.NativeBuffer;
import io.github.selectors4j.internal.Platform;
import java.util.Arrays;

/**
 * Which signal numbers {@link SignalFd} accepts, and how a set of them is laid out as a
 * {@code sigset_t}. Linux numbering (x86, ARM, AArch64...).
 *
 * <p>Refused are the signals that the kernel will not let a thread block, and those that HotSpot,
 * glibc or the JDK's own native code need delivered to a handler in every thread. Blocking one of
 * those, or stealing it through a signalfd, would not fail loudly: the JVM would crash on its next
 * implicit null check, hang a safepoint, or ignore {@code jcmd}. The others, including
 * {@code SIGHUP}, {@code SIGINT}, {@code SIGTERM}, {@code SIGPIPE} and {@code SIGXFSZ}, for which
 * HotSpot also installs handlers, are accepted: blocking them in a few threads leaves the JVM's
 * handler to run in the others.
 */
final class SignalNumbers {

    /** The highest Linux signal number ({@code _NSIG - 1}). */
    static final int MAX = 64;
    /** {@code sizeof(sigset_t)} in glibc: room for 1024 signals, of which the kernel uses 64. */
    static final int SIGSET_SIZE = 128;

    private static final String[] NAMES = {null,
        "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
        "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    private SignalNumbers() {
    }

    /**
     * Why a signal cannot be used with a signalfd in a JVM, or null if it can.
     *
     * @param signal a number in {@code [1, 64]}
     * @return the reason, or null
     */
    static String refusal(int signal) {
        return switch (signal) {
            case 4, 7, 8, 11 -> "the JVM handles this fault signal in every thread (implicit null and "
                    + "range checks, safepoint polls); blocked, the kernel kills the process on the next fault";
            case 9, 19 -> "the kernel never lets a thread block or catch it";
            case 3 -> "HotSpot uses it for thread dumps and to start the attach listener (jcmd, jstack)";
            case 12 -> "HotSpot uses it to suspend and resume threads (SR_signum)";
            case 32, 33 -> "glibc reserves it for thread cancellation and set*id (pthread_sigmask ignores it)";
            case 62 -> "the JDK sends it (SIGRTMAX-2) to interrupt threads blocked in I/O on close or "
                    + "Thread.interrupt()";
            default -> null;
        };
    }

    /**
     * Validates signals and returns them sorted, without duplicates.
     *
     * @param signals signal numbers
     * @return a sorted copy
     * @throws IllegalArgumentException for a number outside {@code [1, 64]} or a refused signal
     */
    static int[] validate(int... signals) {
        int[] sorted = Arrays.stream(signals).sorted().distinct().toArray();
        for (int signal : sorted) {
            if (signal < 1 || signal > MAX) {
                throw new IllegalArgumentException("not a signal number (1.." + MAX + "): " + signal);
            }
            String refusal = refusal(signal);
            if (refusal != null) {
                throw new IllegalArgumentException("signal " + name(signal) + " (" + signal
                        + ") cannot be used with a signalfd in a JVM: " + refusal);
            }
        }
        return sorted;
    }

    /**
     * The usual name of a signal.
     *
     * @param signal a number
     * @return e.g. {@code "SIGUSR1"}, {@code "SIGRTMIN+6"} (glibc's {@code SIGRTMIN} is 34), or
     *         {@code "signal 32"}
     */
    static String name(int signal) {
        if (signal >= 1 && signal < NAMES.length) {
            return NAMES[signal];
        }
        if (signal >= 34 && signal <= MAX) {
            return "SIGRTMIN+" + (signal - 34);
        }
        return "signal " + signal;
    }

    /**
     * Writes a {@code sigset_t} holding exactly the given signals: bit {@code signal - 1}, counted in
     * {@code unsigned long} words.
     *
     * @param set     {@link #SIGSET_SIZE} bytes
     * @param signals valid signal numbers
     */
    static void fill(NativeBuffer set, int[] signals) {
        set.pointer().setMemory(0, SIGSET_SIZE, (byte) 0);
        int wordBits = Platform.CURRENT.longSize() * 8;
        long[] words = new long[MAX / wordBits];
        for (int signal : signals) {
            words[(signal - 1) / wordBits] |= 1L << ((signal - 1) % wordBits);
        }
        for (int i = 0; i < words.length; i++) {
            if (wordBits == 64) {
                set.putLong(i * 8L, words[i]);
            } else {
                set.putInt(i * 4L, (int) words[i]);
            }
        }
    }
}
