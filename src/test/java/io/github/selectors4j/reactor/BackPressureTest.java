package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.SocketOptions;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.selectors.BaseSelector;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server that answers each byte with 16 (so its output outgrows what a slow reader takes) pauses
 * reading when its connection's buffer passes the high-water mark, stops consuming the client's
 * input while paused, and resumes once the client drains the answers. Every answered byte is
 * checked, so the buffer's growing and compacting must keep the stream intact.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BackPressureTest extends AllBackendsLoopTest {

    private static final int AMPLIFY = 16;
    private static final int HIGH = 64 * 1024;

    /** The byte at offset {@code i} of the server's answer stream. */
    private static byte patternAt(long i) {
        return (byte) (i % 251);
    }

    private final class Amplifier implements ConnectionHandler {
        final int low;
        Connection connection;
        long consumed;
        long written;
        int pauses;
        int drains;

        Amplifier(int low) {
            this.low = low;
        }

        @Override
        public void onOpen(Connection opened) throws IOException {
            connection = opened;
            opened.setWaterMarks(low, HIGH);
            opened.socket().setOption(SocketOptions.SO_SNDBUF, 16 * 1024);
        }

        @Override
        public void onDrained(Connection c) {
            assertEquals(0, c.pendingBytes(), "drained means nothing is pending");
            drains++;
        }

        @Override
        public void onData(Connection c, ByteBuffer data) {
            int n = data.remaining();
            consumed += n;
            data.position(data.limit());
            byte[] answer = new byte[n * AMPLIFY];
            for (int i = 0; i < answer.length; i++) {
                answer[i] = patternAt(written + i);
            }
            written += answer.length;
            boolean wasPaused = c.isReadingPaused();
            c.write(answer, 0, answer.length);
            if (!wasPaused && c.isReadingPaused()) {
                pauses++;
            }
        }
    }

    /** The client side: non-blocking, sends when told, reads and checks when told. */
    private static final class SlowClient {
        final NativeSocket socket;
        final ByteBuffer chunk = ByteBuffer.allocateDirect(4096);
        final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        long sent;
        long received;

        SlowClient(NativeSocket socket) {
            this.socket = socket;
        }

        /** Sends one chunk, or what fits; returns the bytes sent. */
        int sendSome() throws IOException {
            chunk.clear();
            while (chunk.hasRemaining()) {
                chunk.put((byte) 'x');
            }
            chunk.flip();
            int n = socket.send(chunk);
            sent += n;
            return n;
        }

        /** Reads everything available, checking each byte. */
        void drain() throws IOException {
            for (int n; (n = socket.recv(in.clear())) > 0; ) {
                in.flip();
                for (int i = 0; i < n; i++) {
                    byte expected = patternAt(received);
                    byte actual = in.get();
                    if (actual != expected) {
                        throw new AssertionError("answer byte " + received + " is " + actual + ", expected " + expected);
                    }
                    received++;
                }
            }
        }
    }

    @ParameterizedTest(name = "low-water mark {0}")
    @ValueSource(ints = {0, 16 * 1024})
    void readingPausesAboveTheHighWaterMarkAndResumesWhenTheReaderDrains(int low) throws Exception {
        Amplifier amplifier = new Amplifier(low);
        Server server = closer.add(Server.listen(loop, IPv4SocketAddress.loopback(0), () -> amplifier));
        NativeSocket socket = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        socket.setOption(SocketOptions.SO_RCVBUF, 16 * 1024);   // a slow reader with a small window
        socket.connect(server.address());
        SlowClient client = new SlowClient(socket);
        runUntil(() -> amplifier.connection != null, Duration.ofSeconds(5), "the connection");
        Connection connection = amplifier.connection;

        // 1. The client sends and never reads: the server's answers pile up in its buffer until it pauses.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!connection.isReadingPaused() && System.nanoTime() < deadline) {
            client.sendSome();
            runFor(Duration.ofMillis(1));
        }
        assertTrue(connection.isReadingPaused(), "the connection did not pause; pending " + connection.pendingBytes());
        assertTrue(connection.pendingBytes() > HIGH, "paused with " + connection.pendingBytes() + " bytes pending");
        // More than one pause is possible here: while the kernel still grows the socket's send
        // buffer (TCP autotuning), a flush may drain to the low-water mark and resume once first.
        assertTrue(amplifier.pauses >= 1, "pauses: " + amplifier.pauses);
        int pausesBefore = amplifier.pauses;

        // 2. Paused: the client's further input stays in the kernel, unread by the server.
        long consumedAtPause = amplifier.consumed;
        for (int i = 0; i < 64 && client.sendSome() > 0; i++) {   // up to 256 KiB more
            if (i % 16 == 0) {
                runFor(Duration.ofMillis(1));
            }
        }
        runFor(Duration.ofMillis(200));
        assertEquals(consumedAtPause, amplifier.consumed, "the paused server went on consuming the client's input");
        assertTrue(client.sent > consumedAtPause, "the client's input waits in the kernel");
        assertTrue(connection.isReadingPaused());
        assertEquals(pausesBefore, amplifier.pauses, "with the client not reading, reading stayed paused throughout");
        System.out.printf("paused at %d KiB pending; %d KiB consumed, %d KiB sent by the client%n",
                connection.pendingBytes() / 1024, consumedAtPause / 1024, client.sent / 1024);

        // 3. The client drains: the buffer empties, reading resumes and the server consumes the rest.
        Handle reading = loop.callEvery(Duration.ofMillis(1), client::drain);
        runUntil(() -> amplifier.consumed == client.sent && connection.pendingBytes() == 0 && !connection.isReadingPaused()
                && client.received == amplifier.written, Duration.ofSeconds(20),
                "the drain (consumed " + amplifier.consumed + " of " + client.sent + ")");
        reading.cancel();
        assertFalse(connection.isReadingPaused());
        assertEquals(0, connection.pendingBytes());
        assertEquals(client.sent * AMPLIFY, client.received, "every answer byte arrived, in order");
        assertTrue(amplifier.drains >= 1, "onDrained was called when the buffer emptied");
        // The resumed read interest is applied just before the loop's next select: let it run once.
        runFor(Duration.ofMillis(1));
        assertEquals(BaseSelector.EVENT_READ, loop.selector().getKey(connection.socket()).events(), "reading again, nothing to write");

        server.close();
    }

    @ParameterizedTest(name = "low {0}")
    @ValueSource(ints = {-1, 10})
    void invalidWaterMarksAreRefused(int low) throws Exception {
        Connection[] opened = new Connection[1];
        Server server = closer.add(Server.listen(loop, IPv4SocketAddress.loopback(0), () -> new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) {
                opened[0] = connection;
            }

            @Override
            public void onData(Connection connection, ByteBuffer data) {
            }
        }));
        NativeSocket client = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        client.connect(server.address());
        runUntil(() -> opened[0] != null, Duration.ofSeconds(5), "the connection");
        int high = low == -1 ? 100 : 5;   // low < 0, or high < low
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> opened[0].setWaterMarks(low, high));
        assertTrue(refused.getMessage().contains("low=" + low + ", high=" + high), refused.getMessage());
        server.close();
    }
}
