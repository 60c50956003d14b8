package io.github.selectors4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.testing.BackgroundProcess;
import io.github.selectors4j.testing.ChildJvm;
import io.github.selectors4j.testing.ExternalTools;
import io.github.selectors4j.testing.NetNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code samples/run udp-multicast}, on the {@code lo} of a network namespace made for each test so
 * that the machine's own network is never touched: one instance listens, another (or socat) sends
 * to the group, and the demo mode hears its own datagrams.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UdpMulticastSampleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern LISTENING = Pattern.compile("on 239\\.255\\.0\\.1:(\\d+)");

    @Test
    void oneInstanceSendsToTheGroupAndAnotherPrintsItWithItsSender() throws Exception {
        try (NetNamespace ns = namespaceWithMulticastOnLo();
             BackgroundProcess listener = SamplesInNamespace.start(ns, "udp-multicast", "--listen")) {
            assertEquals("239.255.0.1 on lo (interface 1)", listener.awaitLine("joined", WAIT), listener.output());
            int port = portOf(listener);

            ChildJvm.Result sender = SamplesInNamespace.run(ns, WAIT, "udp-multicast", "--send", "hello from a sample",
                    "--port", Integer.toString(port));
            assertEquals(0, sender.exitCode(), sender.output());
            assertEquals("sent \"hello from a sample\" to 239.255.0.1:" + port + "\n", sender.stdout(), sender.output());

            String received = listener.awaitLine("received", WAIT);
            assertTrue(received.matches("\"hello from a sample\" from 127\\.0\\.0\\.1:\\d+ \\(19 bytes\\)"), received);

            stopAndCheck(listener, "stopped after 1 datagram");
        }
    }

    @Test
    void socatSendsToTheGroupAndTheListenerPrintsIt(@TempDir Path dir) throws Exception {
        ExternalTools.require("socat", "socat");
        Path message = Files.writeString(dir.resolve("message"), "hello from socat");
        try (NetNamespace ns = namespaceWithMulticastOnLo();
             BackgroundProcess listener = SamplesInNamespace.start(ns, "udp-multicast", "--listen")) {
            int port = portOf(listener);
            ChildJvm.Result socat = SamplesInNamespace.exec(ns, WAIT, "socat", "-u", "OPEN:" + message,
                    "UDP4-DATAGRAM:239.255.0.1:" + port);
            assertEquals(0, socat.exitCode(), socat.output());

            String received = listener.awaitLine("received", WAIT);
            assertTrue(received.matches("\"hello from socat\" from 127\\.0\\.0\\.1:\\d+ \\(16 bytes\\)"), received);
            stopAndCheck(listener, "stopped after 1 datagram");
        }
    }

    @Test
    void withoutAModeItHearsItsOwnThreeDatagramsAndExits() throws Exception {
        try (NetNamespace ns = namespaceWithMulticastOnLo()) {
            ChildJvm.Result demo = SamplesInNamespace.run(ns, Duration.ofSeconds(45), "udp-multicast");
            assertEquals(0, demo.exitCode(), demo.output());
            List<String> lines = demo.stdout().lines().toList();
            assertEquals(9, lines.size(), demo.output());
            Matcher listening = Pattern.compile("listening on 239\\.255\\.0\\.1:(\\d+)").matcher(lines.get(1));
            assertTrue(listening.matches(), demo.output());
            String group = "239.255.0.1:" + listening.group(1);
            for (int i = 1; i <= 3; i++) {
                assertEquals("sent \"hello " + i + "\" to " + group, lines.get(1 + i), demo.output());
                assertTrue(lines.get(4 + i).matches("received \"hello " + i + "\" from 127\\.0\\.0\\.1:\\d+ \\(7 bytes\\)"),
                        demo.output());
            }
            assertEquals("stopped after 3 datagrams", lines.get(8), demo.output());
        }
    }

    @Test
    void badArgumentsPrintTheUsage() throws Exception {
        String usage = "usage: samples/run udp-multicast [--group ADDRESS] [--port N] [--interface NAME] [--listen | --send TEXT]";
        List<List<String>> cases = List.of(
                List.of("--send", "x"),
                List.of("--group", "10.0.0.1"),
                List.of("--interface", "nope0"));
        for (List<String> args : cases) {
            ChildJvm.Result result = Samples.run("udp-multicast", Duration.ofSeconds(45), args.toArray(String[]::new));
            assertEquals(2, result.exitCode(), args + ": " + result.output());
            assertTrue(result.stderr().startsWith(usage) && result.stderr().lines().count() == 1, args + ": " + result.output());
            assertEquals("", result.stdout(), args + ": " + result.output());
        }
    }

    /**
     * A namespace whose {@code lo} is up and carries multicast: the {@code MULTICAST} flag, and a
     * route for 224.0.0.0/4 with source 127.0.0.1 (without it a new namespace has no address to
     * send multicast from, and datagrams leave with source 0.0.0.0).
     */
    private static NetNamespace namespaceWithMulticastOnLo() throws Exception {
        NetNamespace ns = NetNamespace.create();
        try {
            ns.ip("link", "set", "lo", "up", "multicast", "on");
            ns.ip("route", "add", "224.0.0.0/4", "dev", "lo", "src", "127.0.0.1");
            return ns;
        } catch (Exception | AssertionError e) {
            ns.close();
            throw e;
        }
    }

    private static int portOf(BackgroundProcess listener) throws Exception {
        String listening = listener.awaitLine("listening", WAIT);
        Matcher port = LISTENING.matcher(listening);
        assertTrue(port.matches(), listening);
        return Integer.parseInt(port.group(1));
    }

    private static void stopAndCheck(BackgroundProcess listener, String lastLine) throws Exception {
        Samples.interrupt(listener);
        assertEquals(0, listener.waitFor(WAIT), listener.output());
        List<String> lines = listener.stdout().lines().toList();
        assertEquals(lastLine, lines.get(lines.size() - 1), listener.output());
        assertEquals("", listener.stderr(), listener.output());
    }
}
