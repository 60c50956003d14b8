package io.github.selectors4j.net;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A membership for {@link SocketOptions#PACKET_ADD_MEMBERSHIP} ({@code struct packet_mreq}): put an
 * interface in promiscuous mode for this socket, or receive a multicast link-layer address.
 *
 * <pre>{@code
 * sniffer.setOption(SocketOptions.PACKET_ADD_MEMBERSHIP,
 *         PacketMembership.promiscuous(Interfaces.nameToIndex("veth0")));
 * }</pre>
 *
 * @param interfaceIndex the interface
 * @param type           {@link #PACKET_MR_MULTICAST}, {@link #PACKET_MR_PROMISC} or {@link #PACKET_MR_ALLMULTI}
 * @param address        the link-layer address, for {@code PACKET_MR_MULTICAST} (at most 8 bytes)
 */
public record PacketMembership(int interfaceIndex, int type, byte[] address) {

    /** Receive one multicast link-layer address. */
    public static final int PACKET_MR_MULTICAST = 0;
    /** Promiscuous mode. */
    public static final int PACKET_MR_PROMISC = 1;
    /** All multicast. */
    public static final int PACKET_MR_ALLMULTI = 2;

    /**
     * Checks the value.
     *
     * @param interfaceIndex an interface index
     * @param type           the membership type
     * @param address        up to 8 bytes (copied)
     */
    public PacketMembership {
        if (interfaceIndex <= 0) {
            throw new IllegalArgumentException("interface indexes start at 1: " + interfaceIndex);
        }
        address = Objects.requireNonNull(address, "address").clone();
        if (address.length > 8) {
            throw new IllegalArgumentException("a link-layer address here has at most 8 bytes: " + address.length);
        }
    }

    /**
     * Promiscuous mode on one interface.
     *
     * @param interfaceIndex the interface
     * @return the membership
     */
    public static PacketMembership promiscuous(int interfaceIndex) {
        return new PacketMembership(interfaceIndex, PACKET_MR_PROMISC, new byte[0]);
    }

    /**
     * The link-layer address, for {@code PACKET_MR_MULTICAST}.
     *
     * @return a copy: the record's array is never shared, so its value cannot change
     */
    @Override
    public byte[] address() {
        return address.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PacketMembership m && m.interfaceIndex == interfaceIndex && m.type == type
                && Arrays.equals(m.address, address);
    }

    @Override
    public int hashCode() {
        return Objects.hash(interfaceIndex, type, Arrays.hashCode(address));
    }

    @Override
    public String toString() {
        return "PacketMembership[if=" + interfaceIndex + ", type=" + type + ", address=" + HexFormat.of().formatHex(address) + "]";
    }
}
