package io.github.selectors4j.net;

import io.github.selectors4j.internal.NetConstants;
import io.github.selectors4j.internal.Platform;
import io.github.selectors4j.internal.SocketScratch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sendmsg} and {@code recvmsg} with one data buffer, an optional address and ancillary
 * data, built in the calling thread's {@link SocketScratch}. These two calls also carry
 * {@code sendTo} and {@code recvFrom}: they take three arguments where {@code sendto}/{@code
 * recvfrom} take six, a shape jnr-ffi's call stubs get wrong (jnr-ffi issue #181).
 */
final class MessageIo {

    private static final Platform PLATFORM = Platform.CURRENT;
    private static final int[] MSGHDR = PLATFORM.msghdrOffsets();
    private static final int NAME = 0;
    private static final int NAMELEN = 1;
    private static final int IOV = 2;
    private static final int IOVLEN = 3;
    private static final int CONTROL = 4;
    private static final int CONTROLLEN = 5;
    private static final int FLAGS = 6;
    private static final int POINTER = PLATFORM.longSize();
    private static final int CMSG_HEADER = PLATFORM.cmsgHeaderSize();
    private static final int CMSG_ALIGN = PLATFORM.cmsgAlignment();
    /** Received fds are close-on-exec from birth where the kernel can do it (Linux). */
    static final int MSG_CMSG_CLOEXEC = NetConstants.value("MSG_CMSG_CLOEXEC", 0);

    private MessageIo() {
    }

    /**
     * Sends through {@code sendmsg}.
     *
     * @param data     direct buffer positioned at the bytes to send (the caller copies heap buffers)
     * @param controls ancillary data, possibly empty
     * @param address  destination, or null
     * @return bytes sent, or minus the errno
     */
    static long send(int fd, ByteBuffer data, List<ControlMessage> controls, int flags, NativeSocketAddress address) {
        SocketScratch scratch = SocketScratch.get();
        ByteBuffer fixed = scratch.fixed();
        int addressLength = address == null ? 0 : address.encode(fixed, scratch.addressOffset());
        int controlLength = 0;
        for (ControlMessage control : controls) {
            controlLength += space(control.data().length);
        }
        ByteBuffer controlBuffer = controlLength == 0 ? null : scratch.control(controlLength);
        int at = 0;
        for (ControlMessage control : controls) {
            at = putControl(controlBuffer, at, control);
        }
        fillHeader(scratch, address == null ? 0 : scratch.address(), addressLength, data, controlBuffer, controlLength);
        return io.github.selectors4j.internal.Native.SOCKETS.sendmsg(fd, scratch.msghdr(), flags);
    }

    /**
     * Receives through {@code recvmsg}. On success the data buffer's position advances and the
     * message's details are left for {@link #received}.
     *
     * @param data        direct buffer with room at its position
     * @param controlSize room for ancillary data, in bytes
     * @param unix        whether the socket is AF_UNIX, the one family that passes fds: only there
     *                    is {@code MSG_CMSG_CLOEXEC} added, since packet sockets, for one, refuse
     *                    any flag they do not know with {@code EINVAL}
     * @return bytes stored in {@code data}, or minus the errno
     */
    static long receive(int fd, ByteBuffer data, int controlSize, int flags, boolean unix) {
        SocketScratch scratch = SocketScratch.get();
        ByteBuffer controlBuffer = controlSize == 0 ? null : scratch.control(controlSize);
        scratch.fixed().putInt(scratch.addressOffset(), 0);
        fillHeader(scratch, scratch.address(), SocketScratch.ADDRESS_SIZE, data, controlBuffer, controlSize);
        int cloexec = unix && controlSize > 0 ? MSG_CMSG_CLOEXEC : 0;
        long n = io.github.selectors4j.internal.Native.SOCKETS.recvmsg(fd, scratch.msghdr(), flags | cloexec);
        if (n >= 0) {
            // With MSG_TRUNC in flags, a datagram socket returns the datagram's full length even
            // when it exceeds the room; only what fit was stored.
            n = Math.min(n, data.remaining());
            data.position(data.position() + (int) n);
        }
        return n;
    }

    /**
     * Decodes what the last successful {@link #receive} on this thread left: the kernel-written
     * lengths are checked against the room given, so a bad length cannot make us read past it.
     */
    static ReceivedMessage received(int bytes, int controlSize) {
        SocketScratch scratch = SocketScratch.get();
        ByteBuffer fixed = scratch.fixed();
        int header = scratch.msghdrOffset();
        int addressLength = Math.min(fixed.getInt(header + MSGHDR[NAMELEN]), SocketScratch.ADDRESS_SIZE);
        NativeSocketAddress address = addressLength == 0 ? null
                : NativeSocketAddress.decode(fixed, scratch.addressOffset(), addressLength);
        int controlLength = controlSize == 0 ? 0 : (int) Math.min(getSizeT(fixed, header + MSGHDR[CONTROLLEN]), controlSize);
        List<ControlMessage> controls = new ArrayList<>();
        if (controlLength > 0) {
            ByteBuffer controlBuffer = scratch.control(controlSize);
            for (int at = 0; at + CMSG_HEADER <= controlLength; ) {
                long length = PLATFORM.cmsgLengthIsLong() ? controlBuffer.getLong(at) : controlBuffer.getInt(at) & 0xffff_ffffL;
                if (length < CMSG_HEADER || length > controlLength - at) {
                    break;
                }
                byte[] payload = new byte[(int) length - CMSG_HEADER];
                controlBuffer.get(at + CMSG_HEADER, payload);
                int level = controlBuffer.getInt(at + (PLATFORM.cmsgLengthIsLong() ? 8 : 4));
                int type = controlBuffer.getInt(at + (PLATFORM.cmsgLengthIsLong() ? 12 : 8));
                controls.add(new ControlMessage(level, type, payload));
                at += align((int) length);
            }
        }
        return new ReceivedMessage(bytes, controls, fixed.getInt(header + MSGHDR[FLAGS]), address);
    }

    /** {@code CMSG_SPACE}: header and data, aligned. */
    static int space(int dataLength) {
        return align(CMSG_HEADER) + align(dataLength);
    }

    private static int align(int length) {
        return (length + CMSG_ALIGN - 1) / CMSG_ALIGN * CMSG_ALIGN;
    }

    private static int putControl(ByteBuffer buffer, int at, ControlMessage control) {
        byte[] payload = control.data();
        int length = CMSG_HEADER + payload.length;
        if (PLATFORM.cmsgLengthIsLong()) {
            buffer.putLong(at, length);
            buffer.putInt(at + 8, control.level());
            buffer.putInt(at + 12, control.type());
        } else {
            buffer.putInt(at, length);
            buffer.putInt(at + 4, control.level());
            buffer.putInt(at + 8, control.type());
        }
        buffer.put(at + CMSG_HEADER, payload);
        int end = at + space(payload.length);
        for (int i = at + length; i < end; i++) {
            buffer.put(i, (byte) 0);
        }
        return end;
    }

    private static void fillHeader(SocketScratch scratch, long name, int nameLength, ByteBuffer data,
                                   ByteBuffer control, int controlLength) {
        ByteBuffer fixed = scratch.fixed();
        int header = scratch.msghdrOffset();
        int iovec = scratch.iovecOffset();
        putPointer(fixed, iovec, SocketScratch.addressOf(data) + data.position());
        putPointer(fixed, iovec + POINTER, data.remaining());
        putPointer(fixed, header + MSGHDR[NAME], name);
        fixed.putInt(header + MSGHDR[NAMELEN], nameLength);
        putPointer(fixed, header + MSGHDR[IOV], scratch.iovec());
        putSizeT(fixed, header + MSGHDR[IOVLEN], 1);
        putPointer(fixed, header + MSGHDR[CONTROL], control == null ? 0 : SocketScratch.addressOf(control));
        putSizeT(fixed, header + MSGHDR[CONTROLLEN], controlLength);
        fixed.putInt(header + MSGHDR[FLAGS], 0);
    }

    private static void putPointer(ByteBuffer buffer, int at, long value) {
        if (POINTER == 8) {
            buffer.putLong(at, value);
        } else {
            buffer.putInt(at, (int) value);
        }
    }

    /** msg_iovlen and msg_controllen: size_t on Linux, int/socklen_t elsewhere. */
    private static void putSizeT(ByteBuffer buffer, int at, long value) {
        if (PLATFORM.isLinux()) {
            putPointer(buffer, at, value);
        } else {
            buffer.putInt(at, (int) value);
        }
    }

    private static long getSizeT(ByteBuffer buffer, int at) {
        if (PLATFORM.isLinux() && POINTER == 8) {
            return buffer.getLong(at);
        }
        return buffer.getInt(at) & 0xffff_ffffL;
    }
}
