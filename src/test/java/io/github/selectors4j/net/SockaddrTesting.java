package io.github.selectors4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.Native;
import io.github.selectors4j.internal.NativeBuffer;
import io.github.selectors4j.internal.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * What the socket-address tests share: native-order buffers filled with a sentinel, byte-exact
 * comparison, a bounded fuzz of a decoder, and raw sockets made straight on the internal bindings
 * (not {@code NativeSocket}), so that layouts are checked against the kernel itself.
 */
final class SockaddrTesting {

    /** What buffers are filled with before encoding, so that bytes an encoder must not touch show. */
    static final byte SENTINEL = 0x5a;

    static final int SOCK_STREAM = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int SOCK_RDM = 4;
    static final int SOCK_SEQPACKET = 5;

    private SockaddrTesting() {
    }

    /** A native-order heap buffer of {@code size} sentinel bytes. */
    static ByteBuffer filled(int size) {
        ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
        for (int i = 0; i < size; i++) {
            buffer.put(i, SENTINEL);
        }
        return buffer;
    }

    /** Sets {@code count} bytes from {@code from} to zero (padding the expected struct must have). */
    static void zero(ByteBuffer buffer, int from, int count) {
        for (int i = 0; i < count; i++) {
            buffer.put(from + i, (byte) 0);
        }
    }

    /** Asserts two buffers hold the same bytes, printing both in hex when they do not. */
    static void assertSameBytes(ByteBuffer expected, ByteBuffer actual) {
        assertEquals(hex(expected), hex(actual), "bytes of the encoded sockaddr (and around it)");
    }

    static String hex(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.limit()];
        buffer.get(0, bytes);
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    /** A family's package-private decoder. */
    interface Decoder {
        NativeSocketAddress decode(ByteBuffer buffer, int offset, int length);
    }

    /**
     * Feeds a decoder random bytes of every length up to {@code maxLength}, mostly with the right
     * family, in a buffer that ends exactly where the sockaddr does (so that reading past it throws
     * IndexOutOfBoundsException). Each must either be refused with IllegalArgumentException or give
     * an address that survives encode and decode unchanged.
     */
    static void fuzz(Decoder decoder, int family, int maxLength) {
        Random random = new Random(0x5eed + family);
        int offset = 3;
        int attempts = 0;
        int decodedCount = 0;
        for (int length = 0; length <= maxLength; length++) {
            for (int round = 0; round < 300; round++) {
                ByteBuffer buffer = ByteBuffer.allocate(offset + length).order(ByteOrder.nativeOrder());
                byte[] noise = new byte[offset + length];
                random.nextBytes(noise);
                // After the header: pure noise, mostly zeros (as real addresses are), or mostly small
                // values (type and length bytes that a decoder must cross-check).
                for (int i = offset + 2; i < noise.length && round % 3 != 0; i++) {
                    boolean keepNoise = random.nextInt(4) == 0;
                    noise[i] = keepNoise ? noise[i] : round % 3 == 1 ? 0 : (byte) random.nextInt(8);
                }
                buffer.put(0, noise);
                if (length >= 2 && round % 10 != 0) {
                    buffer.putShort(offset, (short) family);
                }
                NativeSocketAddress decoded;
                attempts++;
                try {
                    decoded = decoder.decode(buffer, offset, length);
                    decodedCount++;
                } catch (IllegalArgumentException refused) {
                    continue;
                } catch (RuntimeException e) {
                    throw new AssertionError("decoding " + length + " bytes " + hex(buffer) + " threw " + e, e);
                }
                ByteBuffer again = ByteBuffer.allocate(128).order(ByteOrder.nativeOrder());
                int encodedLength = decoded.encode(again, 0);
                assertEquals(decoded, decoder.decode(again, 0, encodedLength),
                        "decode(encode(decode(x))) for " + length + " bytes " + hex(buffer));
            }
        }
        assertTrue(decodedCount >= attempts / 100, "the fuzz reached the decoder's success path: " + decodedCount + " of " + attempts);
    }

    /** Asserts that decoding is refused with IllegalArgumentException whose message contains {@code fragment}. */
    static void assertRefused(Decoder decoder, ByteBuffer buffer, int offset, int length, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> decoder.decode(buffer, offset, length));
        assertTrue(e.getMessage().contains(fragment), "message \"" + e.getMessage() + "\" should contain \"" + fragment + "\"");
    }

    /** Asserts that {@code construction} is refused with a message containing {@code fragment}. */
    static void assertInvalid(String fragment, Runnable construction) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction::run);
        assertTrue(e.getMessage().contains(fragment), "message \"" + e.getMessage() + "\" should contain \"" + fragment + "\"");
    }

    /** A 16-bit protocol number in network order, as {@code socket(AF_PACKET, ...)} wants it ({@code htons}). */
    static int htons(int value) {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Short.toUnsignedInt(Short.reverseBytes((short) value)) : value;
    }

    static String errnoName(int errno) {
        return Errno.exception("probe", errno, ErrnoException.NO_FD).errnoName();
    }

    /** A socket made with the raw binding, and native memory for one address and its length. */
    static final class LiveSocket implements AutoCloseable {

        private static final Set<String> UNSUPPORTED = Set.of("EAFNOSUPPORT", "EPROTONOSUPPORT", "ESOCKTNOSUPPORT", "EPERM", "EACCES");
        private static final int ADDRESS_SIZE = 128;
        private static final int LENGTH = ADDRESS_SIZE;

        final int fd;
        private final NativeBuffer memory;

        private LiveSocket(int fd) {
            this.fd = fd;
            this.memory = new NativeBuffer(ADDRESS_SIZE + 8);
        }

        /**
         * Opens a close-on-exec socket, or aborts the test with the exact reason when this kernel (or
         * this user) cannot have it, e.g. "AF_CAN not supported by this kernel (socket: EAFNOSUPPORT)".
         */
        static LiveSocket open(String what, int family, int type, int protocol) {
            int fd = Native.SOCKETS.socket(family, type | Platform.CURRENT.oCloexec(), protocol);
            if (fd < 0) {
                String errno = errnoName(Native.lastErrno());
                String reason = errno.equals("EPERM") || errno.equals("EACCES") ? " not permitted for this user"
                        : " not supported by this kernel";
                Assumptions.assumeTrue(!UNSUPPORTED.contains(errno), what + reason + " (socket: " + errno + ")");
                fail("socket(" + what + ") failed: " + errno);
            }
            return new LiveSocket(fd);
        }

        /** Binds; returns 0 or the errno's name. */
        String bind(NativeSocketAddress address) {
            int length = address.encode(memory.asByteBuffer(), 0);
            return Native.SOCKETS.bind(fd, memory.address(), length) == 0 ? "0" : errnoName(Native.lastErrno());
        }

        /** What {@code getsockname} wrote. */
        record Name(int length, ByteBuffer bytes, NativeSocketAddress address) {
        }

        /**
         * Calls {@code getsockname} into a buffer of sentinel bytes and decodes the result.
         *
         * @throws ErrnoException if the call fails
         */
        Name getsockname() throws ErrnoException {
            ByteBuffer view = memory.asByteBuffer();
            for (int i = 0; i < ADDRESS_SIZE; i++) {
                view.put(i, SENTINEL);
            }
            view.putInt(LENGTH, ADDRESS_SIZE);
            if (Native.SOCKETS.getsockname(fd, memory.address(), memory.address() + LENGTH) < 0) {
                throw Errno.last("getsockname", fd);
            }
            int length = view.getInt(LENGTH);
            ByteBuffer copy = ByteBuffer.allocate(ADDRESS_SIZE).order(ByteOrder.nativeOrder());
            copy.put(0, view, 0, ADDRESS_SIZE);
            return new Name(length, copy, NativeSocketAddress.decode(copy, 0, length));
        }

        @Override
        public void close() throws ErrnoException {
            memory.free();
            Fds.close(fd);
        }
    }
}
