package io.github.selectors4j.net;

import static io.github.selectors4j.net.NetlinkAttributeTest.rtattr;
import static io.github.selectors4j.net.NetlinkMessageTest.filled;
import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RtAddress}: struct ifaddrmsg and IFA_* attributes of linux/if_addr.h, built by hand. */
class RtAddressTest {

    /** struct ifaddrmsg { u8 family; u8 prefixlen; u8 flags; u8 scope; u32 index; }. */
    private static void ifaddrmsg(ByteBuffer buffer, int at, int family, int prefixLength, int flags, int scope, int index) {
        buffer.put(at, (byte) family);
        buffer.put(at + 1, (byte) prefixLength);
        buffer.put(at + 2, (byte) flags);
        buffer.put(at + 3, (byte) scope);
        buffer.putInt(at + 4, index);
    }

    /** 10.77.0.1/24 on s4j0 as the kernel announces it, with IFA_ADDRESS, IFA_LOCAL and IFA_LABEL. */
    private static ByteBuffer ipv4Payload() {
        ByteBuffer buffer = filled(36);
        ifaddrmsg(buffer, 0, AddressFamily.AF_INET, 24, 0x80, 0, 3);
        rtattr(buffer, 8, 8, 1);                                   // IFA_ADDRESS
        buffer.put(12, new byte[] {10, 77, 0, 1});
        rtattr(buffer, 16, 8, 2);                                  // IFA_LOCAL
        buffer.put(20, new byte[] {10, 77, 0, 1});
        rtattr(buffer, 24, 9, 3);                                  // IFA_LABEL "s4j0"
        buffer.put(28, new byte[] {'s', '4', 'j', '0', 0, 0, 0, 0});
        return buffer;
    }

    @Test
    void decodesAnIpv4Address() {
        RtAddress address = RtAddress.decode(ipv4Payload(), 0, 36);
        assertEquals(AddressFamily.AF_INET, address.family());
        assertEquals(24, address.prefixLength());
        assertEquals(0x80, address.flags());
        assertEquals(0, address.scope());
        assertEquals(3, address.index());
        assertEquals("10.77.0.1", address.address());
        assertEquals("s4j0", address.label());
        assertEquals(3, address.attributes().size());
        assertEquals("RtAddress[10.77.0.1/24, index=3, label=s4j0, scope=0, 3 attributes]", address.toString());
    }

    @Test
    void theLocalAddressWinsOverThePeerAddress() {
        ByteBuffer buffer = ipv4Payload();
        buffer.put(12, new byte[] {10, 77, 0, 2});                // a point-to-point peer in IFA_ADDRESS
        assertEquals("10.77.0.1", RtAddress.decode(buffer, 0, 36).address());
        rtattr(buffer, 16, 8, 9);                                  // IFA_LOCAL turned into something else
        assertEquals("10.77.0.2", RtAddress.decode(buffer, 0, 36).address(), "IFA_ADDRESS when there is no IFA_LOCAL");
    }

    @Test
    void decodesAnIpv6AddressWithoutLabel() {
        ByteBuffer buffer = filled(28);
        ifaddrmsg(buffer, 0, AddressFamily.AF_INET6, 64, 0, 253, 0x01020304);
        rtattr(buffer, 8, 20, 1);
        buffer.put(12, new byte[] {(byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        RtAddress address = RtAddress.decode(buffer, 0, 28);
        assertEquals("fe80::1", address.address());
        assertEquals(64, address.prefixLength());
        assertEquals(253, address.scope());
        assertEquals(0x01020304, address.index());
        assertNull(address.label());
    }

    @Test
    void otherFamiliesPrintAsHex() {
        ByteBuffer buffer = filled(16);
        ifaddrmsg(buffer, 0, 45, 0, 0, 0, 2);                     // AF_MCTP: a 1-byte address
        rtattr(buffer, 8, 5, 2);
        buffer.put(12, new byte[] {8, 0, 0, 0});
        assertEquals("08", RtAddress.decode(buffer, 0, 16).address());
        assertNull(RtAddress.decode(buffer, 0, 8).address(), "no address attribute at all");
    }

    @Test
    void decodesFromAMessageOfTheRightType() {
        byte[] bytes = new byte[36];
        ipv4Payload().get(0, bytes);
        assertEquals("10.77.0.1", RtAddress.decode(new NetlinkMessage(Rtnetlink.RTM_DELADDR, 0, 0, 0, bytes)).address());
        assertThrowsWithMessage(IllegalArgumentException.class, "not an RTM_NEWADDR (20) or RTM_DELADDR (21) message but type 16",
                () -> RtAddress.decode(new NetlinkMessage(Rtnetlink.RTM_NEWLINK, 0, 0, 0, bytes)));
    }

    @Test
    void refusesAddressesOfTheWrongSizeForTheFamily() {
        ByteBuffer buffer = ipv4Payload();
        buffer.put(0, (byte) AddressFamily.AF_INET6);
        assertThrowsWithMessage(IllegalArgumentException.class, "address attribute 1 of an AF_INET6 address has 4 bytes, not 16",
                () -> RtAddress.decode(buffer, 0, 36));
        ByteBuffer shortLocal = ipv4Payload();
        rtattr(shortLocal, 16, 7, 2);
        assertThrowsWithMessage(IllegalArgumentException.class, "address attribute 2 of an AF_INET address has 3 bytes, not 4",
                () -> RtAddress.decode(shortLocal, 0, 36));
    }

    @Test
    void refusesShortOrTruncatedPayloads() {
        for (int length = 0; length < 8; length++) {
            int cut = length;
            assertThrowsWithMessage(IllegalArgumentException.class, "address message payload of " + cut + " bytes is shorter than the 8-byte struct ifaddrmsg",
                    () -> RtAddress.decode(ipv4Payload(), 0, cut));
        }
        for (int length = 9; length < 36; length++) {
            int cut = length;
            boolean endsOnAnAttribute = cut == 16 || cut == 24 || cut >= 33;
            if (endsOnAnAttribute) {
                RtAddress.decode(ipv4Payload(), 0, cut);
            } else {
                assertThrows(IllegalArgumentException.class, () -> RtAddress.decode(ipv4Payload(), 0, cut), "cut at " + cut);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> RtAddress.decode(ipv4Payload(), 30, 8));
    }

    @Test
    void constructorChecksRanges() {
        assertThrowsWithMessage(IllegalArgumentException.class, "ifa_prefixlen must be 0-255: 256",
                () -> new RtAddress(2, 256, 0, 0, 1, List.of()));
        assertThrowsWithMessage(IllegalArgumentException.class, "ifa_scope must be 0-255: -1",
                () -> new RtAddress(2, 8, 0, -1, 1, List.of()));
        assertThrows(NullPointerException.class, () -> new RtAddress(2, 8, 0, 0, 1, null));
    }
}
