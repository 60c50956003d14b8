package io.github.selectors4j.samples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.testing.BackgroundProcess;
import io.github.selectors4j.testing.ChildJvm;
import io.github.selectors4j.testing.NetNamespace;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code samples/run netlink-monitor}, run inside a network namespace made for the test: it lists
 * the namespace's links and addresses, then prints each change {@code ip} makes there, in order.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NetlinkMonitorSampleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void printsTheCurrentStateThenEveryChangeInOrder() throws Exception {
        try (NetNamespace ns = NetNamespace.create();
             BackgroundProcess monitor = SamplesInNamespace.start(ns, "netlink-monitor")) {
            monitor.awaitLine("watching", WAIT);
            // A new namespace has lo, down and without addresses (and a fallback tunnel device per
            // tunnel module the kernel has loaded, such as sit0: also down, without addresses).
            List<String> dump = monitor.stdout().lines().toList();
            assertEquals("link 1 lo down", dump.get(0), monitor.output());
            assertEquals("watching for changes (Ctrl-C to stop)", dump.get(dump.size() - 1), monitor.output());
            assertTrue(dump.subList(1, dump.size() - 1).stream().allMatch(l -> l.matches("link \\d+ \\S+ down")), monitor.output());

            ns.ip("link", "add", "s4j0", "type", "veth", "peer", "name", "s4j1");
            Matcher created = Pattern.compile("link (\\d+) s4j0 down").matcher(awaitLine(monitor, "link \\d+ s4j0 down"));
            assertTrue(created.matches());
            String link = "link " + created.group(1) + " s4j0 ";

            ns.ip("link", "set", "s4j0", "up");
            awaitLine(monitor, Pattern.quote(link + "up (no carrier)"));     // its peer is still down
            ns.ip("link", "set", "s4j1", "up");
            awaitLine(monitor, Pattern.quote(link + "up"));
            ns.ip("addr", "add", "10.9.0.1/24", "dev", "s4j0");
            awaitLine(monitor, Pattern.quote("addr add 10.9.0.1/24 dev s4j0"));
            ns.ip("addr", "add", "fd00:9::1/64", "dev", "s4j0", "nodad");
            awaitLine(monitor, Pattern.quote("addr add fd00:9::1/64 dev s4j0"));
            ns.ip("addr", "del", "10.9.0.1/24", "dev", "s4j0");
            awaitLine(monitor, Pattern.quote("addr del 10.9.0.1/24 dev s4j0"));
            ns.ip("link", "del", "s4j0");
            awaitLine(monitor, Pattern.quote(link + "removed"));

            List<String> lines = monitor.stdout().lines().toList();
            assertInOrder(lines, "link 1 lo down", "watching for changes (Ctrl-C to stop)", link + "down",
                    link + "up (no carrier)", link + "up", "addr add 10.9.0.1/24 dev s4j0", "addr add fd00:9::1/64 dev s4j0",
                    "addr del 10.9.0.1/24 dev s4j0", link + "removed");

            Samples.interrupt(monitor);
            assertEquals(0, monitor.waitFor(WAIT), monitor.output());
            lines = monitor.stdout().lines().toList();
            assertEquals("stopped", lines.get(lines.size() - 1), monitor.output());
            assertEquals("", monitor.stderr(), monitor.output());
        }
    }

    @Test
    void anArgumentIsAUsageError() throws Exception {
        ChildJvm.Result result = Samples.run("netlink-monitor", WAIT, "eth0");
        assertEquals(2, result.exitCode(), result.output());
        assertEquals("usage: samples/run netlink-monitor   (no arguments)\n", result.stderr(), result.output());
    }

    /** Waits for a whole stdout line matching {@code regex}; returns it. */
    private static String awaitLine(BackgroundProcess monitor, String regex) throws Exception {
        Pattern pattern = Pattern.compile(regex);
        await(regex).atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> monitor.stdout().lines().anyMatch(l -> pattern.matcher(l).matches()) || !monitor.isAlive());
        String output = monitor.output();
        return monitor.stdout().lines().filter(l -> pattern.matcher(l).matches()).findFirst()
                .orElseThrow(() -> new AssertionError("no line /" + regex + "/: " + output));
    }

    /** Each expected line appears after the one before it (other lines may come between). */
    private static void assertInOrder(List<String> lines, String... expected) {
        int from = 0;
        for (String line : expected) {
            int at = lines.subList(from, lines.size()).indexOf(line);
            assertTrue(at >= 0, "\"" + line + "\" not found after line " + from + " in:\n" + String.join("\n", lines));
            from += at + 1;
        }
    }
}
