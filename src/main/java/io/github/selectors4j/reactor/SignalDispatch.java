package io.github.selectors4j.reactor;

import io.github.selectors4j.internal.Native;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Delivers signals to event loops. The JVM owns the process's signal handlers, so a signal is
 * observed the way the JVM supports ({@code sun.misc.Signal}: the JVM's own handler records it and
 * its signal-dispatcher thread calls ours, outside signal context), and forwarded to each loop
 * that asked, through {@link EventLoop#callSoonThreadsafe}. When the last loop lets go of a
 * signal, the handler that was there before is put back.
 */
final class SignalDispatch {

    /**
     * Signals the JVM needs for itself or that cannot be caught, by name, since their numbers differ
     * between platforms (SIGBUS is 7 on Linux, 10 on macOS and the BSDs).
     */
    private static final Map<String, String> RESERVED_NAMES = Map.of(
            "ILL", "SIGILL: the JVM uses it for crash handling",
            "BUS", "SIGBUS: the JVM uses it for crash handling",
            "FPE", "SIGFPE: the JVM uses it for arithmetic exceptions",
            "KILL", "SIGKILL cannot be caught",
            "SEGV", "SIGSEGV: the JVM uses it for null checks and safepoints",
            "STOP", "SIGSTOP cannot be caught",
            "QUIT", "SIGQUIT: the JVM uses it for thread dumps and the attach mechanism",
            "USR2", "SIGUSR2: HotSpot uses it to suspend and resume threads");

    /** {@link #RESERVED_NAMES} by this platform's numbers. */
    private static final Map<Integer, String> RESERVED = reservedByNumber();

    private static final Map<Integer, Registration> REGISTRATIONS = new HashMap<>();
    private static final long SIG_DFL = 0;
    private static final long SIG_ERR = -1;

    /** One signal's loops and the handler to restore. */
    private static final class Registration implements SignalHandler {
        final Signal signal;
        final Map<EventLoop, Callback> loops = new LinkedHashMap<>();
        SignalHandler previous;

        Registration(Signal signal) {
            this.signal = signal;
        }

        @Override
        public void handle(Signal received) {
            Map<EventLoop, Callback> targets;
            synchronized (SignalDispatch.class) {
                targets = new LinkedHashMap<>(loops);
            }
            targets.forEach((loop, callback) -> {
                try {
                    loop.callSoonThreadsafe(callback);
                } catch (RejectedExecutionException closedMeanwhile) {
                    // The loop closed after the snapshot; it no longer wants the signal.
                }
            });
        }
    }

    private SignalDispatch() {
    }

    private static Map<Integer, String> reservedByNumber() {
        Map<Integer, String> reserved = new HashMap<>();
        RESERVED_NAMES.forEach((name, why) -> {
            try {
                reserved.put(new Signal(name).getNumber(), why);
            } catch (IllegalArgumentException unknownHere) {
                // This platform has no such signal, so nobody can ask for it.
            }
        });
        return Map.copyOf(reserved);
    }

    static synchronized void add(EventLoop loop, int number, Callback callback) {
        String reserved = RESERVED.get(number);
        if (reserved != null) {
            throw new IllegalArgumentException("signal " + number + " cannot be handled in a JVM: " + reserved);
        }
        Registration registration = REGISTRATIONS.get(number);
        if (registration == null) {
            Signal signal = signalOf(number);
            registration = new Registration(signal);
            try {
                registration.previous = Signal.handle(signal, registration);
                if (registration.previous == SignalHandler.SIG_IGN) {
                    registration.previous = takeOverIgnored(signal, registration);
                }
            } catch (IllegalArgumentException refused) {
                throw new IllegalArgumentException("signal " + number + " (" + signal.getName()
                        + ") cannot be handled: the JVM refused it (" + refused.getMessage() + ")", refused);
            }
            REGISTRATIONS.put(number, registration);
        }
        registration.loops.put(loop, callback);
    }

    static synchronized boolean remove(EventLoop loop, int number) {
        Registration registration = REGISTRATIONS.get(number);
        if (registration == null || registration.loops.remove(loop) == null) {
            return false;
        }
        if (registration.loops.isEmpty()) {
            Signal.handle(registration.signal, registration.previous);
            REGISTRATIONS.remove(number);
        }
        return true;
    }

    static synchronized void removeAll(EventLoop loop) {
        for (Integer number : Set.copyOf(REGISTRATIONS.keySet())) {
            remove(loop, number);
        }
    }

    /**
     * A process can inherit a signal as ignored: a background job of a non-interactive shell
     * ignores SIGINT and SIGQUIT, {@code nohup} ignores SIGHUP. The JVM then declines to handle
     * SIGHUP, SIGINT and SIGTERM (its {@code Signal.handle} returns {@code SIG_IGN} and installs
     * nothing), so the handler would silently never run. Python's {@code signal.signal} replaces an
     * inherited "ignore" too: put the default disposition back and ask the JVM again. The handler
     * to restore later stays "ignore", as inherited.
     */
    private static SignalHandler takeOverIgnored(Signal signal, SignalHandler ours) {
        if (Native.LIBC.signal(signal.getNumber(), SIG_DFL) == SIG_ERR) {
            throw new IllegalArgumentException("signal " + signal.getNumber() + " (SIG" + signal.getName()
                    + ") is ignored in this process and its default could not be restored: errno " + Native.lastErrno());
        }
        SignalHandler again = Signal.handle(signal, ours);
        if (again == SignalHandler.SIG_IGN) {
            throw new IllegalArgumentException("signal " + signal.getNumber() + " (SIG" + signal.getName()
                    + ") is ignored in this process (inherited, e.g. from nohup or a shell's background job) and the"
                    + " JVM declines to handle it");
        }
        return SignalHandler.SIG_IGN;
    }

    /** sun.misc.Signal is built from a name; the numbers of the common names are the platform's. */
    private static Signal signalOf(int number) {
        for (String name : new String[] {"HUP", "INT", "USR1", "PIPE", "ALRM", "TERM", "CHLD", "CONT", "TSTP", "TTIN",
                "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS", "TRAP", "ABRT"}) {
            try {
                Signal signal = new Signal(name);
                if (signal.getNumber() == number) {
                    return signal;
                }
            } catch (IllegalArgumentException unknownHere) {
                // This platform has no such signal name.
            }
        }
        throw new IllegalArgumentException("signal " + number + " has no name the JVM can handle on this platform");
    }
}
