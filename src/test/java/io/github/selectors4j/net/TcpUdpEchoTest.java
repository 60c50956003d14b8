package io.github.selectors4j.net;

import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static io.github.selectors4j.selectors.BaseSelector.EVENT_WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import io.github.selectors4j.selectors.ReadyKey;
import io.github.selectors4j.testing.Closer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TCP and UDP echo over IPv4 and IPv6 loopback, both ends driven by one selector: the classic
 * event loop, on sockets the JDK could make, but made and driven by selectors4j end to end.
 */
class TcpUdpEchoTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    private static NativeSocketAddress loopback(int family) {
        return family == 4 ? IPv4SocketAddress.loopback(0) : IPv6SocketAddress.loopback(0);
    }

    private static int af(int family) {
        return family == 4 ? AddressFamily.AF_INET : AddressFamily.AF_INET6;
    }

    /** Echoes 256 KiB, more than the socket buffers take at once, so partial writes happen. */
    @ParameterizedTest(name = "IPv{0}")
    @ValueSource(ints = {4, 6})
    void tcpEchoThroughOneSelector(int family) throws Exception {
        BaseSelector selector = closer.add(DefaultSelector.open());
        NativeSocket server = closer.add(NativeSocket.open(af(family), SocketType.SOCK_STREAM, 0));
        server.setOption(SocketOptions.SO_REUSEADDR, true);
        server.bind(loopback(family));
        server.listen(8);
        NativeSocketAddress serverAddress = server.localAddress();
        selector.register(server, EVENT_READ, "server");

        NativeSocket client = closer.add(NativeSocket.open(af(family), SocketType.SOCK_STREAM, 0));
        client.setOption(SocketOptions.TCP_NODELAY, true);
        boolean connected = client.connect(serverAddress);
        selector.register(client, EVENT_WRITE, "client");

        byte[] message = new byte[256 * 1024];
        new Random(42).nextBytes(message);
        ByteBuffer toSend = ByteBuffer.wrap(message);
        ByteBuffer received = ByteBuffer.allocate(message.length);
        ByteBuffer echo = ByteBuffer.allocateDirect(64 * 1024).flip();
        NativeSocket connection = null;

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (received.hasRemaining() && System.nanoTime() < deadline) {
            for (ReadyKey ready : selector.select(Duration.ofSeconds(1))) {
                switch ((String) ready.key().data()) {
                    case "server" -> {
                        Accepted accepted = server.accept();
                        connection = closer.add(accepted.socket());
                        assertEquals(client.localAddress(), accepted.address(), "accept reports the peer's address");
                        assertEquals(client.localAddress(), connection.remoteAddress());
                        selector.register(connection, EVENT_READ, "connection");
                    }
                    case "client" -> {
                        if (!connected) {
                            connected = client.finishConnect();
                        }
                        if (ready.isWritable() && toSend.hasRemaining()) {
                            client.send(toSend);
                        }
                        if (ready.isReadable()) {
                            client.recv(received);
                        }
                        selector.modify(client, toSend.hasRemaining() ? EVENT_READ | EVENT_WRITE : EVENT_READ, "client");
                    }
                    default -> {
                        // The echo side: read what came, write it back, waiting for WRITE only while data is pending.
                        if (ready.isReadable() && !echo.hasRemaining()) {
                            echo.clear();
                            assertTrue(connection.recv(echo) >= 0, "the client does not close first");
                            echo.flip();
                        }
                        if (echo.hasRemaining()) {
                            connection.send(echo);
                        }
                        selector.modify(connection, echo.hasRemaining() ? EVENT_WRITE : EVENT_READ, "connection");
                    }
                }
            }
        }
        assertArrayEquals(message, received.array(), "every byte came back, in order");

        client.shutdown(NativeSocket.SHUT_WR);
        ByteBuffer eof = ByteBuffer.allocate(1);
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int n = 0;
        while ((n = connection.recv(eof)) == 0 && System.nanoTime() < until) {
            selector.select(Duration.ofMillis(100));
        }
        assertEquals(-1, n, "after the client's SHUT_WR the server reads end of stream");
    }

    @ParameterizedTest(name = "IPv{0}")
    @ValueSource(ints = {4, 6})
    void udpEchoThroughOneSelector(int family) throws Exception {
        BaseSelector selector = closer.add(DefaultSelector.open());
        NativeSocket server = closer.add(NativeSocket.open(af(family), SocketType.SOCK_DGRAM, 0));
        server.bind(loopback(family));
        NativeSocket client = closer.add(NativeSocket.open(af(family), SocketType.SOCK_DGRAM, 0));
        client.bind(loopback(family));
        selector.register(server, EVENT_READ, "server");
        selector.register(client, EVENT_READ, "client");

        for (int i = 0; i < 20; i++) {
            String text = "datagram " + i;
            assertEquals(text.length(), client.sendTo(ByteBuffer.wrap(text.getBytes()), server.localAddress()));
            String echoed = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (echoed == null && System.nanoTime() < deadline) {
                for (ReadyKey ready : selector.select(Duration.ofSeconds(1))) {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(100);
                    NativeSocketAddress from = ((NativeSocket) ready.key().fileobj()).recvFrom(buffer);
                    if ("server".equals(ready.key().data())) {
                        assertEquals(client.localAddress(), from, "recvFrom names the sender");
                        server.sendTo(buffer.flip(), from);
                    } else {
                        assertEquals(server.localAddress(), from);
                        echoed = new String(bytes(buffer.flip()));
                    }
                }
            }
            assertEquals(text, echoed);
        }
        assertEquals(null, server.recvFrom(ByteBuffer.allocate(10)), "nothing left: null, not an exception");
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
