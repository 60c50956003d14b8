package io.github.selectors4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import io.github.selectors4j.testing.Closer;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link NativeSocket#recvFrom} names as the sender when the kernel reports no address: the
 * unnamed address on AF_UNIX only, null (Python's None) on any other family.
 */
class RecvFromAddressTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    /** Waits until {@code socket} is readable. */
    private void awaitReadable(NativeSocket socket) throws Exception {
        BaseSelector selector = closer.add(DefaultSelector.open());
        selector.register(socket, BaseSelector.EVENT_READ);
        assertEquals(1, selector.select(Duration.ofSeconds(10)).size(), "data arrived");
    }

    @Test
    void aConnectedTcpSocketGetsNullNotAUnixAddress() throws Exception {
        NativeSocket listener = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        listener.bind(IPv4SocketAddress.loopback(0));
        listener.listen(1);
        NativeSocket client = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        client.setBlocking(true);
        client.connect(listener.localAddress());
        listener.setBlocking(true);
        NativeSocket server = closer.add(listener.accept().socket());

        assertEquals(2, client.send(ByteBuffer.wrap(new byte[] {4, 2})));
        awaitReadable(server);
        ByteBuffer in = ByteBuffer.allocate(8);
        assertNull(server.recvFrom(in), "TCP reports no sender address: null, as Python's None");
        assertEquals(2, in.position(), "the data was received all the same");
        assertEquals(ByteBuffer.wrap(new byte[] {4, 2}), in.flip());
    }

    @Test
    void anAfUnixSocketGetsTheUnnamedAddress() throws Exception {
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM, 0);
        closer.add(pair[0]);
        closer.add(pair[1]);
        assertEquals(1, pair[0].send(ByteBuffer.wrap(new byte[] {9})));
        ByteBuffer in = ByteBuffer.allocate(8);
        assertSame(UnixSocketAddress.unnamed(), pair[1].recvFrom(in), "an unbound AF_UNIX sender is unnamed");
        assertEquals(1, in.position());
    }

    @Test
    void nothingAvailableIsStillNull() throws Exception {
        NativeSocket udp = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0));
        udp.bind(IPv4SocketAddress.loopback(0));
        ByteBuffer in = ByteBuffer.allocate(8);
        assertNull(udp.recvFrom(in));
        assertEquals(0, in.position());
    }
}
