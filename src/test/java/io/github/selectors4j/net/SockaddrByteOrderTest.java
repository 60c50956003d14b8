package io.github.selectors4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link NativeSocketAddress#encode} and {@link NativeSocketAddress#decode} whatever the buffer's
 * byte order: the kernel reads the machine's order, so a buffer of the other order must get exactly
 * the bytes a native-order one gets (once, a big-endian buffer got its host-order fields swapped),
 * and the caller's position, limit and order must stay as they were.
 */
class SockaddrByteOrderTest {

    private static final ByteOrder OTHER = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;

    /** One address of every type, with multi-byte host-order and network-order fields non-zero and asymmetric. */
    static List<NativeSocketAddress> addresses() {
        return List.of(
                IPv4SocketAddress.of("10.1.2.3", 0x1234),
                IPv6SocketAddress.of(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7}, 0x1234, 0x000a_bcde, 0x0102_0304),
                UnixSocketAddress.of("/run/some.sock"),
                UnixSocketAddress.abstractName("abstract"),
                UnixSocketAddress.unnamed(),
                new NetlinkSocketAddress(0x0102_0304, 0x0506_0708),
                PacketSocketAddress.of(0x0102_0304, 0x88b5, PacketSocketAddress.PACKET_HOST, PacketSocketAddress.ARPHRD_ETHER,
                        new byte[] {2, 0, 0, 0, 0x77, 1}),
                new VsockSocketAddress(0x0102_0304L, 0x0506_0708L, 1),
                CanSocketAddress.isotp(0x0102_0304, 0x123, 0x456),
                new AlgSocketAddress("hash", "sha256", 0x0102_0304, 0x0506_0708),
                TipcSocketAddress.service(0x0102_0304, 0x0506_0708, 2),
                new RawSocketAddress(0x2a, new byte[] {1, 2, 3, 4}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("addresses")
    void encodeWritesTheKernelsBytesIntoABufferOfEitherOrder(NativeSocketAddress address) {
        ByteBuffer reference = ByteBuffer.allocate(140).order(ByteOrder.nativeOrder());
        int length = address.encode(reference, 5);

        ByteBuffer other = ByteBuffer.allocate(140).order(OTHER).position(3).limit(139);
        assertEquals(length, address.encode(other, 5));
        assertEquals(SockaddrTesting.hex(reference.limit(139)), SockaddrTesting.hex(other),
                "the same bytes as a native-order buffer gets");
        assertEquals(3, other.position(), "position left alone");
        assertEquals(139, other.limit(), "limit left alone");
        assertSame(OTHER, other.order(), "order left alone");

        ByteBuffer direct = ByteBuffer.allocateDirect(140).order(OTHER);
        address.encode(direct, 5);
        assertEquals(SockaddrTesting.hex(reference.limit(140)), SockaddrTesting.hex(direct), "a direct buffer of the other order too");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("addresses")
    void decodeReadsTheKernelsBytesFromABufferOfEitherOrder(NativeSocketAddress address) {
        ByteBuffer reference = ByteBuffer.allocate(140).order(ByteOrder.nativeOrder());
        int length = address.encode(reference, 7);
        ByteBuffer other = ByteBuffer.allocate(140).order(OTHER);
        other.put(0, reference, 0, 140).position(2);   // the kernel's bytes, in a buffer of the other order
        assertEquals(address, NativeSocketAddress.decode(other, 7, length));
        assertEquals(2, other.position());
        assertSame(OTHER, other.order());
    }
}
