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

    /** Reads into heap buffers move at most this much at once; short reads are in the contract. */
    public static final int MAX_DATA = 64 * 1024;

    private static final ThreadLocal<SocketScratch> PER_THREAD = ThreadLocal.withInitial(SocketScratch::new);

    private final ByteBuffer fixed = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.nativeOrder());
    private final long base = MemoryIO.getInstance().getDirectBufferAddress(fixed);
    private ByteBuffer data = ByteBuffer.allocateDirect(4096);
    private ByteBuffer control = ByteBuffer.allocateDirect(256).order(ByteOrder.nativeOrder());

    private SocketScratch() {
    }

    /** The calling thread's scratch. */
    public static SocketScratch get() {
        return PER_THREAD.get();
    }

    /** The fixed area, native order, for encoding and decoding structs at the offsets below. */
    public ByteBuffer fixed() {
        return fixed;
    }

    /** Offset of the socket address in {@link #fixed()}. */
    public int addressOffset() {
        return ADDRESS;
    }

    /** Address of the socket address. */
    public long address() {
        return base + ADDRESS;
    }

    /** Address of the socklen_t that goes with {@link #address()}. */
    public long addressLength() {
        return base + ADDRESS_LENGTH;
    }

    /** Sets the socklen_t that goes with {@link #address()}. */
    public void setAddressLength(int length) {
        fixed.putInt(ADDRESS_LENGTH, length);
    }

    /** Reads the socklen_t that goes with {@link #address()}. */
    public int getAddressLength() {
        return fixed.getInt(ADDRESS_LENGTH);
    }

    /** Offset of the option value in {@link #fixed()}. */
    public int optionOffset() {
        return OPTION;
    }

    /** Address of the option value. */
    public long option() {
        return base + OPTION;
    }

    /** Address of the socklen_t of an option value. */
    public long optionLength() {
        return base + OPTION_LENGTH;
    }

    /** Sets the option value's socklen_t. */
    public void setOptionLength(int length) {
        fixed.putInt(OPTION_LENGTH, length);
    }

    /** Reads the option value's socklen_t. */
    public int getOptionLength() {
        return fixed.getInt(OPTION_LENGTH);
    }

    /** Offset of the pollfd in {@link #fixed()}. */
    public int pollfdOffset() {
        return POLLFD;
    }

    /** Address of the pollfd. */
    public long pollfd() {
        return base + POLLFD;
    }

    /** Offset of the msghdr in {@link #fixed()}. */
    public int msghdrOffset() {
        return MSGHDR;
    }

    /** Address of the msghdr. */
    public long msghdr() {
        return base + MSGHDR;
    }

    /** Offset of the iovec in {@link #fixed()}. */
    public int iovecOffset() {
        return IOVEC;
    }

    /** Address of the iovec. */
    public long iovec() {
        return base + IOVEC;
    }

    /**
     * A direct buffer of {@code min(size, MAX_DATA)} bytes for data coming from or going to a heap
     * buffer, cleared and limited to that size.
     */
    public ByteBuffer data(int size) {
        int wanted = Math.min(size, MAX_DATA);
        if (data.capacity() < wanted) {
            data = ByteBuffer.allocateDirect(Math.max(wanted, Math.min(data.capacity() * 2, MAX_DATA)));
        }
        return data.clear().limit(wanted);
    }

    /** A native-order direct buffer of at least {@code size} bytes for ancillary data, cleared. */
    public ByteBuffer control(int size) {
        if (control.capacity() < size) {
            control = ByteBuffer.allocateDirect(Math.max(size, control.capacity() * 2)).order(ByteOrder.nativeOrder());
        }
        return control.clear().limit(size);
    }

    /** The address of a direct buffer's first byte (not its position). */
    public static long addressOf(ByteBuffer direct) {
        return MemoryIO.getInstance().getDirectBufferAddress(direct);
    }
}
