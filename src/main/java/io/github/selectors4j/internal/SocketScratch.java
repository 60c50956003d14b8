package io.github.selectors4j.internal;

import com.kenai.jffi.MemoryIO;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One thread's native scratch for socket calls: a socket address and its length, an option value,
 * a pollfd, a msghdr with one iovec, and growable buffers for data moved from heap buffers and for
 * ancillary data. Allocated on the thread's first socket call and reused after, so that a call
 * allocates nothing; the memory belongs to direct {@link ByteBuffer}s, freed with the thread.
 *
 * <p>The data buffer grows to the largest heap range a message-oriented socket was given on this
 * thread (a datagram must cross whole, see {@link #message(int)}) and keeps that size for reuse.
 *
 * <p>Only the calling thread touches its scratch, and only for the duration of one call.
 */
public final class SocketScratch {

    /** Room for any {@code struct sockaddr} ({@code sizeof(struct sockaddr_storage)}). */
    public static final int ADDRESS_SIZE = 128;
    /** Room for an option value; longer ones use a buffer of their own. */
    public static final int OPTION_SIZE = 256;

    private static final int ADDRESS = 0;
    private static final int ADDRESS_LENGTH = ADDRESS + ADDRESS_SIZE;
    private static final int OPTION_LENGTH = ADDRESS_LENGTH + 8;
    private static final int POLLFD = OPTION_LENGTH + 8;
    private static final int MSGHDR = POLLFD + 8;
    private static final int IOVEC = MSGHDR + 64;
    private static final int OPTION = IOVEC + 16;
    private static final int SIZE = OPTION + OPTION_SIZE;

    /**
     * A heap transfer on a stream socket moves at most this much at once: short reads and writes
     * are in a stream's contract, and a larger bounce buffer would only hold more memory.
     */
    public static final int MAX_DATA = 64 * 1024;

    private static final ThreadLocal<SocketScratch> PER_THREAD = ThreadLocal.withInitial(SocketScratch::new);

    private final ByteBuffer fixed = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.nativeOrder());
    private final long base = MemoryIO.getInstance().getDirectBufferAddress(fixed);
    private ByteBuffer data = ByteBuffer.allocateDirect(4096);
    private ByteBuffer control = ByteBuffer.allocateDirect(256).order(ByteOrder.nativeOrder());

    private SocketScratch() {
    }

    /** {@return the calling thread's scratch} */
    public static SocketScratch get() {
        return PER_THREAD.get();
    }

    /** {@return the fixed area, native order, for encoding and decoding structs at the offsets below} */
    public ByteBuffer fixed() {
        return fixed;
    }

    /** {@return the offset of the socket address in {@link #fixed()}} */
    public int addressOffset() {
        return ADDRESS;
    }

    /** {@return the native address of the socket address} */
    public long address() {
        return base + ADDRESS;
    }

    /** {@return the native address of the {@code socklen_t} that goes with {@link #address()}} */
    public long addressLength() {
        return base + ADDRESS_LENGTH;
    }

    /**
     * Sets the {@code socklen_t} that goes with {@link #address()}.
     *
     * @param length the room for, or the length of, the socket address
     */
    public void setAddressLength(int length) {
        fixed.putInt(ADDRESS_LENGTH, length);
    }

    /** {@return the {@code socklen_t} that goes with {@link #address()}} */
    public int getAddressLength() {
        return fixed.getInt(ADDRESS_LENGTH);
    }

    /** {@return the offset of the option value in {@link #fixed()}} */
    public int optionOffset() {
        return OPTION;
    }

    /** {@return the native address of the option value} */
    public long option() {
        return base + OPTION;
    }

    /** {@return the native address of the {@code socklen_t} of an option value} */
    public long optionLength() {
        return base + OPTION_LENGTH;
    }

    /**
     * Sets the option value's {@code socklen_t}.
     *
     * @param length the room for, or the length of, the option value
     */
    public void setOptionLength(int length) {
        fixed.putInt(OPTION_LENGTH, length);
    }

    /** {@return the option value's {@code socklen_t}} */
    public int getOptionLength() {
        return fixed.getInt(OPTION_LENGTH);
    }

    /** {@return the offset of the {@code struct pollfd} in {@link #fixed()}} */
    public int pollfdOffset() {
        return POLLFD;
    }

    /** {@return the native address of the {@code struct pollfd}} */
    public long pollfd() {
        return base + POLLFD;
    }

    /** {@return the offset of the {@code struct msghdr} in {@link #fixed()}} */
    public int msghdrOffset() {
        return MSGHDR;
    }

    /** {@return the native address of the {@code struct msghdr}} */
    public long msghdr() {
        return base + MSGHDR;
    }

    /** {@return the offset of the {@code struct iovec} in {@link #fixed()}} */
    public int iovecOffset() {
        return IOVEC;
    }

    /** {@return the native address of the {@code struct iovec}} */
    public long iovec() {
        return base + IOVEC;
    }

    /**
     * A direct buffer of {@code min(size, MAX_DATA)} bytes for stream data coming from or going to a
     * heap buffer, cleared and limited to that size.
     *
     * @param size the bytes wanted
     * @return this thread's data buffer, grown if needed; valid until the next call
     */
    public ByteBuffer data(int size) {
        return bounce(Math.min(size, MAX_DATA));
    }

    /**
     * A direct buffer of exactly {@code size} bytes for a datagram (or record) coming from or going
     * to a heap buffer, cleared and limited to that size. Unlike {@link #data(int)} it is not capped:
     * a message-oriented socket sends a datagram in one call and truncates one received into less
     * room, so a bounce buffer shorter than the caller's range would cut the datagram.
     *
     * @param size the bytes wanted, the whole of the caller's range
     * @return this thread's data buffer, grown if needed and kept at that size for the next call;
     *         valid until the next call
     */
    public ByteBuffer message(int size) {
        return bounce(size);
    }

    private ByteBuffer bounce(int wanted) {
        if (data.capacity() < wanted) {
            // Doubling up to MAX_DATA makes a run of small, growing stream reads reallocate only a
            // few times; above it the exact size, since a datagram application's buffers are usually
            // of one size and doubling would hold up to twice the memory for nothing.
            data = ByteBuffer.allocateDirect(Math.max(wanted, Math.min(data.capacity() * 2, MAX_DATA)));
        }
        return data.clear().limit(wanted);
    }

    /**
     * A native-order direct buffer for ancillary data, cleared and limited to {@code size}.
     *
     * @param size the bytes wanted
     * @return this thread's control buffer, grown if needed; valid until the next call
     */
    public ByteBuffer control(int size) {
        if (control.capacity() < size) {
            control = ByteBuffer.allocateDirect(Math.max(size, control.capacity() * 2)).order(ByteOrder.nativeOrder());
        }
        return control.clear().limit(size);
    }

    /**
     * The address of a direct buffer's first byte (not its position).
     *
     * @param direct a direct buffer
     * @return its native address
     */
    public static long addressOf(ByteBuffer direct) {
        return MemoryIO.getInstance().getDirectBufferAddress(direct);
    }
}
