package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.NativeSocketAddress;
import io.github.selectors4j.net.SocketType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An echo {@link Server} on its own loop and thread, and many non-blocking clients on the test's
 * loop: every byte comes back, connections close cleanly, and closing the server leaves no fd.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServerEchoTest extends AllBackendsLoopTest {

    private EventLoop serverLoop;
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closedCleanly = new AtomicInteger();
    private final List<Throwable> closeErrors = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void openServerLoop() throws IOException {
        serverLoop = newLoop();
        serverLoop.setExceptionHandler((context, error) -> reported.add(new Reported("server loop: " + context, error, Thread.currentThread())));
    }

    @AfterEach
    void checkAndCloseServerLoop() throws Exception {
        if (serverLoop == null) {
            return;   // skipped before it opened
        }
        try {
            assertFalse(serverLoop.isRunning(), "the server loop still runs at the end of the test");
            // The servers are in the closer: closing them must leave nothing registered behind.
            closer.close();
            if (!serverLoop.isClosed()) {
                Loops.assertNothingWatched(serverLoop, "the server loop");
            }
        } finally {
            serverLoop.close();
        }
    }

    /** An echo handler that adds each connection it opens to {@code accepted}. */
    private static ConnectionHandler echoInto(List<Connection> accepted) {
        return new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) {
                accepted.add(connection);
            }

            @Override
            public void onData(Connection connection, ByteBuffer data) {
                connection.write(data);
            }
        };
    }

    private ConnectionHandler echo() {
        return new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) {
                opened.incrementAndGet();
            }

            @Override
            public void onData(Connection connection, ByteBuffer data) {
                connection.write(data);
            }

            @Override
            public void onClose(Connection connection, Throwable error) {
                if (error == null) {
                    closedCleanly.incrementAndGet();
                } else {
                    closeErrors.add(error);
                }
            }
        };
    }

    @Test
    void twoHundredConcurrentClientsGetEveryByteBack() throws Exception {
        Server server = closer.add(Server.listen(serverLoop, IPv4SocketAddress.loopback(0), this::echo));
        NativeSocketAddress address = server.address();
        int clients = 200;
        int messages = 5;
        long start = System.nanoTime();
        try (LoopThread serverThread = LoopThread.start(serverLoop, "echo-server")) {
            List<EchoClient> all = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                all.add(new EchoClient(loop, i, address, messages, 1024, 8192, 1000 + i));
            }
            runUntil(() -> all.stream().allMatch(EchoClient::finished), Duration.ofSeconds(30), "all clients");
            for (EchoClient client : all) {
                assertTrue(client.succeeded(), client.failure());
                assertEquals(messages, client.messagesEchoed());
            }
            long bytes = all.stream().mapToLong(EchoClient::bytesEchoed).sum();
            System.out.printf("echo: %d clients x %d messages, %d KiB each way in %d ms%n",
                    clients, messages, bytes / 1024, (System.nanoTime() - start) / 1_000_000);

            // Each client closed after its last echo: the server reads end of stream and closes too.
            org.awaitility.Awaitility.await("the server closes every connection").atMost(Duration.ofSeconds(10))
                    .until(() -> serverThread.call(server::connectionCount) == 0);
            assertEquals(clients, opened.get());
            assertEquals(clients, closedCleanly.get(), "errors: " + closeErrors);
            serverThread.call(() -> {
                server.close();
                return null;
            });
            assertFalse(serverThread.call(server::isAccepting));
            assertEquals(0, serverThread.call(() -> serverLoop.counts()[0]), "no watcher left on the server loop");
            assertEquals(0, server.shedConnections());
        }
    }

    /**
     * A write the socket takes at once never touches the selector: the server side's key is the
     * very same object after many echoes (a modify would replace it) and still wants READ only.
     */
    @Test
    void writesThatGoOutAtOnceCauseNoInterestChange() throws Exception {
        List<Connection> accepted = new ArrayList<>();
        Server server = closer.add(Server.listen(serverLoop, IPv4SocketAddress.loopback(0), () -> echoInto(accepted)));
        NativeSocket client = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        client.setBlocking(true);
        client.connect(server.address());
        ByteBuffer message = ByteBuffer.allocate(64);
        ByteBuffer reply = ByteBuffer.allocate(64);
        serverLoop.runUntil(() -> accepted.size() == 1);
        NativeSocket serverSide = accepted.get(0).socket();
        io.github.selectors4j.selectors.SelectorKey before = serverLoop.selector().getKey(serverSide);
        for (int i = 0; i < 100; i++) {
            client.send(message.clear());
            int echoed = 0;
            while (echoed < 64) {
                serverLoop.runOnce();
                echoed += client.recv(reply.clear(), NativeSocket.MSG_DONTWAIT);
            }
        }
        assertTrue(before == serverLoop.selector().getKey(serverSide), "the connection's selector key was modified");
        assertEquals(io.github.selectors4j.selectors.BaseSelector.EVENT_READ, before.events());
        assertEquals(0, accepted.get(0).pendingBytes());
        server.close();
    }

    /** A connection used from another thread while its loop runs refuses, instead of racing with the loop. */
    @Test
    void aConnectionRefusesCallsFromOtherThreadsWhileItsLoopRuns() throws Exception {
        java.util.concurrent.CopyOnWriteArrayList<Connection> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        Server server = closer.add(Server.listen(serverLoop, IPv4SocketAddress.loopback(0), () -> echoInto(accepted)));
        NativeSocket client = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        client.setBlocking(true);
        client.connect(server.address());
        try (LoopThread serverThread = LoopThread.start(serverLoop, "echo-server")) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 1);
            Connection connection = accepted.get(0);
            for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                    () -> connection.write(ByteBuffer.wrap(new byte[] {1})), connection::close, connection::abort,
                    connection::pauseReading, connection::shutdownOutput)) {
                IllegalStateException refused = assertThrows(IllegalStateException.class, call);
                assertTrue(refused.getMessage().contains("loop's thread"), refused.getMessage());
            }
            assertTrue(connection.isOpen(), "a refused close changed nothing");
            serverThread.call(() -> {
                connection.close();   // on the loop's thread: fine
                return null;
            });
            assertEquals(-1, client.recv(ByteBuffer.allocate(8)), "the server side closed");
            serverThread.call(() -> {
                server.close();
                return null;
            });
        }
    }

    /** shutdown() stops accepting at once but lets every connection send what it has buffered, then close in order. */
    @Test
    void shutdownStopsAcceptingAndClosesConnectionsAfterTheirBufferedOutput() throws Exception {
        int size = 4 << 20;
        java.util.concurrent.CopyOnWriteArrayList<Connection> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        Server server = closer.add(Server.listen(serverLoop, IPv4SocketAddress.loopback(0), () -> new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) {
                accepted.add(connection);
                byte[] big = new byte[size];
                for (int i = 0; i < size; i++) {
                    big[i] = (byte) (i % 251);
                }
                connection.write(big, 0, size);   // far more than the kernel takes: most is buffered
            }

            @Override
            public void onData(Connection connection, ByteBuffer data) {
            }
        }));
        NativeSocketAddress address = server.address();
        NativeSocket client = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        client.setBlocking(true);
        client.connect(address);
        try (LoopThread serverThread = LoopThread.start(serverLoop, "echo-server")) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 1);
            assertTrue(serverThread.call(() -> accepted.get(0).pendingBytes()) > 0, "output is waiting in the buffer");
            server.shutdown();   // from this thread: allowed, as close()
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !serverThread.call(server::isAccepting));
            assertThrows(ErrnoException.class, () -> {
                try (NativeSocket late = NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0)) {
                    late.setBlocking(true);
                    late.connect(address);
                }
            }, "no longer listening");
            assertTrue(serverThread.call(() -> accepted.get(0).isClosing() || !accepted.get(0).isOpen()));
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            long received = 0;
            for (int n; (n = client.recv(in.clear())) > 0; ) {
                for (int i = 0; i < n; i++) {
                    assertEquals((byte) ((received + i) % 251), in.get(i), "byte " + (received + i));
                }
                received += n;
            }
            assertEquals(size, received, "every buffered byte arrived before the orderly close (not a reset)");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !accepted.get(0).isOpen());
        }
    }

    @Test
    void closingTheServerAbortsItsConnectionsAndStopsListening() throws Exception {
        Server server = closer.add(Server.listen(serverLoop, IPv4SocketAddress.loopback(0), this::echo));
        NativeSocketAddress address = server.address();
        try (LoopThread serverThread = LoopThread.start(serverLoop, "echo-server")) {
            List<NativeSocket> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                NativeSocket client = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
                client.setBlocking(true);
                client.connect(address);
                clients.add(client);
                assertEquals("hello " + i, exchange(client, "hello " + i));
            }
            assertEquals(5, serverThread.call(server::connectionCount));
            server.close();   // from another thread: queued to the loop
            org.awaitility.Awaitility.await("the server closes").atMost(Duration.ofSeconds(5))
                    .until(() -> serverThread.call(() -> server.connectionCount() == 0 && serverLoop.counts()[0] == 0));
            for (NativeSocket client : clients) {
                client.setTimeout(Duration.ofSeconds(5));
                int n;
                try {
                    n = client.recv(ByteBuffer.allocate(16));
                } catch (ErrnoException reset) {
                    n = -1;   // an abort may reset instead
                }
                assertEquals(-1, n, "the client sees its connection end");
            }
            NativeSocket late = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
            late.setBlocking(true);
            ErrnoException refused = assertThrows(ErrnoException.class, () -> late.connect(address));
            assertEquals("ECONNREFUSED", refused.errnoName());
            assertEquals(5, closeErrors.size() + closedCleanly.get(), "onClose ran once per connection");
        }
    }

    @Test
    void aFailingHandlerIsReportedAndItsConnectionClosed() throws Exception {
        IllegalStateException bug = new IllegalStateException("handler bug");
        List<Throwable> onClose = new java.util.concurrent.CopyOnWriteArrayList<>();
        Server server = Server.listen(serverLoop, IPv4SocketAddress.loopback(0), () -> new ConnectionHandler() {
            @Override
            public void onData(Connection connection, ByteBuffer data) {
                throw bug;
            }

            @Override
            public void onClose(Connection connection, Throwable error) {
                onClose.add(error);
            }
        });
        try (LoopThread serverThread = LoopThread.start(serverLoop, "echo-server")) {
            NativeSocket client = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
            client.setBlocking(true);
            client.connect(server.address());
            client.send(ByteBuffer.wrap("x".getBytes()));
            client.setTimeout(Duration.ofSeconds(5));
            assertEquals(-1, client.recv(ByteBuffer.allocate(4)), "the connection was closed");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !onClose.isEmpty() && !reported.isEmpty());
            assertEquals(List.of(bug), onClose, "onClose hears why");
            List<Reported> reports = takeReports();
            assertEquals(1, reports.size(), reports.toString());
            assertTrue(reports.get(0).context().contains("connection handler"), reports.get(0).context());
            serverThread.call(() -> {
                server.close();
                return null;
            });
        }
    }

    @Test
    void closingTheServerAfterItsLoopWasClosedReportsNothing() throws Exception {
        Server server = closer.add(Server.listen(serverLoop, IPv4SocketAddress.loopback(0), this::echo));
        serverLoop.close();
        server.close();
        assertFalse(server.isAccepting());
    }

    /**
     * {@code close()} from a thread other than the loop's, while the loop is not running, acts for
     * the loop on the calling thread; a thread starting the loop meanwhile must wait until it is done,
     * or the two would touch the loop's watchers at once. The connection's onClose, which the close
     * runs, starts the loop on another thread and looks whether it got in.
     */
    @Test
    void aLoopStartedWhileTheServerClosesForItWaitsUntilTheCloseIsDone() throws Exception {
        Thread[] starter = new Thread[1];
        Throwable[] starterFailure = new Throwable[1];
        boolean[] loopRanDuringClose = new boolean[1];
        Server server = closer.add(Server.listen(serverLoop, IPv4SocketAddress.loopback(0), () -> new ConnectionHandler() {
            @Override
            public void onData(Connection connection, ByteBuffer data) {
            }

            @Override
            public void onClose(Connection connection, Throwable error) {
                starter[0] = new Thread(() -> {
                    try {
                        serverLoop.runForever();
                    } catch (Throwable e) {
                        starterFailure[0] = e;
                    }
                }, "starter");
                starter[0].start();
                org.awaitility.Awaitility.await("the loop runs, or its starter waits to").atMost(Duration.ofSeconds(5))
                        .until(() -> serverLoop.isRunning() || isWaitingToEnter(starter[0]));
                loopRanDuringClose[0] = serverLoop.isRunning();
            }
        }));
        NativeSocket client = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        client.connect(server.address());
        Loops.runUntil(serverLoop, () -> server.connectionCount() == 1, Duration.ofSeconds(5), "the connection accepted");

        server.close();   // the loop is not running: the close acts for it here
        serverLoop.stop();
        starter[0].join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(starter[0].isAlive(), "the loop did not stop");
        assertEquals(null, starterFailure[0]);
        assertFalse(loopRanDuringClose[0], "the loop started running while the close acted for it");
        assertEquals(0, server.connectionCount());
    }

    /** The thread is blocked at the start of a run method, waiting for the loop to be free. */
    private static boolean isWaitingToEnter(Thread thread) {
        if (thread.getState() != Thread.State.BLOCKED && thread.getState() != Thread.State.WAITING) {
            return false;
        }
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals(EventLoop.class.getName()) && frame.getMethodName().equals("enter")) {
                return true;
            }
        }
        return false;
    }

    private static String exchange(NativeSocket client, String text) throws IOException {
        client.send(ByteBuffer.wrap(text.getBytes()));
        ByteBuffer in = ByteBuffer.allocate(text.length());
        client.setTimeout(Duration.ofSeconds(5));
        while (in.hasRemaining()) {
            if (client.recv(in) < 0) {
                throw new IOException("end of stream");
            }
        }
        client.setBlocking(true);
        return new String(in.array());
    }
}
