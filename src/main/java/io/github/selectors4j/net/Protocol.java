package io.github.selectors4j.net;

import io.github.selectors4j.internal.NetConstants;

/**
 * Protocol numbers for the third argument of {@link NativeSocket#open(int, int, int)}: IP
 * protocols, Ethernet types for packet sockets, netlink families and CAN protocols.
 *
 * <p>Ethernet types are given here in host order. A packet socket's protocol argument, like the C
 * and Python APIs, wants network order: {@code NativeSocket.open(AF_PACKET, SOCK_RAW,
 * Protocol.htons(Protocol.ETH_P_ALL))}. Packet socket addresses take host order; they convert.
 *
 * <pre>{@code
 * NativeSocket udpLite = NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, Protocol.IPPROTO_UDPLITE);
 * NativeSocket routes = NativeSocket.open(AddressFamily.AF_NETLINK, SocketType.SOCK_RAW, Protocol.NETLINK_ROUTE);
 * NativeSocket sniffer = NativeSocket.open(AddressFamily.AF_PACKET, SocketType.SOCK_RAW,
 *         Protocol.htons(Protocol.ETH_P_ALL));                       // network order, as above
 * }</pre>
 */
public final class Protocol {

    /** Default protocol of the family and type. */
    public static final int DEFAULT = 0;

    /** IP. */
    public static final int IPPROTO_IP = NetConstants.value("IPPROTO_IP", 0);
    /** ICMP (raw or, on Linux, unprivileged "ping" datagram sockets). */
    public static final int IPPROTO_ICMP = NetConstants.value("IPPROTO_ICMP", 1);
    /** TCP. */
    public static final int IPPROTO_TCP = NetConstants.value("IPPROTO_TCP", 6);
    /** UDP. */
    public static final int IPPROTO_UDP = NetConstants.value("IPPROTO_UDP", 17);
    /** IPv6 (also the option level of IPv6 options). */
    public static final int IPPROTO_IPV6 = NetConstants.value("IPPROTO_IPV6", 41);
    /** ICMPv6. */
    public static final int IPPROTO_ICMPV6 = NetConstants.value("IPPROTO_ICMPV6", 58);
    /** SCTP. */
    public static final int IPPROTO_SCTP = NetConstants.value("IPPROTO_SCTP", 132);
    /** UDP-Lite (Linux): UDP with partial checksum coverage. */
    public static final int IPPROTO_UDPLITE = NetConstants.value("IPPROTO_UDPLITE", 136);
    /** Raw IP. */
    public static final int IPPROTO_RAW = NetConstants.value("IPPROTO_RAW", 255);

    /** Packet sockets: every Ethernet protocol. */
    public static final int ETH_P_ALL = 0x0003;
    /** Packet sockets: IPv4. */
    public static final int ETH_P_IP = 0x0800;
    /** Packet sockets: ARP. */
    public static final int ETH_P_ARP = 0x0806;
    /** Packet sockets: IPv6. */
    public static final int ETH_P_IPV6 = 0x86DD;

    /** Netlink: routing and link updates (rtnetlink). */
    public static final int NETLINK_ROUTE = 0;
    /** Netlink: socket monitoring. */
    public static final int NETLINK_SOCK_DIAG = 4;
    /** Netlink: kernel object events (uevents). */
    public static final int NETLINK_KOBJECT_UEVENT = 15;
    /** Netlink: generic netlink. */
    public static final int NETLINK_GENERIC = 16;

    /** CAN: raw frames. */
    public static final int CAN_RAW = 1;
    /** CAN: broadcast manager. */
    public static final int CAN_BCM = 2;
    /** CAN: ISO 15765-2 transport. */
    public static final int CAN_ISOTP = 6;
    /** CAN: SAE J1939. */
    public static final int CAN_J1939 = 7;

    private Protocol() {
    }

    /**
     * Swaps a 16-bit value to network byte order (big-endian), as C's {@code htons}.
     *
     * @param value 0 to 65535
     * @return the value as a little-endian machine must pass it; unchanged on a big-endian one
     */
    public static int htons(int value) {
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException("not a 16-bit value: " + value);
        }
        return java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.BIG_ENDIAN ? value : Short.toUnsignedInt(Short.reverseBytes((short) value));
    }
}
