package io.github.selectors4j.net;

import static io.github.selectors4j.net.SockaddrTesting.assertSameBytes;
import static io.github.selectors4j.net.SockaddrTesting.filled;
import static io.github.selectors4j.net.SockaddrTesting.zero;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link IPv4SocketAddress} against struct sockaddr_in of netinet/in.h, with the expected bytes
 * written by hand from that header, and against the kernel's own getsockname.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "the expected bytes are Linux's layout; the BSDs start with an sa_len byte")
class IPv4SocketAddressTest {

    /** AF_INET in linux/socket.h. */
    private static final int AF_INET = 2;
    private static final int OFFSET = 5;

    /**
     * struct sockaddr_in { sa_family_t sin_family; in_port_t sin_port; struct in_addr sin_addr;
     * unsigned char sin_zero[8]; }: the family in host order, the port in network order (most
     * significant byte first), the 4 address bytes as written, 8 zero bytes.
     */
    private static ByteBuffer sockaddrIn(int portHigh, int portLow, int a, int b, int c, int d) {
        ByteBuffer expected = filled(32);
        expected.putShort(OFFSET, (short) AF_INET);
        expected.put(OFFSET + 2, (byte) portHigh);
        expected.put(OFFSET + 3, (byte) portLow);
        expected.put(OFFSET + 4, (byte) a);
        expected.put(OFFSET + 5, (byte) b);
        expected.put(OFFSET + 6, (byte) c);
        expected.put(OFFSET + 7, (byte) d);
        zero(expected, OFFSET + 8, 8);
        return expected;
    }

    @Test
    void encodesSockaddrIn() {
        ByteBuffer actual = filled(32);
        assertEquals(16, IPv4SocketAddress.of("192.168.1.2", 0x1f90).encode(actual, OFFSET), "sizeof(struct sockaddr_in)");
        assertSameBytes(sockaddrIn(0x1f, 0x90, 192, 168, 1, 2), actual);
    }

    @Test
    void decodesSockaddrIn() {
        ByteBuffer kernel = sockaddrIn(0xff, 0xfe, 10, 0, 0, 254);
        IPv4SocketAddress address = assertInstanceOf(IPv4SocketAddress.class, NativeSocketAddress.decode(kernel, OFFSET, 16));
        assertEquals("10.0.0.254", address.host());
        assertEquals(0xfffe, address.port(), "network order, unsigned");
        assertEquals(IPv4SocketAddress.of("10.0.0.254", 65534), address);
    }

    @Test
    void theEmptyHostIsInaddrAny() {
        IPv4SocketAddress any = IPv4SocketAddress.of("", 80);
        assertArrayEquals(new byte[4], any.address());
        assertEquals(IPv4SocketAddress.any(80), any);
        ByteBuffer actual = filled(32);
        any.encode(actual, OFFSET);
        assertSameBytes(sockaddrIn(0, 80, 0, 0, 0, 0), actual);
        assertEquals("0.0.0.0:80", any.toString());
    }

    @Test
    void broadcastIsInaddrBroadcast() {
        IPv4SocketAddress broadcast = IPv4SocketAddress.of("<broadcast>", 9);
        assertArrayEquals(new byte[] {-1, -1, -1, -1}, broadcast.address());
        ByteBuffer actual = filled(32);
        broadcast.encode(actual, OFFSET);
        assertSameBytes(sockaddrIn(0, 9, 255, 255, 255, 255), actual);
        assertEquals("255.255.255.255:9", broadcast.toString());
    }

    @Test
    void printsDottedQuadAndPort() {
        assertEquals("127.0.0.1:8080", IPv4SocketAddress.loopback(8080).toString());
        assertEquals("192.168.1.2:65535", IPv4SocketAddress.of("192.168.1.2", 65535).toString());
        assertNotEquals(IPv4SocketAddress.of("1.2.3.4", 1), IPv4SocketAddress.of("1.2.3.4", 2));
    }

    @Test
    void decodesAnythingOrRefusesIt() {
        SockaddrTesting.fuzz(IPv4SocketAddress::decode, AF_INET, 20);
    }

    @Test
    void theKernelReportsTheBoundAddressInTheSameLayout() throws Exception {
        try (SockaddrTesting.LiveSocket socket = SockaddrTesting.LiveSocket.open("AF_INET", AF_INET, SockaddrTesting.SOCK_DGRAM, 0)) {
            assertEquals("0", socket.bind(IPv4SocketAddress.loopback(0)));
            SockaddrTesting.LiveSocket.Name name = socket.getsockname();
            assertEquals(16, name.length());
            assertEquals(AF_INET, name.bytes().getShort(0));
            IPv4SocketAddress local = assertInstanceOf(IPv4SocketAddress.class, name.address());
            assertEquals("127.0.0.1", local.host());
            assertNotEquals(0, local.port(), "the kernel chose a port");
            assertEquals(local.port(), ((name.bytes().get(2) & 0xff) << 8) | (name.bytes().get(3) & 0xff), "port in network order");
            assertEquals(SockaddrTesting.SENTINEL, name.bytes().get(16), "the kernel wrote 16 bytes, no more");
        }
    }
}
