package io.github.selectors4j.net;

import java.util.Objects;

/**
 * A multicast group to join or leave with {@link SocketOptions#IP_ADD_MEMBERSHIP} (IPv4) or
 * {@link SocketOptions#IPV6_JOIN_GROUP} (IPv6).
 *
 * <pre>{@code
 * socket.setOption(SocketOptions.IP_ADD_MEMBERSHIP,
 *         MulticastMembership.of(IPv4SocketAddress.of("239.1.2.3", 0), Interfaces.nameToIndex("lo")));
 * }</pre>
 *
 * @param group            the group (its port is ignored)
 * @param interfaceAddress IPv4 only: the local address of the interface, or null
 * @param interfaceIndex   the interface index, 0 for the kernel's choice
 */
public record MulticastMembership(NativeSocketAddress group, IPv4SocketAddress interfaceAddress, int interfaceIndex) {

    /**
     * Checks the value.
     *
     * @param group            an IPv4 or IPv6 group
     * @param interfaceAddress null or a local IPv4 address
     * @param interfaceIndex   0 or an interface index
     */
    public MulticastMembership {
        Objects.requireNonNull(group, "group");
        if (!(group instanceof IPv4SocketAddress) && !(group instanceof IPv6SocketAddress)) {
            throw new IllegalArgumentException("a multicast group is an IPv4 or IPv6 address: " + group);
        }
        if (interfaceIndex < 0) {
            throw new IllegalArgumentException("interface index must not be negative: " + interfaceIndex);
        }
    }

    /**
     * A membership on the interface with this index.
     *
     * @param group          the group
     * @param interfaceIndex the interface index, 0 for the kernel's choice
     * @return the membership
     */
    public static MulticastMembership of(NativeSocketAddress group, int interfaceIndex) {
        return new MulticastMembership(group, null, interfaceIndex);
    }
}
