package io.github.selectors4j.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One netlink message: a {@code struct nlmsghdr} and the bytes that follow it, as a value.
 *
 * <pre>{@code
 * ByteBuffer datagram = ByteBuffer.allocateDirect(64 * 1024);
 * ReceivedMessage received = netlink.recvMsg(datagram, 0, 0);
 * for (NetlinkMessage message : NetlinkMessage.decodeAll(datagram, 0, received.bytes())) {
 *     if (message.type() == NetlinkMessage.NLMSG_ERROR && message.errorCode() != 0) { ... }
 *     if (message.type() == Rtnetlink.RTM_NEWLINK) { RtLink link = RtLink.decode(message); ... }
 * }
 * }</pre>
 *
 * <p>The layout is that of {@code /usr/include/linux/netlink.h}:
 * {@code struct nlmsghdr { __u32 nlmsg_len; __u16 nlmsg_type; __u16 nlmsg_flags; __u32 nlmsg_seq;
 * __u32 nlmsg_pid; }}, in the machine's byte order, each message starting on a 4-byte boundary
 * ({@code NLMSG_ALIGN}). {@code nlmsg_len} counts the header and the payload but not the padding
 * after it.
 *
 * <p>{@link #decodeAll} reads untrusted bytes: whatever they hold, it returns messages or throws
 * {@link IllegalArgumentException}, and never reads outside the range it is given. The payload is
 * copied; two messages are equal when all fields and payload bytes are.
 *
 * @param type     {@code nlmsg_type}, 0 to 0xffff: {@link #NLMSG_ERROR}, {@link #NLMSG_DONE}, or a
 *                 family's type such as {@link Rtnetlink#RTM_NEWLINK}
 * @param flags    {@code nlmsg_flags}, 0 to 0xffff: {@code NLM_F_*} bits
 * @param sequence {@code nlmsg_seq}, chosen by the requester and echoed in replies
 * @param pid      {@code nlmsg_pid}, the sender's port id (0 for the kernel), unsigned
 * @param payload  the bytes after the header, without padding; a copy is kept
 */
public record NetlinkMessage(int type, int flags, int sequence, int pid, byte[] payload) {

    /** {@code sizeof(struct nlmsghdr)} ({@code NLMSG_HDRLEN}). */
    public static final int HEADER_SIZE = 16;
    /** The largest payload a message can carry here: its aligned length must fit an {@code int}. */
    public static final int MAX_PAYLOAD = Integer.MAX_VALUE - HEADER_SIZE - 3;

    /** Message type: nothing, to be ignored. */
    public static final int NLMSG_NOOP = 1;
    /** Message type: an error or, with error code 0, an acknowledgement ({@code struct nlmsgerr}). */
    public static final int NLMSG_ERROR = 2;
    /** Message type: the end of a multipart message (a dump). */
    public static final int NLMSG_DONE = 3;
    /** Message type: data was lost. */
    public static final int NLMSG_OVERRUN = 4;

    /** Flag: a request (every message sent to the kernel carries it). */
    public static final int NLM_F_REQUEST = 0x1;
    /** Flag: part of a multipart reply, ended by {@link #NLMSG_DONE}. */
    public static final int NLM_F_MULTI = 0x2;
    /** Flag: ask for an acknowledgement (an {@link #NLMSG_ERROR} with code 0 on success). */
    public static final int NLM_F_ACK = 0x4;
    /** Flag: echo the request to the sender's groups. */
    public static final int NLM_F_ECHO = 0x8;
    /** Flag of a reply: the dump was inconsistent because the table changed while it ran. */
    public static final int NLM_F_DUMP_INTR = 0x10;
    /** GET flag: return the whole table. */
    public static final int NLM_F_ROOT = 0x100;
    /** GET flag: return every matching entry. */
    public static final int NLM_F_MATCH = 0x200;
    /** GET flags: a dump, {@code NLM_F_ROOT | NLM_F_MATCH}. */
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

    private static final int ALIGN = 4;

    // Offsets in struct nlmsghdr, /usr/include/linux/netlink.h.
    private static final int LEN = 0;
    private static final int TYPE = 4;
    private static final int FLAGS = 6;
    private static final int SEQ = 8;
    private static final int PID = 12;

    /**
     * Checks the fields and copies the payload.
     *
     * @param type     {@code nlmsg_type}, 0 to 0xffff
     * @param flags    {@code nlmsg_flags}, 0 to 0xffff
     * @param sequence {@code nlmsg_seq}
     * @param pid      {@code nlmsg_pid}
     * @param payload  the bytes after the header (copied)
     * @throws IllegalArgumentException if {@code type} or {@code flags} is not a 16-bit value, the
     *                                  payload is longer than {@link #MAX_PAYLOAD}, or an
     *                                  {@link #NLMSG_ERROR} has fewer than the 4 bytes of its error code
     */
    public NetlinkMessage {
        checkU16("nlmsg_type", type);
        checkU16("nlmsg_flags", flags);
        Objects.requireNonNull(payload, "payload");
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("netlink payload too long: " + payload.length + " bytes");
        }
        // errorCode() must always have its int to read, so a short NLMSG_ERROR is refused here.
        if (type == NLMSG_ERROR && payload.length < 4) {
            throw new IllegalArgumentException("NLMSG_ERROR payload must hold a 4-byte error code, has " + payload.length + " bytes");
        }
        payload = payload.clone();
    }

    /**
     * The payload.
     *
     * @return a copy of the bytes after the header
     */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * {@code nlmsg_len}: the header and the payload, without trailing padding.
     *
     * @return {@code 16 + payload().length}
     */
    public int length() {
        return HEADER_SIZE + payload.length;
    }

    /**
     * The bytes {@link #encode} writes: {@link #length()} rounded up to a multiple of 4.
     *
     * @return the aligned length
     */
    public int encodedSize() {
        return align(length());
    }

    /**
     * The error of an {@link #NLMSG_ERROR} message: the {@code int error} that starts
     * {@code struct nlmsgerr}, a negated errno, or 0 for an acknowledgement.
     *
     * @return 0 or a negative errno, e.g. -1 for {@code EPERM}
     * @throws IllegalStateException if this is not an {@code NLMSG_ERROR} message
     */
    public int errorCode() {
        if (type != NLMSG_ERROR) {
            throw new IllegalStateException("not an NLMSG_ERROR message but type " + type);
        }
        return ByteBuffer.wrap(payload, 0, 4).order(ByteOrder.nativeOrder()).getInt();
    }

    /**
     * Writes the message, header and payload in the machine's byte order (whatever the buffer's
     * order), followed by zero padding up to a 4-byte boundary.
     *
     * @param buffer where to write; positions and limits are left alone
     * @param offset where the message starts
     * @return the bytes written, {@link #encodedSize()}
     * @throws IndexOutOfBoundsException if the message does not fit before the buffer's limit;
     *                                   nothing is written then
     */
    public int encode(ByteBuffer buffer, int offset) {
        int size = encodedSize();
        Objects.checkFromIndexSize(offset, size, Objects.requireNonNull(buffer, "buffer").limit());
        ByteBuffer out = buffer.duplicate().order(ByteOrder.nativeOrder());
        out.putInt(offset + LEN, length());
        out.putShort(offset + TYPE, (short) type);
        out.putShort(offset + FLAGS, (short) flags);
        out.putInt(offset + SEQ, sequence);
        out.putInt(offset + PID, pid);
        out.put(offset + HEADER_SIZE, payload);
        for (int i = length(); i < size; i++) {
            out.put(offset + i, (byte) 0);
        }
        return size;
    }

    /**
     * Reads every message of a datagram, as {@code NLMSG_OK}/{@code NLMSG_NEXT} walk it but
     * strictly: each {@code nlmsg_len} must cover at least the header and stay inside the datagram,
     * and no bytes may follow the last message except its padding. The last message may lack that
     * padding. Multi-byte fields are read in the machine's byte order, whatever the buffer's order.
     *
     * @param buffer the datagram's buffer; positions and limits are left alone
     * @param offset where the datagram starts
     * @param length its length, e.g. the byte count {@code recv} returned
     * @return the messages in order; empty for an empty datagram
     * @throws IllegalArgumentException if the range lies outside the buffer's limit or any length in
     *                                  it is inconsistent; the message says which and where
     */
    public static List<NetlinkMessage> decodeAll(ByteBuffer buffer, int offset, int length) {
        checkRange(buffer, offset, length, "netlink datagram");
        ByteBuffer in = buffer.duplicate().order(ByteOrder.nativeOrder());
        List<NetlinkMessage> messages = new ArrayList<>();
        int end = offset + length;
        int at = offset;
        while (at < end) {
            int remaining = end - at;
            checkHeaderFits(remaining, at - offset, HEADER_SIZE, "nlmsghdr", "datagram");
            int size = checkRecordLength(Integer.toUnsignedLong(in.getInt(at + LEN)), remaining, at - offset,
                    HEADER_SIZE, "nlmsg_len", "datagram");
            byte[] payload = new byte[size - HEADER_SIZE];
            in.get(at + HEADER_SIZE, payload);
            messages.add(new NetlinkMessage(Short.toUnsignedInt(in.getShort(at + TYPE)), Short.toUnsignedInt(in.getShort(at + FLAGS)),
                    in.getInt(at + SEQ), in.getInt(at + PID), payload));
            // Padding after the last message may be cut off; min() keeps the walk inside the range.
            at += Math.min(align(size), remaining);
        }
        return messages;
    }

    /** Rounds up to a multiple of 4: {@code NLMSG_ALIGN} and {@code RTA_ALIGN} alike. */
    static int align(int length) {
        return (length + ALIGN - 1) & -ALIGN;
    }

    /** Checks that {@code [offset, offset + length)} lies inside the buffer's limit, without overflow. */
    static void checkRange(ByteBuffer buffer, int offset, int length, String what) {
        Objects.requireNonNull(buffer, "buffer");
        if (offset < 0 || length < 0 || offset > buffer.limit() - length) {
            throw new IllegalArgumentException(what + " of " + length + " bytes at offset " + offset
                    + " does not fit a buffer of " + buffer.limit());
        }
    }

    /**
     * One step of a walk over length-prefixed records (messages in a datagram, attributes in a
     * message): whether the next record's header fits in what is left.
     *
     * @param remaining  bytes left in the container
     * @param relative   the record's offset in the container, for the message
     * @param headerSize the record header's size
     * @param header     the header's C name ("nlmsghdr", "rtattr")
     * @param container  what holds the records ("datagram", "attributes")
     */
    static void checkHeaderFits(int remaining, int relative, int headerSize, String header, String container) {
        if (remaining < headerSize) {
            throw new IllegalArgumentException(remaining + " bytes left at offset " + relative + " of the " + container
                    + ", too few for a " + headerSize + "-byte " + header);
        }
    }

    /**
     * The next step: whether the record's length field covers its header and stays inside the
     * container.
     *
     * @param length     the record's length field
     * @param remaining  bytes left in the container
     * @param relative   the record's offset in the container, for the message
     * @param headerSize the record header's size
     * @param field      the length field's C name ("nlmsg_len", "rta_len")
     * @param container  what holds the records
     * @return the length, as an int
     */
    static int checkRecordLength(long length, int remaining, int relative, int headerSize, String field, String container) {
        if (length < headerSize) {
            throw new IllegalArgumentException(field + " " + length + " at offset " + relative + " is shorter than the "
                    + headerSize + "-byte header");
        }
        if (length > remaining) {
            throw new IllegalArgumentException(field + " " + length + " at offset " + relative
                    + " runs past the end of the " + container + " (" + remaining + " bytes left)");
        }
        return (int) length;
    }

    static void checkU16(String field, int value) {
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException(field + " must be 0-0xffff: " + value);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NetlinkMessage message && message.type == type && message.flags == flags
                && message.sequence == sequence && message.pid == pid && Arrays.equals(message.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, flags, sequence, pid, Arrays.hashCode(payload));
    }

    /**
     * A readable form.
     *
     * @return e.g. {@code NetlinkMessage[type=3, flags=0x2, seq=1, pid=0, payload=00000000]}
     */
    @Override
    public String toString() {
        return "NetlinkMessage[type=" + type + ", flags=0x" + Integer.toHexString(flags) + ", seq=" + Integer.toUnsignedString(sequence)
                + ", pid=" + Integer.toUnsignedString(pid) + ", payload=" + HexFormat.of().formatHex(payload) + "]";
    }
}
