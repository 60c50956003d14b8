package io.github.selectors4j.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * An interface address as an {@link Rtnetlink#RTM_NEWADDR} or {@link Rtnetlink#RTM_DELADDR}
 * message describes it: the {@code struct ifaddrmsg} and the attributes after it.
 *
 * <pre>{@code
 * if (message.type() == Rtnetlink.RTM_NEWADDR) {
 *     RtAddress address = RtAddress.decode(message);
 *     System.out.println(address.address() + "/" + address.prefixLength() + " on " + address.index());  // 10.0.0.1/24 on 2
 * }
 * }</pre>
 *
 * <p>The layout is that of {@code /usr/include/linux/if_addr.h}: {@code struct ifaddrmsg { __u8
 * ifa_family; __u8 ifa_prefixlen; __u8 ifa_flags; __u8 ifa_scope; __u32 ifa_index; }} (8 bytes,
 * so the attributes start right after it at {@code NLMSG_ALIGN(8)}), in the machine's byte order.
 * Attribute types are the {@code IFA_*} of the same header.
 *
 * <p>Decoding is strict and total: malformed bytes, including an {@code AF_INET} address attribute
 * that is not 4 bytes or an {@code AF_INET6} one that is not 16, give
 * {@link IllegalArgumentException}, so the accessors of a decoded address never fail.
 *
 * @param family       {@code ifa_family}, 0 to 255: {@link AddressFamily#AF_INET} or {@link AddressFamily#AF_INET6}
 * @param prefixLength {@code ifa_prefixlen}, 0 to 255 (24 for a /24)
 * @param flags        {@code ifa_flags}, 0 to 255 ({@code IFA_F_*}; the kernel also sends all 32
 *                     bits in an {@code IFA_FLAGS} attribute)
 * @param scope        {@code ifa_scope}, 0 to 255 (0 universe, 253 link, 254 host)
 * @param index        {@code ifa_index}, the interface index
 * @param attributes   the {@code IFA_*} attributes in the order sent
 */
public record RtAddress(int family, int prefixLength, int flags, int scope, int index, List<NetlinkAttribute> attributes) {

    /**
     * Checks the fields and copies the attribute list.
     *
     * @param family       {@code ifa_family}, 0 to 255
     * @param prefixLength {@code ifa_prefixlen}, 0 to 255
     * @param flags        {@code ifa_flags}, 0 to 255
     * @param scope        {@code ifa_scope}, 0 to 255
     * @param index        {@code ifa_index}
     * @param attributes   the attributes (copied)
     * @throws IllegalArgumentException if a field is out of its C type's range, or an IPv4 or IPv6
     *                                  address attribute has the wrong size
     */
    public RtAddress {
        Objects.requireNonNull(attributes, "attributes");
        checkU8("ifa_family", family);
        checkU8("ifa_prefixlen", prefixLength);
        checkU8("ifa_flags", flags);
        checkU8("ifa_scope", scope);
        attributes = List.copyOf(attributes);
        int size = family == AddressFamily.AF_INET ? 4 : family == AddressFamily.AF_INET6 ? 16 : -1;
        // Validated once here so that address() cannot throw later.
        for (NetlinkAttribute attribute : attributes) {
            boolean isAddress = attribute.type() == Rtnetlink.IFA_ADDRESS || attribute.type() == Rtnetlink.IFA_LOCAL;
            if (isAddress && size > 0 && attribute.length() - NetlinkAttribute.HEADER_SIZE != size) {
                throw new IllegalArgumentException("address attribute " + attribute.type() + " of an "
                        + AddressFamily.name(family) + " address has " + (attribute.length() - NetlinkAttribute.HEADER_SIZE)
                        + " bytes, not " + size);
            }
        }
    }

    private static void checkU8(String field, int value) {
        if (value < 0 || value > 0xff) {
            throw new IllegalArgumentException(field + " must be 0-255: " + value);
        }
    }

    /**
     * Decodes the payload of an address message.
     *
     * @param message an {@link Rtnetlink#RTM_NEWADDR} or {@link Rtnetlink#RTM_DELADDR} message
     * @return the address
     * @throws IllegalArgumentException for another message type or a malformed payload
     */
    public static RtAddress decode(NetlinkMessage message) {
        Objects.requireNonNull(message, "message");
        if (message.type() != Rtnetlink.RTM_NEWADDR && message.type() != Rtnetlink.RTM_DELADDR) {
            throw new IllegalArgumentException("not an RTM_NEWADDR (20) or RTM_DELADDR (21) message but type " + message.type());
        }
        byte[] payload = message.payload();
        return decode(ByteBuffer.wrap(payload), 0, payload.length);
    }

    /**
     * Decodes an address message's payload: an {@code ifaddrmsg} and attributes.
     *
     * @param buffer the buffer; positions, limits and byte order are left alone (fields are read in
     *               the machine's order)
     * @param offset where the {@code ifaddrmsg} starts
     * @param length the payload's length ({@code nlmsg_len - 16})
     * @return the address
     * @throws IllegalArgumentException if the range lies outside the buffer, is shorter than an
     *                                  {@code ifaddrmsg}, or holds malformed attributes
     */
    public static RtAddress decode(ByteBuffer buffer, int offset, int length) {
        NetlinkMessage.checkRange(buffer, offset, length, "address message payload");
        if (length < Rtnetlink.IFADDRMSG_SIZE) {
            throw new IllegalArgumentException("address message payload of " + length + " bytes is shorter than the "
                    + Rtnetlink.IFADDRMSG_SIZE + "-byte struct ifaddrmsg");
        }
        ByteBuffer in = buffer.duplicate().order(ByteOrder.nativeOrder());
        List<NetlinkAttribute> attributes = NetlinkAttribute.decodeAll(buffer, offset + Rtnetlink.IFADDRMSG_SIZE,
                length - Rtnetlink.IFADDRMSG_SIZE);
        return new RtAddress(in.get(offset) & 0xff, in.get(offset + 1) & 0xff, in.get(offset + 2) & 0xff,
                in.get(offset + 3) & 0xff, in.getInt(offset + 4), attributes);
    }

    /**
     * The first attribute of a type.
     *
     * @param attributeType an {@code IFA_*} value
     * @return the attribute, or null if the message has none of that type
     */
    public NetlinkAttribute attribute(int attributeType) {
        return NetlinkAttribute.first(attributes, attributeType);
    }

    /**
     * The interface's own address, as {@code ip address} shows it: {@link Rtnetlink#IFA_LOCAL} if
     * the message has it, else {@link Rtnetlink#IFA_ADDRESS}. (The two differ only on
     * point-to-point links, where {@code IFA_ADDRESS} is the peer; IPv6 messages usually carry
     * {@code IFA_ADDRESS} alone.)
     *
     * @return dotted for IPv4 ({@code "10.0.0.1"}), compressed for IPv6 ({@code "fe80::1"}),
     *         colon-separated hex bytes for other families; null if the message carries neither
     */
    public String address() {
        NetlinkAttribute address = attribute(Rtnetlink.IFA_LOCAL);
        if (address == null) {
            address = attribute(Rtnetlink.IFA_ADDRESS);
        }
        if (address == null) {
            return null;
        }
        byte[] bytes = address.value();
        if (family == AddressFamily.AF_INET) {
            return IPv4SocketAddress.of(bytes, 0).host();
        }
        if (family == AddressFamily.AF_INET6) {
            return IPv6SocketAddress.of(bytes, 0, 0, 0).host();
        }
        return HexFormat.ofDelimiter(":").formatHex(bytes);
    }

    /**
     * The label ({@link Rtnetlink#IFA_LABEL}): the interface name, or {@code name:alias} for an
     * IPv4 alias.
     *
     * @return the label; null if the message has none (IPv6 addresses have none)
     */
    public String label() {
        NetlinkAttribute label = attribute(Rtnetlink.IFA_LABEL);
        return label == null ? null : label.asString();
    }

    /**
     * A readable form.
     *
     * @return e.g. {@code RtAddress[10.0.0.1/24, index=2, label=eth0, scope=0, 5 attributes]}
     */
    @Override
    public String toString() {
        return "RtAddress[" + address() + "/" + prefixLength + ", index=" + index + ", label=" + label() + ", scope=" + scope
                + ", " + attributes.size() + " attributes]";
    }
}
