package io.github.selectors4j.net;

/**
 * Routing netlink ({@code NETLINK_ROUTE}): the message types, multicast groups, attribute types and
 * flags needed to dump and watch links and addresses, and the dump requests themselves.
 *
 * <pre>{@code
 * try (NativeSocket netlink = NativeSocket.open(AddressFamily.AF_NETLINK, SocketType.SOCK_RAW, Protocol.NETLINK_ROUTE)) {
 *     netlink.bind(NetlinkSocketAddress.kernel());
 *     ByteBuffer request = ByteBuffer.allocateDirect(64);
 *     NetlinkMessage dump = Rtnetlink.dumpRequest(Rtnetlink.RTM_GETLINK, 1);
 *     netlink.sendTo(request.limit(dump.encode(request, 0)), NetlinkSocketAddress.kernel());
 *     // then recv until NLMSG_DONE; RtLink.decode(message) for each RTM_NEWLINK
 * }
 * // to watch changes instead: netlink.bind(NetlinkSocketAddress.groups(Rtnetlink.RTMGRP_LINK | Rtnetlink.RTMGRP_IPV4_IFADDR))
 * }</pre>
 *
 * <p>Values are those of {@code /usr/include/linux/rtnetlink.h} (message types, groups),
 * {@code linux/if_link.h} ({@code IFLA_*}), {@code linux/if_addr.h} ({@code IFA_*}) and
 * {@code linux/if.h} ({@code IFF_*}, {@code IF_OPER_*}); they are part of the kernel's stable ABI.
 */
public final class Rtnetlink {

    /** A link appeared or changed (also each entry of a link dump). */
    public static final int RTM_NEWLINK = 16;
    /** A link disappeared. */
    public static final int RTM_DELLINK = 17;
    /** Get one link, or dump them all with {@link NetlinkMessage#NLM_F_DUMP}. */
    public static final int RTM_GETLINK = 18;
    /** An address was added (also each entry of an address dump). */
    public static final int RTM_NEWADDR = 20;
    /** An address was removed. */
    public static final int RTM_DELADDR = 21;
    /** Dump addresses. */
    public static final int RTM_GETADDR = 22;

    /** Multicast group bit (group 1) for link changes: bind with {@code NetlinkSocketAddress.groups(RTMGRP_LINK)}. */
    public static final int RTMGRP_LINK = 0x1;
    /** Multicast group bit (group 5) for IPv4 address changes. */
    public static final int RTMGRP_IPV4_IFADDR = 0x10;
    /** Multicast group bit (group 9) for IPv6 address changes. */
    public static final int RTMGRP_IPV6_IFADDR = 0x100;

    /** Link attribute: the hardware address. */
    public static final int IFLA_ADDRESS = 1;
    /** Link attribute: the hardware broadcast address. */
    public static final int IFLA_BROADCAST = 2;
    /** Link attribute: the name, a NUL-terminated string. */
    public static final int IFLA_IFNAME = 3;
    /** Link attribute: the MTU, a {@code __u32}. */
    public static final int IFLA_MTU = 4;
    /** Link attribute: the index of the link this one sits on (a veth's peer), an {@code int}. */
    public static final int IFLA_LINK = 5;
    /** Link attribute: the RFC 2863 operational state, a {@code __u8} ({@code IF_OPER_*}). */
    public static final int IFLA_OPERSTATE = 16;

    /** Operational state: unknown (the loopback device reports this). */
    public static final int IF_OPER_UNKNOWN = 0;
    /** Operational state: not present. */
    public static final int IF_OPER_NOTPRESENT = 1;
    /** Operational state: down. */
    public static final int IF_OPER_DOWN = 2;
    /** Operational state: down because a lower layer is (a veth whose peer is down). */
    public static final int IF_OPER_LOWERLAYERDOWN = 3;
    /** Operational state: testing. */
    public static final int IF_OPER_TESTING = 4;
    /** Operational state: dormant. */
    public static final int IF_OPER_DORMANT = 5;
    /** Operational state: up. */
    public static final int IF_OPER_UP = 6;

    /** Link flag: administratively up. */
    public static final int IFF_UP = 0x1;
    /** Link flag: broadcast capable. */
    public static final int IFF_BROADCAST = 0x2;
    /** Link flag: the loopback device. */
    public static final int IFF_LOOPBACK = 0x8;
    /** Link flag: operationally up ({@code RFC 2863} "up"). */
    public static final int IFF_RUNNING = 0x40;
    /** Link flag: the lower layer (carrier) is up. */
    public static final int IFF_LOWER_UP = 0x10000;

    /** Address attribute: the prefix address, or a point-to-point link's peer. */
    public static final int IFA_ADDRESS = 1;
    /** Address attribute: the local address. */
    public static final int IFA_LOCAL = 2;
    /** Address attribute: the label (IPv4 only), a NUL-terminated string. */
    public static final int IFA_LABEL = 3;
    /** Address attribute: the broadcast address. */
    public static final int IFA_BROADCAST = 4;

    /** {@code sizeof(struct ifinfomsg)}: the fixed part of a link message. */
    static final int IFINFOMSG_SIZE = 16;
    /** {@code sizeof(struct ifaddrmsg)}: the fixed part of an address message. */
    static final int IFADDRMSG_SIZE = 8;

    private Rtnetlink() {
    }

    /**
     * A request to dump every link ({@link #RTM_GETLINK}) or every address ({@link #RTM_GETADDR}) of
     * every family. Send it to {@link NetlinkSocketAddress#kernel()}; the kernel answers with
     * {@code NLM_F_MULTI} messages carrying the same sequence number, ended by
     * {@link NetlinkMessage#NLMSG_DONE}.
     *
     * @param type     {@link #RTM_GETLINK} or {@link #RTM_GETADDR}
     * @param sequence the sequence number the replies will carry
     * @return the request
     * @throws IllegalArgumentException for another type
     */
    public static NetlinkMessage dumpRequest(int type, int sequence) {
        return dumpRequest(type, AddressFamily.AF_UNSPEC, sequence);
    }

    /**
     * A dump request limited to one address family, e.g. {@link AddressFamily#AF_INET} for IPv4
     * addresses only.
     *
     * <p>The payload is the whole fixed header the kernel's strict checking
     * ({@code NETLINK_GET_STRICT_CHK}) demands, zeroed but for the family: a 16-byte
     * {@code struct ifinfomsg} for links, an 8-byte {@code struct ifaddrmsg} for addresses, which is
     * what iproute2 sends. The older 1-byte {@code struct rtgenmsg} is accepted only without strict
     * checking.
     *
     * @param type     {@link #RTM_GETLINK} or {@link #RTM_GETADDR}
     * @param family   an address family, 0 to 255; {@link AddressFamily#AF_UNSPEC} for all
     * @param sequence the sequence number the replies will carry
     * @return the request
     * @throws IllegalArgumentException for another type or a family out of range
     */
    public static NetlinkMessage dumpRequest(int type, int family, int sequence) {
        if (family < 0 || family > 0xff) {
            throw new IllegalArgumentException("family must be 0-255: " + family);
        }
        byte[] header;
        if (type == RTM_GETLINK) {
            header = new byte[IFINFOMSG_SIZE];
        } else if (type == RTM_GETADDR) {
            header = new byte[IFADDRMSG_SIZE];
        } else {
            throw new IllegalArgumentException("dumpRequest builds RTM_GETLINK (18) or RTM_GETADDR (22), not " + type);
        }
        header[0] = (byte) family;   // ifi_family and ifa_family are both the first byte
        return new NetlinkMessage(type, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_DUMP, sequence, 0, header);
    }
}
