package io.github.selectors4j.net;

import io.github.selectors4j.internal.NetConstants;

/**
 * The socket options selectors4j types, with this platform's levels and numbers. An option the
 * platform does not have gets the number -1, which {@code setsockopt} refuses ({@code ENOPROTOOPT}).
 *
 * <pre>{@code
 * server.setOption(SocketOptions.SO_REUSEADDR, true);
 * server.setOption(SocketOptions.SO_REUSEPORT, true);
 * Credentials peer = unixConnection.getOption(SocketOptions.SO_PEERCRED);
 * }</pre>
 *
 * <p>For any other option use {@link SocketOption#ofInt}, {@link SocketOption#ofBoolean} or
 * {@link SocketOption#ofBytes}, or {@link NativeSocket#setIntOption}/{@link NativeSocket#getIntOption}.
 */
public final class SocketOptions {

    /** The socket level. */
    public static final int SOL_SOCKET = NetConstants.value("SOL_SOCKET", 1);
    /** The IPv4 level. */
    public static final int SOL_IP = Protocol.IPPROTO_IP;
    /** The TCP level. */
    public static final int SOL_TCP = Protocol.IPPROTO_TCP;
    /** The IPv6 level. */
    public static final int SOL_IPV6 = Protocol.IPPROTO_IPV6;
    /** The packet-socket level (Linux). */
    public static final int SOL_PACKET = NetConstants.value("SOL_PACKET", -1);
    /** The netlink level (Linux). */
    public static final int SOL_NETLINK = NetConstants.value("SOL_NETLINK", -1);
    /** The UDP-Lite level (Linux). */
    public static final int SOL_UDPLITE = Protocol.IPPROTO_UDPLITE;

    /** Allow binding an address still in TIME_WAIT. */
    public static final SocketOption<Boolean> SO_REUSEADDR = bool("SO_REUSEADDR", SOL_SOCKET);
    /** Let several sockets bind the same address and port; the kernel spreads connections. */
    public static final SocketOption<Boolean> SO_REUSEPORT = bool("SO_REUSEPORT", SOL_SOCKET);
    /** Receive buffer size (Linux doubles what is set, for bookkeeping). */
    public static final SocketOption<Integer> SO_RCVBUF = integer("SO_RCVBUF", SOL_SOCKET);
    /** Send buffer size (Linux doubles what is set). */
    public static final SocketOption<Integer> SO_SNDBUF = integer("SO_SNDBUF", SOL_SOCKET);
    /** TCP keep-alive probes. */
    public static final SocketOption<Boolean> SO_KEEPALIVE = bool("SO_KEEPALIVE", SOL_SOCKET);
    /** Allow sending to broadcast addresses. */
    public static final SocketOption<Boolean> SO_BROADCAST = bool("SO_BROADCAST", SOL_SOCKET);
    /** What {@code close} does with unsent data. */
    public static final SocketOption<Linger> SO_LINGER = new SocketOption<>("SO_LINGER", SOL_SOCKET,
            NetConstants.value("SO_LINGER", -1), OptionCodecs.LINGER);
    /** The pending error, cleared by reading it: how a non-blocking connect reports failure. Read only. */
    public static final SocketOption<Integer> SO_ERROR = integer("SO_ERROR", SOL_SOCKET);
    /** The socket type. Read only. */
    public static final SocketOption<Integer> SO_TYPE = integer("SO_TYPE", SOL_SOCKET);
    /** The address family (Linux). Read only. */
    public static final SocketOption<Integer> SO_DOMAIN = integer("SO_DOMAIN", SOL_SOCKET);
    /** The protocol (Linux). Read only. */
    public static final SocketOption<Integer> SO_PROTOCOL = integer("SO_PROTOCOL", SOL_SOCKET);
    /** The credentials of the peer process of an AF_UNIX socket (Linux). Read only. */
    public static final SocketOption<Credentials> SO_PEERCRED = new SocketOption<>("SO_PEERCRED", SOL_SOCKET,
            NetConstants.value("SO_PEERCRED", -1), OptionCodecs.UCRED);
    /** Receive {@code SCM_CREDENTIALS} with each message (AF_UNIX, Linux). */
    public static final SocketOption<Boolean> SO_PASSCRED = bool("SO_PASSCRED", SOL_SOCKET);

    /** Disable Nagle's algorithm: send small segments at once. */
    public static final SocketOption<Boolean> TCP_NODELAY = bool("TCP_NODELAY", SOL_TCP);

    /** Type of service / DSCP byte of outgoing IPv4 packets. */
    public static final SocketOption<Integer> IP_TOS = integer("IP_TOS", SOL_IP);
    /** Time to live of outgoing IPv4 multicast. */
    public static final SocketOption<Integer> IP_MULTICAST_TTL = integer("IP_MULTICAST_TTL", SOL_IP);
    /** Whether IPv4 multicast sent is also delivered to local listeners. */
    public static final SocketOption<Boolean> IP_MULTICAST_LOOP = new SocketOption<>("IP_MULTICAST_LOOP", SOL_IP,
            NetConstants.value("IP_MULTICAST_LOOP", -1), OptionCodecs.BYTE_OR_INT_BOOLEAN);
    /** The interface IPv4 multicast is sent from, by index (Linux: {@code struct ip_mreqn}). Write only. */
    public static final SocketOption<Integer> IP_MULTICAST_IF = new SocketOption<>("IP_MULTICAST_IF", SOL_IP,
            NetConstants.value("IP_MULTICAST_IF", -1), OptionCodecs.IP_MREQN_INTERFACE);
    /** Join an IPv4 multicast group. Write only. */
    public static final SocketOption<MulticastMembership> IP_ADD_MEMBERSHIP = new SocketOption<>("IP_ADD_MEMBERSHIP", SOL_IP,
            NetConstants.value("IP_ADD_MEMBERSHIP", -1), OptionCodecs.IP_MREQN);
    /** Leave an IPv4 multicast group. Write only. */
    public static final SocketOption<MulticastMembership> IP_DROP_MEMBERSHIP = new SocketOption<>("IP_DROP_MEMBERSHIP", SOL_IP,
            NetConstants.value("IP_DROP_MEMBERSHIP", -1), OptionCodecs.IP_MREQN);

    /** Restrict an IPv6 socket to IPv6 (no IPv4-mapped addresses). */
    public static final SocketOption<Boolean> IPV6_V6ONLY = bool("IPV6_V6ONLY", SOL_IPV6);
    /** The interface IPv6 multicast is sent from, by index. */
    public static final SocketOption<Integer> IPV6_MULTICAST_IF = integer("IPV6_MULTICAST_IF", SOL_IPV6);
    /** Hop limit of outgoing IPv6 multicast. */
    public static final SocketOption<Integer> IPV6_MULTICAST_HOPS = integer("IPV6_MULTICAST_HOPS", SOL_IPV6);
    /** Whether IPv6 multicast sent is also delivered to local listeners. */
    public static final SocketOption<Boolean> IPV6_MULTICAST_LOOP = bool("IPV6_MULTICAST_LOOP", SOL_IPV6);
    /** Join an IPv6 multicast group. Write only. */
    public static final SocketOption<MulticastMembership> IPV6_JOIN_GROUP = new SocketOption<>("IPV6_JOIN_GROUP", SOL_IPV6,
            NetConstants.value("IPV6_JOIN_GROUP", -1), OptionCodecs.IPV6_MREQ);
    /** Leave an IPv6 multicast group. Write only. */
    public static final SocketOption<MulticastMembership> IPV6_LEAVE_GROUP = new SocketOption<>("IPV6_LEAVE_GROUP", SOL_IPV6,
            NetConstants.value("IPV6_LEAVE_GROUP", -1), OptionCodecs.IPV6_MREQ);

    /** Promiscuous or multicast membership of a packet socket (Linux). Write only. */
    public static final SocketOption<PacketMembership> PACKET_ADD_MEMBERSHIP = new SocketOption<>("PACKET_ADD_MEMBERSHIP",
            SOL_PACKET, NetConstants.value("PACKET_ADD_MEMBERSHIP", -1), OptionCodecs.PACKET_MREQ);
    /** Drop a packet socket membership (Linux). Write only. */
    public static final SocketOption<PacketMembership> PACKET_DROP_MEMBERSHIP = new SocketOption<>("PACKET_DROP_MEMBERSHIP",
            SOL_PACKET, NetConstants.value("PACKET_DROP_MEMBERSHIP", -1), OptionCodecs.PACKET_MREQ);

    /** Join a netlink multicast group by number (Linux); unlike {@code nl_groups}, any group number. Write only. */
    public static final SocketOption<Integer> NETLINK_ADD_MEMBERSHIP = integer("NETLINK_ADD_MEMBERSHIP", SOL_NETLINK);
    /** Leave a netlink multicast group (Linux). Write only. */
    public static final SocketOption<Integer> NETLINK_DROP_MEMBERSHIP = integer("NETLINK_DROP_MEMBERSHIP", SOL_NETLINK);

    /** UDP-Lite: bytes of each sent datagram covered by the checksum (0 = all; at least 8 otherwise). */
    public static final SocketOption<Integer> UDPLITE_SEND_CSCOV = integer("UDPLITE_SEND_CSCOV", SOL_UDPLITE);
    /** UDP-Lite: the least checksum coverage accepted on receive. */
    public static final SocketOption<Integer> UDPLITE_RECV_CSCOV = integer("UDPLITE_RECV_CSCOV", SOL_UDPLITE);

    private SocketOptions() {
    }

    private static SocketOption<Boolean> bool(String name, int level) {
        return SocketOption.ofBoolean(name, level, NetConstants.value(name, -1));
    }

    private static SocketOption<Integer> integer(String name, int level) {
        return SocketOption.ofInt(name, level, NetConstants.value(name, -1));
    }
}
