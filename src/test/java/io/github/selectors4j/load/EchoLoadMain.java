package io.github.selectors4j.load;

import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.NativeSocketAddress;
import io.github.selectors4j.reactor.Connection;
import io.github.selectors4j.reactor.ConnectionHandler;
import io.github.selectors4j.reactor.EventLoop;
import io.github.selectors4j.reactor.EventLoopGroup;
import io.github.selectors4j.reactor.Handle;
import io.github.selectors4j.reactor.Server;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Child-JVM main of {@link EchoLoadTest}: an echo {@link Server} (on one loop, or an
 * {@link EventLoopGroup} of several) and {@code N} {@link LoadClient}s on a loop of their own,
 * exchanging checksummed frames for a while; then everything is closed and the process's fds and
 * native memory are measured against the start.
 *
 * <p>Arguments: connections, seconds of exchange, server loops. Prints two lines:
 * <pre>
 * LOAD connections=1000 loops=1 held=1000 seconds=5.00 frames=... bytes=... mibPerSecond=... failures=0 serverErrors=0 ...
 * MEMORY fds=35>35 cHeap=...>... direct=...>... directBytes=...>... nmtNonHeapKB=...>...
 * </pre>
 */
public final class EchoLoadMain {

    private EchoLoadMain() {
    }

    public static void main(String[] args) throws Exception {
        int connections = Integer.parseInt(args[0]);
        double seconds = Double.parseDouble(args[1]);
        int loops = Integer.parseInt(args[2]);
        // Warm up the code paths and make the per-thread scratch buffers, then take the baseline.
        run(Math.min(50, connections), 1, loops, false);
        ProcessProbe.settleAndMeasure();
        ProcessProbe.Snapshot before = ProcessProbe.settleAndMeasure();
        run(connections, seconds, loops, true);
        ProcessProbe.Snapshot after = ProcessProbe.settleAndMeasure();
        System.out.printf(java.util.Locale.ROOT, "MEMORY fds=%d>%d cHeap=%d>%d direct=%d>%d directBytes=%d>%d nmtNonHeapKB=%d>%d rssKB=%d>%d%n",
                before.fds(), after.fds(), before.cHeap(), after.cHeap(), before.directCount(), after.directCount(),
                before.directBytes(), after.directBytes(), before.nmtNonHeapKb(), after.nmtNonHeapKb(), before.rssKb(), after.rssKb());
    }

    private static void run(int count, double seconds, int loops, boolean report) throws Exception {
        AtomicLong serverErrors = new AtomicLong();
        AtomicLong opened = new AtomicLong();
        java.util.function.Supplier<ConnectionHandler> echo = () -> new ConnectionHandler() {
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
                if (error != null) {
                    serverErrors.incrementAndGet();
                }
            }
        };
        List<Server> servers;
        EventLoopGroup group = EventLoopGroup.start(loops);
        try (EventLoop clientLoop = EventLoop.open()) {
            servers = group.serve(IPv4SocketAddress.loopback(0), echo);
            clientLoop.setExceptionHandler((context, error) -> serverErrors.incrementAndGet());
            group.loops().forEach(loop -> loop.setExceptionHandler((context, error) -> serverErrors.incrementAndGet()));
            NativeSocketAddress address = servers.get(0).address();
            ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
            List<LoadClient> clients = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                clients.add(new LoadClient(clientLoop, 1_000_003L * i + 17, address, readBuffer));
            }
            boolean[] timedOut = {false};
            Handle connectDeadline = clientLoop.callLater(Duration.ofSeconds(60), () -> timedOut[0] = true);
            clientLoop.runUntil(() -> timedOut[0] || (clients.stream().allMatch(LoadClient::isConnected)
                    && servers.stream().mapToInt(Server::connectionCount).sum() == count) || clients.stream().anyMatch(LoadClient::isClosed));
            // The deadline is for connecting only: left armed, it would end a soak longer than a minute after one minute.
            connectDeadline.cancel();
            int held = servers.stream().mapToInt(Server::connectionCount).sum();

            long start = System.nanoTime();
            boolean[] exchanged = {false};
            clientLoop.callLater(Duration.ofNanos((long) (seconds * 1e9)), () -> exchanged[0] = true);
            clientLoop.runUntil(() -> exchanged[0] || timedOut[0]);
            double elapsed = (System.nanoTime() - start) / 1e9;
            clients.forEach(LoadClient::finish);
            boolean[] drainTimedOut = {false};
            clientLoop.callLater(Duration.ofSeconds(60), () -> drainTimedOut[0] = true);
            clientLoop.runUntil(() -> drainTimedOut[0] || clients.stream().allMatch(LoadClient::isClosed));
            long frames = clients.stream().mapToLong(LoadClient::framesVerified).sum();
            long bytes = clients.stream().mapToLong(LoadClient::bytesVerified).sum();
            long minFrames = clients.stream().mapToLong(LoadClient::framesVerified).min().orElse(0);
            List<String> failures = clients.stream().map(LoadClient::failure).filter(f -> f != null).toList();
            long unfinished = clients.stream().filter(client -> !client.isClosed()).count();
            clients.forEach(LoadClient::close);
            // The server saw every client's end of stream and closed its side: nothing may be left open.
            long serverLeft = waitForServersToEmpty(servers);
            if (report) {
                System.out.printf(java.util.Locale.ROOT, "LOAD connections=%d loops=%d held=%d opened=%d seconds=%.2f frames=%d bytes=%d mibPerSecond=%.1f minFramesPerConnection=%d "
                                + "failures=%d unfinished=%d serverErrors=%d serverConnectionsLeft=%d firstFailure=%s%n",
                        count, loops, held, opened.get(), elapsed, frames, bytes, bytes / elapsed / (1 << 20), minFrames,
                        failures.size(), unfinished, serverErrors.get(), serverLeft,
                        failures.isEmpty() ? "none" : failures.get(0).replace(' ', '_'));
            }
        } finally {
            group.close();
        }
    }

    private static long waitForServersToEmpty(List<Server> servers) {
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> servers.stream().mapToInt(Server::connectionCount).sum() == 0);
        } catch (org.awaitility.core.ConditionTimeoutException stillOpen) {
            // Reported below as serverConnectionsLeft; the test fails on it.
        }
        return servers.stream().mapToInt(Server::connectionCount).sum();
    }
}
