package io.github.selectors4j.fd;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.Io;
import io.github.selectors4j.internal.LinuxFdCalls;
import io.github.selectors4j.internal.NativeBuffer;
import io.github.selectors4j.internal.Platform;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A Linux signalfd: signals read as data from an fd, instead of run as handlers.
 *
 * <pre>{@code
 * SignalFd.blockInCurrentThread(SIGUSR1);          // 1. block it, or it is never queued for the fd
 * try (SignalFd signals = SignalFd.open(SIGUSR1)) {
 *     selector.register(signals, BaseSelector.EVENT_READ);
 *     // 2. someone sends SIGUSR1 to THIS thread: tgkill(pid, tid, SIGUSR1), pthread_kill, raise
 *     selector.select(null);                       // 3. select in this same thread
 *     SignalInfo info = signals.read();            // SIGUSR1, code SI_TKILL, sender's pid
 * } finally {
 *     SignalFd.unblockInCurrentThread(SIGUSR1);    // after draining: a pending signal would now run
 * }
 * }</pre>
 *
 * <h2>Which signals reach it, in a JVM</h2>
 * The kernel queues a signal for a signalfd only while it is <em>blocked</em>, and blocking is per
 * thread. A C program blocks the signal in every thread first; a Java program cannot, because the
 * JVM starts threads of its own (compiler, GC, reference handler...) that never block it. Hence:
 * <ul>
 *   <li>A <b>thread-directed</b> signal ({@code tgkill}, {@code pthread_kill}, {@code raise} from the
 *       blocking thread, a fault of that thread) sent to a thread that blocks it stays pending for
 *       that thread, and that thread reads it through the signalfd, reliably.</li>
 *   <li>A <b>process-directed</b> signal ({@code kill}, a terminal's Ctrl-C, {@code SIGCHLD},
 *       {@code pidfd_send_signal}) is delivered to some thread that does not block it, usually a JVM
 *       thread, which runs the signal's disposition: the JVM's handler, or the default action
 *       (which for {@code SIGUSR1} and most others terminates the JVM). Until that thread takes
 *       it, the signal is also visible to the signalfd, so a read may win the race (on a 2-core
 *       machine, about one time in five). Do not rely on either outcome.</li>
 *   <li>A signalfd, read or polled, sees the signals pending for the <em>calling</em> thread (and
 *       the process). Read it, and run the selector it is registered in, in the thread that
 *       blocked the signals and receives them.</li>
 *   <li>Threads inherit the mask of the thread that starts them: a thread started while a signal
 *       is blocked has it blocked too.</li>
 *   <li>Signals the kernel, HotSpot, glibc or the JDK depend on are refused with an
 *       {@link IllegalArgumentException} that says why: {@code SIGILL}, {@code SIGBUS},
 *       {@code SIGFPE}, {@code SIGSEGV}, {@code SIGKILL}, {@code SIGSTOP}, {@code SIGQUIT},
 *       {@code SIGUSR2}, 32, 33 and 62 ({@code SIGRTMAX-2}).</li>
 * </ul>
 *
 * <p>Signal numbers are Linux's (x86, ARM, AArch64), from 1 to 64. Non-blocking by default:
 * {@link #read()} returns null when no signal is pending. Thread-safe, within the rule above.
 */
public final class SignalFd extends GuardedFd {

    /** Non-blocking mode (the default of {@link #open(int...)}). */
    public static final int SFD_NONBLOCK = Platform.CURRENT.oNonBlock();
    /** Close-on-exec (always set by {@link #open(int...)}). */
    public static final int SFD_CLOEXEC = Platform.CURRENT.oCloexec();

    private static final String NAME = "SignalFd";
    private static final int SIG_BLOCK = 0;
    private static final int SIG_UNBLOCK = 1;

    /** Separate buffers and locks, so that a blocking read cannot hold up a mask change. */
    private final NativeBuffer readBuffer = new NativeBuffer(SignalInfo.SIZE);
    private final ByteBuffer readView = readBuffer.asByteBuffer();
    private final NativeBuffer maskBuffer;
    private volatile int[] signals;

    private SignalFd(int fd, NativeBuffer maskBuffer, int[] signals) {
        super(NAME, fd);
        this.maskBuffer = maskBuffer;
        this.signals = signals;
    }

    /**
     * Opens a non-blocking, close-on-exec signalfd for the given signals. Block them in the
     * receiving thread with {@link #blockInCurrentThread} too, or they are never queued for it.
     *
     * @param signals the signal numbers; none at all gives a signalfd that is never readable until
     *                {@link #setSignals} adds some
     * @return the signalfd
     * @throws ErrnoException           e.g. {@code EMFILE}
     * @throws IllegalArgumentException for a number outside {@code [1, 64]} or a signal the JVM
     *                                  needs (see the class description)
     */
    public static SignalFd open(int... signals) throws ErrnoException {
        Objects.requireNonNull(signals, "signals");
        return open(signals, SFD_NONBLOCK | SFD_CLOEXEC);
    }

    /**
     * Opens a signalfd with exactly the given flags.
     *
     * @param signals the signal numbers
     * @param flags   {@link #SFD_NONBLOCK} and/or {@link #SFD_CLOEXEC}, used as given
     * @return the signalfd
     * @throws ErrnoException           e.g. {@code EINVAL} for unknown flags
     * @throws IllegalArgumentException for a bad or refused signal
     */
    public static SignalFd open(int[] signals, int flags) throws ErrnoException {
        Objects.requireNonNull(signals, "signals");
        int[] valid = SignalNumbers.validate(signals.clone());
        LinuxFdCalls.requireLinux(NAME);
        NativeBuffer mask = new NativeBuffer(SignalNumbers.SIGSET_SIZE);
        SignalNumbers.fill(mask, valid);
        int fd = LinuxFdCalls.LIB.signalfd(-1, mask.address(), flags);
        if (fd < 0) {
            ErrnoException e = Errno.last("signalfd", ErrnoException.NO_FD);
            mask.free();
            throw e;
        }
        return new SignalFd(fd, mask, valid);
    }

    /**
     * Adds signals to the calling thread's blocked set ({@code pthread_sigmask(SIG_BLOCK)}), so that
     * signals sent to this thread wait to be read from a signalfd. Threads this thread starts
     * afterwards inherit the blocked set.
     *
     * @param signals the signal numbers
     * @throws ErrnoException           if {@code pthread_sigmask} fails
     * @throws IllegalArgumentException for a bad or refused signal; nothing is blocked then
     */
    public static void blockInCurrentThread(int... signals) throws ErrnoException {
        Objects.requireNonNull(signals, "signals");
        changeMask(SIG_BLOCK, "pthread_sigmask(SIG_BLOCK)", signals);
    }

    /**
     * Removes signals from the calling thread's blocked set ({@code pthread_sigmask(SIG_UNBLOCK)}).
     * A signal still pending for the thread is delivered at once, to the JVM's handler or its
     * default action (which terminates the process for most signals): drain the signalfd first.
     *
     * @param signals the signal numbers
     * @throws ErrnoException           if {@code pthread_sigmask} fails
     * @throws IllegalArgumentException for a bad or refused signal; nothing is unblocked then
     */
    public static void unblockInCurrentThread(int... signals) throws ErrnoException {
        Objects.requireNonNull(signals, "signals");
        changeMask(SIG_UNBLOCK, "pthread_sigmask(SIG_UNBLOCK)", signals);
    }

    private static void changeMask(int how, String call, int... signals) throws ErrnoException {
        int[] valid = SignalNumbers.validate(signals.clone());
        LinuxFdCalls.requireLinux(NAME);
        NativeBuffer set = new NativeBuffer(SignalNumbers.SIGSET_SIZE);
        try {
            SignalNumbers.fill(set, valid);
            int error = LinuxFdCalls.LIB.pthread_sigmask(how, set.address(), 0);
            if (error != 0) {
                throw Errno.exception(call, error, ErrnoException.NO_FD);
            }
        } finally {
            set.free();
        }
    }

    /**
     * Replaces the signals this signalfd reports ({@code signalfd} on the existing fd).
     *
     * @param signals the new signal numbers
     * @throws ErrnoException           if the kernel refuses
     * @throws IllegalArgumentException for a bad or refused signal; the old set stays then
     */
    public void setSignals(int... signals) throws ErrnoException {
        int[] valid = SignalNumbers.validate(signals.clone());
        guard.enter();
        try {
            synchronized (maskBuffer) {
                SignalNumbers.fill(maskBuffer, valid);
                if (LinuxFdCalls.LIB.signalfd(fd, maskBuffer.address(), 0) < 0) {
                    throw Errno.last("signalfd", fd);
                }
                this.signals = valid;
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * The signals this signalfd reports.
     *
     * @return a sorted copy of the signal numbers
     */
    public int[] signals() {
        return signals.clone();
    }

    /**
     * Takes one pending signal: the calling thread's own pending signals first, then the
     * process's.
     *
     * @return the signal; null if none is pending and the signalfd is non-blocking
     * @throws ErrnoException any failure but {@code EAGAIN}
     */
    public SignalInfo read() throws ErrnoException {
        guard.enter();
        try {
            synchronized (readBuffer) {
                long n = Io.readNative(fd, readBuffer.address(), SignalInfo.SIZE);
                if (n == Io.WOULD_BLOCK) {
                    return null;
                }
                if (n != SignalInfo.SIZE) {
                    throw new IllegalStateException("signalfd read returned " + n + " bytes, not " + SignalInfo.SIZE);
                }
                return SignalInfo.decode(readView, 0);
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Closes the signalfd. The thread's signal mask is not touched: signals stay blocked until
     * {@link #unblockInCurrentThread}. Idempotent; if another thread is blocked in {@link #read()},
     * the fd is closed when that read returns.
     */
    @Override
    public void close() {
        super.close();
    }

    @Override
    void release() {
        readBuffer.free();
        maskBuffer.free();
        Fds.closeOwned(fd);
    }

    @Override
    String details() {
        StringBuilder names = new StringBuilder();
        for (int signal : signals) {
            names.append(names.length() == 0 ? "" : ", ").append(SignalNumbers.name(signal));
        }
        return ", signals=[" + names + "]";
    }
}
