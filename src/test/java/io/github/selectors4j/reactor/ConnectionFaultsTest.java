package io.github.selectors4j.reactor;

import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static io.github.selectors4j.selectors.BaseSelector.EVENT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Platform;
import io.github.selectors4j.net.Accepted;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.Linger;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.NativeSocketAddress;
import io.github.selectors4j.net.SocketOptions;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.net.UnixSocketAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Network faults on a loop that serves other connections meanwhile: a peer's reset, its half-close,
 * a refused and a timed-out connect, a write to a closed peer. Each must reach the right callback
 * as a clear error (a {@link Connection}'s {@code onClose}, or the exception of the raw socket's
 * own call) while the {@link Bystanders} keep exchanging data, every byte of which is checked.
 * All traffic is on loopback.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConnectionFaultsTest extends AllBackendsLoopTest {

    private static final int SIGPIPE = 13;

    private Bystanders bystanders;
    /** What the victim server's onClose received, in order. */
    private final List<Throwable> victimCloses = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startBystanders() throws IOException {
        bystanders = Bystanders.start(loop, 8, 80, 8100);
        runUntil(bystanders::halfWay, Duration.ofSeconds(20), "the bystanders half-way");
    }

    @AfterEach
    void stopBystanders() {
        if (bystanders != null) {   // null when skipped before they started
            bystanders.close();
        }
    }

    /** Runs until the fault was seen and the bystanders are done, then checks them. */
    private void finish(java.util.function.BooleanSupplier faultSeen, String what) throws IOException {
        runUntil(() -> faultSeen.getAsBoolean() && bystanders.finished(), Duration.ofSeconds(30), what + ", and the bystanders");
        bystanders.assertServedThroughout();
        System.out.printf("%s: bystanders verified %d KiB, %d messages echoed after the fault%n",
                what, bystanders.bytesVerified() / 1024, bystanders.echoedAfterFault());
    }

    /** What the victim server does at a connection's end of stream, instead of closing it. */
    private interface EofAction {
        void onEof(Connection connection) throws Exception;
    }

    /** A server that echoes and records how each connection closed; {@code onEof} may be replaced. */
    private Server victim(NativeSocketAddress address, EofAction onEof) throws IOException {
        return closer.add(Server.listen(loop, address, () -> new ConnectionHandler() {
            @Override
            public void onData(Connection connection, ByteBuffer data) {
                connection.write(data);
            }

            @Override
            public void onEof(Connection connection) throws Exception {
                if (onEof == null) {
                    ConnectionHandler.super.onEof(connection);
                } else {
                    onEof.onEof(connection);
                }
            }

            @Override
            public void onClose(Connection connection, Throwable error) {
                victimCloses.add(error == null ? new Throwable("orderly") : error);
            }
        }));
    }

    /** A client socket, connected (the kernel completes it without the loop), then non-blocking. */
    private NativeSocket connected(NativeSocketAddress address) throws IOException {
        NativeSocket socket = closer.add(NativeSocket.open(address.family(), SocketType.SOCK_STREAM, 0));
        socket.setBlocking(true);
        socket.connect(address);
        socket.setBlocking(false);
        return socket;
    }

    private static void assertErrno(String expected, Throwable error) {
        ErrnoException errno = assertInstanceOf(ErrnoException.class, error, "not an errno failure: " + error);
        assertEquals(expected, errno.errnoName(), errno.getMessage());
    }

    @Test
    void aPeersResetReachesOnCloseAsEconnreset() throws Exception {
        assumeSocketErrorsReachTheApplication();
        Server server = victim(IPv4SocketAddress.loopback(0), null);
        NativeSocket client = connected(server.address());
        client.send(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
        runUntil(() -> server.connectionCount() == 1, Duration.ofSeconds(5), "the accept");

        bystanders.faultInjected();
        client.setOption(SocketOptions.SO_LINGER, new Linger(true, 0));
        client.close();   // with a zero linger: RST instead of FIN

        finish(() -> !victimCloses.isEmpty(), "a peer's reset");
        assertEquals(1, victimCloses.size());
        assertErrno("ECONNRESET", victimCloses.get(0));
        assertEquals(0, server.connectionCount());
        server.close();
    }

    @Test
    void aResetReachesARawSocketsReadAsItsException() throws Exception {
        assumeSocketErrorsReachTheApplication();
        NativeSocket listener = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        listener.bind(IPv4SocketAddress.loopback(0));
        listener.listen(4);
        NativeSocket client = connected(listener.localAddress());
        Accepted peer = listener.accept();
        closer.add(peer.socket());
        List<String> outcomes = new CopyOnWriteArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1024);
        loop.watch(client, EVENT_READ, (watch, events) -> {
            try {
                int n = client.recv(buffer.clear());
                outcomes.add(n < 0 ? "end of stream" : n + " bytes");
            } catch (ErrnoException e) {
                outcomes.add(e.errnoName());
            }
            watch.cancel();
        });

        bystanders.faultInjected();
        peer.socket().setOption(SocketOptions.SO_LINGER, new Linger(true, 0));
        peer.socket().close();

        finish(() -> !outcomes.isEmpty(), "a reset under a raw socket's read");
        assertEquals(List.of("ECONNRESET"), outcomes);
    }

    @Test
    void aPeersHalfCloseReachesOnEofAndTheReplyStillArrives() throws Exception {
        Server server = victim(IPv4SocketAddress.loopback(0), connection -> {
            connection.write(ByteBuffer.wrap(" bye".getBytes(StandardCharsets.US_ASCII)));
            connection.close();   // after the reply is sent
        });
        NativeSocket client = connected(server.address());
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        boolean[] eof = {false};
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        loop.watch(client, EVENT_READ, (watch, events) -> {
            int n = client.recv(buffer.clear());
            if (n < 0) {
                eof[0] = true;
                watch.cancel();
            } else {
                received.write(buffer.array(), 0, n);
            }
        });

        bystanders.faultInjected();
        client.send(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
        client.shutdown(NativeSocket.SHUT_WR);   // this side is done sending; it still reads

        finish(() -> eof[0] && !victimCloses.isEmpty(), "a peer's half-close");
        assertEquals("hello bye", received.toString(StandardCharsets.US_ASCII), "the echo and the reply, then end of stream");
        assertEquals("orderly", victimCloses.get(0).getMessage(), "closed without error: " + victimCloses.get(0));
        server.close();
    }

    @Test
    void aRefusedConnectIsTheSocketsException() throws Exception {
        assumeSocketErrorsReachTheApplication();
        NativeSocket closedPort = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        closedPort.bind(IPv4SocketAddress.loopback(0));   // bound, not listening: connects are refused
        List<String> outcomes = new CopyOnWriteArrayList<>();
        bystanders.faultInjected();
        connectWatched(closedPort.localAddress(), outcomes);

        finish(() -> !outcomes.isEmpty(), "a refused connect");
        assertEquals(List.of("ECONNREFUSED"), outcomes);
    }

    /**
     * A listener whose accept queue is full drops new SYNs, so a connect to it times out; with
     * TCP_SYNCNT 1 it gives up after one retransmission, about 3 s, all on loopback.
     */
    @Test
    void aTimedOutConnectIsTheSocketsException() throws Exception {
        assumeSocketErrorsReachTheApplication();
        Assumptions.assumeTrue(Platform.CURRENT.isLinux(), "TCP_SYNCNT and the dropped SYNs of a full accept queue are Linux's");
        NativeSocket listener = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        listener.bind(IPv4SocketAddress.loopback(0));
        listener.listen(0);
        connected(listener.localAddress());   // fills the queue, never accepted
        List<String> outcomes = new CopyOnWriteArrayList<>();
        bystanders.faultInjected();
        long start = System.nanoTime();
        connectWatched(listener.localAddress(), outcomes, socket -> socket.setIntOption(SocketOptions.SOL_TCP, 7 /* TCP_SYNCNT */, 1));

        finish(() -> !outcomes.isEmpty(), "a timed-out connect");
        assertEquals(List.of("ETIMEDOUT"), outcomes);
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertTrue(seconds >= 2 && seconds < 20, "timed out after " + seconds + " s");
    }

    /**
     * A write to a peer that closed fails with EPIPE, reported to onClose; the process survives,
     * because SIGPIPE is caught or ignored (the JVM's doing), which the test checks too. AF_UNIX, where
     * that write fails at once (over TCP the first write after the peer's close still succeeds).
     */
    @Test
    void aWriteToAClosedPeerReachesOnCloseAsEpipe() throws Exception {
        assertTrue(signalCaughtOrIgnored(SIGPIPE), "SIGPIPE would kill the process");
        UnixSocketAddress address = UnixSocketAddress.abstractName("s4j-epipe-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Server server = victim(address, connection -> connection.write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
        NativeSocket client = connected(address);
        runUntil(() -> server.connectionCount() == 1, Duration.ofSeconds(5), "the accept");

        bystanders.faultInjected();
        client.close();   // the server reads end of stream, and its onEof writes to the closed peer

        finish(() -> !victimCloses.isEmpty(), "a write to a closed peer");
        assertEquals(1, victimCloses.size());
        assertErrno("EPIPE", victimCloses.get(0));
        server.close();
    }

    /** A non-blocking connect watched for writability; its outcome (or its immediate failure) is recorded. */
    private void connectWatched(NativeSocketAddress address, List<String> outcomes) throws IOException {
        connectWatched(address, outcomes, socket -> { });
    }

    private interface SocketSetup {
        void apply(NativeSocket socket) throws IOException;
    }

    private void connectWatched(NativeSocketAddress address, List<String> outcomes, SocketSetup setup) throws IOException {
        NativeSocket socket = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        setup.apply(socket);
        try {
            if (socket.connect(address)) {
                outcomes.add("connected at once");
                return;
            }
        } catch (ErrnoException failedAtOnce) {
            outcomes.add(failedAtOnce.errnoName());
            return;
        }
        loop.watch(socket, EVENT_WRITE, (watch, events) -> {
            try {
                outcomes.add(socket.finishConnect() ? "connected" : "still in progress");
            } catch (ErrnoException e) {
                outcomes.add(e.errnoName());
            }
            watch.cancel();
        });
    }

    /** Whether this process catches or ignores a signal, from /proc/self/status (SigCgt, SigIgn). */
    private static boolean signalCaughtOrIgnored(int signal) throws IOException {
        long mask = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigCgt:") || line.startsWith("SigIgn:")) {
                mask |= Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        }
        return (mask & (1L << (signal - 1))) != 0;
    }
}
