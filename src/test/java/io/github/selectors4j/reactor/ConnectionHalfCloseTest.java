package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.SocketOptions;
import io.github.selectors4j.net.SocketType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Half-closing in both directions, and closing in order: buffered output is sent before the end of stream. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConnectionHalfCloseTest extends AllBackendsLoopTest {

    /** A non-blocking client on the test's thread, read into memory by a repeating timer. */
    private final class Client {
        final NativeSocket socket;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        boolean eof;
        Handle reading;

        Client(Server server) throws IOException {
            socket = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
            socket.setOption(SocketOptions.SO_RCVBUF, 32 * 1024);   // so that the kernel cannot absorb what the tests send
            socket.connect(server.address());
        }

        void startReading() {
            reading = loop.callEvery(Duration.ofMillis(1), this::drain);
        }

        void drain() throws IOException {
            int n;
            while (!eof && (n = socket.recv(in.clear())) != 0) {
                if (n < 0) {
                    eof = true;
                    reading.cancel();
                    return;
                }
                byte[] chunk = new byte[n];
                in.flip().get(chunk);
                received.write(chunk, 0, n);
            }
        }

        /** Sends all of {@code data}, running the loop while the socket is full. */
        void sendAll(byte[] data) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(data);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (out.hasRemaining() && System.nanoTime() < deadline) {
                socket.send(out);
                runFor(Duration.ofMillis(1));
            }
            assertFalse(out.hasRemaining(), "could not send " + out.remaining() + " bytes within 10 s");
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void theClientsShutdownMakesTheServerCloseAfterFlushing() throws Exception {
        Connection[] server = new Connection[1];
        int[] pendingAtEof = {-1};
        List<Throwable> closes = new ArrayList<>();
        Server listener = closer.add(Server.listen(loop, IPv4SocketAddress.loopback(0), () -> new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) throws IOException {
                server[0] = connection;
                connection.setWaterMarks(0, 64 << 20);   // no back-pressure: this test is about the end
                connection.socket().setOption(SocketOptions.SO_SNDBUF, 32 * 1024);
            }

            @Override
            public void onData(Connection connection, ByteBuffer data) {
                connection.write(data);
            }

            @Override
            public void onEof(Connection connection) throws Exception {
                pendingAtEof[0] = connection.pendingBytes();
                ConnectionHandler.super.onEof(connection);   // the default: close once flushed
            }

            @Override
            public void onClose(Connection connection, Throwable error) {
                closes.add(error);
            }
        }));
        Client client = new Client(listener);
        byte[] data = random(1 << 20, 11);
        client.sendAll(data);   // not reading yet: the echo backs up in the server's buffer
        client.socket.shutdown(NativeSocket.SHUT_WR);
        runUntil(() -> pendingAtEof[0] >= 0, Duration.ofSeconds(10), "the server's end of stream");
        assertTrue(pendingAtEof[0] > 0, "the server still had output buffered at the end of stream");
        assertTrue(server[0].isOpen(), "closing waits for the buffer to be sent");
        assertEquals(List.of(), closes);

        client.startReading();
        runUntil(() -> client.eof, Duration.ofSeconds(10), "the client's end of stream");
        assertArrayEquals(data, client.received.toByteArray(), "every buffered byte was sent before the close");
        assertFalse(server[0].isOpen());
        assertEquals(1, closes.size());
        assertNull(closes.get(0), "an orderly close");
        assertEquals(0, listener.connectionCount());
        listener.close();
    }

    @Test
    void theServersShutdownOutputEndsTheClientsInputButNotItsOutput() throws Exception {
        List<String> serverGot = new ArrayList<>();
        List<String> writeAfterShutdown = new ArrayList<>();
        boolean[] serverEof = {false};
        Server listener = closer.add(Server.listen(loop, IPv4SocketAddress.loopback(0), () -> new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) throws IOException {
                connection.write("hello".getBytes(), 0, 5);
                connection.shutdownOutput();
                connection.shutdownOutput();   // idempotent
                try {
                    connection.write("more".getBytes(), 0, 4);
                } catch (IllegalStateException expected) {
                    writeAfterShutdown.add(expected.getMessage());
                }
            }

            @Override
            public void onData(Connection connection, ByteBuffer data) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                serverGot.add(new String(bytes));
            }

            @Override
            public void onEof(Connection connection) throws Exception {
                serverEof[0] = true;
                ConnectionHandler.super.onEof(connection);
            }
        }));
        Client client = new Client(listener);
        client.startReading();
        runUntil(() -> client.eof, Duration.ofSeconds(5), "the client's end of stream");
        assertEquals("hello", client.received.toString());
        assertEquals(1, writeAfterShutdown.size());
        assertTrue(writeAfterShutdown.get(0).contains("shut down"), "the refusal says why: " + writeAfterShutdown.get(0));

        client.sendAll("ping".getBytes());   // the client can still send
        runUntil(() -> String.join("", serverGot).equals("ping"), Duration.ofSeconds(5), "the server reading ping");
        client.socket.close();
        runUntil(() -> serverEof[0] && listener.connectionCount() == 0, Duration.ofSeconds(5), "the server's close");
        listener.close();
    }

    @Test
    void shutdownOutputWithBufferedDataSendsItFirst() throws Exception {
        byte[] data = random(4 << 20, 12);
        Server listener = closer.add(Server.listen(loop, IPv4SocketAddress.loopback(0), () -> new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) throws IOException {
                connection.write(data, 0, data.length);
                assertTrue(connection.pendingBytes() > 0, "4 MiB do not fit in the socket at once");
                connection.shutdownOutput();
            }

            @Override
            public void onData(Connection connection, ByteBuffer data) {
            }
        }));
        Client client = new Client(listener);
        runFor(Duration.ofMillis(20));
        client.startReading();
        runUntil(() -> client.eof, Duration.ofSeconds(10), "the client's end of stream");
        assertArrayEquals(data, client.received.toByteArray());
        client.socket.close();
        runUntil(() -> listener.connectionCount() == 0, Duration.ofSeconds(5), "the server's close");
        listener.close();
    }

    @Test
    void closeSendsWhatIsBufferedAndAbortDropsIt() throws Exception {
        byte[] data = random(4 << 20, 13);
        boolean[] abort = {false};
        Server listener = closer.add(Server.listen(loop, IPv4SocketAddress.loopback(0), () -> new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) {
                connection.write(data, 0, data.length);
                if (abort[0]) {
                    connection.abort();
                } else {
                    connection.close();
                    assertTrue(connection.isOpen(), "closing, not closed, while data is buffered");
                }
            }

            @Override
            public void onData(Connection connection, ByteBuffer data) {
            }
        }));
        Client orderly = new Client(listener);
        runFor(Duration.ofMillis(20));
        orderly.startReading();
        runUntil(() -> orderly.eof, Duration.ofSeconds(10), "the end of stream after close()");
        assertArrayEquals(data, orderly.received.toByteArray());

        abort[0] = true;
        Client aborted = new Client(listener);
        runUntil(() -> listener.connectionCount() == 0, Duration.ofSeconds(5), "the aborted connection");
        try {
            aborted.startReading();
            runUntil(() -> aborted.eof, Duration.ofSeconds(10), "the end of stream after abort()");
        } catch (IOException reset) {
            System.out.println("abort() reset the connection: " + reset);
        }
        assertTrue(aborted.received.size() < data.length, "abort() dropped the buffered data");
        listener.close();
    }
}
