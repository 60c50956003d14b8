package io.github.selectors4j.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.testing.Closer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Typed options set and read back through the kernel, and the raw escape hatch. */
class SocketOptionsTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    @Test
    void socketLevelOptions() throws Exception {
        NativeSocket tcp = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        tcp.setOption(SocketOptions.SO_REUSEADDR, true);
        assertTrue(tcp.getOption(SocketOptions.SO_REUSEADDR));
        tcp.setOption(SocketOptions.SO_REUSEPORT, true);
        assertTrue(tcp.getOption(SocketOptions.SO_REUSEPORT));
        tcp.setOption(SocketOptions.SO_KEEPALIVE, true);
        assertTrue(tcp.getOption(SocketOptions.SO_KEEPALIVE));
        tcp.setOption(SocketOptions.SO_RCVBUF, 32768);
        assertEquals(65536, tcp.getOption(SocketOptions.SO_RCVBUF), "Linux doubles the size set, for bookkeeping");
        tcp.setOption(SocketOptions.SO_SNDBUF, 32768);
        assertEquals(65536, tcp.getOption(SocketOptions.SO_SNDBUF));
        tcp.setOption(SocketOptions.SO_LINGER, new Linger(true, 3));
        assertEquals(new Linger(true, 3), tcp.getOption(SocketOptions.SO_LINGER));
        tcp.setOption(SocketOptions.TCP_NODELAY, true);
        assertTrue(tcp.getOption(SocketOptions.TCP_NODELAY));
        tcp.setOption(SocketOptions.IP_TOS, 0x10);
        assertEquals(0x10, tcp.getOption(SocketOptions.IP_TOS));
        assertEquals(AddressFamily.AF_INET, tcp.getOption(SocketOptions.SO_DOMAIN));
        assertEquals(SocketType.SOCK_STREAM, tcp.getOption(SocketOptions.SO_TYPE));
        assertEquals(Protocol.IPPROTO_TCP, tcp.getOption(SocketOptions.SO_PROTOCOL));
        assertEquals(0, tcp.getOption(SocketOptions.SO_ERROR));

        NativeSocket udp = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0));
        assertFalse(udp.getOption(SocketOptions.SO_BROADCAST));
        udp.setOption(SocketOptions.SO_BROADCAST, true);
        assertTrue(udp.getOption(SocketOptions.SO_BROADCAST));
    }

    @Test
    void ipv6Options() throws Exception {
        NativeSocket udp6 = closer.add(NativeSocket.open(AddressFamily.AF_INET6, SocketType.SOCK_DGRAM, 0));
        udp6.setOption(SocketOptions.IPV6_V6ONLY, true);
        assertTrue(udp6.getOption(SocketOptions.IPV6_V6ONLY));
        udp6.setOption(SocketOptions.IPV6_MULTICAST_HOPS, 5);
        assertEquals(5, udp6.getOption(SocketOptions.IPV6_MULTICAST_HOPS));
        udp6.setOption(SocketOptions.IPV6_MULTICAST_LOOP, false);
        assertFalse(udp6.getOption(SocketOptions.IPV6_MULTICAST_LOOP));
        int lo = Interfaces.nameToIndex("lo");
        udp6.setOption(SocketOptions.IPV6_MULTICAST_IF, lo);
        assertEquals(lo, udp6.getOption(SocketOptions.IPV6_MULTICAST_IF));
        udp6.setOption(SocketOptions.IPV6_JOIN_GROUP, MulticastMembership.of(IPv6SocketAddress.of("ff02::1:3", 0), lo));
        udp6.setOption(SocketOptions.IPV6_LEAVE_GROUP, MulticastMembership.of(IPv6SocketAddress.of("ff02::1:3", 0), lo));
    }

    @Test
    void packetMembership() throws Exception {
        NativeSocket packet;
        try {
            packet = closer.add(NativeSocket.open(AddressFamily.AF_PACKET, SocketType.SOCK_RAW, Protocol.htons(Protocol.ETH_P_ALL)));
        } catch (ErrnoException e) {
            Assumptions.abort("AF_PACKET needs CAP_NET_RAW (socket: " + e.errnoName() + ")");
            return;
        }
        PacketMembership promiscuous = PacketMembership.promiscuous(Interfaces.nameToIndex("lo"));
        assertFalse(isPromiscuous("lo"));
        packet.setOption(SocketOptions.PACKET_ADD_MEMBERSHIP, promiscuous);
        assertTrue(isPromiscuous("lo"), "the membership put lo in promiscuous mode");
        packet.setOption(SocketOptions.PACKET_DROP_MEMBERSHIP, promiscuous);
        assertFalse(isPromiscuous("lo"), "dropping it took lo out again");
    }

    /** Apart from the packet test, which aborts without CAP_NET_RAW: joining a netlink group needs no privilege. */
    @Test
    void netlinkMembership() throws Exception {
        NativeSocket netlink = closer.add(NativeSocket.open(AddressFamily.AF_NETLINK, SocketType.SOCK_RAW, Protocol.NETLINK_ROUTE));
        netlink.bind(NetlinkSocketAddress.kernel());
        netlink.setOption(SocketOptions.NETLINK_ADD_MEMBERSHIP, 1);
        assertEquals(1, ((NetlinkSocketAddress) netlink.localAddress()).groups(), "joining group 1 shows in nl_groups");
        netlink.setOption(SocketOptions.NETLINK_DROP_MEMBERSHIP, 1);
        assertEquals(0, ((NetlinkSocketAddress) netlink.localAddress()).groups());
    }

    /** IFF_PROMISC (0x100) in the interface's flags, as sysfs shows them. */
    private static boolean isPromiscuous(String name) throws java.io.IOException {
        String flags = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/sys/class/net", name, "flags")).get(0).trim();
        return (Integer.decode(flags) & 0x100) != 0;
    }

    @Test
    void theRawEscapeHatch() throws Exception {
        NativeSocket tcp = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        int solSocket = SocketOptions.SOL_SOCKET;
        int soKeepalive = SocketOptions.SO_KEEPALIVE.option();
        tcp.setIntOption(solSocket, soKeepalive, 1);
        assertEquals(1, tcp.getIntOption(solSocket, soKeepalive));
        byte[] linger = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(1).putInt(7).array();
        tcp.setBytesOption(solSocket, SocketOptions.SO_LINGER.option(), linger);
        assertArrayEquals(linger, tcp.getBytesOption(solSocket, SocketOptions.SO_LINGER.option(), 8));
        assertEquals("ENOPROTOOPT", assertThrows(ErrnoException.class, () -> tcp.getIntOption(solSocket, 9999)).errnoName());
        assertThrows(IllegalArgumentException.class, () -> tcp.getBytesOption(solSocket, soKeepalive, 1000));
    }
}
