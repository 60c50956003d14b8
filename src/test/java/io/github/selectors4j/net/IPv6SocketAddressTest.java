package io.github.selectors4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** {@link IPv6SocketAddress} as a value: its text forms. */
class IPv6SocketAddressTest {

    private static final byte[] DOCUMENTATION = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

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
