package io.github.selectors4j.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One routing attribute: a {@code struct rtattr} (the same layout as the generic
 * {@code struct nlattr}) and its value, as a value.
 *
 * <pre>{@code
 * // the attributes that follow a 16-byte ifinfomsg in an RTM_NEWLINK payload
 * for (NetlinkAttribute attribute : NetlinkAttribute.decodeAll(payload, 16, payload.limit() - 16)) {
 *     if (attribute.type() == Rtnetlink.IFLA_IFNAME) System.out.println(attribute.asString());
 * }
 * }</pre>
 *
 * <p>The layout is that of {@code /usr/include/linux/rtnetlink.h}:
 * {@code struct rtattr { unsigned short rta_len; unsigned short rta_type; }}, then the value, each
 * attribute starting on a 4-byte boundary ({@code RTA_ALIGN}); {@code rta_len} counts the 4-byte
 * header and the value but not the padding after it. Fields are in the machine's byte order.
 *
 * <p>The type is kept exactly as the kernel sent it, including the {@code NLA_F_NESTED} (0x8000)
 * and {@code NLA_F_NET_BYTEORDER} (0x4000) bits some families set. Nested attributes are read by
 * decoding a value again: {@code decodeAll(ByteBuffer.wrap(attribute.value()), 0, attribute.value().length)}.
 *
 * <p>{@link #decodeAll} reads untrusted bytes: it returns attributes or throws
 * {@link IllegalArgumentException}, and never reads outside the range it is given. So do the typed
 * readers: a value of the wrong size is an {@code IllegalArgumentException}.
 *
 * @param type  {@code rta_type}, 0 to 0xffff, e.g. {@link Rtnetlink#IFLA_IFNAME}
 * @param value the value, without padding, at most {@link #MAX_VALUE} bytes; a copy is kept
 */
public record NetlinkAttribute(int type, byte[] value) {

    /** {@code sizeof(struct rtattr)} ({@code RTA_LENGTH(0)}). */
    public static final int HEADER_SIZE = 4;
    /** The longest value: {@code rta_len} is 16 bits and includes the header. */
    public static final int MAX_VALUE = 0xffff - HEADER_SIZE;

    // Offsets in struct rtattr, /usr/include/linux/rtnetlink.h.
    private static final int LEN = 0;
    private static final int TYPE = 2;

    /**
     * Checks the fields and copies the value.
     *
     * @param type  {@code rta_type}, 0 to 0xffff
     * @param value the value (copied)
     * @throws IllegalArgumentException if {@code type} is not a 16-bit value or the value is longer
     *                                  than {@link #MAX_VALUE}
     */
    public NetlinkAttribute {
        NetlinkMessage.checkU16("rta_type", type);
        Objects.requireNonNull(value, "value");
        if (value.length > MAX_VALUE) {
            throw new IllegalArgumentException("rtattr value longer than " + MAX_VALUE + " bytes: " + value.length);
        }
        value = value.clone();
    }

    /**
     * An attribute holding a NUL-terminated string, as the kernel wants names ({@code IFLA_IFNAME}).
     *
     * @param type  the attribute type
     * @param value the string, written as UTF-8 followed by a NUL byte
     * @return the attribute
     * @throws IllegalArgumentException if the string holds a NUL or is too long
     */
    public static NetlinkAttribute ofString(int type, String value) {
        Objects.requireNonNull(value, "value");
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        for (byte b : text) {
            if (b == 0) {
                throw new IllegalArgumentException("attribute string contains a NUL byte: \"" + value + "\"");
            }
        }
        return new NetlinkAttribute(type, Arrays.copyOf(text, text.length + 1));
    }

    /**
     * An attribute holding a 32-bit value in the machine's byte order ({@code IFLA_MTU}...).
     *
     * @param type  the attribute type
     * @param value the value
     * @return the attribute
     */
    public static NetlinkAttribute ofInt(int type, int value) {
        byte[] bytes = new byte[4];
        ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).putInt(value);
        return new NetlinkAttribute(type, bytes);
    }

    /**
     * The value.
     *
     * @return a copy of the value bytes
     */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /**
     * The value's bytes, as Python's {@code bytes(attr)}: the same as {@link #value()}.
     *
     * @return a copy of the value bytes
     */
    public byte[] asBytes() {
        return value.clone();
    }

    /**
     * The value as a C string: the bytes before the first NUL (all of them if there is none, as the
     * kernel's own {@code nla_strscpy} accepts), decoded as UTF-8 with malformed bytes replaced.
     *
     * @return the string
     */
    public String asString() {
        int end = 0;
        while (end < value.length && value[end] != 0) {
            end++;
        }
        return new String(value, 0, end, StandardCharsets.UTF_8);
    }

    /**
     * The value as a 32-bit integer in the machine's byte order ({@code __u32} or {@code __s32}).
     *
     * @return the value; read an unsigned one with {@link Integer#toUnsignedLong(int)}
     * @throws IllegalArgumentException if the value is not exactly 4 bytes long
     */
    public int asInt() {
        checkSize(4, "a 32-bit integer");
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt();
    }

    /**
     * The value as an unsigned 8-bit integer ({@code __u8}, e.g. {@code IFLA_OPERSTATE}).
     *
     * @return 0 to 255
     * @throws IllegalArgumentException if the value is not exactly 1 byte long
     */
    public int asUnsignedByte() {
        checkSize(1, "an 8-bit integer");
        return value[0] & 0xff;
    }

    private void checkSize(int size, String what) {
        if (value.length != size) {
            throw new IllegalArgumentException("attribute " + type + " has " + value.length + " bytes, not the "
                    + size + " of " + what);
        }
    }

    /**
     * {@code rta_len}: the header and the value, without trailing padding.
     *
     * @return {@code 4 + value().length}
     */
    public int length() {
        return HEADER_SIZE + value.length;
    }

    /**
     * The bytes {@link #encode} writes: {@link #length()} rounded up to a multiple of 4.
     *
     * @return the aligned length
     */
    public int encodedSize() {
        return NetlinkMessage.align(length());
    }

    /**
     * Writes the attribute in the machine's byte order (whatever the buffer's order), followed by
     * zero padding up to a 4-byte boundary.
     *
     * @param buffer where to write; positions and limits are left alone
     * @param offset where the attribute starts
     * @return the bytes written, {@link #encodedSize()}
     * @throws IndexOutOfBoundsException if the attribute does not fit before the buffer's limit;
     *                                   nothing is written then
     */
    public int encode(ByteBuffer buffer, int offset) {
        int size = encodedSize();
        Objects.checkFromIndexSize(offset, size, Objects.requireNonNull(buffer, "buffer").limit());
        ByteBuffer out = buffer.duplicate().order(ByteOrder.nativeOrder());
        out.putShort(offset + LEN, (short) length());
        out.putShort(offset + TYPE, (short) type);
        out.put(offset + HEADER_SIZE, value);
        for (int i = length(); i < size; i++) {
            out.put(offset + i, (byte) 0);
        }
        return size;
    }

    /**
     * Reads every attribute in a range, as {@code RTA_OK}/{@code RTA_NEXT} walk it but strictly:
     * each {@code rta_len} must cover at least the header and stay inside the range, and no bytes
     * may follow the last attribute except its padding. The last attribute may lack that padding.
     *
     * @param buffer the buffer; positions and limits are left alone
     * @param offset where the first attribute starts
     * @param length how many bytes the attributes take, padding included
     * @return the attributes in order; empty for an empty range
     * @throws IllegalArgumentException if the range lies outside the buffer's limit or any length in
     *                                  it is inconsistent; the message says which and where
     */
    public static List<NetlinkAttribute> decodeAll(ByteBuffer buffer, int offset, int length) {
        NetlinkMessage.checkRange(buffer, offset, length, "rtattr list");
        ByteBuffer in = buffer.duplicate().order(ByteOrder.nativeOrder());
        List<NetlinkAttribute> attributes = new ArrayList<>();
        int end = offset + length;
        int at = offset;
        while (at < end) {
            int remaining = end - at;
            NetlinkMessage.checkHeaderFits(remaining, at - offset, HEADER_SIZE, "rtattr", "attributes");
            int attributeLength = NetlinkMessage.checkRecordLength(Short.toUnsignedInt(in.getShort(at + LEN)), remaining,
                    at - offset, HEADER_SIZE, "rta_len", "attributes");
            byte[] value = new byte[attributeLength - HEADER_SIZE];
            in.get(at + HEADER_SIZE, value);
            attributes.add(new NetlinkAttribute(Short.toUnsignedInt(in.getShort(at + TYPE)), value));
            at += Math.min(NetlinkMessage.align(attributeLength), remaining);
        }
        return attributes;
    }

    /** The first attribute of a type, or null: the lookup {@code RtLink} and {@code RtAddress} share. */
    static NetlinkAttribute first(List<NetlinkAttribute> attributes, int type) {
        for (NetlinkAttribute attribute : attributes) {
            if (attribute.type == type) {
                return attribute;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NetlinkAttribute attribute && attribute.type == type && Arrays.equals(attribute.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    /**
     * A readable form.
     *
     * @return e.g. {@code NetlinkAttribute[type=3, value=6c6f00]}
     */
    @Override
    public String toString() {
        return "NetlinkAttribute[type=" + type + ", value=" + HexFormat.of().formatHex(value) + "]";
    }
}
