package io.github.selectors4j.net;

import static io.github.selectors4j.net.SockaddrTesting.assertInvalid;
import static io.github.selectors4j.net.SockaddrTesting.assertRefused;
import static io.github.selectors4j.net.SockaddrTesting.assertSameBytes;
import static io.github.selectors4j.net.SockaddrTesting.filled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.selectors4j.net.CanSocketAddress.Kind;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@link CanSocketAddress}: struct sockaddr_can of linux/can.h in its three forms, and the kernel's view. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "AF_CAN exists only on Linux")
class CanSocketAddressTest {

    /** AF_CAN in linux/socket.h. */
    private static final int AF_CAN = 29;
    private static final int OFFSET = 5;
    private static final long NAME = 0x1122_3344_5566_7788L;

    @Test
    void encodesAPlainAddressAsTheWholeStructWithAZeroUnion() {
        ByteBuffer actual = filled(40);
        assertEquals(24, CanSocketAddress.of(7).encode(actual, OFFSET));

        // struct sockaddr_can { sa_family_t can_family; int can_ifindex; union {...} can_addr; }: 2 bytes of
        // padding before can_ifindex at 4, the 16-byte union at 8.
        ByteBuffer expected = filled(40);
        SockaddrTesting.zero(expected, OFFSET, 24);
        expected.putShort(OFFSET, (short) AF_CAN);
        expected.putInt(OFFSET + 4, 7);
        assertSameBytes(expected, actual);
    }

    @Test
    void encodesAnIsotpAddressAtTheIsotpLength() {
        ByteBuffer actual = filled(40);
        assertEquals(16, CanSocketAddress.isotp(3, 0x7e8, CanSocketAddress.CAN_EFF_FLAG | 0x18da_f110).encode(actual, OFFSET));

        // can_addr.tp { canid_t rx_id; canid_t tx_id; } at 8 and 12; CAN_REQUIRED_SIZE(..., can_addr.tp) = 16.
        ByteBuffer expected = filled(40);
        expected.putShort(OFFSET, (short) AF_CAN);
        expected.putShort(OFFSET + 2, (short) 0);
        expected.putInt(OFFSET + 4, 3);
        expected.putInt(OFFSET + 8, 0x7e8);
        expected.putInt(OFFSET + 12, 0x8000_0000 | 0x18da_f110);
        assertSameBytes(expected, actual);
    }

    @Test
    void encodesAJ1939AddressWithItsTailPaddingZero() {
        ByteBuffer actual = filled(40);
        assertEquals(24, CanSocketAddress.j1939(4, NAME, 0xfeca, 0x80).encode(actual, OFFSET));

        // can_addr.j1939 { __u64 name; __u32 pgn; __u8 addr; } at 8, 16 and 20; 21-23 are padding.
        ByteBuffer expected = filled(40);
        expected.putShort(OFFSET, (short) AF_CAN);
        expected.putShort(OFFSET + 2, (short) 0);
        expected.putInt(OFFSET + 4, 4);
        expected.putLong(OFFSET + 8, NAME);
        expected.putInt(OFFSET + 16, 0xfeca);
        expected.put(OFFSET + 20, (byte) 0x80);
        SockaddrTesting.zero(expected, OFFSET + 21, 3);
        assertSameBytes(expected, actual);
    }

    @Test
    void roundTripsEveryForm() {
        for (CanSocketAddress address : new CanSocketAddress[] {
                CanSocketAddress.of(0), CanSocketAddress.of(12),
                CanSocketAddress.isotp(2, 0x123, 0x456), CanSocketAddress.isotp(2, 0, 0),
                CanSocketAddress.j1939(2, NAME, CanSocketAddress.J1939_NO_PGN, CanSocketAddress.J1939_NO_ADDR),
                CanSocketAddress.j1939(2, -1L, CanSocketAddress.J1939_PGN_MAX, 0)}) {
            ByteBuffer buffer = filled(40);
            int length = address.encode(buffer, OFFSET);
            assertEquals(address, CanSocketAddress.decode(buffer, OFFSET, length));
            assertEquals(address, NativeSocketAddress.decode(buffer, OFFSET, length), "through the family dispatch");
            assertEquals(address.hashCode(), NativeSocketAddress.decode(buffer, OFFSET, length).hashCode());
        }
    }

    @Test
    void decodesTheFormTheLengthAndBytesShow() {
        ByteBuffer buffer = filled(40);
        CanSocketAddress.j1939(5, NAME, 0x0ea00, 0x21).encode(buffer, OFFSET);
        // The kernel's raw and BCM layers accept 8 bytes: no union at all.
        assertEquals(CanSocketAddress.of(5), CanSocketAddress.decode(buffer, OFFSET, 8));
        assertEquals(CanSocketAddress.of(5), CanSocketAddress.decode(buffer, OFFSET, 15));
        // 16 bytes is what ISO-TP sockets report: the tp member, which overlaps j1939.name.
        CanSocketAddress isotp = CanSocketAddress.decode(buffer, OFFSET, 16);
        assertEquals(Kind.ISOTP, isotp.kind());
        assertEquals(buffer.getInt(OFFSET + 8), isotp.rxId());
        assertEquals(buffer.getInt(OFFSET + 12), isotp.txId());
        assertEquals(0, isotp.pgn());
        // 24 bytes with a non-zero union: J1939; both views read the same bytes.
        CanSocketAddress j1939 = CanSocketAddress.decode(buffer, OFFSET, 24);
        assertEquals(CanSocketAddress.j1939(5, NAME, 0x0ea00, 0x21), j1939);
        assertEquals(isotp.rxId(), j1939.rxId());
        assertEquals(NAME, isotp.viewAs(Kind.J1939).name());
        // A 24-byte ISO-TP address (as Python sends) reads as J1939 with pgn 0, and can be re-labelled.
        ByteBuffer python = filled(40);
        CanSocketAddress.of(5).encode(python, OFFSET);
        python.putInt(OFFSET + 8, 0x123);
        python.putInt(OFFSET + 12, 0x456);
        CanSocketAddress decoded = CanSocketAddress.decode(python, OFFSET, 24);
        assertEquals(Kind.J1939, decoded.kind());
        assertEquals(CanSocketAddress.isotp(5, 0x123, 0x456), decoded.viewAs(Kind.ISOTP));
        assertEquals(CanSocketAddress.of(5), decoded.viewAs(Kind.PLAIN));
        // The documented ambiguity: J1939 (name 0, pgn 0, addr 0) has a raw address's bytes.
        ByteBuffer zeros = filled(40);
        int length = CanSocketAddress.j1939(5, 0, 0, 0).encode(zeros, OFFSET);
        assertEquals(CanSocketAddress.of(5), CanSocketAddress.decode(zeros, OFFSET, length));
    }

    @Test
    void refusesShortForeignOrOutOfBoundsSockaddrs() {
        ByteBuffer buffer = filled(40);
        CanSocketAddress.of(1).encode(buffer, OFFSET);
        assertRefused(CanSocketAddress::decode, buffer, OFFSET, 7, "at least 8 bytes, got 7");
        assertRefused(CanSocketAddress::decode, buffer, 20, 24, "does not fit");
        buffer.putInt(OFFSET + 4, -3);
        assertRefused(CanSocketAddress::decode, buffer, OFFSET, 24, "can_ifindex must not be negative: -3");
        buffer.putShort(OFFSET, (short) AddressFamily.AF_NETLINK);
        assertRefused(CanSocketAddress::decode, buffer, OFFSET, 24, "family " + AddressFamily.AF_NETLINK);
    }

    @Test
    void decodesAnythingOrRefusesIt() {
        SockaddrTesting.fuzz(CanSocketAddress::decode, AF_CAN, 32);
    }

    @Test
    void validatesEveryField() {
        assertInvalid("can_ifindex must not be negative: -1", () -> CanSocketAddress.of(-1));
        assertInvalid("can_ifindex must not be negative: -1", () -> CanSocketAddress.isotp(-1, 1, 2));
        assertInvalid("rx_id is not an 11-bit CAN id or CAN_EFF_FLAG with a 29-bit one: 0x800", () -> CanSocketAddress.isotp(1, 0x800, 2));
        assertInvalid("tx_id is not an 11-bit CAN id or CAN_EFF_FLAG with a 29-bit one: 0x40000001",
                () -> CanSocketAddress.isotp(1, 1, 0x4000_0001));
        assertInvalid("0xe0000000", () -> CanSocketAddress.isotp(1, 0xe000_0000, 2));
        assertInvalid("J1939 pgn must be 0-0x3ffff or J1939_NO_PGN (0x40000): 0x40001", () -> CanSocketAddress.j1939(1, 0, 0x40001, 0));
        assertInvalid("0xffffffff", () -> CanSocketAddress.j1939(1, 0, -1, 0));
        assertInvalid("J1939 PDU1 pgn must have a zero low byte: 0xea12", () -> CanSocketAddress.j1939(1, 0, 0xea12, 0));
        assertInvalid("J1939 addr must be 0-255: 256", () -> CanSocketAddress.j1939(1, 0, 0, 256));
        assertInvalid("no such network interface: nosuchcan0", () -> CanSocketAddress.of("nosuchcan0"));
        assertEquals(0xfeca, CanSocketAddress.j1939(1, 0, 0xfeca, 0).pgn(), "a PDU2 pgn keeps its low byte");
    }

    @Test
    void printsReadably() {
        int lo = Interfaces.nameToIndex("lo");
        assertEquals("can[any]", CanSocketAddress.of(0).toString());
        assertEquals("can[lo]", CanSocketAddress.of(lo).toString());
        assertEquals("can[lo, isotp rx=0x7e8, tx=0x7e0]", CanSocketAddress.isotp(lo, 0x7e8, 0x7e0).toString());
        assertEquals("can[if999999, j1939 name=0x1122334455667788, pgn=0x40000, addr=0xff]",
                CanSocketAddress.j1939(999_999, NAME, CanSocketAddress.J1939_NO_PGN, CanSocketAddress.J1939_NO_ADDR).toString());
        assertEquals("", CanSocketAddress.of(0).interfaceName());
    }

    @Test
    void aRawSocketBoundToEveryInterfaceReportsAPlainAddress() throws Exception {
        try (SockaddrTesting.LiveSocket socket = SockaddrTesting.LiveSocket.open("AF_CAN", AF_CAN, SockaddrTesting.SOCK_RAW, Protocol.CAN_RAW)) {
            assertEquals("0", socket.bind(CanSocketAddress.of(0)));
            SockaddrTesting.LiveSocket.Name name = socket.getsockname();
            assertEquals(24, name.length(), "raw_getname reports sizeof(struct sockaddr_can)");
            assertEquals(CanSocketAddress.of(0), name.address());
        }
    }

    @Test
    void anIsotpSocketReportsSixteenBytes() throws Exception {
        try (SockaddrTesting.LiveSocket socket = SockaddrTesting.LiveSocket.open("AF_CAN/CAN_ISOTP", AF_CAN, SockaddrTesting.SOCK_DGRAM, Protocol.CAN_ISOTP)) {
            SockaddrTesting.LiveSocket.Name name = socket.getsockname();
            assertEquals(16, name.length(), "ISOTP_MIN_NAMELEN");
            assertEquals(Kind.ISOTP, assertInstanceOf(CanSocketAddress.class, name.address()).kind());
            assertEquals(SockaddrTesting.SENTINEL, name.bytes().get(16), "the kernel wrote 16 bytes, no more");
        }
    }

    @Test
    void aJ1939SocketReportsItsUnsetPgnAndAddress() throws Exception {
        try (SockaddrTesting.LiveSocket socket = SockaddrTesting.LiveSocket.open("AF_CAN/CAN_J1939", AF_CAN, SockaddrTesting.SOCK_DGRAM, Protocol.CAN_J1939)) {
            SockaddrTesting.LiveSocket.Name name = socket.getsockname();
            assertEquals(24, name.length(), "J1939_MIN_NAMELEN");
            CanSocketAddress local = assertInstanceOf(CanSocketAddress.class, name.address());
            assertEquals(Kind.J1939, local.kind());
            assertEquals(CanSocketAddress.J1939_NO_PGN, local.pgn());
            assertEquals(CanSocketAddress.J1939_NO_ADDR, local.address());
            assertNotEquals(SockaddrTesting.SENTINEL, name.bytes().get(20));
        }
    }
}
