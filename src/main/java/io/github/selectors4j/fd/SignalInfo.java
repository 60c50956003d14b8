package io.github.selectors4j.fd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One signal read from a {@link SignalFd}: the fields of Linux's {@code struct signalfd_siginfo}.
 * Which fields mean something depends on the signal and on {@link #code()}, as for
 * {@code siginfo_t}; the others are zero.
 *
 * <pre>{@code
 * SignalInfo info = signals.read();
 * if (info != null && info.code() == SignalInfo.SI_USER) {
 *     System.out.println(info.name() + " from pid " + info.pid() + ", uid " + info.uid());
 * }
 * }</pre>
 *
 * @param signo    the signal number ({@code ssi_signo})
 * @param errno    an error number, rarely set ({@code ssi_errno})
 * @param code     why it was sent: {@link #SI_USER}, {@link #SI_TKILL}, {@link #SI_QUEUE}, a
 *                 {@code CLD_*} or fault code... ({@code ssi_code})
 * @param pid      the sender's pid, or the child's for {@code SIGCHLD} ({@code ssi_pid})
 * @param uid      the sender's real uid, unsigned ({@code ssi_uid})
 * @param fd       the fd, for {@code SIGIO} ({@code ssi_fd})
 * @param tid      the kernel timer id, for POSIX timer signals ({@code ssi_tid})
 * @param band     the poll band event, for {@code SIGIO}, unsigned ({@code ssi_band})
 * @param overrun  the timer overrun count, for POSIX timer signals ({@code ssi_overrun})
 * @param trapno   the trap number of a fault ({@code ssi_trapno})
 * @param status   the exit status or signal of a {@code SIGCHLD} child ({@code ssi_status})
 * @param intValue the integer sent by {@code sigqueue} ({@code ssi_int})
 * @param ptr      the pointer sent by {@code sigqueue} ({@code ssi_ptr})
 * @param utime    user CPU time consumed, for {@code SIGCHLD} ({@code ssi_utime})
 * @param stime    system CPU time consumed, for {@code SIGCHLD} ({@code ssi_stime})
 * @param addr     the faulting address, for hardware faults ({@code ssi_addr})
 */
public record SignalInfo(int signo, int errno, int code, int pid, long uid, int fd, int tid, long band,
                         int overrun, int trapno, int status, int intValue, long ptr, long utime, long stime,
                         long addr) {

    /** {@code sizeof(struct signalfd_siginfo)}: fixed by the kernel ABI, padding included. */
    public static final int SIZE = 128;

    /** {@code ssi_code}: sent by {@code kill(2)} or {@code pidfd_send_signal(2)}. */
    public static final int SI_USER = 0;
    /** {@code ssi_code}: sent by the kernel. */
    public static final int SI_KERNEL = 0x80;
    /** {@code ssi_code}: sent by {@code sigqueue(3)}. */
    public static final int SI_QUEUE = -1;
    /** {@code ssi_code}: a POSIX timer expired. */
    public static final int SI_TIMER = -2;
    /** {@code ssi_code}: a POSIX message queue changed state. */
    public static final int SI_MESGQ = -3;
    /** {@code ssi_code}: asynchronous I/O completed. */
    public static final int SI_ASYNCIO = -4;
    /** {@code ssi_code}: queued {@code SIGIO}. */
    public static final int SI_SIGIO = -5;
    /** {@code ssi_code}: sent by {@code tkill(2)}/{@code tgkill(2)}, as {@code pthread_kill} and {@code raise} do. */
    public static final int SI_TKILL = -6;

    /**
     * Decodes one {@code struct signalfd_siginfo} in native byte order, whatever the buffer's order.
     *
     * @param buffer the bytes; not modified, its position not moved
     * @param offset where the struct starts
     * @return the decoded signal
     * @throws IndexOutOfBoundsException if fewer than {@link #SIZE} bytes follow {@code offset}
     */
    public static SignalInfo decode(ByteBuffer buffer, int offset) {
        Objects.requireNonNull(buffer, "buffer");
        if (offset < 0 || buffer.limit() - offset < SIZE) {
            throw new IndexOutOfBoundsException("struct signalfd_siginfo needs " + SIZE + " bytes at offset "
                    + offset + " of a buffer of " + buffer.limit());
        }
        ByteBuffer b = buffer.order() == ByteOrder.nativeOrder() ? buffer : buffer.duplicate().order(ByteOrder.nativeOrder());
        return new SignalInfo(
                b.getInt(offset),
                b.getInt(offset + 4),
                b.getInt(offset + 8),
                b.getInt(offset + 12),
                Integer.toUnsignedLong(b.getInt(offset + 16)),
                b.getInt(offset + 20),
                b.getInt(offset + 24),
                Integer.toUnsignedLong(b.getInt(offset + 28)),
                b.getInt(offset + 32),
                b.getInt(offset + 36),
                b.getInt(offset + 40),
                b.getInt(offset + 44),
                b.getLong(offset + 48),
                b.getLong(offset + 56),
                b.getLong(offset + 64),
                b.getLong(offset + 72));
    }

    /**
     * The signal's usual name.
     *
     * @return e.g. {@code "SIGUSR1"}, {@code "SIGRTMIN+6"}
     */
    public String name() {
        return SignalNumbers.name(signo);
    }
}
