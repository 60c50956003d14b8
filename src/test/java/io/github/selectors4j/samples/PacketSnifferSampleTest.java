package io.github.selectors4j.samples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.IPv6SocketAddress;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.NativeSocketAddress;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.testing.BackgroundProcess;
import io.github.selectors4j.testing.ChildJvm;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.ExternalTools;
import io.github.selectors4j.testing.NetNamespace;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code samples/run packet-sniffer} on one end of a veth pair whose ends live in two network
 * namespaces made for the test, while the test exchanges UDP datagrams across it over IPv4 and IPv6
 * from sockets created inside those namespaces: every frame is summarised, and the totals add up.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PacketSnifferSampleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String HERE_MAC = "02:00:00:00:00:01";
    private static final String THERE_MAC = "02:00:00:00:00:02";
    private static final Pattern FRAME = Pattern.compile("frame (\\d+) (\\S+) (\\S+) (\\S+) .* \\((\\d+) bytes\\)");

    @Test
    void summarisesEveryFrameOfAnExchangeAndAddsThemUp() throws Exception {
        try (NetNamespace here = NetNamespace.create(); NetNamespace there = NetNamespace.create(); Closer sockets = new Closer()) {
            vethBetween(here, there);
            try (BackgroundProcess sniffer = SamplesInNamespace.start(here, "packet-sniffer", "--interface", "s4j0")) {
                assertTrue(sniffer.awaitLine("capturing", WAIT).matches("on s4j0 \\(interface \\d+\\); Ctrl-C for the totals"),
                        sniffer.output());

                int port4 = exchange(sockets, here, there, IPv4SocketAddress.of("10.9.0.2", 9999), "over IPv4");
                awaitFrame(sniffer, "out s4j0 ARP who-has 10.9.0.2 tell 10.9.0.1 (42 bytes)");
                awaitFrame(sniffer, "in s4j0 ARP 10.9.0.2 is-at " + THERE_MAC + " (42 bytes)");
                // 14 (Ethernet) + 20 (IPv4) + 8 (UDP) + 9 bytes of data
                awaitFrame(sniffer, "out s4j0 IPv4 UDP 10.9.0.1:" + port4 + " > 10.9.0.2:9999 (51 bytes)");
                awaitFrame(sniffer, "in s4j0 IPv4 UDP 10.9.0.2:9999 > 10.9.0.1:" + port4 + " (51 bytes)");

                int port6 = exchange(sockets, here, there, IPv6SocketAddress.of("fd00:9::2", 9999), "over IPv6");
                // 14 (Ethernet) + 40 (IPv6) + 8 (UDP) + 9 bytes of data
                awaitFrame(sniffer, "out s4j0 IPv6 UDP [fd00:9::1]:" + port6 + " > [fd00:9::2]:9999 (71 bytes)");
                awaitFrame(sniffer, "in s4j0 IPv6 UDP [fd00:9::2]:9999 > [fd00:9::1]:" + port6 + " (71 bytes)");

                Samples.interrupt(sniffer);
                assertEquals(0, sniffer.waitFor(WAIT), sniffer.output());
                assertTotalsAddUp(sniffer.stdout());
                assertEquals("", sniffer.stderr(), sniffer.output());
            }
        }
    }

    @Test
    void stopsByItselfAfterCountFrames() throws Exception {
        try (NetNamespace here = NetNamespace.create(); NetNamespace there = NetNamespace.create(); Closer sockets = new Closer()) {
            vethBetween(here, there);
            try (BackgroundProcess sniffer = SamplesInNamespace.start(here, "packet-sniffer", "--interface", "s4j0", "--count", "2")) {
                sniffer.awaitLine("capturing", WAIT);
                NativeSocket sender = sockets.add(here.socket(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0));
                // Send until the sniffer has its two frames and ends (the link's own IPv6 chatter may be among them).
                await("the sniffer to end after 2 frames").atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                    sender.sendTo(utf8("tick"), IPv4SocketAddress.of("10.9.0.2", 9999));
                    return !sniffer.isAlive();
                });
                assertEquals(0, sniffer.waitFor(WAIT), sniffer.output());
                List<String> frames = sniffer.stdout().lines().filter(l -> l.startsWith("frame ")).toList();
                assertEquals(2, frames.size(), sniffer.output());
                assertTrue(sniffer.stdout().contains("\ntotal 2 frames, "), sniffer.output());
                assertTotalsAddUp(sniffer.stdout());
            }
        }
    }

    @Test
    void withoutCapNetRawItSaysSoAndExitsWithOne() throws Exception {
        ExternalTools.require("setpriv", "util-linux");
        List<String> command = new ArrayList<>(List.of("setpriv", "--bounding-set", "-net_raw", "--inh-caps", "-net_raw"));
        command.addAll(Samples.command("packet-sniffer", "--count", "1"));
        ChildJvm.Result result = ChildJvm.exec(command, WAIT.toSeconds());
        Assumptions.assumeFalse(result.stderr().startsWith("setpriv:"), () -> "cannot drop CAP_NET_RAW here: " + result.stderr().strip());
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.stderr().startsWith("packet-sniffer: AF_PACKET sockets need the CAP_NET_RAW capability: run as root"),
                result.output());
        assertTrue(result.stderr().contains("EPERM"), result.output());
    }

    @Test
    void badArgumentsPrintTheUsage() throws Exception {
        for (List<String> args : List.of(List.of("--count", "0"), List.of("--interface", "nope0"))) {
            ChildJvm.Result result = Samples.run("packet-sniffer", WAIT, args.toArray(String[]::new));
            assertEquals(2, result.exitCode(), args + ": " + result.output());
            assertTrue(result.stderr().startsWith("usage: samples/run packet-sniffer [--interface NAME] [--count N]"), result.output());
        }
    }

    /** s4j0 (10.9.0.1, fd00:9::1) in {@code here}, its peer s4j1 (10.9.0.2, fd00:9::2) in {@code there}, both up. */
    private static void vethBetween(NetNamespace here, NetNamespace there) throws Exception {
        here.ip("link", "add", "s4j0", "address", HERE_MAC, "type", "veth", "peer", "name", "s4j1", "address", THERE_MAC,
                "netns", there.name());
        here.ip("addr", "add", "10.9.0.1/24", "dev", "s4j0");
        here.ip("addr", "add", "fd00:9::1/64", "dev", "s4j0", "nodad");
        there.ip("addr", "add", "10.9.0.2/24", "dev", "s4j1");
        there.ip("addr", "add", "fd00:9::2/64", "dev", "s4j1", "nodad");
        here.ip("link", "set", "s4j0", "up");
        there.ip("link", "set", "s4j1", "up");
    }

    /**
     * Sends a datagram from {@code here} to {@code peer} in {@code there}, which sends it back; checks
     * both arrived intact.
     *
     * @return the port it was sent from
     */
    private static int exchange(Closer sockets, NetNamespace here, NetNamespace there, NativeSocketAddress peer, String text) throws Exception {
        int family = peer.family();
        NativeSocket echo = sockets.add(there.socket(family, SocketType.SOCK_DGRAM, 0));
        echo.bind(peer);
        echo.setTimeout(WAIT);
        NativeSocket sender = sockets.add(here.socket(family, SocketType.SOCK_DGRAM, 0));
        sender.setTimeout(WAIT);

        sender.sendTo(utf8(text), peer);
        ByteBuffer buffer = ByteBuffer.allocate(64);
        NativeSocketAddress from = echo.recvFrom(buffer);
        assertEquals(text, new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
        echo.sendTo(buffer.flip(), from);
        ByteBuffer back = ByteBuffer.allocate(64);
        assertEquals(peer, sender.recvFrom(back));
        assertEquals(text, new String(back.array(), 0, back.position(), StandardCharsets.UTF_8));
        return family == AddressFamily.AF_INET ? ((IPv4SocketAddress) from).port() : ((IPv6SocketAddress) from).port();
    }

    /** Waits for a frame line ending with {@code summary} (after "frame N "). */
    private static void awaitFrame(BackgroundProcess sniffer, String summary) throws Exception {
        Pattern line = Pattern.compile("frame \\d+ " + Pattern.quote(summary));
        await(summary).atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> sniffer.stdout().lines().anyMatch(l -> line.matcher(l).matches()) || !sniffer.isAlive());
        assertTrue(sniffer.stdout().lines().anyMatch(l -> line.matcher(l).matches()), "no frame \"" + summary + "\":\n" + sniffer.output());
    }

    /** The frames are numbered 1..n, and the three total lines agree with them. */
    private static void assertTotalsAddUp(String stdout) {
        int frames = 0;
        long bytes = 0;
        Map<String, Integer> directions = new TreeMap<>();
        Map<String, Integer> types = new TreeMap<>();
        for (String line : stdout.lines().filter(l -> l.startsWith("frame ")).toList()) {
            Matcher frame = FRAME.matcher(line);
            assertTrue(frame.matches(), line);
            assertEquals(++frames, Integer.parseInt(frame.group(1)), stdout);
            assertEquals("s4j0", frame.group(3), line);
            directions.merge(frame.group(2), 1, Integer::sum);
            types.merge(frame.group(4), 1, Integer::sum);
            bytes += Long.parseLong(frame.group(5));
        }
        List<String> lines = stdout.lines().toList();
        int n = lines.size();
        assertEquals(List.of("total " + frames + " frame" + (frames == 1 ? "" : "s") + ", " + bytes + " bytes",
                "directions " + counts(directions), "types " + counts(types)), lines.subList(n - 3, n), stdout);
    }

    private static String counts(Map<String, Integer> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((name, count) -> parts.add(name + " " + count));
        return String.join(", ", parts);
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
