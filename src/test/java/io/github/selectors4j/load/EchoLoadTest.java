package io.github.selectors4j.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.testing.ChildJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 1,000 concurrent connections to the reactor's echo server exchange checksummed frames, on one
 * server loop and on an EventLoopGroup of two, in a child JVM ({@link EchoLoadMain}): all 1,000
 * are held open at once, every byte comes back unchanged and in order, every connection closes
 * cleanly, and afterwards the fd table, the direct buffers and the C heap are back where they
 * started.
 *
 * <h2>Soak mode</h2>
 * By default each run exchanges for {@link #CI_DURATION} (the CI mode). {@code
 * -Dselectors4j.soak=10m} (or {@code 90s}, {@code 2h}) runs each for that long instead:
 * <pre>./mvnw -B -o test -Dtest=EchoLoadTest -Dselectors4j.soak=10m</pre>
 * Both modes print the throughput and the memory figures.
 */
class EchoLoadTest {

    static final Duration CI_DURATION = Duration.ofSeconds(3);
    private static final int CONNECTIONS = 1000;
    /** Growth of the C heap tolerated after a run; the JVM's own share moves by a few hundred KiB. */
    private static final long C_HEAP_LIMIT = 2L << 20;

    @Test
    void oneLoopServesAThousandConnectionsWithoutLosingAByte() throws Exception {
        check(run(CONNECTIONS, 1));
    }

    @Test
    void aGroupOfTwoLoopsServesAThousandConnectionsWithoutLosingAByte() throws Exception {
        check(run(CONNECTIONS, 2));
    }

    /** The exchange time: {@code selectors4j.soak} if set (e.g. 10m, 90s, 2h), else the CI duration. */
    static Duration duration() {
        String soak = System.getProperty("selectors4j.soak", "");
        if (soak.isBlank()) {
            return CI_DURATION;
        }
        return Duration.parse("PT" + soak.trim().toUpperCase(java.util.Locale.ROOT));
    }

    private static Map<String, String> run(int connections, int loops) throws Exception {
        Duration duration = duration();
        List<String> main = new ArrayList<>(List.of("io.github.selectors4j.load.EchoLoadMain", Integer.toString(connections),
                Double.toString(duration.toMillis() / 1000.0), Integer.toString(loops)));
        ChildJvm.Result child = ChildJvm.run(ProcessProbe.STABLE_JVM, main, duration.toSeconds() + 300);
        assertEquals(0, child.exitCode(), child::output);
        Map<String, String> fields = new HashMap<>();
        for (String line : child.stdout().split("\n")) {
            if (line.startsWith("LOAD ") || line.startsWith("MEMORY ")) {
                System.out.println("echo load (" + (duration.equals(CI_DURATION) ? "CI" : "soak") + " mode): " + line);
                for (String field : line.substring(line.indexOf(' ') + 1).split(" ")) {
                    String[] kv = field.split("=", 2);
                    fields.put(kv[0], kv[1]);
                }
            }
        }
        assertTrue(fields.containsKey("held") && fields.containsKey("fds"), child::output);
        double requested = duration.toMillis() / 1000.0;
        assertTrue(Double.parseDouble(fields.get("seconds")) >= requested * 0.99,
                () -> "exchanged for less than the " + requested + " s asked for: " + child.output());
        fields.put("output", child.output());
        return fields;
    }

    private static void check(Map<String, String> run) {
        String output = run.get("output");
        assertEquals("none", run.get("firstFailure"), output);
        assertEquals("0", run.get("failures"), output);
        assertEquals(Integer.toString(CONNECTIONS), run.get("held"), () -> "not all connections were open at once: " + output);
        assertEquals(Integer.toString(CONNECTIONS), run.get("opened"), output);
        assertEquals("0", run.get("unfinished"), output);
        assertEquals("0", run.get("serverErrors"), output);
        assertEquals("0", run.get("serverConnectionsLeft"), output);
        assertTrue(Long.parseLong(run.get("minFramesPerConnection")) > 0, () -> "a connection exchanged nothing: " + output);
        assertEquals(before(run, "fds"), after(run, "fds"), () -> "fds were left open: " + output);
        assertTrue(after(run, "direct") <= before(run, "direct"), () -> "direct buffers were left: " + output);
        assertTrue(after(run, "cHeap") - before(run, "cHeap") < C_HEAP_LIMIT, () -> "the C heap grew: " + output);
    }

    private static long before(Map<String, String> run, String key) {
        return Long.parseLong(run.get(key).split(">")[0]);
    }

    private static long after(Map<String, String> run, String key) {
        return Long.parseLong(run.get(key).split(">")[1]);
    }
}
