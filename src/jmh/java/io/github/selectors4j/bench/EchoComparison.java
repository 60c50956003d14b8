package io.github.selectors4j.bench;

import static io.github.selectors4j.bench.Markdown.bytes;
import static io.github.selectors4j.bench.Markdown.ratio;
import static io.github.selectors4j.bench.Markdown.ratioCell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shape shared by the end-to-end sections: the four {@link EchoServer}s under one
 * {@link EchoLoad}, rates compared with ratios to the JDK, Netty and C servers.
 *
 * <p>The figure of a run is a rate (messages per second), but the ratios are of time per message
 * (the reference's rate over the server's), so that above 1 means slower, as in every other
 * section of the page.
 */
final class EchoComparison {

    /** The reference servers, in the order of the ratio columns. */
    static final List<EchoServer> REFERENCES = List.of(EchoServer.JDK_NIO, EchoServer.NETTY_EPOLL, EchoServer.C_EPOLL);

    /** The goal of issue 7 against the C server: at most this much slower. */
    static final double C_GOAL = 1.15;

    /** A client at or above this share of its CPU may have set the pace instead of the server. */
    private static final double BUSY_CLIENT = 0.9;

    private EchoComparison() {
    }

    /** One case per server, in report order. */
    static List<BenchCase> cases(EchoLoad load) {
        List<BenchCase> cases = new ArrayList<>();
        for (EchoServer server : EchoServer.values()) {
            cases.add(new EchoCase(server, load));
        }
        return cases;
    }

    /**
     * The part of the section after its introduction.
     *
     * @param what the section's own "What is measured" items, before the shared ones
     * @param unit       what one message is called in the tables ("round trip", "message")
     * @param chartName  the chart's file name, without .png
     * @param chartTitle the chart's title
     */
    static String render(Results results, Charts charts, String what, String unit, String chartName, String chartTitle)
            throws IOException {
        StringBuilder md = new StringBuilder();
        md.append(Markdown.quickWarning(results.settings()));
        md.append("\n### What is measured\n\n").append(what).append(shared(results.settings()));
        md.append('\n').append(howItWasRun(results));
        md.append("\n### Results\n\n").append(rateTable(results, unit));
        md.append('\n').append(rateChart(results, charts, unit, chartName, chartTitle)).append('\n');
        md.append("\n### Latency, CPU and allocation\n\n").append(usageTable(results, unit));
        md.append('\n').append(Markdown.everyRound(results, unit + "s per second", EchoComparison::rate));
        md.append("\n### Reading the numbers\n\n").append(READING_THE_NUMBERS).append(verdicts(results, unit));
        return md.toString();
    }

    private static String rateChart(Results results, Charts charts, String unit, String name, String title) throws IOException {
        List<String> servers = new ArrayList<>();
        List<Double> medians = new ArrayList<>();
        for (EchoServer server : EchoServer.values()) {
            servers.add(server.label());
            medians.add(results.medianValue(server.label()));
        }
        return charts.bars(name, title, unit + "s per second (median over the rounds)", servers, Map.of("median", medians));
    }

    private static String shared(Settings settings) {
        return """
                - The client is `src/jmh/c/echo_client.c`, one thread on epoll, the same for every server, so
                  that the comparison is about the servers. Every byte that comes back is checked against what
                  was sent on that connection: a wrong, missing or extra byte, or a connection the server
                  closes, fails the run. It runs %s of warmup, then counts the messages that come back whole
                  during %s, and records the round-trip time of each (from when the client was ready to send
                  it to when its last byte was read) in a histogram of 1.6 %% wide buckets, for the median and
                  the 99th percentile.
                - Each run starts a fresh server process on `127.0.0.1` and stops it afterwards. Every server
                  has one event loop thread for the listener and all connections, sets `TCP_NODELAY` and
                  listens with a backlog of 1024:
                  - **`selectors4j`**: `%s`: `EventLoop.open()` (epoll), `Server.listen` with a
                    `ConnectionHandler` calling `connection.write(data)`, the loop run on the main thread.
                  - **`jdk-nio`**: `%s`: one thread looping on `Selector.select(Consumer)`, non-blocking
                    `SocketChannel`s, one 64 KiB direct read buffer for all connections; what a socket does
                    not take at once waits in a buffer of the connection's, with `OP_WRITE` instead of
                    `OP_READ` until it is sent.
                  - **`netty-epoll`**: `%s`: Netty 4.1's `EpollEventLoopGroup(1)` as both parent and child
                    group, Netty's canonical echo handler (`write` in `channelRead`, `flush` in
                    `channelReadComplete`), its default pooled direct buffers.
                  - **`c-epoll`**: `src/jmh/c/echo_server.c`, compiled by the run with `gcc %s`: one thread,
                    level-triggered epoll, non-blocking sockets, one 64 KiB read buffer; `recv` then `send`
                    per readable event, the unsent rest (if any) kept per connection with `EPOLLOUT` instead
                    of `EPOLLIN` until it is sent.
                - The JVMs run with `%s` and otherwise the JVM's defaults.
                %s- The server's CPU time (all its threads, from `/proc/<pid>/stat`) and, for the JVMs, the
                  bytes allocated by all their live threads but the one answering the benchmark
                  (`ThreadMXBean.getThreadAllocatedBytes`, asked over the server's stdin) are read when the client starts measuring and when it has
                  printed its result (it keeps its connections open, idle, until it is told to exit, so that
                  their teardown is not counted), and divided by the wall time and by the messages of that
                  interval.
                """.formatted(seconds(settings.warmupMillis()), seconds(settings.measureMillis()),
                EventLoopEchoServer.class.getSimpleName(), NioEchoServer.class.getSimpleName(),
                NettyEchoServer.class.getSimpleName(), String.join(" ", CProgram.FLAGS),
                String.join(" ", EchoServer.JVM_ARGS), pinning());
    }

    private static String pinning() {
        if (!EchoCase.pinned()) {
            return """
                    - This machine has fewer than two CPUs, so the server and the client were not pinned: they
                      shared its CPU.
                    """;
        }
        return """
                - The server process is pinned to CPU %1$d (`taskset -c %1$d`) and the client to CPU %2$d
                  (`taskset -c %2$d`), so each message crosses from one CPU to the other and back. A JVM
                  server's other threads are pinned with its loop thread and share CPU %1$d with it: the JIT
                  compilers (busy mostly during the warmup), the garbage collector (a JVM that sees one CPU
                  picks the serial collector, the same for the three JVMs), the thread answering the
                  benchmark on stdin (asleep but twice a run) and the JVM's housekeeping threads; Netty's
                  `main` thread waits for the channel to close. The client's CPU also runs the benchmark's
                  driver JVM, which waits for the client's output, and Maven, which waits for the driver.
                  Neither CPU is kept free of the machine's other processes.
                """.formatted(EchoCase.SERVER_CPU, EchoCase.CLIENT_CPU);
    }

    private static String howItWasRun(Results results) {
        Settings settings = results.settings();
        StringBuilder md = new StringBuilder("### How it was run\n\n");
        md.append(Markdown.commandDateMachineJdk(results, "cases `" + EchoCase.class.getSimpleName() + "`"));
        md.append("- C compiler: `").append(CProgram.compilerVersion()).append("`, `")
                .append(String.join(" ", CProgram.FLAGS)).append("`\n");
        md.append("- Each run: a fresh server process, then the client against it for ")
                .append(seconds(settings.warmupMillis())).append(" of warmup and ")
                .append(seconds(settings.measureMillis())).append(" measured.\n");
        md.append("- Load average (1, 5, 15 minutes) when the section ended: ").append(loadAverage())
                .append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs; a figure above 2 means other processes wanted the CPUs too.\n");
        md.append(Markdown.rounds(settings));
        return md.toString();
    }

    private static String rateTable(Results results, String unit) {
        StringBuilder md = new StringBuilder();
        md.append("| Server | What runs | Median ").append(unit).append("s/s | Spread ").append(unit)
                .append("s/s | µs per ").append(unit);
        for (EchoServer reference : REFERENCES) {
            md.append(" | Ratio to `").append(reference.label()).append('`');
        }
        md.append(" |\n|---|---|---:|---:|---:|").append("---:|".repeat(REFERENCES.size())).append('\n');
        for (EchoServer server : EchoServer.values()) {
            double median = results.medianValue(server.label());
            md.append("| `").append(server.label()).append("` | ").append(server.description()).append(" | ")
                    .append(rate(median)).append(" | ").append(spread(results, server)).append(" | ")
                    .append(micros(1e6 / median));
            for (EchoServer reference : REFERENCES) {
                md.append(" | ").append(server == reference ? "reference" : ratioCell(timeRatios(results, server, reference)));
            }
            md.append(" |\n");
        }
        md.append("\n\"µs per ").append(unit).append("\" is one second divided by the median rate. A ratio cell is the "
                + "reference's rate divided by the server's in each round, that is the server's time per message "
                + "relative to the reference's: the median over the rounds and, in parentheses, the lowest and "
                + "highest round. Above 1 means slower than the reference.\n");
        return md.toString();
    }

    private static String usageTable(Results results, String unit) {
        StringBuilder md = new StringBuilder();
        md.append("| Server | Round trip p50 µs | Round trip p99 µs | Server CPU | Server CPU µs/").append(unit)
                .append(" | Server CPU per ").append(unit).append(", ratio to `c-epoll` | Client CPU | Server allocation B/")
                .append(unit).append(" |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (EchoServer server : EchoServer.values()) {
            List<Sample> samples = results.of(server.label());
            List<Double> cpu = details(samples, EchoCase.SERVER_CPU_NS);
            md.append("| `").append(server.label()).append("` | ")
                    .append(micros(median(samples, EchoCase.P50_NS) / 1000)).append(" | ")
                    .append(micros(median(samples, EchoCase.P99_NS) / 1000)).append(" | ")
                    .append(percent(median(samples, EchoCase.SERVER_CPU_SHARE))).append(" | ")
                    .append(micros(Stats.median(cpu) / 1000));
            if (cpu.size() > 1) {
                md.append(" (").append(micros(Stats.min(cpu) / 1000)).append("–").append(micros(Stats.max(cpu) / 1000))
                        .append(')');
            }
            md.append(" | ").append(server == EchoServer.C_EPOLL ? "reference" : ratioCell(cpuRatios(results, server)))
                    .append(" | ").append(percent(median(samples, EchoCase.CLIENT_CPU_SHARE))).append(" | ")
                    .append(server.isJava() ? bytes(Stats.median(Stats.allocations(samples))) : "–").append(" |\n");
        }
        md.append("\nMedians over the rounds; server CPU per ").append(unit).append(" also with its lowest and highest "
                + "round, and its ratio to the C server's computed within each round like the ratios above. The CPU "
                + "columns are CPU time over wall time during the measurement, 100 % being one whole CPU; the "
                + "server's counts all its threads. The C server has no allocation figure: it calls `malloc` only to "
                + "keep what a socket did not take whole.\n");
        return md.toString();
    }

    private static final String READING_THE_NUMBERS = """
            - The rates are those of this machine, a shared VM: absolute numbers move from day to day, so
              compare rows of the same table, measured in the same rounds. Where the spreads of two rows
              overlap, this run does not establish a difference between them.
            - The ratios are the sturdier comparison: both sides of each ratio were measured in the same
              round, a minute apart at most, so a round in which the machine was slow is slow for both.
            """;

    private static String verdicts(Results results, String unit) {
        StringBuilder md = new StringBuilder();
        EchoServer ours = EchoServer.SELECTORS4J;
        for (EchoServer reference : REFERENCES) {
            List<Double> ratios = timeRatios(results, ours, reference);
            md.append("- Against `").append(reference.label()).append("`: median ")
                    .append(rate(results.medianValue(ours.label()))).append(' ').append(unit).append("s/s against ")
                    .append(rate(results.medianValue(reference.label()))).append(", so ")
                    .append(Markdown.verdict(ratios, "`" + reference.label() + "`")).append(".\n");
        }
        List<Double> toC = timeRatios(results, ours, EchoServer.C_EPOLL);
        long met = toC.stream().filter(r -> r <= C_GOAL).count();
        md.append("- Issue 7 asks for at most ").append(Math.round((C_GOAL - 1) * 100))
                .append(" % slower than the C loop (a ratio to `c-epoll` of ").append(ratio(C_GOAL))
                .append(" or less): met in ").append(met).append(" of ").append(toC.size())
                .append(toC.size() == 1 ? " round" : " rounds").append(".\n");
        md.append("- Server CPU time per ").append(unit).append(": ");
        List<String> cpu = new ArrayList<>();
        for (EchoServer server : EchoServer.values()) {
            cpu.add("`" + server.label() + "` " + micros(median(results.of(server.label()), EchoCase.SERVER_CPU_NS) / 1000)
                    + " µs");
        }
        md.append(String.join(", ", cpu)).append(". Against `c-epoll`, `selectors4j` used ")
                .append(Markdown.verdict(cpuRatios(results, ours), "`c-epoll`", "less CPU", "more CPU"))
                .append(".\n");
        List<String> busy = new ArrayList<>();
        for (EchoServer server : EchoServer.values()) {
            double client = median(results.of(server.label()), EchoCase.CLIENT_CPU_SHARE);
            if (client >= BUSY_CLIENT) {
                busy.add("`" + server.label() + "` (" + percent(client) + ")");
            }
        }
        if (busy.isEmpty()) {
            md.append("- The client used less than ").append(percent(BUSY_CLIENT))
                    .append(" of its CPU against every server (median over the rounds): it was not what kept the "
                    + "rates down, unless the machine's other processes took its CPU.\n");
        } else {
            md.append("- The client used ").append(percent(BUSY_CLIENT)).append(" of its CPU or more against ")
                    .append(String.join(", ", busy)).append(" (median over the rounds): there the client may have set "
                            + "the rate as much as the server did, and the server's CPU per message is the fairer "
                            + "comparison.\n");
        }
        double alloc = Stats.median(Stats.allocations(results.of(ours.label())));
        md.append("- Allocation: the `selectors4j` server allocated ").append(bytes(alloc)).append(" B per ").append(unit);
        if (alloc < 1) {
            md.append(", which is no allocation per message (").append(Markdown.BELOW_ONE_BYTE).append(')');
        }
        md.append("; `jdk-nio` ").append(bytes(Stats.median(Stats.allocations(results.of(EchoServer.JDK_NIO.label())))))
                .append(" B and `netty-epoll` ")
                .append(bytes(Stats.median(Stats.allocations(results.of(EchoServer.NETTY_EPOLL.label())))))
                .append(" B. These count every live thread of the server JVM but the one answering the "
                        + "benchmark.\n");
        return md.toString();
    }

    /** Per round, the reference's rate over the server's: the server's time per message relative to the reference's. */
    static List<Double> timeRatios(Results results, EchoServer server, EchoServer reference) {
        return results.ratios(reference.label(), server.label());
    }

    /** Per round, the server's CPU time per message over the C server's. */
    static List<Double> cpuRatios(Results results, EchoServer server) {
        List<Double> ours = details(results.of(server.label()), EchoCase.SERVER_CPU_NS);
        List<Double> c = details(results.of(EchoServer.C_EPOLL.label()), EchoCase.SERVER_CPU_NS);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < ours.size(); i++) {
            ratios.add(ours.get(i) / c.get(i));
        }
        return ratios;
    }

    private static List<Double> details(List<Sample> samples, String detail) {
        return samples.stream().map(s -> s.detail(detail)).toList();
    }

    private static double median(List<Sample> samples, String detail) {
        return Stats.median(details(samples, detail));
    }

    private static String spread(Results results, EchoServer server) {
        List<Double> rates = Stats.times(results.of(server.label()));
        return rates.size() == 1 ? "–" : rate(Stats.min(rates)) + "–" + rate(Stats.max(rates));
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%.0f", perSecond);
    }

    static String micros(double value) {
        return String.format(Locale.ROOT, value < 10 ? "%.2f" : value < 100 ? "%.1f" : "%.0f", value);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %%", share * 100);
    }

    static String seconds(long millis) {
        return millis % 1000 == 0 ? (millis / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
