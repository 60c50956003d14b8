package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.testing.BackgroundProcess;
import io.github.selectors4j.testing.ChildJvm;
import io.github.selectors4j.testing.Closer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server out of fds ({@code EMFILE}), in a child JVM started under {@code ulimit -n 64}: the
 * connections it accepted before keep being served (none is lost or closed: each exchanges a
 * checksummed payload before the shortage, during it, and some after it), it does not spin on the
 * listening socket that stays readable, and it serves new clients once fds are free again.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EmfileTest {

    private static final int FD_LIMIT = 64;
    private static final int CLIENTS = 100;

    /** One client of the parent: a non-blocking socket and what became of it. */
    private static final class Client {
        final int index;
        final NativeSocket socket;
        final ByteBuffer in = ByteBuffer.allocate(PAYLOAD);
        final CRC32 receivedCrc = new CRC32();
        long expectedCrc;
        int expectedLength;
        int received;
        boolean served;
        boolean ended;

        Client(int index, NativeSocket socket) {
            this.index = index;
            this.socket = socket;
        }

        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.US_ASCII));
        }

        /** Sends a payload, whose echo {@link #poll()} then checks by length and CRC32. */
        void send(byte[] payload) throws IOException {
            CRC32 crc = new CRC32();
            crc.update(payload);
            expectedCrc = crc.getValue();
            expectedLength = payload.length;
            receivedCrc.reset();
            received = 0;
            served = false;
            ByteBuffer out = ByteBuffer.wrap(payload);
            socket.send(out);
            assertFalse(out.hasRemaining(), "a few KiB always fit in an idle socket");
        }

        /** Reads what is there (non-blocking); true once the echo is complete or the connection ended. */
        boolean poll() throws IOException {
            if (served || ended) {
                return true;
            }
            int n;
            try {
                n = socket.recv(in.clear());
            } catch (ErrnoException reset) {
                n = -1;   // shed connections are closed at once; the kernel may reset them
            }
            if (n < 0) {
                ended = true;
            } else if (n > 0) {
                receivedCrc.update(in.array(), 0, n);
                received += n;
                assertTrue(received <= expectedLength, "client " + index + " got more than it sent");
                if (received == expectedLength) {
                    assertEquals(expectedCrc, receivedCrc.getValue(), "client " + index + ": the echo differs from what was sent");
                    served = true;
                    verifiedBytes += expectedLength;
                }
            }
            return served || ended;
        }
    }

    private static final int PAYLOAD = 4096;
    /** Bytes echoed back and checked, all clients together. */
    private static long verifiedBytes;

    private static byte[] payload(long seed) {
        byte[] bytes = new byte[PAYLOAD];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aServerOutOfFdsKeepsServingDoesNotSpinAndRecovers() throws Exception {
        String command = "ulimit -n " + FD_LIMIT + "; exec " + quote(ChildJvm.javaExecutable())
                + " -XX:-MaxFDLimit --enable-native-access=ALL-UNNAMED -Xshare:auto -XX:TieredStopAtLevel=1 -Xmx64m"
                + " -cp " + quote(System.getProperty("java.class.path")) + " " + EmfileServerMain.class.getName();
        Closer closer = new Closer();
        try (BackgroundProcess child = BackgroundProcess.start(List.of("sh", "-c", command))) {
            int port = Integer.parseInt(child.awaitLine("PORT", Duration.ofSeconds(30)).trim());
            long pid = Long.parseLong(child.awaitLine("PID", Duration.ofSeconds(5)).trim());
            assertEquals(child.pid(), pid, "sh exec'd the JVM");
            System.out.println("child pid " + pid + " listens on port " + port + " with " + child.awaitLine("FDS", Duration.ofSeconds(5))
                    + " fds open of " + FD_LIMIT);
            IPv4SocketAddress address = IPv4SocketAddress.loopback(port);

            // 1. More clients than the child has fds: blocking connects complete in the kernel's backlog.
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                NativeSocket socket = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
                socket.setBlocking(true);
                socket.connect(address);
                socket.setBlocking(false);
                clients.add(new Client(i, socket));
            }
            verifiedBytes = 0;
            for (Client client : clients) {
                client.send(payload(client.index));   // the checksummed exchange before the shortage
            }
            // The child accepts until it runs out, then sheds (accepts and closes) one waiting connection per back-off.
            awaitStatus(child, status -> status.shed() > 0, "the child to run out of fds and shed a connection");
            int accepted = awaitStatus(child, status -> true, "a status").connections();
            List<Client> served = awaitServed(clients, accepted);
            System.out.println(accepted + " connections accepted before EMFILE; served: "
                    + served.stream().map(c -> c.index).collect(Collectors.toList()));
            assertTrue(accepted > 0 && accepted < CLIENTS, accepted + " accepted");

            // 2. Out of fds, with connections still waiting in the backlog: the accepted ones are served, and no spinning.
            long[] before = cpuTicks(pid);
            long windowStart = System.nanoTime();
            long windowEnd = windowStart + Duration.ofSeconds(2).toNanos();
            int exchanges = 0;
            while (System.nanoTime() < windowEnd) {
                Client client = served.get(exchanges % served.size());
                client.send("again " + exchanges);
                awaitEcho(client);
                exchanges++;
                Thread.sleep(50);   // pacing: the window should be mostly idle for the child
            }
            long[] after = cpuTicks(pid);
            double seconds = (System.nanoTime() - windowStart) / 1e9;
            double cpu = (after[0] - before[0]) / (double) clockTicksPerSecond() / seconds;
            Status during = awaitStatus(child, status -> true, "a status");
            System.out.printf("child CPU while out of fds: %.1f%% of one core over %.1f s (%d exchanges served meanwhile; status %s)%n",
                    cpu * 100, seconds, exchanges, during);
            assertTrue(cpu < 0.5, String.format("the child used %.0f%% of a core while out of fds: it spins", cpu * 100));
            // None closed; one more may have been accepted if an fd the JVM held briefly was free again.
            assertTrue(during.connections() >= accepted, "the accepted connections are all still open: " + during);
            assertTrue(clients.stream().anyMatch(c -> !c.served && !c.ended), "connections still wait in the backlog during the window");

            // 2b. Every connection accepted before the shortage is still there: each exchanges a
            // checksummed payload, while the shortage lasts.
            for (Client client : served) {
                client.send(payload(1000 + client.index));
            }
            for (Client client : served) {
                awaitEcho(client);
            }
            System.out.println("all " + served.size() + " connections accepted before the shortage exchanged a checksummed payload during it");

            // 3. Recovery: the parent closes all but two of the served clients and all waiting ones.
            List<Client> kept = served.subList(0, 2);
            for (Client client : clients) {
                if (!kept.contains(client)) {
                    client.socket.close();
                }
            }
            // The closed connections still waiting in the backlog are accepted (and closed at their
            // end of stream) once fds are back, each holding an fd meanwhile: new clients connecting
            // during that could be shed again, so they come once the child is down to the kept two.
            awaitStatus(child, status -> status.connections() == kept.size() && status.accepting(),
                    "the child to accept and close the connections that waited");
            List<Client> fresh = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                NativeSocket socket = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
                socket.setBlocking(true);
                socket.connect(address);
                socket.setBlocking(false);
                Client client = new Client(CLIENTS + i, socket);
                client.send("fresh " + i);
                fresh.add(client);
            }
            for (Client client : fresh) {
                awaitEcho(client);
            }
            for (Client client : kept) {
                client.send(payload(2000 + client.index));   // and after the recovery
                awaitEcho(client);
            }
            Status recovered = awaitStatus(child, status -> status.connections() == kept.size() + fresh.size(), "the child's recovery");
            System.out.println("recovered: " + recovered + "; " + verifiedBytes / 1024 + " KiB echoed and checked in all");

            // 4. The child ends cleanly when its stdin closes, and reports nothing went wrong.
            closer.close();
            child.closeStdin();
            assertEquals(0, child.waitFor(Duration.ofSeconds(20)), "the child's exit: " + child.output());
            String output = child.stdout();
            assertFalse(output.contains("ERROR "), "the child's loop reported errors:\n" + output);
            assertTrue(Long.parseLong(child.lastLine("EXIT").orElseThrow().trim()) > 0, "the server counted shed connections");
        } finally {
            closer.close();   // idempotent for the sockets already closed
        }
    }

    private record Status(int connections, long shed, boolean accepting) {
    }

    private interface StatusCondition {
        boolean holds(Status status);
    }

    /** Waits for a STATUS line newer than the call that satisfies the condition. */
    private static Status awaitStatus(BackgroundProcess child, StatusCondition condition, String what) throws IOException {
        long start = child.stdout().length();
        Status[] found = new Status[1];
        org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            String fresh = child.stdout().substring((int) start);
            List<String> lines = fresh.lines().filter(line -> line.startsWith("STATUS ")).toList();
            if (lines.isEmpty() || !child.isAlive()) {
                return !child.isAlive();
            }
            String[] fields = lines.get(lines.size() - 1).split(" ");
            Status status = new Status(Integer.parseInt(fields[1]), Long.parseLong(fields[2]), Boolean.parseBoolean(fields[3]));
            if (condition.holds(status)) {
                found[0] = status;
                return true;
            }
            return false;
        });
        if (found[0] == null) {
            throw new AssertionError("the child ended while waiting for " + what + ": " + child.output());
        }
        return found[0];
    }

    /** Waits until {@code count} clients have their echo, and returns them. */
    private static List<Client> awaitServed(List<Client> clients, int count) {
        org.awaitility.Awaitility.await(count + " clients served").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    for (Client client : clients) {
                        client.poll();
                    }
                    return clients.stream().filter(c -> c.served).count() >= count;
                });
        return clients.stream().filter(c -> c.served).collect(Collectors.toList());
    }

    private static void awaitEcho(Client client) {
        org.awaitility.Awaitility.await("the echo of client " + client.index).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(5))
                .until(client::poll);
        assertTrue(client.served, "client " + client.index + " was closed instead of served");
    }

    /** utime + stime of a process, in clock ticks, from /proc/pid/stat (fields 14 and 15). */
    private static long[] cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        return new long[] {Long.parseLong(fields[11]) + Long.parseLong(fields[12])};
    }

    private static long clockTicksPerSecond() throws Exception {
        ChildJvm.Result result = ChildJvm.exec(List.of("getconf", "CLK_TCK"), 10);
        return result.exitCode() == 0 ? Long.parseLong(result.stdout().trim()) : 100;
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
