package io.github.selectors4j.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The part of {@code struct sockaddr} every family shares. Linux starts with a 16-bit
 * {@code sa_family} in host order; macOS and the BSDs start with an 8-bit {@code sa_len} and an
 * 8-bit {@code sa_family}. Family-specific fields follow at the same offsets on both.
 */
public final class SockaddrCodec {

    private static final boolean HAS_LENGTH_BYTE = Platform.CURRENT.isBsdFamily();

    private SockaddrCodec() {
    }

    /**
     * The buffer itself if it is in native byte order, else a native-order view of the same bytes,
     * so that encoders and decoders work whatever order the caller's buffer has. Absolute gets and
     * puts on the view leave the caller's position and limit alone.
     *
     * @param buffer any buffer
     * @return a native-order buffer over the same bytes
     */
    public static ByteBuffer nativeView(ByteBuffer buffer) {
        return buffer.order() == ByteOrder.nativeOrder() ? buffer : buffer.duplicate().order(ByteOrder.nativeOrder());
    }

    /**
     * Writes a 16-bit value in network byte order (big-endian), whatever the buffer's order.
     *
     * @param buffer the buffer
     * @param at     where the value goes
     * @param value  its low 16 bits are written
     */
    public static void putShortBigEndian(ByteBuffer buffer, int at, int value) {
        buffer.put(at, (byte) (value >>> 8));
        buffer.put(at + 1, (byte) value);
    }

    /**
     * Writes a 32-bit value in network byte order (big-endian), whatever the buffer's order.
     *
     * @param buffer the buffer
     * @param at     where the value goes
     * @param value  the value
     */
    public static void putIntBigEndian(ByteBuffer buffer, int at, int value) {
        putShortBigEndian(buffer, at, value >>> 16);
        putShortBigEndian(buffer, at + 2, value);
    }

    /**
     * Writes the header.
     *
     * @param buffer a native-order buffer
     * @param offset where the sockaddr starts
     * @param family the address family
     * @param length the whole sockaddr's length (stored in {@code sa_len} where there is one)
     */
    public static void putHeader(ByteBuffer buffer, int offset, int family, int length) {
        if (HAS_LENGTH_BYTE) {
            buffer.put(offset, (byte) length);
            buffer.put(offset + 1, (byte) family);
        } else {
            buffer.putShort(offset, (short) family);
        }
    }

    /**
     * Checks an encode's arguments before anything is written: the buffer is there and the
     * sockaddr fits before its limit at {@code offset}.
     *
     * @param buffer where the sockaddr is to go
     * @param offset where it starts
     * @param size   its length in bytes
     * @throws NullPointerException      if {@code buffer} is null
     * @throws IndexOutOfBoundsException if it does not fit; the message names the offset
     */
    public static void checkRoom(ByteBuffer buffer, int offset, int size) {
        java.util.Objects.checkFromIndexSize(offset, size, java.util.Objects.requireNonNull(buffer, "buffer").limit());
    }

    /**
     * Reads the family of a sockaddr of {@code length} bytes.
     *
     * @param buffer a native-order buffer
     * @param offset where the sockaddr starts
     * @param length its length as the kernel reported it
     * @return the family, or 0 ({@code AF_UNSPEC}) for a sockaddr too short to have one (an
     *         unnamed AF_UNIX socket's address can be that short)
     */
    public static int family(ByteBuffer buffer, int offset, int length) {
        if (length < 2) {
            return 0;
        }
        return HAS_LENGTH_BYTE ? buffer.get(offset + 1) & 0xff : buffer.getShort(offset) & 0xffff;
    }

    /**
     * Checks that a sockaddr about to be decoded is at least {@code minimum} bytes and is of the
     * expected family, so that a decoder never reads past what the kernel (or a caller) supplied.
     *
     * @param buffer  the buffer
     * @param offset  where the sockaddr starts
     * @param length  its length
     * @param family  the family the decoder handles
     * @param minimum the fewest bytes the decoder reads
     * @param what    the family's name, for the message
     * @throws IllegalArgumentException if the sockaddr is shorter, of another family, or outside the buffer
     */
    public static void check(ByteBuffer buffer, int offset, int length, int family, int minimum, String what) {
        if (offset < 0 || length < 0 || offset > buffer.limit() - length) {
            throw new IllegalArgumentException("sockaddr of " + length + " bytes at offset " + offset
                    + " does not fit a buffer of " + buffer.limit());
        }
        if (length < minimum) {
            throw new IllegalArgumentException(what + " needs at least " + minimum + " bytes, got " + length);
        }
        int actual = family(buffer, offset, length);
        if (actual != family) {
            throw new IllegalArgumentException("not an " + what + ": family " + actual + " (expected " + family + ")");
        }
    }
}
