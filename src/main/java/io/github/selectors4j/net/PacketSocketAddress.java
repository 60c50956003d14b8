package io.github.selectors4j.net;

import io.github.selectors4j.internal.SockaddrCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An {@code AF_PACKET} address ({@code struct sockaddr_ll}): Python's
 * {@code (ifname, proto[, pkttype[, hatype[, addr]]])} tuple, with the interface kept by index.
 *
 * <pre>{@code
 * PacketSocketAddress.of("eth0", Protocol.ETH_P_ALL);          // bind: every frame seen on eth0
 * PacketSocketAddress.of(Interfaces.nameToIndex("eth0"), Protocol.ETH_P_IP, PacketSocketAddress.PACKET_HOST,
 *         PacketSocketAddress.ARPHRD_ETHER, new byte[] {0x02, 0, 0, 0, 0, 1});   // sendto a MAC
 * }</pre>
 *
 * <p>The protocol is an Ethernet type in host order ({@link Protocol#ETH_P_ALL}, {@link Protocol#ETH_P_IP}...);
 * {@link #encode} writes it in network order, as the kernel keeps {@code sll_protocol}.
 *
 * <p>The length the kernel reports for an address is {@code 12 + sll_halen}, not
 * {@code sizeof(struct sockaddr_ll)}: {@code getsockname} on a socket bound to {@code lo} gives 18
 * bytes (6 address bytes), on an unbound socket 12. A device with a hardware address longer than
 * the struct's 8-byte {@code sll_addr} (InfiniBand's is 20) has it written on past the struct's
 * end; such addresses, up to the kernel's {@link #MAX_ADDRESS_LENGTH}, are kept whole and encode to
 * {@code 12 + length} bytes. Every other address encodes to the struct's 20 bytes, which
 * {@code bind} requires.
 *
 * <p>Two addresses are equal when interface index, protocol, packet type, hardware type and
 * hardware address all are.
 */
public final class PacketSocketAddress implements NativeSocketAddress {

    /** {@code sizeof(struct sockaddr_ll)}. */
    public static final int SIZE = 20;
    /** The kernel's {@code MAX_ADDR_LEN}: the longest hardware address of any device. */
    public static final int MAX_ADDRESS_LENGTH = 32;

    /** {@code sll_pkttype}: addressed to this host. */
    public static final int PACKET_HOST = 0;
    /** {@code sll_pkttype}: link-layer broadcast. */
    public static final int PACKET_BROADCAST = 1;
    /** {@code sll_pkttype}: link-layer multicast. */
    public static final int PACKET_MULTICAST = 2;
    /** {@code sll_pkttype}: addressed to another host, seen in promiscuous mode. */
    public static final int PACKET_OTHERHOST = 3;
    /** {@code sll_pkttype}: sent by this host (looped back to packet sockets). */
    public static final int PACKET_OUTGOING = 4;

    /** {@code sll_hatype}: Ethernet ({@code ARPHRD_ETHER}, linux/if_arp.h). */
    public static final int ARPHRD_ETHER = 1;
    /** {@code sll_hatype}: the loopback device ({@code ARPHRD_LOOPBACK}, linux/if_arp.h). */
    public static final int ARPHRD_LOOPBACK = 772;

    // Offsets in struct sockaddr_ll, /usr/include/linux/if_packet.h:
    // unsigned short sll_family; __be16 sll_protocol; int sll_ifindex; unsigned short sll_hatype;
    // unsigned char sll_pkttype; unsigned char sll_halen; unsigned char sll_addr[8];
    private static final int PROTOCOL = 2;
    private static final int IFINDEX = 4;
    private static final int HATYPE = 8;
    private static final int PKTTYPE = 10;
    private static final int HALEN = 11;
    private static final int ADDR = 12;
    private static final int ADDR_FIELD = 8;

    private static final String[] PACKET_TYPES = {"HOST", "BROADCAST", "MULTICAST", "OTHERHOST", "OUTGOING", "LOOPBACK", "USER", "KERNEL"};

    private final int ifindex;
    private final int protocol;
    private final int packetType;
    private final int hardwareType;
    private final byte[] hardwareAddress;

    private PacketSocketAddress(int ifindex, int protocol, int packetType, int hardwareType, byte[] hardwareAddress) {
        if (ifindex < 0) {
            throw new IllegalArgumentException("sll_ifindex must not be negative: " + ifindex);
        }
        if (protocol < 0 || protocol > 0xffff) {
            throw new IllegalArgumentException("sll_protocol must be 0-0xffff: " + protocol);
        }
        if (packetType < 0 || packetType > 0xff) {
            throw new IllegalArgumentException("sll_pkttype must be 0-255: " + packetType);
        }
        if (hardwareType < 0 || hardwareType > 0xffff) {
            throw new IllegalArgumentException("sll_hatype must be 0-65535: " + hardwareType);
        }
        if (hardwareAddress.length > MAX_ADDRESS_LENGTH) {
            throw new IllegalArgumentException("hardware address too long: " + hardwareAddress.length
                    + " bytes (at most " + MAX_ADDRESS_LENGTH + ")");
        }
        this.ifindex = ifindex;
        this.protocol = protocol;
        this.packetType = packetType;
        this.hardwareType = hardwareType;
        this.hardwareAddress = hardwareAddress;
    }

    /**
     * An address for {@code bind}: an interface by name and a protocol.
     *
     * @param interfaceName e.g. {@code "eth0"}
     * @param protocol      an Ethernet type in host order, 0 to 0xffff, e.g. {@link Protocol#ETH_P_ALL}
     * @return the address
     * @throws IllegalArgumentException if there is no such interface or the protocol is out of range
     */
    public static PacketSocketAddress of(String interfaceName, int protocol) {
        return of(Interfaces.nameToIndex(Objects.requireNonNull(interfaceName, "interfaceName")), protocol);
    }

    /**
     * An address for {@code bind}: an interface by index and a protocol.
     *
     * @param ifindex  the interface index; 0 binds to every interface
     * @param protocol an Ethernet type in host order, 0 to 0xffff
     * @return the address
     * @throws IllegalArgumentException for a negative index or a protocol out of range
     */
    public static PacketSocketAddress of(int ifindex, int protocol) {
        return new PacketSocketAddress(ifindex, protocol, PACKET_HOST, 0, new byte[0]);
    }

    /**
     * A full address, as {@code recvfrom} reports or {@code sendto} wants.
     *
     * @param ifindex         the interface index, 0 or more
     * @param protocol        an Ethernet type in host order, 0 to 0xffff
     * @param packetType      a {@code PACKET_*} type, 0 to 255
     * @param hardwareType    an {@code ARPHRD_*} type, 0 to 65535
     * @param hardwareAddress the link-layer address (copied), at most {@link #MAX_ADDRESS_LENGTH}
     *                        bytes; 6 for Ethernet
     * @return the address
     * @throws IllegalArgumentException naming the first value out of range
     */
    public static PacketSocketAddress of(int ifindex, int protocol, int packetType, int hardwareType, byte[] hardwareAddress) {
        return new PacketSocketAddress(ifindex, protocol, packetType, hardwareType,
                Objects.requireNonNull(hardwareAddress, "hardwareAddress").clone());
    }

    static PacketSocketAddress decode(ByteBuffer buffer, int offset, int length) {
        // Everything up to sll_halen: packet_getname on an unbound socket reports just that.
        SockaddrCodec.check(buffer, offset, length, AddressFamily.AF_PACKET, ADDR, "AF_PACKET sockaddr");
        int halen = buffer.get(offset + HALEN) & 0xff;
        if (halen > length - ADDR) {
            throw new IllegalArgumentException("AF_PACKET sockaddr says sll_halen " + halen + " but only "
                    + (length - ADDR) + " address bytes follow in its " + length + " bytes");
        }
        byte[] address = new byte[halen];
        buffer.get(offset + ADDR, address);
        int protocol = Short.toUnsignedInt(buffer.duplicate().order(ByteOrder.BIG_ENDIAN).getShort(offset + PROTOCOL));
        return new PacketSocketAddress(buffer.getInt(offset + IFINDEX), protocol, buffer.get(offset + PKTTYPE) & 0xff,
                Short.toUnsignedInt(buffer.getShort(offset + HATYPE)), address);
    }

    @Override
    public int family() {
        return AddressFamily.AF_PACKET;
    }

    /**
     * The interface index.
     *
     * @return the index; 0 for every interface
     */
    public int ifindex() {
        return ifindex;
    }

    /**
     * The interface's current name, looked up now.
     *
     * @return e.g. {@code "lo"}; {@code ""} for index 0; {@code "if<N>"} if no interface has the index
     *         any more
     */
    public String interfaceName() {
        return nameOf(ifindex);
    }

    static String nameOf(int ifindex) {
        if (ifindex == 0) {
            return "";
        }
        try {
            return Interfaces.indexToName(ifindex);
        } catch (IllegalArgumentException gone) {
            return "if" + ifindex;
        }
    }

    /**
     * The protocol.
     *
     * @return an Ethernet type in host order, e.g. {@link Protocol#ETH_P_ALL}
     */
    public int protocol() {
        return protocol;
    }

    /**
     * The packet type.
     *
     * @return a {@code PACKET_*} value
     */
    public int packetType() {
        return packetType;
    }

    /**
     * The hardware type.
     *
     * @return an {@code ARPHRD_*} value
     */
    public int hardwareType() {
        return hardwareType;
    }

    /**
     * The link-layer address, {@code sll_halen} bytes of it.
     *
     * @return a copy; empty if the address has none
     */
    public byte[] hardwareAddress() {
        return hardwareAddress.clone();
    }

    @Override
    public int encode(ByteBuffer buffer, int offset) {
        int size = ADDR + Math.max(ADDR_FIELD, hardwareAddress.length);
        Objects.checkFromIndexSize(offset, size, Objects.requireNonNull(buffer, "buffer").limit());
        ByteBuffer out = SockaddrCodec.nativeView(buffer);
        for (int i = 0; i < size; i++) {
            out.put(offset + i, (byte) 0);
        }
        SockaddrCodec.putHeader(out, offset, AddressFamily.AF_PACKET, size);
        SockaddrCodec.putShortBigEndian(out, offset + PROTOCOL, protocol);
        out.putInt(offset + IFINDEX, ifindex);
        out.putShort(offset + HATYPE, (short) hardwareType);
        out.put(offset + PKTTYPE, (byte) packetType);
        out.put(offset + HALEN, (byte) hardwareAddress.length);
        out.put(offset + ADDR, hardwareAddress);
        return size;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PacketSocketAddress packet && packet.ifindex == ifindex && packet.protocol == protocol
                && packet.packetType == packetType && packet.hardwareType == hardwareType
                && Arrays.equals(packet.hardwareAddress, hardwareAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ifindex, protocol, packetType, hardwareType, Arrays.hashCode(hardwareAddress));
    }

    /**
     * A readable form, with the interface's current name.
     *
     * @return e.g. {@code packet[lo, proto=0x0003, pkttype=OUTGOING, hatype=772, addr=00:00:00:00:00:00]}
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("packet[");
        text.append(ifindex == 0 ? "any" : interfaceName());
        text.append(", proto=0x").append(String.format("%04x", protocol));
        text.append(", pkttype=").append(packetType < PACKET_TYPES.length ? PACKET_TYPES[packetType] : String.valueOf(packetType));
        text.append(", hatype=").append(hardwareType);
        if (hardwareAddress.length > 0) {
            text.append(", addr=");
            for (int i = 0; i < hardwareAddress.length; i++) {
                text.append(i == 0 ? "" : ":").append(String.format("%02x", hardwareAddress[i] & 0xff));
            }
        }
        return text.append(']').toString();
    }
}
