package io.github.selectors4j.net;

import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link NetlinkMessage}: struct nlmsghdr of linux/netlink.h, built by hand byte by byte. */
class NetlinkMessageTest {

    private static final byte SENTINEL = 0x5a;

    /** A native-order buffer of sentinel bytes: bytes an encoder must not touch show. */
    static ByteBuffer filled(int size) {
        ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
        for (int i = 0; i < size; i++) {
            buffer.put(i, SENTINEL);
        }
        return buffer;
    }

    /** Writes a header by hand: u32 nlmsg_len, u16 nlmsg_type, u16 nlmsg_flags, u32 nlmsg_seq, u32 nlmsg_pid. */
    static void header(ByteBuffer buffer, int at, int length, int type, int flags, int seq, int pid) {
        buffer.putInt(at, length);
        buffer.putShort(at + 4, (short) type);
        buffer.putShort(at + 6, (short) flags);
        buffer.putInt(at + 8, seq);
        buffer.putInt(at + 12, pid);
    }

    @Test
    void constantsAreThoseOfNetlinkH() {
        assertEquals(1, NetlinkMessage.NLMSG_NOOP);
        assertEquals(2, NetlinkMessage.NLMSG_ERROR);
        assertEquals(3, NetlinkMessage.NLMSG_DONE);
        assertEquals(1, NetlinkMessage.NLM_F_REQUEST);
        assertEquals(2, NetlinkMessage.NLM_F_MULTI);
        assertEquals(4, NetlinkMessage.NLM_F_ACK);
        assertEquals(0x100, NetlinkMessage.NLM_F_ROOT);
        assertEquals(0x200, NetlinkMessage.NLM_F_MATCH);
        assertEquals(0x300, NetlinkMessage.NLM_F_DUMP);
        assertEquals(16, NetlinkMessage.HEADER_SIZE);
    }

    @Test
    void encodesTheHeaderThePayloadAndZeroPadding() {
        NetlinkMessage message = new NetlinkMessage(0xfedc, 0x8301, 0x8765_4321, 0x9abc_def0, new byte[] {1, 2, 3, 4, 5});
        ByteBuffer actual = filled(40);
        assertEquals(24, message.encode(actual, 3), "21 bytes rounded up to 24");
        assertEquals(21, message.length());
        assertEquals(24, message.encodedSize());

        ByteBuffer expected = filled(40);
        header(expected, 3, 21, 0xfedc, 0x8301, 0x8765_4321, 0x9abc_def0);
        expected.put(19, new byte[] {1, 2, 3, 4, 5, 0, 0, 0});
        assertEquals(HexFormat.of().formatHex(expected.array()), HexFormat.of().formatHex(actual.array()));
    }

    @Test
    void encodesInNativeOrderWhateverTheBufferOrder() {
        ByteBuffer bigEndian = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
        new NetlinkMessage(3, 2, 7, 9, new byte[0]).encode(bigEndian, 0);
        assertEquals(ByteOrder.BIG_ENDIAN, bigEndian.order(), "the buffer's order is left alone");
        ByteBuffer nativeView = bigEndian.duplicate().order(ByteOrder.nativeOrder());
        assertEquals(16, nativeView.getInt(0));
        assertEquals(3, nativeView.getShort(4));
        assertEquals(7, nativeView.getInt(8));
    }

    @Test
    void encodeRefusesATooSmallBufferBeforeWriting() {
        ByteBuffer small = filled(30);
        NetlinkMessage message = new NetlinkMessage(16, 0, 0, 0, new byte[12]);
        assertThrows(IndexOutOfBoundsException.class, () -> message.encode(small, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> message.encode(small, -1));
        assertEquals(filled(30), small, "nothing written");
    }

    @Test
    void decodesADatagramOfSeveralMessages() {
        ByteBuffer datagram = filled(80);
        header(datagram, 4, 22, 16, 0x2, 5, 0);          // 6-byte payload, then 2 padding bytes
        datagram.put(20, new byte[] {10, 11, 12, 13, 14, 15, 0, 0});
        header(datagram, 28, 20, 3, 0x2, 5, 0);          // NLMSG_DONE with its int
        datagram.putInt(44, 0);
        header(datagram, 48, 16, 1, 0, 6, 42);           // NLMSG_NOOP, no payload

        List<NetlinkMessage> messages = NetlinkMessage.decodeAll(datagram, 4, 60);
        assertEquals(List.of(
                new NetlinkMessage(16, 2, 5, 0, new byte[] {10, 11, 12, 13, 14, 15}),
                new NetlinkMessage(3, 2, 5, 0, new byte[4]),
                new NetlinkMessage(1, 0, 6, 42, new byte[0])), messages);
        assertEquals(ByteOrder.nativeOrder(), datagram.order());
        assertEquals(0, datagram.position(), "the buffer's position is left alone");
    }

    @Test
    void decodesInNativeOrderWhateverTheBufferOrder() {
        ByteBuffer datagram = filled(16);
        header(datagram, 0, 16, 0x1234, 0x0304, 0x0a0b0c0d, 77);
        NetlinkMessage message = NetlinkMessage.decodeAll(datagram.order(ByteOrder.BIG_ENDIAN), 0, 16).get(0);
        assertEquals(0x1234, message.type());
        assertEquals(0x0304, message.flags());
        assertEquals(0x0a0b0c0d, message.sequence());
        assertEquals(77, message.pid());
    }

    @Test
    void theLastMessageMayLackItsPadding() {
        ByteBuffer datagram = filled(17);
        header(datagram, 0, 17, 16, 0, 0, 0);
        assertEquals(1, NetlinkMessage.decodeAll(datagram, 0, 17).get(0).payload().length);
        assertEquals(List.of(), NetlinkMessage.decodeAll(datagram, 0, 0), "an empty datagram has no messages");
    }

    @Test
    void unsignedFieldsStayUnsigned() {
        ByteBuffer datagram = filled(16);
        header(datagram, 0, 16, 0xffff, 0xffff, -1, -1);
        NetlinkMessage message = NetlinkMessage.decodeAll(datagram, 0, 16).get(0);
        assertEquals(0xffff, message.type());
        assertEquals(0xffff, message.flags());
        assertEquals("NetlinkMessage[type=65535, flags=0xffff, seq=4294967295, pid=4294967295, payload=]", message.toString());
    }

    @Test
    void refusesLengthsShorterThanTheHeader() {
        for (int length : new int[] {0, 1, 15}) {
            ByteBuffer datagram = filled(32);
            header(datagram, 0, length, 16, 0, 0, 0);
            assertThrowsWithMessage(IllegalArgumentException.class, "nlmsg_len " + length + " at offset 0 is shorter",
                    () -> NetlinkMessage.decodeAll(datagram, 0, 32));
        }
    }

    @Test
    void refusesLengthsPastTheDatagram() {
        ByteBuffer datagram = filled(64);
        header(datagram, 0, 33, 16, 0, 0, 0);
        assertThrowsWithMessage(IllegalArgumentException.class, "nlmsg_len 33 at offset 0 runs past the end of the datagram (32 bytes left)",
                () -> NetlinkMessage.decodeAll(datagram, 0, 32));
        header(datagram, 0, -1, 16, 0, 0, 0);
        assertThrowsWithMessage(IllegalArgumentException.class, "nlmsg_len 4294967295",
                () -> NetlinkMessage.decodeAll(datagram, 0, 64));
        header(datagram, 0, Integer.MIN_VALUE, 16, 0, 0, 0);
        assertThrowsWithMessage(IllegalArgumentException.class, "nlmsg_len 2147483648",
                () -> NetlinkMessage.decodeAll(datagram, 0, 64));
        header(datagram, 0, 16, 16, 0, 0, 0);
        header(datagram, 16, 40, 16, 0, 0, 0);
        assertThrowsWithMessage(IllegalArgumentException.class, "nlmsg_len 40 at offset 16 runs past",
                () -> NetlinkMessage.decodeAll(datagram, 0, 48));
    }

    @Test
    void refusesTrailingBytesAndTruncatedHeaders() {
        ByteBuffer datagram = filled(64);
        header(datagram, 0, 16, 3, 0, 0, 0);
        for (int extra = 1; extra < 16; extra++) {
            int length = 16 + extra;
            assertThrowsWithMessage(IllegalArgumentException.class, extra + " bytes left at offset 16 of the datagram, too few",
                    () -> NetlinkMessage.decodeAll(datagram, 0, length));
        }
        assertThrowsWithMessage(IllegalArgumentException.class, "15 bytes left at offset 0",
                () -> NetlinkMessage.decodeAll(datagram, 0, 15));
    }

    @Test
    void refusesRangesOutsideTheBuffer() {
        ByteBuffer datagram = filled(32).limit(20);
        header(datagram, 0, 16, 3, 0, 0, 0);
        assertThrowsWithMessage(IllegalArgumentException.class, "does not fit a buffer of 20",
                () -> NetlinkMessage.decodeAll(datagram, 0, 21));
        assertThrowsWithMessage(IllegalArgumentException.class, "at offset -1",
                () -> NetlinkMessage.decodeAll(datagram, -1, 16));
        assertThrowsWithMessage(IllegalArgumentException.class, "of -1 bytes",
                () -> NetlinkMessage.decodeAll(datagram, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> NetlinkMessage.decodeAll(datagram, Integer.MAX_VALUE, 16));
        assertThrows(IllegalArgumentException.class, () -> NetlinkMessage.decodeAll(datagram, 16, Integer.MAX_VALUE));
    }

    @Test
    void neverReadsPastTheRangeEvenWhenTheBufferGoesOn() {
        ByteBuffer datagram = filled(64);
        header(datagram, 0, 48, 16, 0, 0, 0);    // says 48 bytes; the range says 32
        assertThrows(IllegalArgumentException.class, () -> NetlinkMessage.decodeAll(datagram, 0, 32));
    }

    @Test
    void errorCodeIsTheFirstIntOfNlmsgerr() {
        ByteBuffer datagram = filled(36);
        header(datagram, 0, 36, NetlinkMessage.NLMSG_ERROR, 0, 9, 0);
        datagram.putInt(16, -13);                         // -EACCES, then the request's header
        header(datagram, 20, 16, 18, 0x301, 9, 0);
        NetlinkMessage error = NetlinkMessage.decodeAll(datagram, 0, 36).get(0);
        assertEquals(-13, error.errorCode());
        assertEquals(0, new NetlinkMessage(NetlinkMessage.NLMSG_ERROR, 0, 0, 0, new byte[20]).errorCode(), "an ACK");
        assertThrowsWithMessage(IllegalStateException.class, "not an NLMSG_ERROR message but type 3",
                () -> new NetlinkMessage(NetlinkMessage.NLMSG_DONE, 0, 0, 0, new byte[4]).errorCode());
    }

    @Test
    void aShortErrorMessageIsRefusedAtDecoding() {
        ByteBuffer datagram = filled(20);
        header(datagram, 0, 19, NetlinkMessage.NLMSG_ERROR, 0, 0, 0);
        assertThrowsWithMessage(IllegalArgumentException.class, "NLMSG_ERROR payload must hold a 4-byte error code, has 3 bytes",
                () -> NetlinkMessage.decodeAll(datagram, 0, 20));
    }

    @Test
    void constructorChecksRanges() {
        assertThrowsWithMessage(IllegalArgumentException.class, "nlmsg_type must be 0-0xffff: 65536",
                () -> new NetlinkMessage(0x10000, 0, 0, 0, new byte[0]));
        assertThrowsWithMessage(IllegalArgumentException.class, "nlmsg_flags must be 0-0xffff: -1",
                () -> new NetlinkMessage(16, -1, 0, 0, new byte[0]));
        assertThrows(NullPointerException.class, () -> new NetlinkMessage(16, 0, 0, 0, null));
    }

    @Test
    void isAValueThatKeepsItsPayloadToItself() {
        byte[] payload = {1, 2, 3};
        NetlinkMessage message = new NetlinkMessage(16, 0, 1, 2, payload);
        payload[0] = 9;
        message.payload()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, message.payload());
        assertEquals(new NetlinkMessage(16, 0, 1, 2, new byte[] {1, 2, 3}), message);
        assertEquals(new NetlinkMessage(16, 0, 1, 2, new byte[] {1, 2, 3}).hashCode(), message.hashCode());
        assertNotEquals(new NetlinkMessage(16, 0, 1, 2, new byte[] {1, 2, 4}), message);
    }

    @Test
    void roundTripsThroughEncodeAndDecodeAll() {
        List<NetlinkMessage> messages = List.of(
                new NetlinkMessage(16, 2, 1, 0, new byte[] {1}),
                new NetlinkMessage(2, 0, 1, 0, new byte[] {-1, -1, -1, -1, 0, 0}),
                new NetlinkMessage(3, 2, 1, 0, new byte[4]));
        ByteBuffer buffer = ByteBuffer.allocate(100);
        int at = 0;
        for (NetlinkMessage message : messages) {
            at += message.encode(buffer, at);
        }
        assertEquals(20 + 24 + 20, at);
        assertEquals(messages, NetlinkMessage.decodeAll(buffer, 0, at));
        assertTrue(NetlinkMessage.decodeAll(buffer, 0, at).get(1).errorCode() < 0);
    }
}
