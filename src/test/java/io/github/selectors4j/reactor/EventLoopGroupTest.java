package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.NativeSocketAddress;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.net.UnixSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An echo service on every loop of a group, with SO_REUSEPORT and with the hand-off an acceptor
 * falls back to; closing the group leaves no thread running and no fd open, and its loops watch
 * nothing once their servers are closed.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventLoopGroupTest extends LoopTestBase {

    private static final int LOOPS = 2;

    /** The loops each connection was served on. */
    private final Set<EventLoop> servedOn = ConcurrentHashMap.newKeySet();

    private Supplier<ConnectionHandler> echo() {
        return () -> (connection, data) -> {
            assertTrue(connection.loop().isInLoopThread());
            servedOn.add(connection.loop());
            connection.write(data);
        };
    }

    @Test
    void aGroupServesOneAddressOnAllItsLoops() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Server> servers;
        try (EventLoopGroup group = startGroup()) {
            assertEquals(LOOPS, group.loops().size());
            servers = group.serve(IPv4SocketAddress.loopback(0), echo());
            assertEquals(LOOPS, servers.size(), "one listener per loop with SO_REUSEPORT: " + servers);
            Set<EventLoop> listening = new HashSet<>();
            servers.forEach(server -> listening.add(server.loop()));
            assertEquals(Set.copyOf(group.loops()), listening, "each loop has its own listener");
            NativeSocketAddress address = servers.get(0).address();
            for (Server server : servers) {
                assertEquals(address, server.address(), "one address for all loops");
            }
            // The kernel picks a listener by a hash of each connection's 4-tuple: with 64 client
            // ports, the chance that one of two loops gets none is 2^-63.
            List<EchoClient> clients = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                clients.add(new EchoClient(loop, i, address, 3, 100, 4000, 77 + i));
            }
            runUntil(() -> clients.stream().allMatch(EchoClient::finished), Duration.ofSeconds(20), "all clients");
            for (EchoClient client : clients) {
                assertTrue(client.succeeded(), client.failure());
            }
            assertEquals(Set.copyOf(group.loops()), servedOn, "every loop served connections");
            Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("selectors4j-loop-")).forEach(threads::add);
            closeServersAndCheckLoops(group, servers);
        }
        for (Thread thread : threads) {
            assertFalse(thread.isAlive(), thread.getName() + " still runs after close()");
        }
        for (Server server : servers) {
            assertFalse(server.isAccepting());
            assertEquals(0, server.connectionCount());
        }
    }

    /**
     * A platform that refuses SO_REUSEPORT: one loop accepts and hands the connections round to
     * every loop; closing the server aborts them, each on its own loop.
     */
    @Test
    void whereSoReusePortIsRefusedOneLoopAcceptsAndHandsConnectionsToEveryLoop() throws Exception {
        List<NativeSocket> clients = new ArrayList<>();
        try (EventLoopGroup group = startGroup()) {
            List<Server> servers = group.serve(IPv4SocketAddress.loopback(0), echo(), (address, reusePort) -> {
                if (reusePort) {
                    throw new Server.ReusePortRefused(Errno.exception("setsockopt(SO_REUSEPORT)", Errno.ENOPROTOOPT, -1));
                }
                return Server.listeningSocket(address, false);
            });
            assertEquals(1, servers.size(), "one acceptor: " + servers);
            Server server = servers.get(0);
            assertSame(group.loops().get(0), server.loop());
            int connections = 4 * LOOPS;
            for (int i = 0; i < connections; i++) {
                clients.add(echoOnce(server.address(), "hi" + i));
            }
            assertEquals(Set.copyOf(group.loops()), servedOn, "connections are handed to every loop in turn");
            assertEquals(connections, server.connectionCount());

            server.close();
            Awaitility.await("the connections are aborted").atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 0);
            for (NativeSocket client : clients) {
                assertClosedByPeer(client);
            }
            closeServersAndCheckLoops(group, servers);
        } finally {
            clients.forEach(NativeSocket::close);
        }
    }

    /** An AF_UNIX address has no SO_REUSEPORT: the group hands its connections off instead of failing with EADDRINUSE. */
    @Test
    void aUnixAddressIsServedByHandingConnectionsOff(@TempDir Path directory) throws Exception {
        List<NativeSocket> clients = new ArrayList<>();
        try (EventLoopGroup group = startGroup()) {
            List<Server> servers = group.serve(UnixSocketAddress.of(directory.resolve("group.sock")), echo());
            assertEquals(1, servers.size(), "one acceptor: " + servers);
            for (int i = 0; i < 2 * LOOPS; i++) {
                clients.add(echoOnce(servers.get(0).address(), "hi" + i));
            }
            assertEquals(Set.copyOf(group.loops()), servedOn);
            closeServersAndCheckLoops(group, servers);
        } finally {
            clients.forEach(NativeSocket::close);
        }
    }

    /**
     * A listener failing for another reason than a refused SO_REUSEPORT (here EMFILE on the second
     * one) is thrown, with every listener opened so far closed, rather than hidden by a fallback
     * to one acceptor.
     */
    @Test
    void aListenerFailingForAnotherReasonIsThrownNotHiddenByTheFallback() throws Exception {
        List<NativeSocket> opened = new ArrayList<>();
        try (EventLoopGroup group = startGroup()) {
            ErrnoException thrown = assertThrows(ErrnoException.class, () -> group.serve(IPv4SocketAddress.loopback(0), echo(),
                    (address, reusePort) -> {
                        if (reusePort && !opened.isEmpty()) {
                            throw Errno.exception("socket", Errno.EMFILE, -1);   // the second listener only
                        }
                        NativeSocket listener = Server.listeningSocket(address, reusePort);
                        opened.add(listener);
                        return listener;
                    }));
            assertEquals(Errno.EMFILE, thrown.errno());
            assertEquals(1, opened.size(), "no fallback listener was opened");
            Awaitility.await("the first listener is closed").atMost(Duration.ofSeconds(5)).until(() -> isClosed(opened.get(0)));
            for (EventLoop groupLoop : group.loops()) {
                Loops.assertNothingWatched(groupLoop, "a group loop");
            }
        }
    }

    /** Starts the group, its loops reporting to this test's handler. */
    private EventLoopGroup startGroup() throws Exception {
        EventLoopGroup group = EventLoopGroup.start(LOOPS);
        for (EventLoop groupLoop : group.loops()) {
            CompletableFuture<Void> set = new CompletableFuture<>();
            groupLoop.execute(() -> {
                groupLoop.setExceptionHandler((context, error) -> reported.add(new Reported(context, error, Thread.currentThread())));
                set.complete(null);
            });
            set.get(10, TimeUnit.SECONDS);
        }
        return group;
    }

    /** Closes the servers, waits for their connections to end, and checks no loop of the group still watches anything. */
    private static void closeServersAndCheckLoops(EventLoopGroup group, List<Server> servers) throws Exception {
        servers.forEach(Server::close);
        Awaitility.await("the connections end").atMost(Duration.ofSeconds(5))
                .until(() -> servers.stream().allMatch(server -> server.connectionCount() == 0));
        for (EventLoop groupLoop : group.loops()) {
            Loops.assertNothingWatched(groupLoop, "a group loop");
        }
    }

    /** Connects a blocking client, sends {@code text} and reads the echo back; the caller closes the client. */
    private static NativeSocket echoOnce(NativeSocketAddress address, String text) throws Exception {
        NativeSocket client = NativeSocket.open(address.family(), SocketType.SOCK_STREAM, 0);
        try {
            client.setBlocking(true);
            client.setTimeout(Duration.ofSeconds(5));
            client.connect(address);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            client.send(ByteBuffer.wrap(bytes));
            ByteBuffer in = ByteBuffer.allocate(bytes.length);
            while (in.hasRemaining()) {
                assertTrue(client.recv(in) >= 0, "the server closed before echoing " + text);
            }
            assertEquals(text, new String(in.array(), StandardCharsets.UTF_8));
            return client;
        } catch (Exception | AssertionError e) {
            client.close();
            throw e;
        }
    }

    /** The peer closed (EOF) or aborted (ECONNRESET) the connection. */
    private static void assertClosedByPeer(NativeSocket client) throws Exception {
        try {
            assertEquals(-1, client.recv(ByteBuffer.allocate(4)), "EOF after the server closed");
        } catch (ErrnoException e) {
            assertEquals(Errno.ECONNRESET, e.errno(), "the connection was aborted: " + e);
        }
    }

    private static boolean isClosed(NativeSocket socket) {
        try {
            socket.fileno();
            return false;
        } catch (io.github.selectors4j.AlreadyClosedException closed) {
            return true;
        }
    }
}
