package io.github.selectors4j.net;

import static io.github.selectors4j.net.NetlinkMessageTest.filled;
import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** {@link Rtnetlink}: constants of linux/rtnetlink.h, if_link.h, if_addr.h, if.h and the dump requests iproute2 sends. */
class RtnetlinkTest {

    @Test
    void constantsAreThoseOfTheKernelHeaders() {
        assertEquals(16, Rtnetlink.RTM_NEWLINK);
        assertEquals(17, Rtnetlink.RTM_DELLINK);
        assertEquals(18, Rtnetlink.RTM_GETLINK);
        assertEquals(20, Rtnetlink.RTM_NEWADDR);
        assertEquals(21, Rtnetlink.RTM_DELADDR);
        assertEquals(22, Rtnetlink.RTM_GETADDR);
        assertEquals(0x1, Rtnetlink.RTMGRP_LINK);
        assertEquals(0x10, Rtnetlink.RTMGRP_IPV4_IFADDR);
        assertEquals(0x100, Rtnetlink.RTMGRP_IPV6_IFADDR);
        assertEquals(3, Rtnetlink.IFLA_IFNAME);
        assertEquals(4, Rtnetlink.IFLA_MTU);
        assertEquals(16, Rtnetlink.IFLA_OPERSTATE);
        assertEquals(1, Rtnetlink.IFA_ADDRESS);
        assertEquals(2, Rtnetlink.IFA_LOCAL);
        assertEquals(3, Rtnetlink.IFA_LABEL);
        assertEquals(1, Rtnetlink.IFF_UP);
        assertEquals(6, Rtnetlink.IF_OPER_UP);
    }

    @Test
    void aLinkDumpIsAZeroedIfinfomsg() {
        NetlinkMessage request = Rtnetlink.dumpRequest(Rtnetlink.RTM_GETLINK, 0x01020304);
        assertEquals(Rtnetlink.RTM_GETLINK, request.type());
        assertEquals(NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_DUMP, request.flags());
        assertEquals(0x01020304, request.sequence());
        assertEquals(0, request.pid());
        assertArrayEquals(new byte[16], request.payload());

        ByteBuffer actual = filled(32);
        assertEquals(32, request.encode(actual, 0));
        ByteBuffer expected = filled(32);
        NetlinkMessageTest.header(expected, 0, 32, 18, 0x301, 0x01020304, 0);
        expected.put(16, new byte[16]);
        assertEquals(HexFormat.of().formatHex(expected.array()), HexFormat.of().formatHex(actual.array()));
    }

    @Test
    void anAddressDumpIsAZeroedIfaddrmsgWithTheFamily() {
        NetlinkMessage all = Rtnetlink.dumpRequest(Rtnetlink.RTM_GETADDR, 7);
        assertEquals(24, all.length(), "16 + sizeof(struct ifaddrmsg), as ip address sends");
        assertArrayEquals(new byte[8], all.payload());
        NetlinkMessage ipv4 = Rtnetlink.dumpRequest(Rtnetlink.RTM_GETADDR, AddressFamily.AF_INET, 7);
        assertArrayEquals(new byte[] {(byte) AddressFamily.AF_INET, 0, 0, 0, 0, 0, 0, 0}, ipv4.payload());
        assertEquals(AddressFamily.AF_INET6, Rtnetlink.dumpRequest(Rtnetlink.RTM_GETLINK, AddressFamily.AF_INET6, 7).payload()[0]);
    }

    @Test
    void refusesOtherRequests() {
        assertThrowsWithMessage(IllegalArgumentException.class, "not 16", () -> Rtnetlink.dumpRequest(Rtnetlink.RTM_NEWLINK, 1));
        assertThrowsWithMessage(IllegalArgumentException.class, "family must be 0-255: 256", () -> Rtnetlink.dumpRequest(Rtnetlink.RTM_GETLINK, 256, 1));
    }
}
