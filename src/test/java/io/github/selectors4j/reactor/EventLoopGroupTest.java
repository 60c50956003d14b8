package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.NativeSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An echo service on every loop of a group; closing the group leaves no thread running and no fd open. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventLoopGroupTest extends LoopTestBase {

    @Test
    void aGroupServesOneAddressOnAllItsLoops() throws Exception {
        Set<String> serverThreads = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        List<Server> servers;
        try (EventLoopGroup group = EventLoopGroup.start(2)) {
            assertEquals(2, group.loops().size());
            servers = group.serve(IPv4SocketAddress.loopback(0), () -> (connection, data) -> {
                serverThreads.add(Thread.currentThread().getName());
                assertTrue(connection.loop().isInLoopThread());
                connection.write(data);
            });
            NativeSocketAddress address = servers.get(0).address();
            for (Server server : servers) {
                assertEquals(address, server.address(), "one address for all loops");
            }
            List<EchoClient> clients = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                clients.add(new EchoClient(loop, i, address, 3, 100, 4000, 77 + i));
            }
            runUntil(() -> clients.stream().allMatch(EchoClient::finished), Duration.ofSeconds(20), "all clients");
            for (EchoClient client : clients) {
                assertTrue(client.succeeded(), client.failure());
            }
            System.out.println(servers.size() + " servers; connections served on " + serverThreads);
            assertTrue(serverThreads.stream().allMatch(name -> name.startsWith("selectors4j-loop-")), serverThreads.toString());
            Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("selectors4j-loop-")).forEach(threads::add);
        }
        for (Thread thread : threads) {
            assertFalse(thread.isAlive(), thread.getName() + " still runs after close()");
        }
        for (Server server : servers) {
            assertFalse(server.isAccepting());
            assertEquals(0, server.connectionCount());
        }
    }
}
