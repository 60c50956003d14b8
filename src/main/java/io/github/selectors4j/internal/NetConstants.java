package io.github.selectors4j.internal;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import jnr.constants.Constant;

/**
 * Values of the socket API's constants on this platform, by C name. jnr-constants carries the
 * common ones per platform; the Linux-only ones it lacks (AF_PACKET, SOL_PACKET, netlink and
 * UDP-Lite options, SCM_*...) come from the Linux headers, used only on Linux.
 */
public final class NetConstants {

    private static final List<Class<? extends Enum<?>>> TABLES = List.of(
            jnr.constants.platform.AddressFamily.class,
            jnr.constants.platform.Sock.class,
            jnr.constants.platform.SocketLevel.class,
            jnr.constants.platform.SocketOption.class,
            jnr.constants.platform.IPProto.class,
            jnr.constants.platform.IP.class,
            jnr.constants.platform.TCP.class,
            jnr.constants.platform.SocketMessage.class,
            jnr.constants.platform.Shutdown.class);

    /** From linux/if_packet.h, linux/netlink.h, linux/udp.h, linux/in6.h, linux/socket.h, linux/vm_sockets.h. */
    private static final Map<String, Integer> LINUX = Map.ofEntries(
            Map.entry("AF_PACKET", 17),
            Map.entry("SOL_PACKET", 263),
            Map.entry("PACKET_ADD_MEMBERSHIP", 1),
            Map.entry("PACKET_DROP_MEMBERSHIP", 2),
            Map.entry("SOL_NETLINK", 270),
            Map.entry("NETLINK_ADD_MEMBERSHIP", 1),
            Map.entry("NETLINK_DROP_MEMBERSHIP", 2),
            Map.entry("IPPROTO_UDPLITE", 136),
            Map.entry("IPPROTO_SCTP", 132),
            Map.entry("UDPLITE_SEND_CSCOV", 10),
            Map.entry("UDPLITE_RECV_CSCOV", 11),
            Map.entry("IPV6_MULTICAST_IF", 17),
            Map.entry("IPV6_MULTICAST_HOPS", 18),
            Map.entry("IPV6_MULTICAST_LOOP", 19),
            Map.entry("IPV6_JOIN_GROUP", 20),
            Map.entry("IPV6_LEAVE_GROUP", 21),
            Map.entry("IPV6_V6ONLY", 26),
            Map.entry("IPV6_TCLASS", 67),
            Map.entry("SCM_RIGHTS", 1),
            Map.entry("SCM_CREDENTIALS", 2),
            Map.entry("MSG_CMSG_CLOEXEC", 0x4000_0000),
            Map.entry("SOL_ALG", 279),
            Map.entry("SOL_TIPC", 271),
            Map.entry("SOL_CAN_BASE", 100),
            Map.entry("SO_VM_SOCKETS_BUFFER_SIZE", 0));

    private NetConstants() {
    }

    /**
     * Looks a constant up.
     *
     * @param name the C name
     * @return its value here, or empty if this platform does not define it
     */
    public static OptionalInt find(String name) {
        for (Class<? extends Enum<?>> table : TABLES) {
            for (Enum<?> constant : table.getEnumConstants()) {
                if (constant.name().equals(name) && constant instanceof Constant value && value.defined()) {
                    return OptionalInt.of(value.intValue());
                }
            }
        }
        Integer linux = Platform.CURRENT.isLinux() ? LINUX.get(name) : null;
        return linux == null ? OptionalInt.empty() : OptionalInt.of(linux);
    }

    /**
     * Returns a constant's value, or {@code absent} where the platform does not define it.
     *
     * @param name   the C name
     * @param absent the value to use if undefined
     * @return the value
     */
    public static int value(String name, int absent) {
        return find(name).orElse(absent);
    }
}
