package io.github.selectors4j.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.testing.Closer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code MSG_TRUNC} on a datagram socket makes the kernel return the datagram's full length even
 * when the buffer was smaller. Found by SocketBufferFuzzTest: recv then moved the position past the
 * limit (IllegalArgumentException for a direct buffer, BufferOverflowException for a heap one), and
 * recvMsg likewise. Now the position advances by the bytes stored, recv returns the full length as
 * Python's recv_into does, and recvMsg counts what was stored and flags the truncation.
 */
class RecvTruncTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    private NativeSocket[] datagramPairWithOneWaiting(byte[] datagram) throws Exception {
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM, 0);
        closer.add(pair[0]);
        closer.add(pair[1]);
        assertEquals(datagram.length, pair[1].send(ByteBuffer.wrap(datagram)));
        return pair;
    }

    private static byte[] datagram() {
        byte[] bytes = new byte[100];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i + 1);
        }
        return bytes;
    }

    @Test
    void recvWithMsgTruncStoresWhatFitsAndReturnsTheFullLength() throws Exception {
        for (ByteBuffer dst : new ByteBuffer[] {ByteBuffer.allocate(16), ByteBuffer.allocateDirect(16)}) {
            NativeSocket socket = datagramPairWithOneWaiting(datagram())[0];
            dst.position(6);
            assertEquals(100, socket.recv(dst, NativeSocket.MSG_TRUNC), dst.isDirect() ? "direct" : "heap");
            assertEquals(16, dst.position(), "the position stops at the limit");
            byte[] stored = new byte[10];
            dst.get(6, stored);
            assertArrayEquals(Arrays.copyOf(datagram(), 10), stored);
        }
    }

    @Test
    void recvMsgWithMsgTruncCountsWhatWasStored() throws Exception {
        for (ByteBuffer dst : new ByteBuffer[] {ByteBuffer.allocate(10), ByteBuffer.allocateDirect(10)}) {
            NativeSocket socket = datagramPairWithOneWaiting(datagram())[0];
            ReceivedMessage message = socket.recvMsg(dst, 0, NativeSocket.MSG_TRUNC);
            assertEquals(10, message.bytes());
            assertTrue(message.isTruncated());
            assertEquals(10, dst.position());
            byte[] stored = new byte[10];
            dst.get(0, stored);
            assertArrayEquals(Arrays.copyOf(datagram(), 10), stored);
        }
    }
}
