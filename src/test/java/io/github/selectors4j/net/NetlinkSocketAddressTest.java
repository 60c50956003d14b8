package io.github.selectors4j.net;

import static io.github.selectors4j.net.SockaddrTesting.assertRefused;
import static io.github.selectors4j.net.SockaddrTesting.assertSameBytes;
import static io.github.selectors4j.net.SockaddrTesting.filled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@link NetlinkSocketAddress}: struct sockaddr_nl of linux/netlink.h, and the kernel's view of it. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "AF_NETLINK exists only on Linux")
class NetlinkSocketAddressTest {

    /** AF_NETLINK in linux/socket.h. */
    private static final int AF_NETLINK = 16;
    private static final int NETLINK_ROUTE = 0;
    private static final int OFFSET = 5;

    @Test
    void encodesSockaddrNl() {
        ByteBuffer actual = filled(32);
        assertEquals(12, new NetlinkSocketAddress(0x8765_4321, 0x8000_0001).encode(actual, OFFSET));

        // struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; }
        ByteBuffer expected = filled(32);
        expected.putShort(OFFSET, (short) AF_NETLINK);
        expected.putShort(OFFSET + 2, (short) 0);
        expected.putInt(OFFSET + 4, 0x8765_4321);
        expected.putInt(OFFSET + 8, 0x8000_0001);
        assertSameBytes(expected, actual);
    }

    @Test
    void encodeZeroesThePadAndRefusesATooSmallBufferBeforeWriting() {
        ByteBuffer actual = filled(12);
        NetlinkSocketAddress.kernel().encode(actual, 0);
        assertEquals(0, actual.getShort(2), "nl_pad");
        ByteBuffer small = filled(14);
        assertThrows(IndexOutOfBoundsException.class, () -> NetlinkSocketAddress.kernel().encode(small, 3));
        assertSameBytes(filled(14), small);
    }

    @Test
    void roundTrips() {
        for (NetlinkSocketAddress address : new NetlinkSocketAddress[] {
                NetlinkSocketAddress.kernel(), NetlinkSocketAddress.groups(0x11), new NetlinkSocketAddress(-1, -1),
                new NetlinkSocketAddress(4242, 0)}) {
            ByteBuffer buffer = filled(40);
            int length = address.encode(buffer, OFFSET);
            assertEquals(address, NetlinkSocketAddress.decode(buffer, OFFSET, length));
            assertEquals(address, NativeSocketAddress.decode(buffer, OFFSET, length), "through the family dispatch");
            assertEquals(address.hashCode(), NativeSocketAddress.decode(buffer, OFFSET, length).hashCode());
        }
        assertEquals(AddressFamily.AF_NETLINK, NetlinkSocketAddress.kernel().family());
    }

    @Test
    void refusesShortForeignOrOutOfBoundsSockaddrs() {
        ByteBuffer buffer = filled(40);
        new NetlinkSocketAddress(1, 2).encode(buffer, OFFSET);
        assertRefused(NetlinkSocketAddress::decode, buffer, OFFSET, 11, "at least 12 bytes, got 11");
        assertRefused(NetlinkSocketAddress::decode, buffer, 35, 12, "does not fit");
        assertRefused(NetlinkSocketAddress::decode, buffer, -1, 12, "does not fit");
        buffer.putShort(OFFSET, (short) AddressFamily.AF_INET);
        assertRefused(NetlinkSocketAddress::decode, buffer, OFFSET, 12, "family " + AddressFamily.AF_INET);
    }

    @Test
    void decodesAnythingOrRefusesIt() {
        SockaddrTesting.fuzz(NetlinkSocketAddress::decode, AF_NETLINK, 20);
    }

    @Test
    void groupsAreBits() {
        NetlinkSocketAddress address = NetlinkSocketAddress.groups(0b101);
        assertTrue(address.hasGroup(1));
        assertFalse(address.hasGroup(2));
        assertTrue(address.hasGroup(3));
        SockaddrTesting.assertInvalid("1-32: 33", () -> address.hasGroup(33));
        SockaddrTesting.assertInvalid("1-32: 0", () -> address.hasGroup(0));
        assertEquals(4294967295L, new NetlinkSocketAddress(-1, 0).unsignedPid());
    }

    @Test
    void printsReadably() {
        assertEquals("netlink[pid=0, groups=0x1]", NetlinkSocketAddress.groups(1).toString());
        assertEquals("netlink[pid=4294967295, groups=0x80000000]", new NetlinkSocketAddress(-1, 0x8000_0000).toString());
    }

    @Test
    void theKernelAssignsAPortIdAndReportsTheGroups() throws Exception {
        try (SockaddrTesting.LiveSocket socket = SockaddrTesting.LiveSocket.open("AF_NETLINK", AF_NETLINK, SockaddrTesting.SOCK_RAW, NETLINK_ROUTE)) {
            assertEquals("0", socket.bind(NetlinkSocketAddress.groups(1)), "bind(pid 0, RTMGRP_LINK)");
            SockaddrTesting.LiveSocket.Name name = socket.getsockname();
            assertEquals(12, name.length(), "sizeof(struct sockaddr_nl)");
            assertEquals(AF_NETLINK, name.bytes().getShort(0));
            NetlinkSocketAddress local = assertInstanceOf(NetlinkSocketAddress.class, name.address());
            assertNotEquals(0, local.pid(), "the kernel assigned a port id");
            assertEquals(name.bytes().getInt(4), local.pid());
            assertEquals(1, local.groups());
            assertEquals(SockaddrTesting.SENTINEL, name.bytes().get(12), "the kernel wrote 12 bytes, no more");
        }
    }
}
