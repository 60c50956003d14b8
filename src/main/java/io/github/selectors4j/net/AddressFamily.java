package io.github.selectors4j.net;

import io.github.selectors4j.internal.NetConstants;

/**
 * Address families ({@code AF_*}) with this platform's values. A family the platform does not
 * define is {@link #UNDEFINED}, which every socket call refuses.
 *
 * <pre>{@code
 * NativeSocket netlink = NativeSocket.open(AddressFamily.AF_NETLINK, SocketType.SOCK_RAW, Protocol.NETLINK_ROUTE);
 * }</pre>
 */
public final class AddressFamily {

    /** The value of a family this platform does not have. */
    public static final int UNDEFINED = -1;

    /** Unspecified. */
    public static final int AF_UNSPEC = 0;
    /** Local (UNIX-domain) sockets: filesystem paths, and on Linux the abstract namespace. */
    public static final int AF_UNIX = value("AF_UNIX");
    /** IPv4. */
    public static final int AF_INET = value("AF_INET");
    /** IPv6 (10 on Linux, 30 on macOS, 28 on FreeBSD). */
    public static final int AF_INET6 = value("AF_INET6");
    /** Linux netlink: kernel interfaces such as routing (rtnetlink). */
    public static final int AF_NETLINK = value("AF_NETLINK");
    /** Linux packet sockets: raw link-layer frames. */
    public static final int AF_PACKET = value("AF_PACKET");
    /** VM sockets (host and guest communication). */
    public static final int AF_VSOCK = value("AF_VSOCK");
    /** Linux CAN bus. */
    public static final int AF_CAN = value("AF_CAN");
    /** Linux kernel crypto API. */
    public static final int AF_ALG = value("AF_ALG");
    /** TIPC cluster communication. */
    public static final int AF_TIPC = value("AF_TIPC");

    private AddressFamily() {
    }

    private static int value(String name) {
        return NetConstants.value(name, UNDEFINED);
    }

    /**
     * Names a family, e.g. {@code AF_INET6}.
     *
     * @param family a family number
     * @return its name, or {@code AF_<number>} for one selectors4j does not name
     */
    public static String name(int family) {
        if (family == AF_UNSPEC) {
            return "AF_UNSPEC";
        }
        String[] names = {"AF_UNIX", "AF_INET", "AF_INET6", "AF_NETLINK", "AF_PACKET", "AF_VSOCK", "AF_CAN", "AF_ALG", "AF_TIPC"};
        int[] values = {AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_VSOCK, AF_CAN, AF_ALG, AF_TIPC};
        for (int i = 0; i < values.length; i++) {
            if (values[i] == family && family != UNDEFINED) {
                return names[i];
            }
        }
        return "AF_" + family;
    }
}
