package io.github.selectors4j.internal;

import io.github.selectors4j.ErrnoException;
import java.util.concurrent.TimeUnit;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * One thread's native scratch for {@code select(2)}: three {@code fd_set}s and a {@code timeval},
 * allocated on the thread's first call and reused after, so that a select allocates nothing.
 *
 * <p>The caller's sets are plain {@code long[]} bitmaps (bit {@code fd % 64} of word
 * {@code fd / 64}); they are copied in before every attempt, because after a timed-out attempt the
 * kernel has cleared them and a retry must start from the request again, and copied out after.
 * Copying converts to the platform's {@code fd_mask} word size, which matters on big-endian systems.
 */
public final class SelectCall implements InterruptibleWait {

    private static final ThreadLocal<SelectCall> PER_THREAD = ThreadLocal.withInitial(SelectCall::new);

    private static final Platform PLATFORM = Platform.CURRENT;
    private static final int SET_BYTES = PLATFORM.fdSetBytes();

    /** GC-managed memory: a thread's scratch lives as long as the thread, with no owner to close it. */
    private final Pointer memory = Memory.allocateDirect(Native.RUNTIME, 3 * SET_BYTES + PLATFORM.timevalSize(), true);
    private final long address = memory.address();
    private final long timevalOffset = 3L * SET_BYTES;

    private long[] read;
    private long[] write;
    private long[] except;
    private int nfds;

    private SelectCall() {
    }

    /**
     * Selects on this thread's scratch.
     *
     * @param read         readable interest, or null; replaced by the readable subset
     * @param write        writable interest, or null; replaced by the writable subset
     * @param except       exceptional-condition interest, or null; replaced by the subset
     * @param nfds         highest fd in any set, plus one
     * @param timeoutNanos negative to wait forever, zero not to wait; rounded up to the microsecond
     * @return the number of ready bits
     * @throws ErrnoException e.g. {@code EBADF} for a closed fd (never {@code EINTR}: it is retried)
     */
    public static int select(long[] read, long[] write, long[] except, int nfds, long timeoutNanos) throws ErrnoException {
        SelectCall call = PER_THREAD.get();
        call.read = read;
        call.write = write;
        call.except = except;
        call.nfds = nfds;
        try {
            int n = InterruptibleWait.await(call, timeoutNanos, TimeUnit.MICROSECONDS, "select", ErrnoException.NO_FD);
            call.copyOut(read, 0);
            call.copyOut(write, 1);
            call.copyOut(except, 2);
            return n;
        } finally {
            call.read = call.write = call.except = null;
        }
    }

    @Override
    public int attempt(long micros) {
        copyIn(read, 0);
        copyIn(write, 1);
        copyIn(except, 2);
        long timeval = 0;
        if (micros >= 0) {
            timeval = address + timevalOffset;
            putSized(timevalOffset, PLATFORM.longSize(), micros / 1_000_000L);
            putSized(timevalOffset + PLATFORM.longSize(), PLATFORM.timevalMicrosSize(), micros % 1_000_000L);
        }
        int n = Native.LIBC.select(nfds, setAddress(read, 0), setAddress(write, 1), setAddress(except, 2), timeval);
        return n >= 0 ? n : -Native.lastErrno();
    }

    private void putSized(long offset, int size, long value) {
        if (size == 8) {
            memory.putLong(offset, value);
        } else {
            memory.putInt(offset, (int) value);
        }
    }

    private long setAddress(long[] words, int index) {
        return words == null ? 0 : address + (long) index * SET_BYTES;
    }

    private int wordsInUse() {
        return (nfds + 63) / 64;
    }

    private void copyIn(long[] words, int index) {
        if (words == null) {
            return;
        }
        long base = (long) index * SET_BYTES;
        int used = wordsInUse();
        if (PLATFORM.fdMaskBits() == 64) {
            for (int w = 0; w < used; w++) {
                memory.putLong(base + w * 8L, words[w]);
            }
        } else {
            for (int w = 0; w < used; w++) {
                memory.putInt(base + w * 8L, (int) words[w]);
                memory.putInt(base + w * 8L + 4, (int) (words[w] >>> 32));
            }
        }
    }

    private void copyOut(long[] words, int index) {
        if (words == null) {
            return;
        }
        long base = (long) index * SET_BYTES;
        int used = wordsInUse();
        if (PLATFORM.fdMaskBits() == 64) {
            for (int w = 0; w < used; w++) {
                words[w] = memory.getLong(base + w * 8L);
            }
        } else {
            for (int w = 0; w < used; w++) {
                words[w] = (memory.getInt(base + w * 8L) & 0xffff_ffffL) | ((long) memory.getInt(base + w * 8L + 4) << 32);
            }
        }
        for (int w = used; w < words.length; w++) {
            words[w] = 0;
        }
    }
}
