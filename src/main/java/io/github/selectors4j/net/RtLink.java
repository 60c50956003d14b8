package io.github.selectors4j.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * A network link as an {@link Rtnetlink#RTM_NEWLINK} or {@link Rtnetlink#RTM_DELLINK} message
 * describes it: the {@code struct ifinfomsg} and the attributes after it.
 *
 * <pre>{@code
 * for (NetlinkMessage message : NetlinkMessage.decodeAll(buffer, 0, received.bytes())) {
 *     if (message.type() == Rtnetlink.RTM_NEWLINK) {
 *         RtLink link = RtLink.decode(message);
 *         System.out.println(link.index() + ": " + link.name() + (link.isUp() ? " UP" : "") + " mtu " + link.mtu());
 *     }
 * }
 * }</pre>
 *
 * <p>The layout is that of {@code /usr/include/linux/rtnetlink.h}: {@code struct ifinfomsg {
 * unsigned char ifi_family; unsigned char __ifi_pad; unsigned short ifi_type; int ifi_index;
 * unsigned ifi_flags; unsigned ifi_change; }} (16 bytes, so the attributes start right after it at
 * {@code NLMSG_ALIGN(16)}), in the machine's byte order. Attribute types are the {@code IFLA_*} of
 * {@code linux/if_link.h}.
 *
 * <p>Decoding is strict and total: malformed bytes, including an {@code IFLA_MTU} that is not 4
 * bytes or an {@code IFLA_OPERSTATE} that is not 1, give {@link IllegalArgumentException}, so the
 * accessors of a decoded link never fail.
 *
 * @param family     {@code ifi_family}, 0 to 255 (usually {@code AF_UNSPEC})
 * @param type       {@code ifi_type}, an {@code ARPHRD_*} hardware type, 0 to 0xffff (772 for loopback)
 * @param index      {@code ifi_index}, the interface index
 * @param flags      {@code ifi_flags}, {@code IFF_*} bits such as {@link Rtnetlink#IFF_UP}
 * @param change     {@code ifi_change}, the flags that changed (the kernel often sends all ones or 0)
 * @param attributes the {@code IFLA_*} attributes in the order sent
 */
public record RtLink(int family, int type, int index, int flags, int change, List<NetlinkAttribute> attributes) {

    /**
     * Checks the fields and copies the attribute list.
     *
     * @param family     {@code ifi_family}, 0 to 255
     * @param type       {@code ifi_type}, 0 to 0xffff
     * @param index      {@code ifi_index}
     * @param flags      {@code ifi_flags}
     * @param change     {@code ifi_change}
     * @param attributes the attributes (copied)
     * @throws IllegalArgumentException if a field is out of its C type's range or a known attribute
     *                                  has the wrong size
     */
    public RtLink {
        Objects.requireNonNull(attributes, "attributes");
        if (family < 0 || family > 0xff) {
            throw new IllegalArgumentException("ifi_family must be 0-255: " + family);
        }
        NetlinkMessage.checkU16("ifi_type", type);
        attributes = List.copyOf(attributes);
        // Validated once here so that mtu() and operState() cannot throw later.
        for (NetlinkAttribute attribute : attributes) {
            if (attribute.type() == Rtnetlink.IFLA_MTU) {
                attribute.asInt();
            } else if (attribute.type() == Rtnetlink.IFLA_OPERSTATE) {
                attribute.asUnsignedByte();
            }
        }
    }

    /**
     * Decodes the payload of a link message.
     *
     * @param message an {@link Rtnetlink#RTM_NEWLINK} or {@link Rtnetlink#RTM_DELLINK} message
     * @return the link
     * @throws IllegalArgumentException for another message type or a malformed payload
     */
    public static RtLink decode(NetlinkMessage message) {
        Objects.requireNonNull(message, "message");
        if (message.type() != Rtnetlink.RTM_NEWLINK && message.type() != Rtnetlink.RTM_DELLINK) {
            throw new IllegalArgumentException("not an RTM_NEWLINK (16) or RTM_DELLINK (17) message but type " + message.type());
        }
        byte[] payload = message.payload();
        return decode(ByteBuffer.wrap(payload), 0, payload.length);
    }

    /**
     * Decodes a link message's payload: an {@code ifinfomsg} and attributes.
     *
     * @param buffer the buffer; positions, limits and byte order are left alone (fields are read in
     *               the machine's order)
     * @param offset where the {@code ifinfomsg} starts
     * @param length the payload's length ({@code nlmsg_len - 16})
     * @return the link
     * @throws IllegalArgumentException if the range lies outside the buffer, is shorter than an
     *                                  {@code ifinfomsg}, or holds malformed attributes
     */
    public static RtLink decode(ByteBuffer buffer, int offset, int length) {
        NetlinkMessage.checkRange(buffer, offset, length, "link message payload");
        if (length < Rtnetlink.IFINFOMSG_SIZE) {
            throw new IllegalArgumentException("link message payload of " + length + " bytes is shorter than the "
                    + Rtnetlink.IFINFOMSG_SIZE + "-byte struct ifinfomsg");
        }
        ByteBuffer in = buffer.duplicate().order(ByteOrder.nativeOrder());
        // Offsets in struct ifinfomsg; byte 1 is __ifi_pad.
        int family = in.get(offset) & 0xff;
        int type = Short.toUnsignedInt(in.getShort(offset + 2));
        int index = in.getInt(offset + 4);
        int flags = in.getInt(offset + 8);
        int change = in.getInt(offset + 12);
        List<NetlinkAttribute> attributes = NetlinkAttribute.decodeAll(buffer, offset + Rtnetlink.IFINFOMSG_SIZE,
                length - Rtnetlink.IFINFOMSG_SIZE);
        return new RtLink(family, type, index, flags, change, attributes);
    }

    /**
     * The first attribute of a type.
     *
     * @param attributeType an {@code IFLA_*} value
     * @return the attribute, or null if the message has none of that type
     */
    public NetlinkAttribute attribute(int attributeType) {
        return NetlinkAttribute.first(attributes, attributeType);
    }

    /**
     * The link's name ({@link Rtnetlink#IFLA_IFNAME}).
     *
     * @return e.g. {@code "lo"}; null if the message does not carry it
     */
    public String name() {
        NetlinkAttribute name = attribute(Rtnetlink.IFLA_IFNAME);
        return name == null ? null : name.asString();
    }

    /**
     * The MTU ({@link Rtnetlink#IFLA_MTU}).
     *
     * @return the MTU in bytes; -1 if the message does not carry it
     */
    public int mtu() {
        NetlinkAttribute mtu = attribute(Rtnetlink.IFLA_MTU);
        return mtu == null ? -1 : mtu.asInt();
    }

    /**
     * The RFC 2863 operational state ({@link Rtnetlink#IFLA_OPERSTATE}).
     *
     * @return an {@code IF_OPER_*} value such as {@link Rtnetlink#IF_OPER_UP}; -1 if the message
     *         does not carry it
     */
    public int operState() {
        NetlinkAttribute state = attribute(Rtnetlink.IFLA_OPERSTATE);
        return state == null ? -1 : state.asUnsignedByte();
    }

    /**
     * Whether the link is administratively up ({@link Rtnetlink#IFF_UP}); it may still lack a carrier.
     *
     * @return true if {@code IFF_UP} is set
     */
    public boolean isUp() {
        return (flags & Rtnetlink.IFF_UP) != 0;
    }

    /**
     * A readable form.
     *
     * @return e.g. {@code RtLink[index=1, name=lo, type=772, flags=0x10049, mtu=65536, operState=0, 9 attributes]}
     */
    @Override
    public String toString() {
        return "RtLink[index=" + index + ", name=" + name() + ", type=" + type + ", flags=0x" + Integer.toHexString(flags)
                + ", mtu=" + mtu() + ", operState=" + operState() + ", " + attributes.size() + " attributes]";
    }
}
