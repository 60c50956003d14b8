package io.github.selectors4j;

import java.util.Locale;
import java.util.Objects;

/**
 * Signal numbers of the platform the JVM runs on, as Python's {@code signal.SIGINT} and friends:
 * for {@code EventLoop.addSignalHandler} and {@code SignalFd}, which take numbers.
 *
 * <pre>{@code
 * loop.addSignalHandler(Signals.SIGINT, loop::stop);      // Ctrl-C stops the loop cleanly
 * loop.addSignalHandler(Signals.SIGHUP, config::reload);
 * int winch = Signals.byName("SIGWINCH");                 // any name the JVM knows
 * }</pre>
 *
 * <p>The numbers come from the JVM ({@code sun.misc.Signal}), so they are right on every platform:
 * {@code SIGUSR1} is 10 on Linux and 30 on macOS.
 */
public final class Signals {

    /** Hang-up; by convention, "reload your configuration". */
    public static final int SIGHUP = byName("HUP");
    /** Interrupt from the terminal (Ctrl-C). */
    public static final int SIGINT = byName("INT");
    /** Polite termination request ({@code kill}'s default). */
    public static final int SIGTERM = byName("TERM");
    /** User-defined signal 1. */
    public static final int SIGUSR1 = byName("USR1");
    /** A child process changed state. */
    public static final int SIGCHLD = byName("CHLD");
    /** The terminal window changed size. */
    public static final int SIGWINCH = byName("WINCH");
    /** Write to a pipe or socket with no reader. */
    public static final int SIGPIPE = byName("PIPE");
    /** Alarm clock. */
    public static final int SIGALRM = byName("ALRM");

    private Signals() {
    }

    /**
     * The number of a signal by name, with or without the {@code SIG} prefix, in any case.
     *
     * @param name e.g. {@code "SIGINT"}, {@code "INT"} or {@code "int"}
     * @return its number on this platform
     * @throws IllegalArgumentException if this platform has no such signal
     */
    public static int byName(String name) {
        Objects.requireNonNull(name, "name");
        String upper = name.toUpperCase(Locale.ROOT);
        String bare = upper.startsWith("SIG") ? upper.substring(3) : upper;
        try {
            return new sun.misc.Signal(bare).getNumber();
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException("no signal named " + name + " on this platform", unknown);
        }
    }
}
