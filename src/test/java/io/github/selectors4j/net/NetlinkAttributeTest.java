package io.github.selectors4j.net;

import static io.github.selectors4j.net.NetlinkMessageTest.filled;
import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link NetlinkAttribute}: struct rtattr of linux/rtnetlink.h, built by hand byte by byte. */
class NetlinkAttributeTest {

    /** Writes an rtattr header by hand: u16 rta_len, u16 rta_type. */
    static void rtattr(ByteBuffer buffer, int at, int length, int type) {
        buffer.putShort(at, (short) length);
        buffer.putShort(at + 2, (short) type);
    }

    @Test
    void decodesAttributesOnFourByteBoundaries() {
        ByteBuffer buffer = filled(48);
        rtattr(buffer, 2, 7, 3);                 // IFLA_IFNAME "lo\0", 1 padding byte
        buffer.put(6, new byte[] {'l', 'o', 0, 0});
        rtattr(buffer, 10, 8, 4);                // IFLA_MTU 65536
        buffer.putInt(14, 65536);
        rtattr(buffer, 18, 5, 16);               // IFLA_OPERSTATE, a u8, 3 padding bytes
        buffer.put(22, new byte[] {6, 0, 0, 0});
        rtattr(buffer, 26, 4, 0x8000 | 18);      // an empty nested attribute (NLA_F_NESTED kept)

        List<NetlinkAttribute> attributes = NetlinkAttribute.decodeAll(buffer, 2, 28);
        assertEquals(4, attributes.size());
        assertEquals(new NetlinkAttribute(3, new byte[] {'l', 'o', 0}), attributes.get(0));
        assertEquals("lo", attributes.get(0).asString());
        assertEquals(65536, attributes.get(1).asInt());
        assertEquals(6, attributes.get(2).asUnsignedByte());
        assertEquals(0x8012, attributes.get(3).type());
        assertEquals(0, attributes.get(3).value().length);
    }

    @Test
    void encodesTheHeaderTheValueAndZeroPadding() {
        ByteBuffer actual = filled(20);
        assertEquals(8, NetlinkAttribute.ofString(3, "eth").encode(actual, 1));

        ByteBuffer expected = filled(20);
        rtattr(expected, 1, 8, 3);
        expected.put(5, new byte[] {'e', 't', 'h', 0});
        assertEquals(HexFormat.of().formatHex(expected.array()), HexFormat.of().formatHex(actual.array()));

        ByteBuffer padded = filled(12);
        assertEquals(8, new NetlinkAttribute(16, new byte[] {6}).encode(padded, 0));
        ByteBuffer expectedPadded = filled(12);
        rtattr(expectedPadded, 0, 5, 16);
        expectedPadded.put(4, new byte[] {6, 0, 0, 0});
        assertEquals(HexFormat.of().formatHex(expectedPadded.array()), HexFormat.of().formatHex(padded.array()),
                "rta_len 5, then 3 zero padding bytes, and nothing after");
        assertThrows(IndexOutOfBoundsException.class, () -> NetlinkAttribute.ofInt(4, 1).encode(filled(10), 3));
    }

    @Test
    void roundTrips() {
        List<NetlinkAttribute> attributes = List.of(NetlinkAttribute.ofString(3, "s4j0"), NetlinkAttribute.ofInt(4, 1500),
                new NetlinkAttribute(16, new byte[] {2}), new NetlinkAttribute(0xffff, new byte[0]));
        ByteBuffer buffer = ByteBuffer.allocate(64);
        int at = 0;
        for (NetlinkAttribute attribute : attributes) {
            at += attribute.encode(buffer, at);
        }
        assertEquals(12 + 8 + 8 + 4, at);
        assertEquals(attributes, NetlinkAttribute.decodeAll(buffer, 0, at));
        ByteOrder other = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        assertEquals(attributes, NetlinkAttribute.decodeAll(buffer.order(other), 0, at), "whatever the buffer's byte order");
    }

    @Test
    void theLastAttributeMayLackItsPadding() {
        ByteBuffer buffer = filled(5);
        rtattr(buffer, 0, 5, 16);
        buffer.put(4, (byte) 2);
        assertEquals(List.of(new NetlinkAttribute(16, new byte[] {2})), NetlinkAttribute.decodeAll(buffer, 0, 5));
        assertEquals(List.of(), NetlinkAttribute.decodeAll(buffer, 0, 0));
    }

    @Test
    void refusesInconsistentLengths() {
        ByteBuffer buffer = filled(32);
        for (int length : new int[] {0, 1, 3}) {
            rtattr(buffer, 0, length, 3);
            assertThrowsWithMessage(IllegalArgumentException.class, "rta_len " + length + " at offset 0 is shorter than the 4-byte header",
                    () -> NetlinkAttribute.decodeAll(buffer, 0, 32));
        }
        rtattr(buffer, 0, 17, 3);
        assertThrowsWithMessage(IllegalArgumentException.class, "rta_len 17 at offset 0 runs past the end of the attributes (16 bytes left)",
                () -> NetlinkAttribute.decodeAll(buffer, 0, 16));
        rtattr(buffer, 0, 0xffff, 3);
        assertThrowsWithMessage(IllegalArgumentException.class, "rta_len 65535", () -> NetlinkAttribute.decodeAll(buffer, 0, 32));
        rtattr(buffer, 0, 8, 3);
        rtattr(buffer, 8, 12, 3);
        assertThrowsWithMessage(IllegalArgumentException.class, "rta_len 12 at offset 8 runs past",
                () -> NetlinkAttribute.decodeAll(buffer, 0, 16));
        for (int extra = 1; extra < 4; extra++) {
            int length = 8 + extra;
            assertThrowsWithMessage(IllegalArgumentException.class, extra + " bytes left at offset 8 of the attributes, too few",
                    () -> NetlinkAttribute.decodeAll(buffer, 0, length));
        }
    }

    @Test
    void refusesRangesOutsideTheBuffer() {
        ByteBuffer buffer = filled(16);
        assertThrowsWithMessage(IllegalArgumentException.class, "does not fit a buffer of 16", () -> NetlinkAttribute.decodeAll(buffer, 8, 9));
        assertThrows(IllegalArgumentException.class, () -> NetlinkAttribute.decodeAll(buffer, -4, 4));
        assertThrows(IllegalArgumentException.class, () -> NetlinkAttribute.decodeAll(buffer, 0, -4));
        assertThrows(IllegalArgumentException.class, () -> NetlinkAttribute.decodeAll(buffer, 1, Integer.MAX_VALUE));
    }

    @Test
    void typedReadersCheckTheSize() {
        assertThrowsWithMessage(IllegalArgumentException.class, "attribute 4 has 3 bytes, not the 4 of a 32-bit integer",
                () -> new NetlinkAttribute(4, new byte[3]).asInt());
        assertThrowsWithMessage(IllegalArgumentException.class, "attribute 16 has 4 bytes, not the 1 of an 8-bit integer",
                () -> new NetlinkAttribute(16, new byte[4]).asUnsignedByte());
        assertEquals(-2, NetlinkAttribute.ofInt(4, -2).asInt());
        assertEquals(255, new NetlinkAttribute(16, new byte[] {-1}).asUnsignedByte());
    }

    @Test
    void stringsEndAtTheFirstNulOrTheValue() {
        assertEquals("lo", new NetlinkAttribute(3, new byte[] {'l', 'o', 0, 'x'}).asString());
        assertEquals("lo", new NetlinkAttribute(3, new byte[] {'l', 'o'}).asString(), "unterminated, as nla_strscpy allows");
        assertEquals("", new NetlinkAttribute(3, new byte[0]).asString());
        assertEquals("\ufffd", new NetlinkAttribute(3, new byte[] {(byte) 0xff, 0}).asString(), "malformed UTF-8 is replaced");
        assertArrayEquals(new byte[] {'a', 0}, NetlinkAttribute.ofString(3, "a").asBytes());
        assertThrowsWithMessage(IllegalArgumentException.class, "NUL", () -> NetlinkAttribute.ofString(3, "a\0b"));
    }

    @Test
    void constructorChecksRanges() {
        assertThrowsWithMessage(IllegalArgumentException.class, "rta_type must be 0-0xffff: 65536", () -> new NetlinkAttribute(0x10000, new byte[0]));
        assertThrowsWithMessage(IllegalArgumentException.class, "longer than 65531 bytes: 65532",
                () -> new NetlinkAttribute(1, new byte[0xffff - 3]));
        assertEquals(0xffff, new NetlinkAttribute(1, new byte[NetlinkAttribute.MAX_VALUE]).length());
    }

    @Test
    void isAValueThatKeepsItsBytesToItself() {
        byte[] value = {1, 2};
        NetlinkAttribute attribute = new NetlinkAttribute(7, value);
        value[0] = 9;
        attribute.value()[1] = 9;
        attribute.asBytes()[1] = 9;
        assertEquals(new NetlinkAttribute(7, new byte[] {1, 2}), attribute);
        assertEquals(new NetlinkAttribute(7, new byte[] {1, 2}).hashCode(), attribute.hashCode());
        assertNotEquals(new NetlinkAttribute(8, new byte[] {1, 2}), attribute);
        assertEquals("NetlinkAttribute[type=7, value=0102]", attribute.toString());
    }
}
