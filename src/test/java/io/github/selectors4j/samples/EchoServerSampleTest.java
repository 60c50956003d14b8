package io.github.selectors4j.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.testing.ChildJvm;
import io.github.selectors4j.testing.ExternalTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code samples/run echo-server}: socat and Java clients get back exactly what they send. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EchoServerSampleTest {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);

    @Test
    void oneLoopEchoesSocatAndEveryByteOfAMebibyteThenCtrlCPrintsTheTotals() throws Exception {
        ExternalTools.require("socat", "socat");
        try (SampleServer server = SampleServer.start("echo-server")) {
            String line = "hello over socat\n";
            ChildJvm.Result socat = ExternalClient.runWithInput(CLIENT_TIMEOUT, line, "socat", "-t", "5", "-", "TCP:127.0.0.1:" + server.port());
            assertEquals(0, socat.exitCode(), socat.output());
            assertEquals(line, socat.stdout());

            byte[] payload = randomBytes(1 << 20, 42);
            assertArrayEquals(payload, echo(server.port(), payload), "the mebibyte came back changed");

            String out = server.stopWithCtrlC();
            assertTrue(out.startsWith("listening on 127.0.0.1:" + server.port() + " (1 loop)\n"), out);
            assertTrue(out.contains("\nconnection 1 from 127.0.0.1:"), out);
            assertTrue(out.contains("\nclosed connection 1 after " + line.length() + " bytes\n"), out);
            assertTrue(out.contains("\nclosed connection 2 after " + payload.length + " bytes\n"), out);
            assertTrue(out.endsWith("\nstopped after 2 connections, " + (line.length() + payload.length) + " bytes echoed\n"), out);
        }
    }

    @Test
    void twoLoopsServeManyConcurrentClientsAndStopPrintingConnectionsAfterTen() throws Exception {
        int clients = 40;
        int size = 64 * 1024;
        try (SampleServer server = SampleServer.start("echo-server", "--loops", "2")) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                CountDownLatch allConnected = new CountDownLatch(clients);
                List<Future<?>> results = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    byte[] payload = randomBytes(size, i);
                    results.add(pool.submit(() -> {
                        try (Socket socket = connect(server.port())) {
                            allConnected.countDown();
                            allConnected.await();     // every client is connected before any sends
                            // 64 KiB fits in the loopback buffers, so sending all before reading cannot stall.
                            socket.getOutputStream().write(payload);
                            socket.shutdownOutput();
                            assertArrayEquals(payload, socket.getInputStream().readAllBytes());
                        }
                        return null;
                    }));
                }
                for (Future<?> result : results) {
                    result.get();
                }
            } finally {
                pool.shutdownNow();
            }

            String out = server.stopWithCtrlC();
            assertTrue(out.startsWith("listening on 127.0.0.1:" + server.port() + " (2 loops)\n"), out);
            assertEquals(10, out.lines().filter(l -> l.startsWith("connection ")).count(), out);
            assertTrue(out.contains("\nmore connections: counted, no longer printed\n"), out);
            assertTrue(out.endsWith("\nstopped after " + clients + " connections, " + (long) clients * size + " bytes echoed\n"), out);
        }
    }

    @Test
    void badArgumentsPrintTheUsageAndExitWithStatus2() throws Exception {
        ChildJvm.Result result = Samples.run("echo-server", Duration.ofSeconds(30), "--loops", "zero");
        assertEquals(2, result.exitCode(), result.output());
        assertEquals("usage: samples/run echo-server [--port N] [--loops N]\n", result.stderr());
    }

    /** Sends the payload from another thread while this one reads the echo, so neither side's buffers can stall it. */
    private static byte[] echo(int port, byte[] payload) throws IOException {
        try (Socket socket = connect(port)) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    socket.getOutputStream().write(payload);
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] received = socket.getInputStream().readAllBytes();
            sent.join();
            return received;
        }
    }

    static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port);
        socket.setSoTimeout((int) CLIENT_TIMEOUT.toMillis());
        return socket;
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
