package io.github.selectors4j.net;

import java.util.List;
import java.util.Objects;

/**
 * What {@link NativeSocket#recvMsg} received: Python's {@code (data, ancdata, msg_flags, address)},
 * with the data in the caller's buffer.
 *
 * <pre>{@code
 * ByteBuffer buffer = ByteBuffer.allocate(1500);
 * ReceivedMessage message = socket.recvMsg(buffer, 64, 0);   // null if nothing is waiting
 * if (message != null && !message.isTruncated()) {
 *     buffer.flip();                                         // message.bytes() bytes to read
 *     for (ControlMessage control : message.controls()) { ... }
 * }
 * }</pre>
 *
 * @param bytes    how many bytes were stored in the buffer (its position advanced by as many)
 * @param controls the ancillary data, in the order the kernel delivered it
 * @param flags    {@code MSG_*} flags of the result, e.g. {@link NativeSocket#MSG_TRUNC}
 * @param address  the sender's address for unconnected sockets, else null
 */
public record ReceivedMessage(int bytes, List<ControlMessage> controls, int flags, NativeSocketAddress address) {

    /**
     * Creates the result.
     *
     * @param bytes    bytes stored
     * @param controls ancillary data (copied)
     * @param flags    result flags
     * @param address  sender, or null
     */
    public ReceivedMessage {
        Objects.requireNonNull(controls, "controls");
        controls = List.copyOf(controls);
    }

    /**
     * Whether the datagram was longer than the buffer and its tail was discarded.
     *
     * @return true if {@code MSG_TRUNC} is set
     */
    public boolean isTruncated() {
        return (flags & NativeSocket.MSG_TRUNC) != 0;
    }

    /**
     * Whether ancillary data was discarded for lack of room.
     *
     * @return true if {@code MSG_CTRUNC} is set
     */
    public boolean isControlTruncated() {
        return (flags & NativeSocket.MSG_CTRUNC) != 0;
    }
}
