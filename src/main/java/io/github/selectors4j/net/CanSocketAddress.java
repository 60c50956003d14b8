package io.github.selectors4j.net;

import io.github.selectors4j.internal.SockaddrCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An {@code AF_CAN} address ({@code struct sockaddr_can}) in one of Python's three forms: raw and
 * broadcast-manager sockets' {@code (interface,)}, ISO-TP's {@code (interface, rx_id, tx_id)} and
 * J1939's {@code (interface, name, pgn, addr)}.
 *
 * <pre>{@code
 * CanSocketAddress.of("vcan0");                                   // CAN_RAW / CAN_BCM
 * CanSocketAddress.of(0);                                         // CAN_RAW: every CAN interface
 * CanSocketAddress.isotp(Interfaces.nameToIndex("vcan0"), 0x7e8, 0x7e0);
 * CanSocketAddress.j1939(Interfaces.nameToIndex("vcan0"), CanSocketAddress.J1939_NO_NAME,
 *         CanSocketAddress.J1939_NO_PGN, 0x80);
 * }</pre>
 *
 * <h2>Layout</h2>
 * After the family and {@code can_ifindex} comes a 16-byte union at offset 8: ISO-TP's
 * {@code tp { canid_t rx_id, tx_id; }} or J1939's {@code j1939 { __u64 name; __u32 pgn; __u8 addr; }}
 * (3 bytes of tail padding). The union is 8-byte aligned for the {@code __u64}, which costs nothing
 * here because {@code can_ifindex} already ends at 8. The kernel takes and reports each form at its
 * own length ({@code CAN_REQUIRED_SIZE}): 8 bytes suffice for raw and BCM, ISO-TP uses 16, J1939 24.
 * {@link #encode} writes raw and J1939 addresses as the whole 24-byte struct, as Python does, and
 * ISO-TP addresses as the 16 bytes the ISO-TP layer itself reports.
 *
 * <h2>Decoding</h2>
 * A sockaddr does not say which protocol it belongs to (Python asks the socket), so decoding picks
 * the form the bytes and their length show:
 * <ul>
 *   <li>fewer than 16 bytes, or a union of all zeros: {@link Kind#PLAIN} (what raw and BCM sockets
 *       report, with the union zeroed);</li>
 *   <li>16 to 23 bytes: {@link Kind#ISOTP} (what ISO-TP sockets report), whatever the ids;</li>
 *   <li>24 bytes or more with a non-zero union: {@link Kind#J1939}.</li>
 * </ul>
 * The union's bytes are kept as they are, and both views read them whatever the kind:
 * {@link #rxId()}/{@link #txId()} and {@link #name()}/{@link #pgn()}/{@link #address()}. So a 24-byte
 * ISO-TP address built elsewhere decodes as J1939 but still answers {@code rxId()} correctly, and
 * {@link #viewAs(Kind)} re-labels it. The one address that cannot round-trip is J1939's
 * {@code (name 0, pgn 0, addr 0)}: its bytes are exactly a raw address's, so it decodes as
 * {@link Kind#PLAIN}.
 *
 * <p>Two addresses are equal when kind, interface index and the union's bytes are.
 */
public final class CanSocketAddress implements NativeSocketAddress {

    /** {@code sizeof(struct sockaddr_can)}. */
    public static final int SIZE = 24;
    /** The length of an ISO-TP address: {@code CAN_REQUIRED_SIZE(struct sockaddr_can, can_addr.tp)}. */
    public static final int ISOTP_SIZE = 16;
    /** The shortest address the kernel accepts: {@code CAN_REQUIRED_SIZE(struct sockaddr_can, can_ifindex)}. */
    public static final int MIN_SIZE = 8;

    /** Extended frame format flag of a {@code canid_t} (linux/can.h). */
    public static final int CAN_EFF_FLAG = 0x8000_0000;
    /** The 11 bits of a standard frame format identifier. */
    public static final int CAN_SFF_MASK = 0x0000_07ff;
    /** The 29 bits of an extended frame format identifier. */
    public static final int CAN_EFF_MASK = 0x1fff_ffff;

    /** J1939: no NAME, static addressing (linux/can/j1939.h). */
    public static final long J1939_NO_NAME = 0;
    /** J1939: the largest PGN. */
    public static final int J1939_PGN_MAX = 0x3ffff;
    /** J1939: no PGN. */
    public static final int J1939_NO_PGN = 0x40000;
    /** J1939: no address, or broadcast. */
    public static final int J1939_NO_ADDR = 0xff;
    /** J1939: the idle address. */
    public static final int J1939_IDLE_ADDR = 0xfe;

    /** Which member of the {@code can_addr} union an address uses. */
    public enum Kind {
        /** Raw or broadcast-manager sockets: just the interface. */
        PLAIN,
        /** ISO 15765-2 transport: receive and transmit CAN ids. */
        ISOTP,
        /** SAE J1939: NAME, PGN and address. */
        J1939
    }

    // Offsets in struct sockaddr_can, /usr/include/linux/can.h:
    // __kernel_sa_family_t can_family; int can_ifindex; union { struct { canid_t rx_id, tx_id; } tp;
    // struct { __u64 name; __u32 pgn; __u8 addr; } j1939; } can_addr;   (union at 8, 8-aligned)
    private static final int IFINDEX = 4;
    private static final int UNION = 8;
    private static final int UNION_SIZE = 16;
    // Inside the union.
    private static final int RX_ID = 0;
    private static final int TX_ID = 4;
    private static final int NAME = 0;
    private static final int PGN = 8;
    private static final int ADDR = 12;
    private static final int J1939_USED = 13;

    private final Kind kind;
    private final int ifindex;
    /** The union's bytes in native order; only the members {@link #kind} uses may be non-zero. */
    private final byte[] union;

    private CanSocketAddress(Kind kind, int ifindex, byte[] union) {
        if (ifindex < 0) {
            throw new IllegalArgumentException("can_ifindex must not be negative: " + ifindex);
        }
        this.kind = kind;
        this.ifindex = ifindex;
        this.union = union;
    }

    /**
     * A raw or BCM address on a named interface.
     *
     * @param interfaceName e.g. {@code "vcan0"}
     * @return the address
     * @throws IllegalArgumentException if there is no such interface
     */
    public static CanSocketAddress of(String interfaceName) {
        return of(Interfaces.nameToIndex(Objects.requireNonNull(interfaceName, "interfaceName")));
    }

    /**
     * A raw or BCM address on an interface by index.
     *
     * @param ifindex the index; 0 is every CAN interface (raw sockets)
     * @return the address
     * @throws IllegalArgumentException for a negative index
     */
    public static CanSocketAddress of(int ifindex) {
        return new CanSocketAddress(Kind.PLAIN, ifindex, new byte[UNION_SIZE]);
    }

    /**
     * An ISO-TP address.
     *
     * @param ifindex the interface index (the kernel refuses 0 with {@code ENODEV})
     * @param rxId    the CAN id to receive: 11-bit, or 29-bit with {@link #CAN_EFF_FLAG}
     * @param txId    the CAN id to transmit with, the same way
     * @return the address
     * @throws IllegalArgumentException for a negative index or an id that is not a valid CAN id (the
     *                                  kernel refuses those with {@code EINVAL})
     */
    public static CanSocketAddress isotp(int ifindex, int rxId, int txId) {
        checkCanId("rx_id", rxId);
        checkCanId("tx_id", txId);
        byte[] union = new byte[UNION_SIZE];
        ByteBuffer view = view(union);
        view.putInt(RX_ID, rxId);
        view.putInt(TX_ID, txId);
        return new CanSocketAddress(Kind.ISOTP, ifindex, union);
    }

    /**
     * An ISO-TP address on a named interface.
     *
     * @param interfaceName e.g. {@code "vcan0"}
     * @param rxId          the CAN id to receive
     * @param txId          the CAN id to transmit with
     * @return the address
     * @throws IllegalArgumentException for an unknown interface or an invalid CAN id
     */
    public static CanSocketAddress isotp(String interfaceName, int rxId, int txId) {
        return isotp(Interfaces.nameToIndex(Objects.requireNonNull(interfaceName, "interfaceName")), rxId, txId);
    }

    /**
     * A J1939 address.
     *
     * @param ifindex the interface index (the kernel refuses 0 with {@code ENODEV})
     * @param name    the 64-bit NAME, or {@link #J1939_NO_NAME} for static addressing
     * @param pgn     a parameter group number, 0 to {@link #J1939_PGN_MAX} (a PDU1 PGN, below
     *                {@code 0xf000}, with a zero low byte), or {@link #J1939_NO_PGN}
     * @param address the source or destination address, 0 to 255 ({@link #J1939_NO_ADDR} for none)
     * @return the address
     * @throws IllegalArgumentException naming the first value out of range
     */
    public static CanSocketAddress j1939(int ifindex, long name, int pgn, int address) {
        if (pgn != J1939_NO_PGN && (pgn < 0 || pgn > J1939_PGN_MAX)) {
            throw new IllegalArgumentException("J1939 pgn must be 0-0x3ffff or J1939_NO_PGN (0x40000): 0x" + Integer.toHexString(pgn));
        }
        // j1939_pgn_is_clean_pdu: a PDU1 PGN's low byte is the destination, not part of the PGN.
        if (pgn != J1939_NO_PGN && (pgn & 0xff00) < 0xf000 && (pgn & 0xff) != 0) {
            throw new IllegalArgumentException("J1939 PDU1 pgn must have a zero low byte: 0x" + Integer.toHexString(pgn));
        }
        if (address < 0 || address > 0xff) {
            throw new IllegalArgumentException("J1939 addr must be 0-255: " + address);
        }
        byte[] union = new byte[UNION_SIZE];
        ByteBuffer view = view(union);
        view.putLong(NAME, name);
        view.putInt(PGN, pgn);
        view.put(ADDR, (byte) address);
        return new CanSocketAddress(Kind.J1939, ifindex, union);
    }

    /**
     * A J1939 address on a named interface.
     *
     * @param interfaceName e.g. {@code "vcan0"}
     * @param name          the 64-bit NAME
     * @param pgn           the PGN
     * @param address       the address, 0 to 255
     * @return the address
     * @throws IllegalArgumentException for an unknown interface or a value out of range
     */
    public static CanSocketAddress j1939(String interfaceName, long name, int pgn, int address) {
        return j1939(Interfaces.nameToIndex(Objects.requireNonNull(interfaceName, "interfaceName")), name, pgn, address);
    }

    private static void checkCanId(String field, int id) {
        boolean valid = (id & CAN_EFF_FLAG) != 0 ? (id & ~(CAN_EFF_FLAG | CAN_EFF_MASK)) == 0 : (id & ~CAN_SFF_MASK) == 0;
        if (!valid) {
            throw new IllegalArgumentException("ISO-TP " + field + " is not an 11-bit CAN id or CAN_EFF_FLAG with a 29-bit one: 0x"
                    + Integer.toHexString(id));
        }
    }

    static CanSocketAddress decode(ByteBuffer buffer, int offset, int length) {
        SockaddrCodec.check(buffer, offset, length, AddressFamily.AF_CAN, MIN_SIZE, "AF_CAN sockaddr");
        int ifindex = buffer.getInt(offset + IFINDEX);
        if (length < ISOTP_SIZE) {
            return of(ifindex);
        }
        byte[] union = new byte[UNION_SIZE];
        if (length < SIZE) {
            buffer.get(offset + UNION, union, 0, TX_ID + 4);
            return new CanSocketAddress(Kind.ISOTP, ifindex, union);
        }
        // Bytes 13-15 of the union are J1939's tail padding: not part of any address.
        buffer.get(offset + UNION, union, 0, J1939_USED);
        boolean zero = true;
        for (byte b : union) {
            zero &= b == 0;
        }
        return new CanSocketAddress(zero ? Kind.PLAIN : Kind.J1939, ifindex, union);
    }

    private static ByteBuffer view(byte[] union) {
        return ByteBuffer.wrap(union).order(ByteOrder.nativeOrder());
    }

    @Override
    public int family() {
        return AddressFamily.AF_CAN;
    }

    /**
     * Which union member this address uses (see the class notes on decoding).
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
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
     * @return e.g. {@code "vcan0"}; {@code ""} for index 0; {@code "if<N>"} if no interface has the
     *         index any more
     */
    public String interfaceName() {
        return PacketSocketAddress.nameOf(ifindex);
    }

    /**
     * ISO-TP's receive id: the union's {@code tp.rx_id}, read whatever the kind.
     *
     * @return the CAN id, 0 for a plain address
     */
    public int rxId() {
        return view(union).getInt(RX_ID);
    }

    /**
     * ISO-TP's transmit id: the union's {@code tp.tx_id}, read whatever the kind.
     *
     * @return the CAN id, 0 for a plain address
     */
    public int txId() {
        return view(union).getInt(TX_ID);
    }

    /**
     * J1939's NAME: the union's {@code j1939.name}, read whatever the kind (it overlaps both ISO-TP ids).
     *
     * @return the 64-bit NAME
     */
    public long name() {
        return view(union).getLong(NAME);
    }

    /**
     * J1939's PGN: the union's {@code j1939.pgn}, read whatever the kind.
     *
     * @return the PGN; 0 for plain and ISO-TP addresses
     */
    public int pgn() {
        return view(union).getInt(PGN);
    }

    /**
     * J1939's address: the union's {@code j1939.addr}, read whatever the kind.
     *
     * @return 0 to 255; 0 for plain and ISO-TP addresses
     */
    public int address() {
        return union[ADDR] & 0xff;
    }

    /**
     * The same interface and union bytes, labelled as another kind: for an address whose socket's
     * protocol the caller knows better than the bytes did. Viewing as {@link Kind#PLAIN} drops the
     * union; as {@link Kind#ISOTP}, everything after {@code tx_id}. No validation is applied.
     *
     * @param as the kind wanted
     * @return the re-labelled address
     */
    public CanSocketAddress viewAs(Kind as) {
        byte[] bytes = new byte[UNION_SIZE];
        switch (Objects.requireNonNull(as, "as")) {
            case PLAIN -> { }
            case ISOTP -> System.arraycopy(union, 0, bytes, 0, TX_ID + 4);
            case J1939 -> System.arraycopy(union, 0, bytes, 0, J1939_USED);
        }
        return new CanSocketAddress(as, ifindex, bytes);
    }

    @Override
    public int encode(ByteBuffer buffer, int offset) {
        int size = kind == Kind.ISOTP ? ISOTP_SIZE : SIZE;
        Objects.checkFromIndexSize(offset, size, Objects.requireNonNull(buffer, "buffer").limit());
        ByteBuffer out = SockaddrCodec.nativeView(buffer);
        for (int i = 0; i < size; i++) {
            out.put(offset + i, (byte) 0);
        }
        SockaddrCodec.putHeader(out, offset, AddressFamily.AF_CAN, size);
        out.putInt(offset + IFINDEX, ifindex);
        out.put(offset + UNION, union, 0, size - UNION);
        return size;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CanSocketAddress can && can.kind == kind && can.ifindex == ifindex && Arrays.equals(can.union, union);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, ifindex, Arrays.hashCode(union));
    }

    /**
     * A readable form, with the interface's current name.
     *
     * @return e.g. {@code can[vcan0]}, {@code can[any]}, {@code can[vcan0, isotp rx=0x7e8, tx=0x7e0]}
     *         or {@code can[vcan0, j1939 name=0x0, pgn=0x40000, addr=0x80]}
     */
    @Override
    public String toString() {
        String where = ifindex == 0 ? "any" : interfaceName();
        return switch (kind) {
            case PLAIN -> "can[" + where + "]";
            case ISOTP -> "can[" + where + ", isotp rx=0x" + Integer.toHexString(rxId()) + ", tx=0x" + Integer.toHexString(txId()) + "]";
            case J1939 -> "can[" + where + ", j1939 name=0x" + Long.toHexString(name()) + ", pgn=0x" + Integer.toHexString(pgn())
                    + ", addr=0x" + Integer.toHexString(address()) + "]";
        };
    }
}
