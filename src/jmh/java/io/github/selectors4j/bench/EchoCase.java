package io.github.selectors4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An end-to-end case: one echo server process and the C load client ({@code src/jmh/c/echo_client.c})
 * against it, the server pinned to one CPU and the client to the other. Its sample's value is the
 * messages per second the client counted; its allocation is the server JVM's per message; its
 * details are the client's latency percentiles and the CPU both processes used.
 *
 * <p>The client runs the warmup and the measurement itself and prints {@code measuring} between
 * them; the case reads the server's CPU time ({@code /proc/<pid>/stat}) and, for a JVM, its
 * allocated bytes at that line and again at the client's result, so that both figures cover the
 * measurement only (the client keeps its connections open until its stdin is closed, so that their
 * teardown is not counted). The server is always stopped, also when the run fails.
 *
 * @param server the server under test
 * @param load   what the client asks of it
 */
record EchoCase(EchoServer server, EchoLoad load) implements BenchCase {

    /** The CPU of the server process, every thread of it. */
    static final int SERVER_CPU = 1;
    /** The CPU of the client. */
    static final int CLIENT_CPU = 0;
    /** The client's C source, in {@code src/jmh/c}. */
    static final String CLIENT_SOURCE = "echo_client";

    /** Median round-trip time of a message, in ns (the client's histogram, 1.6 % buckets). */
    static final String P50_NS = "p50_ns";
    /** 99th percentile of the round-trip time, in ns. */
    static final String P99_NS = "p99_ns";
    /** The client's CPU time over the measurement's wall time: 1 is one whole CPU. */
    static final String CLIENT_CPU_SHARE = "client_cpu";
    /** The server's CPU time (all its threads) over the measurement's wall time. */
    static final String SERVER_CPU_SHARE = "server_cpu";
    /** The server's CPU time per message, in ns. */
    static final String SERVER_CPU_NS = "server_cpu_ns";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SLACK = Duration.ofSeconds(30);

    @Override
    public String label() {
        return server.label();
    }

    @Override
    public Sample run(Settings settings) throws Exception {
        long warmupMillis = settings.warmupMillis();
        long measureMillis = settings.measureMillis();
        Path client = CProgram.compile(CLIENT_SOURCE);
        if (pinned()) {
            RequiredTools.require(RequiredTools.TASKSET);
        }
        try (ChildProcess serverProcess = ChildProcess.start("echo server " + label(),
                onCpu(SERVER_CPU, server.command(0)))) {
            int port = Integer.parseInt(serverProcess.awaitLine("listening", START_TIMEOUT));
            List<String> command = List.of(client.toString(), Integer.toString(port),
                    Integer.toString(load.connections()), Integer.toString(load.outstanding()),
                    Integer.toString(load.size()), Long.toString(warmupMillis), Long.toString(measureMillis));
            try (ChildProcess clientProcess = ChildProcess.start("echo client against " + label(),
                    onCpu(CLIENT_CPU, command))) {
                clientProcess.awaitLine("measuring", Duration.ofMillis(warmupMillis).plus(SLACK));
                Usage before = usage(serverProcess);
                String result = clientProcess.awaitLine("result", Duration.ofMillis(measureMillis).plus(SLACK));
                Usage after = usage(serverProcess);
                clientProcess.closeStdin(); // the client keeps its connections open until then
                clientProcess.awaitSuccess(SLACK);
                return sample(parse(result), before, after);
            } catch (IllegalStateException e) {
                e.addSuppressed(serverProcess.failure("was running when the client failed"));
                throw e;
            }
        }
    }

    /** The server's CPU time and allocation at one moment. */
    private record Usage(long nanoTime, double cpuSeconds, double allocatedBytes) {
    }

    private Usage usage(ChildProcess serverProcess) throws IOException, InterruptedException {
        long now = System.nanoTime();
        double cpu = cpuSeconds(serverProcess.pid());
        double allocated = Double.NaN;
        if (server.isJava()) {
            serverProcess.send("alloc");
            allocated = Double.parseDouble(serverProcess.awaitLine("alloc", SLACK));
        }
        return new Usage(now, cpu, allocated);
    }

    private static Sample sample(Map<String, Double> result, Usage before, Usage after) {
        double rate = result.get("rate");
        double seconds = (after.nanoTime() - before.nanoTime()) / 1e9;
        double messages = rate * seconds; // in the server's window, which is the client's to a few ms
        double cpu = after.cpuSeconds() - before.cpuSeconds();
        Map<String, Double> details = new HashMap<>();
        details.put(P50_NS, result.get(P50_NS));
        details.put(P99_NS, result.get(P99_NS));
        details.put(CLIENT_CPU_SHARE, result.get(CLIENT_CPU_SHARE));
        details.put(SERVER_CPU_SHARE, cpu / seconds);
        details.put(SERVER_CPU_NS, cpu * 1e9 / messages);
        return new Sample(rate, (after.allocatedBytes() - before.allocatedBytes()) / messages, details);
    }

    /** The client's "result" line: {@code name=value} pairs. */
    static Map<String, Double> parse(String result) {
        Map<String, Double> values = new HashMap<>();
        for (String pair : result.trim().split("\\s+")) {
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new IllegalStateException("the echo client's result is not name=value pairs: " + result);
            }
            values.put(pair.substring(0, equals), Double.parseDouble(pair.substring(equals + 1)));
        }
        for (String name : List.of("rate", P50_NS, P99_NS, CLIENT_CPU_SHARE)) {
            if (!values.containsKey(name)) {
                throw new IllegalStateException("the echo client's result has no " + name + ": " + result);
            }
        }
        return values;
    }

    /** Whether the processes are pinned: only where there are two CPUs to pin them to. */
    static boolean pinned() {
        return Runtime.getRuntime().availableProcessors() >= 2;
    }

    /** The command, run pinned to {@code cpu} with {@code taskset} where {@link #pinned()}. */
    static List<String> onCpu(int cpu, List<String> command) {
        if (!pinned()) {
            return command;
        }
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", Integer.toString(cpu)));
        pinned.addAll(command);
        return pinned;
    }

    /** User plus system CPU time of a process, all its threads, from {@code /proc/<pid>/stat}. */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name in parentheses may hold spaces; the fields after it are fixed: utime
        // and stime are the 14th and 15th of the line, the 12th and 13th after the name.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) ClockTicks.PER_SECOND;
    }

    /** The unit of the CPU times in {@code /proc}: {@code getconf CLK_TCK}, 100 on every Linux we know. */
    private static final class ClockTicks {
        static final long PER_SECOND = read();

        private static long read() {
            String out = Machine.command("getconf", "CLK_TCK");
            try {
                return out == null ? 100 : Long.parseLong(out);
            } catch (NumberFormatException e) {
                return 100;
            }
        }
    }

    @Override
    public String toString() {
        return label();
    }
}
