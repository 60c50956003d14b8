package io.github.selectors4j.net;

import static io.github.selectors4j.net.SockaddrTesting.assertSameBytes;
import static io.github.selectors4j.net.SockaddrTesting.filled;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link IPv6SocketAddress} against struct sockaddr_in6 of netinet/in.h, with the expected bytes
 * written by hand from that header, and against the kernel's own getsockname; and its text forms.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "the expected bytes are Linux's layout; the BSDs start with an sa_len byte")
class IPv6SocketAddressTest {

    /** AF_INET6 in linux/socket.h. */
    private static final int AF_INET6 = 10;
    private static final int OFFSET = 3;
    /** 2001:db8::1, the documentation prefix (RFC 3849). */
    private static final byte[] DOCUMENTATION = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    /**
     * struct sockaddr_in6 { sa_family_t sin6_family; in_port_t sin6_port; uint32_t sin6_flowinfo;
     * struct in6_addr sin6_addr; uint32_t sin6_scope_id; }: the family in host order, port and flow
     * info in network order, the 16 address bytes as written, the scope id in host order.
     */
    private static ByteBuffer sockaddrIn6(int port, int flowInfo, byte[] address, int scopeId) {
        ByteBuffer expected = filled(40);
        expected.putShort(OFFSET, (short) AF_INET6);
        expected.put(OFFSET + 2, (byte) (port >>> 8));
        expected.put(OFFSET + 3, (byte) port);
        expected.put(OFFSET + 4, (byte) (flowInfo >>> 24));
        expected.put(OFFSET + 5, (byte) (flowInfo >>> 16));
        expected.put(OFFSET + 6, (byte) (flowInfo >>> 8));
        expected.put(OFFSET + 7, (byte) flowInfo);
        expected.put(OFFSET + 8, address);
        expected.putInt(OFFSET + 24, scopeId);
        return expected;
    }

    @Test
    void encodesSockaddrIn6() {
        ByteBuffer actual = filled(40);
        IPv6SocketAddress address = IPv6SocketAddress.of(DOCUMENTATION, 0x1f90, 0x000a_bcde, 0x0102_0304);
        assertEquals(28, address.encode(actual, OFFSET), "sizeof(struct sockaddr_in6)");
        assertSameBytes(sockaddrIn6(0x1f90, 0x000a_bcde, DOCUMENTATION, 0x0102_0304), actual);
    }

    @Test
    void decodesSockaddrIn6() {
        ByteBuffer kernel = sockaddrIn6(0xfffe, 0x8000_0001, DOCUMENTATION, 7);
        IPv6SocketAddress address = assertInstanceOf(IPv6SocketAddress.class, NativeSocketAddress.decode(kernel, OFFSET, 28));
        assertEquals("2001:db8::1", address.host());
        assertEquals(0xfffe, address.port());
        assertEquals(0x8000_0001, address.flowInfo());
        assertEquals(7, address.scopeId());
        assertEquals(IPv6SocketAddress.of("2001:db8::1", 0xfffe, 0x8000_0001, 7), address);
    }

    @Test
    void theEmptyHostIsTheUnspecifiedAddress() {
        IPv6SocketAddress any = IPv6SocketAddress.of("", 80);
        assertArrayEquals(new byte[16], any.address());
        ByteBuffer actual = filled(40);
        any.encode(actual, OFFSET);
        assertSameBytes(sockaddrIn6(80, 0, new byte[16], 0), actual);
        assertEquals("[::]:80", any.toString());
    }

    @Test
    void aPercentScopeNamesTheInterface() {
        int lo = Interfaces.nameToIndex("lo");
        IPv6SocketAddress named = IPv6SocketAddress.of("fe80::1%lo", 9);
        assertEquals(lo, named.scopeId(), "%lo is lo's interface index");
        assertEquals("fe80::1", named.host(), "host() leaves the scope out");
        assertEquals(IPv6SocketAddress.of("fe80::1%" + lo, 9), named, "%index means the same");
        assertEquals(named, IPv6SocketAddress.of("fe80::1%lo", 9, 0, 99), "%scope takes precedence over scopeId");
        byte[] linkLocal = {(byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        ByteBuffer actual = filled(40);
        named.encode(actual, OFFSET);
        assertSameBytes(sockaddrIn6(9, 0, linkLocal, lo), actual);
        assertEquals("[fe80::1%" + lo + "]:9", named.toString());
        SockaddrTesting.assertInvalid("no such network interface: s4j-none", () -> IPv6SocketAddress.of("fe80::1%s4j-none", 9));
    }

    @Test
    void printsCompressedFormInBrackets() {
        assertEquals("[::1]:8080", IPv6SocketAddress.loopback(8080).toString());
        assertEquals("[2001:db8::1]:443", IPv6SocketAddress.of(DOCUMENTATION, 443, 0, 0).toString());
        assertEquals("[2001:db8:0:1:1:1:1:1]:1", IPv6SocketAddress.of("2001:db8:0:1:1:1:1:1", 1).toString(),
                "a single zero group is not compressed (RFC 5952 4.2.2)");
        assertEquals("[2001:0:0:1::1]:1", IPv6SocketAddress.of("2001:0:0:1:0:0:0:1", 1).toString(),
                "the longest run of zeros is the one compressed");
    }

    @Test
    void decodesAnythingOrRefusesIt() {
        SockaddrTesting.fuzz(IPv6SocketAddress::decode, AF_INET6, 32);
    }

    @Test
    void theKernelReportsTheBoundAddressInTheSameLayout() throws Exception {
        try (SockaddrTesting.LiveSocket socket = SockaddrTesting.LiveSocket.open("AF_INET6", AF_INET6, SockaddrTesting.SOCK_DGRAM, 0)) {
            assertEquals("0", socket.bind(IPv6SocketAddress.loopback(0)));
            SockaddrTesting.LiveSocket.Name name = socket.getsockname();
            assertEquals(28, name.length());
            assertEquals(AF_INET6, name.bytes().getShort(0));
            IPv6SocketAddress local = assertInstanceOf(IPv6SocketAddress.class, name.address());
            assertEquals("::1", local.host());
            assertNotEquals(0, local.port(), "the kernel chose a port");
            assertEquals(local.port(), ((name.bytes().get(2) & 0xff) << 8) | (name.bytes().get(3) & 0xff), "port in network order");
            assertEquals(SockaddrTesting.SENTINEL, name.bytes().get(28), "the kernel wrote 28 bytes, no more");
        }
    }

    @Test
    void toStringShowsFlowInfoWhenItIsNotZero() {
        IPv6SocketAddress plain = IPv6SocketAddress.of(DOCUMENTATION, 80, 0, 0);
        IPv6SocketAddress flowing = IPv6SocketAddress.of(DOCUMENTATION, 80, 0xabcde, 0);
        assertNotEquals(plain, flowing);
        assertEquals("[2001:db8::1]:80", plain.toString());
        assertEquals("[2001:db8::1]:80 flowinfo=0xabcde", flowing.toString());
        assertNotEquals(plain.toString(), flowing.toString(), "unequal addresses print differently");
        assertEquals("[2001:db8::1%3]:80 flowinfo=0xffffffff", IPv6SocketAddress.of(DOCUMENTATION, 80, -1, 3).toString(),
                "all 32 bits, unsigned");
    }

    @Test
    void toStringShowsTheScopeUnsigned() {
        assertEquals("[fe80::1%2]:9", IPv6SocketAddress.of("fe80::1", 9, 0, 2).toString());
        assertEquals("[fe80::1%4294967295]:9", IPv6SocketAddress.of("fe80::1", 9, 0, -1).toString(), "scope_id is a u32");
        assertEquals(IPv6SocketAddress.of("fe80::1", 9, 0, -1), IPv6SocketAddress.of("fe80::1%4294967295", 9), "and is read back as one");
    }
}
