package io.github.selectors4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.ControlMessage;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.NativeSocketAddress;
import io.github.selectors4j.net.ReceivedMessage;
import io.github.selectors4j.net.SocketType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The public data methods of {@link NativeSocket} (send, recv, sendTo, recvFrom, sendMsg, recvMsg
 * and the array forms) with odd buffers ({@link OddBuffer}) and odd flags, on fresh sockets of
 * several kinds for every input: AF_UNIX stream, datagram and seqpacket pairs and a UDP pair on
 * 127.0.0.1.
 *
 * <p>What must hold, whatever the input: only documented exceptions (an IOException from the
 * kernel, IllegalArgumentException for a read-only destination or a bad control size,
 * IndexOutOfBoundsException for an array range); a failed call leaves the buffer as it was; a
 * send never writes to its buffer, advances the position by exactly what it reports, and the peer
 * receives exactly those bytes; a receive writes only inside [position, limit), advances the
 * position by what it stored, and what it stored is what the peer sent. A native call handed a
 * wrong address or length would break the last two, or crash the JVM.
 */
class SocketBufferFuzzTest {

    private static final int MSG_MORE = 0x8000;
    private static final int MSG_PROBE = 0x10;
    private static final int[] NAMED_FLAGS = {
        NativeSocket.MSG_PEEK, NativeSocket.MSG_TRUNC, NativeSocket.MSG_DONTWAIT, NativeSocket.MSG_WAITALL,
        NativeSocket.MSG_OOB, NativeSocket.MSG_NOSIGNAL, NativeSocket.MSG_CTRUNC, 0x2000 /* MSG_ERRQUEUE */,
        MSG_MORE, 0x40000000 /* MSG_CMSG_CLOEXEC */,
    };

    @FuzzTest(maxDuration = "5m")
    void sendAndReceive(FuzzedDataProvider data) throws IOException {
        SocketKind kind = data.pickValue(SocketKind.values());
        NativeSocket[] pair = kind.open();
        try (Pipe pipe = Pipe.open()) {
            NativeSocket socket = pair[0];
            NativeSocket peer = pair[1];
            if (data.consumeBoolean()) {
                receive(data, kind, socket, peer, pipe);
            } else {
                send(data, kind, socket, peer, pipe);
            }
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }

    private static int flags(FuzzedDataProvider data) {
        if (data.consumeInt(0, 15) == 0) {
            return data.consumeInt();
        }
        int flags = 0;
        int bits = data.consumeInt(0, (1 << NAMED_FLAGS.length) - 1);
        for (int i = 0; i < NAMED_FLAGS.length; i++) {
            if ((bits & (1 << i)) != 0) {
                flags |= NAMED_FLAGS[i];
            }
        }
        return flags;
    }

    // ------------------------------------------------------------------ sending

    private static void send(FuzzedDataProvider data, SocketKind kind, NativeSocket socket, NativeSocket peer, Pipe pipe) throws IOException {
        int op = data.consumeInt(0, 4);
        if (op == 4) {
            sendArray(data, kind, socket, peer);
            return;
        }
        int flags = op == 0 ? 0 : flags(data);
        List<ControlMessage> controls = op == 3 ? controls(data, pipe) : List.of();
        NativeSocketAddress address = op == 2 || (op == 3 && data.consumeBoolean()) ? kind.peerAddress(peer) : null;
        OddBuffer odd = OddBuffer.make(data);
        ByteBuffer src = odd.buffer;
        int position = src.position();
        int limit = src.limit();
        String call = "op " + op + " flags 0x" + Integer.toHexString(flags) + " controls " + controls + " on " + kind + " from " + odd;
        int sent;
        try {
            sent = switch (op) {
                case 0 -> socket.send(src);
                case 1 -> socket.send(src, flags);
                case 2 -> address == null ? socket.send(src, flags) : socket.sendTo(src, address);
                default -> socket.sendMsg(src, controls, flags, address);
            };
        } catch (IOException kernelRefused) {
            assertEquals(position, src.position(), () -> call + ": a failed send moved the position");
            assertEquals(-1, odd.changedOutside(0, 0), () -> call + ": a failed send wrote to its buffer");
            return;
        }
        assertTrue(sent >= 0 && sent <= limit - position, () -> call + ": sent " + sent + " of " + (limit - position));
        assertEquals(position + sent, src.position(), () -> call + ": position does not match the " + sent + " bytes sent");
        assertEquals(limit, src.limit(), () -> call + ": limit moved");
        assertEquals(-1, odd.changedOutside(0, 0), () -> call + ": send wrote to its buffer");
        if ((flags & NativeSocket.MSG_OOB) != 0 && kind.stream) {
            return;   // The last byte went out of band; the in-band stream is checked elsewhere.
        }
        if ((flags & (MSG_MORE | MSG_PROBE)) != 0 && kind == SocketKind.UDP) {
            // MSG_MORE corks the datagram until a send without it; MSG_PROBE only probes the path.
            return;
        }
        byte[] expected = odd.originalBytes(position, position + sent);
        byte[] received = drain(peer, kind, sent, call);
        assertArrayEquals(expected, received, () -> call + ": the peer received other bytes than were sent");
    }

    private static void sendArray(FuzzedDataProvider data, SocketKind kind, NativeSocket socket, NativeSocket peer) throws IOException {
        byte[] bytes = new byte[data.consumeInt(0, 2048)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = OddBuffer.pattern(i);
        }
        int offset = data.consumeInt(-4, bytes.length + 4);
        int length = data.consumeInt(-4, bytes.length + 4);
        boolean valid = offset >= 0 && length >= 0 && offset <= bytes.length - length;
        int sent;
        try {
            sent = socket.send(bytes, offset, length);
        } catch (IndexOutOfBoundsException refused) {
            assertTrue(!valid, () -> "send(bytes[" + bytes.length + "], " + offset + ", " + length + ") refused a valid range");
            return;
        } catch (IOException kernelRefused) {
            return;
        }
        assertTrue(valid, () -> "send(bytes[" + bytes.length + "], " + offset + ", " + length + ") accepted a bad range");
        byte[] expected = java.util.Arrays.copyOfRange(bytes, offset, offset + sent);
        assertArrayEquals(expected, drain(peer, kind, sent, "send(bytes, " + offset + ", " + length + ")"));
    }

    private static List<ControlMessage> controls(FuzzedDataProvider data, Pipe pipe) {
        List<ControlMessage> controls = new ArrayList<>();
        int count = data.consumeInt(0, 3);
        for (int i = 0; i < count; i++) {
            switch (data.consumeInt(0, 2)) {
                case 0 -> controls.add(ControlMessage.rights(pipe.readEnd().fileno()));
                case 1 -> controls.add(ControlMessage.credentials(new io.github.selectors4j.net.Credentials(
                        (int) ProcessHandle.current().pid(), 0, 0)));
                default -> {
                    int level = data.consumeInt();
                    int type = data.consumeInt();
                    // Random SCM_RIGHTS would pass whatever fds of this process the bytes name.
                    if (level == ControlMessage.SOL_SOCKET && type == ControlMessage.SCM_RIGHTS) {
                        controls.add(ControlMessage.rights(pipe.writeEnd().fileno()));
                    } else {
                        controls.add(new ControlMessage(level, type, data.consumeBytes(64)));
                    }
                }
            }
        }
        return controls;
    }

    /** Reads what a send of {@code count} bytes delivered to the peer: the whole datagram, or count bytes of the stream. */
    private static byte[] drain(NativeSocket peer, SocketKind kind, int count, String call) throws IOException {
        ByteBuffer in = ByteBuffer.allocateDirect(Math.max(count, 1) + 1);
        if (!kind.stream) {
            ReceivedMessage message = peer.recvMsg(in, 256, 0);
            closeReceivedFds(message);
            if (message == null) {
                fail(call + ": a sent datagram of " + count + " bytes did not arrive");
            }
            byte[] got = new byte[in.flip().remaining()];
            in.get(got);
            return got;
        }
        while (in.position() < count) {
            ReceivedMessage message = peer.recvMsg(in.limit(count), 256, 0);
            closeReceivedFds(message);
            if (message == null || message.bytes() == 0) {
                break;
            }
        }
        byte[] got = new byte[in.flip().remaining()];
        in.get(got);
        return got;
    }

    // ------------------------------------------------------------------ receiving

    private static void receive(FuzzedDataProvider data, SocketKind kind, NativeSocket socket, NativeSocket peer, Pipe pipe) throws IOException {
        byte[] sent = new byte[data.consumeBoolean() ? data.consumeInt(0, 64) : data.consumeInt(0, OddBuffer.MAX_CAPACITY)];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = (byte) (i * 13 + 5);
        }
        int delivered = 0;
        try {
            delivered = peer.send(ByteBuffer.wrap(sent));
        } catch (IOException tooBig) {
            // EMSGSIZE for a datagram over the limit: then there is nothing to receive.
        }
        byte[] stream = java.util.Arrays.copyOf(sent, delivered);
        boolean eof = kind.stream && data.consumeBoolean();
        if (eof) {
            peer.shutdown(NativeSocket.SHUT_WR);
        }
        int op = data.consumeInt(0, 4);
        if (op == 4) {
            receiveArray(data, kind, socket, stream);
            return;
        }
        int flags = op == 0 || op == 2 ? 0 : flags(data);
        int controlSize = op == 3 ? data.consumeInt(-2, 300) : 0;
        OddBuffer odd = OddBuffer.make(data);
        ByteBuffer dst = odd.buffer;
        int position = dst.position();
        int limit = dst.limit();
        String call = "op " + op + " flags 0x" + Integer.toHexString(flags) + " controlSize " + controlSize + " on " + kind
                + " with " + stream.length + " bytes waiting" + (eof ? " and EOF" : "") + " into " + odd;
        int result;
        int stored;
        try {
            switch (op) {
                case 0 -> result = socket.recv(dst);
                case 1 -> result = socket.recv(dst, flags);
                case 2 -> {
                    NativeSocketAddress from = socket.recvFrom(dst);
                    result = from == null ? 0 : dst.position() - position;
                }
                default -> {
                    ReceivedMessage message = socket.recvMsg(dst, controlSize, flags);
                    closeReceivedFds(message);
                    result = message == null ? 0 : message.bytes();
                }
            }
        } catch (IllegalArgumentException refused) {
            assertTrue(dst.isReadOnly() || controlSize < 0 || controlSize > 65536, () -> call + ": refused " + refused);
            assertUntouched(odd, dst, position, call);
            return;
        } catch (IOException kernelRefused) {
            assertUntouched(odd, dst, position, call);
            return;
        }
        assertTrue(!dst.isReadOnly(), () -> call + ": received into a read-only buffer");
        stored = dst.position() - position;
        assertTrue(stored >= 0 && stored <= limit - position, () -> call + ": position moved by " + stored);
        assertEquals(limit, dst.limit(), () -> call + ": limit moved");
        if (result == -1) {
            assertTrue(eof && kind.stream, () -> call + ": end of stream reported without one");
            assertEquals(0, stored, () -> call + ": end of stream, yet the position moved");
        } else if ((flags & NativeSocket.MSG_TRUNC) == 0) {
            assertEquals(result, stored, () -> call + ": returned " + result + " but stored " + stored);
        } else {
            assertTrue(result >= stored, () -> call + ": MSG_TRUNC returned " + result + ", less than the " + stored + " stored");
        }
        assertEquals(-1, odd.changedOutside(position, position + stored), () -> call + ": wrote outside the bytes it stored");
        if ((flags & (NativeSocket.MSG_OOB | 0x2000)) == 0) {
            byte[] expected = java.util.Arrays.copyOf(stream, Math.min(stored, stream.length));
            assertEquals(expected.length, stored, () -> call + ": stored " + stored + " bytes of a " + stream.length + "-byte message");
            assertTrue(odd.holds(position, expected), () -> call + ": the bytes stored are not the ones sent");
        }
    }

    private static void assertUntouched(OddBuffer odd, ByteBuffer dst, int position, String call) {
        assertEquals(position, dst.position(), () -> call + ": a failed receive moved the position");
        assertEquals(-1, odd.changedOutside(0, 0), () -> call + ": a failed receive wrote to the buffer");
    }

    private static void receiveArray(FuzzedDataProvider data, SocketKind kind, NativeSocket socket, byte[] stream) throws IOException {
        byte[] bytes = new byte[data.consumeInt(0, 2048)];
        int offset = data.consumeInt(-4, bytes.length + 4);
        int length = data.consumeInt(-4, bytes.length + 4);
        boolean valid = offset >= 0 && length >= 0 && offset <= bytes.length - length;
        int n;
        try {
            n = socket.recv(bytes, offset, length);
        } catch (IndexOutOfBoundsException refused) {
            assertTrue(!valid, () -> "recv(bytes[" + bytes.length + "], " + offset + ", " + length + ") refused a valid range");
            return;
        } catch (IOException kernelRefused) {
            return;
        }
        assertTrue(valid, () -> "recv(bytes[" + bytes.length + "], " + offset + ", " + length + ") accepted a bad range");
        assertTrue(n <= length, () -> "recv into " + length + " bytes returned " + n);
        for (int i = 0; i < bytes.length; i++) {
            boolean inside = i >= offset && i < offset + Math.max(n, 0);
            byte expected = inside ? stream[i - offset] : 0;
            assertEquals(expected, bytes[i], "byte " + i + " after recv(bytes, " + offset + ", " + length + ") = " + n);
        }
    }

    private static void closeReceivedFds(ReceivedMessage message) throws IOException {
        if (message == null) {
            return;
        }
        for (ControlMessage control : message.controls()) {
            if (control.level() == ControlMessage.SOL_SOCKET && control.type() == ControlMessage.SCM_RIGHTS) {
                for (int fd : control.fds()) {
                    // Only pipe ends are ever passed (see controls()); the receiver owns the copies.
                    io.github.selectors4j.fd.OpenFile.fromFd(fd, io.github.selectors4j.Ownership.OWNED).close();
                }
            }
        }
    }

    /** The sockets each input runs on. */
    enum SocketKind {
        UNIX_STREAM(true), UNIX_DGRAM(false), UNIX_SEQPACKET(false), UDP(false);

        final boolean stream;

        SocketKind(boolean stream) {
            this.stream = stream;
        }

        NativeSocket[] open() throws IOException {
            return switch (this) {
                case UNIX_STREAM -> NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0);
                case UNIX_DGRAM -> NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM, 0);
                case UNIX_SEQPACKET -> NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET, 0);
                case UDP -> udpPair();
            };
        }

        /** Where sendTo addresses the peer: its bound address for UDP; AF_UNIX pairs are unnamed, so null. */
        NativeSocketAddress peerAddress(NativeSocket peer) throws IOException {
            return this == UDP ? peer.localAddress() : null;
        }

        private static NativeSocket[] udpPair() throws IOException {
            NativeSocket a = NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0);
            NativeSocket b = NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0);
            try {
                a.bind(IPv4SocketAddress.loopback(0));
                b.bind(IPv4SocketAddress.loopback(0));
                a.connect(b.localAddress());
                b.connect(a.localAddress());
                return new NativeSocket[] {a, b};
            } catch (IOException | RuntimeException e) {
                a.close();
                b.close();
                throw e;
            }
        }
    }
}
