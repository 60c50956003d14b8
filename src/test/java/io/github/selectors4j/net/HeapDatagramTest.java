package io.github.selectors4j.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.selectors4j.testing.Closer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Datagrams and records larger than 64 KiB through heap buffers and {@code byte[]} ranges, both
 * ways: a message-oriented socket must move them whole, exactly as through direct buffers. (The
 * per-thread bounce buffer that carries heap data was once capped at 64 KiB, which silently cut a
 * 100,000-byte datagram to 65,536 bytes on send and on receive.)
 */
class HeapDatagramTest {

    /** Over the old 64 KiB cap, and within what an AF_UNIX socket's default send buffer takes at once. */
    private static final int SIZE = 100_000;

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    private NativeSocket[] pair(String type) throws Exception {
        int value = type.equals("SOCK_DGRAM") ? SocketType.SOCK_DGRAM : SocketType.SOCK_SEQPACKET;
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, value, 0);
        closer.add(pair[0]);
        closer.add(pair[1]);
        return pair;
    }

    private static byte[] pattern(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Receives the one waiting message into a direct buffer with room to spare: the reference path. */
    private static byte[] receiveDirect(NativeSocket socket) throws Exception {
        ByteBuffer in = ByteBuffer.allocateDirect(2 * SIZE);
        ReceivedMessage message = socket.recvMsg(in, 0, 0);
        assertNotNull(message, "a message is waiting");
        assertFalse(message.isTruncated());
        byte[] bytes = new byte[in.flip().remaining()];
        in.get(bytes);
        return bytes;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SOCK_DGRAM", "SOCK_SEQPACKET"})
    void sendFromAHeapBufferSendsTheWholeDatagram(String type) throws Exception {
        NativeSocket[] pair = pair(type);
        byte[] payload = pattern(SIZE, 1);
        ByteBuffer heap = ByteBuffer.allocate(SIZE + 10).position(10);
        heap.put(payload).position(10);
        assertEquals(SIZE, pair[0].send(heap), "send reports the whole datagram");
        assertEquals(SIZE + 10, heap.position());
        assertArrayEquals(payload, receiveDirect(pair[1]), "the peer got the whole datagram, byte for byte");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SOCK_DGRAM", "SOCK_SEQPACKET"})
    void sendOfAnArrayRangeSendsTheWholeDatagram(String type) throws Exception {
        NativeSocket[] pair = pair(type);
        byte[] array = pattern(SIZE + 20, 2);
        assertEquals(SIZE, pair[0].send(array, 7, SIZE));
        assertArrayEquals(Arrays.copyOfRange(array, 7, 7 + SIZE), receiveDirect(pair[1]));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SOCK_DGRAM", "SOCK_SEQPACKET"})
    void sendMsgFromAHeapBufferSendsTheWholeDatagram(String type) throws Exception {
        NativeSocket[] pair = pair(type);
        byte[] payload = pattern(SIZE, 3);
        assertEquals(SIZE, pair[0].sendMsg(ByteBuffer.wrap(payload), java.util.List.of(), 0, null));
        assertArrayEquals(payload, receiveDirect(pair[1]));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SOCK_DGRAM", "SOCK_SEQPACKET"})
    void recvIntoAHeapBufferReceivesTheWholeDatagram(String type) throws Exception {
        NativeSocket[] pair = pair(type);
        byte[] payload = pattern(SIZE, 4);
        assertEquals(SIZE, pair[0].send(ByteBuffer.allocateDirect(SIZE).put(payload).flip()));
        ByteBuffer heap = ByteBuffer.allocate(2 * SIZE).position(3);
        assertEquals(SIZE, pair[1].recv(heap), "recv reports the whole datagram");
        assertEquals(3 + SIZE, heap.position());
        assertArrayEquals(payload, Arrays.copyOfRange(heap.array(), 3, 3 + SIZE));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SOCK_DGRAM", "SOCK_SEQPACKET"})
    void recvIntoAnArrayRangeReceivesTheWholeDatagram(String type) throws Exception {
        NativeSocket[] pair = pair(type);
        byte[] payload = pattern(SIZE, 5);
        assertEquals(SIZE, pair[0].send(ByteBuffer.allocateDirect(SIZE).put(payload).flip()));
        byte[] array = new byte[2 * SIZE];
        assertEquals(SIZE, pair[1].recv(array, 11, SIZE + 50));
        assertArrayEquals(payload, Arrays.copyOfRange(array, 11, 11 + SIZE));
        assertEquals(0, array[11 + SIZE], "nothing written past the datagram");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SOCK_DGRAM", "SOCK_SEQPACKET"})
    void recvMsgIntoAHeapBufferReceivesTheWholeDatagram(String type) throws Exception {
        NativeSocket[] pair = pair(type);
        byte[] payload = pattern(SIZE, 6);
        assertEquals(SIZE, pair[0].send(ByteBuffer.allocateDirect(SIZE).put(payload).flip()));
        ByteBuffer heap = ByteBuffer.allocate(SIZE + 1000);
        ReceivedMessage message = pair[1].recvMsg(heap, 0, 0);
        assertEquals(SIZE, message.bytes());
        assertFalse(message.isTruncated(), "the heap buffer had room for it all");
        assertArrayEquals(payload, Arrays.copyOf(heap.array(), SIZE));
    }

    /** Heap buffers at both ends, several sizes in turn on one thread: the bounce buffer grows and is reused. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SOCK_DGRAM", "SOCK_SEQPACKET"})
    void heapToHeapAtSeveralSizes(String type) throws Exception {
        NativeSocket[] pair = pair(type);
        for (int size : new int[] {SIZE, 70_000, 1, SIZE + 3, 65_536, 65_537}) {
            byte[] payload = pattern(size, size);
            assertEquals(size, pair[0].send(ByteBuffer.wrap(payload)), "sent whole: " + size);
            ByteBuffer heap = ByteBuffer.allocate(size + 4096);
            assertEquals(size, pair[1].recv(heap), "received whole: " + size);
            assertArrayEquals(payload, Arrays.copyOf(heap.array(), size), "content of " + size);
        }
    }

    /** sendTo and recvFrom with heap buffers between two bound AF_UNIX datagram sockets. */
    @Test
    void sendToAndRecvFromMoveWholeDatagramsThroughHeapBuffers() throws Exception {
        String prefix = "selectors4j-heap-datagram-" + ProcessHandle.current().pid() + "-";
        UnixSocketAddress first = UnixSocketAddress.abstractName(prefix + "a");
        UnixSocketAddress second = UnixSocketAddress.abstractName(prefix + "b");
        NativeSocket a = closer.add(NativeSocket.open(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM, 0));
        a.bind(first);
        NativeSocket b = closer.add(NativeSocket.open(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM, 0));
        b.bind(second);

        byte[] payload = pattern(SIZE, 7);
        assertEquals(SIZE, a.sendTo(ByteBuffer.wrap(payload), second));
        ByteBuffer heap = ByteBuffer.allocate(2 * SIZE);
        assertEquals(first, b.recvFrom(heap), "recvFrom names the sender");
        assertEquals(SIZE, heap.position(), "the whole datagram");
        assertArrayEquals(payload, Arrays.copyOf(heap.array(), SIZE));
    }
}
