package io.github.selectors4j.bench;

import static io.github.selectors4j.bench.EchoComparison.micros;
import static io.github.selectors4j.bench.EchoComparison.percent;
import static io.github.selectors4j.bench.EchoComparison.rate;
import static io.github.selectors4j.bench.EchoComparison.seconds;
import static io.github.selectors4j.bench.Markdown.ratioCell;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * "End to end: redis-benchmark against a RESP server": the {@code resp-server} sample against
 * {@code redis-server}, both driven by {@code redis-benchmark -t ping,set,get} with 1 and 50
 * clients and pipelines of 1 and 16.
 */
final class RedisSection implements Section {

    /** {@code -c}: the numbers of clients. */
    static final List<Integer> CLIENTS = List.of(1, 50);
    /** {@code -P}: the pipeline depths. */
    static final List<Integer> PIPELINES = List.of(1, 16);

    private static final RespTarget OURS = RespTarget.SELECTORS4J;
    private static final RespTarget REFERENCE = RespTarget.REDIS_SERVER;

    @Override
    public String id() {
        return "redis";
    }

    @Override
    public String heading() {
        return "## End to end: redis-benchmark against a RESP server";
    }

    @Override
    public List<BenchCase> cases() {
        List<BenchCase> cases = new ArrayList<>();
        for (int clients : CLIENTS) {
            for (int pipeline : PIPELINES) {
                for (RespTarget server : RespTarget.values()) {
                    cases.add(new RedisCase(server, clients, pipeline));
                }
            }
        }
        return cases;
    }

    @Override
    public String render(Results results, Charts charts) throws IOException {
        StringBuilder md = new StringBuilder(heading()).append("\n\n").append("""
                How many requests per second `redis-benchmark`, Redis's own load client, gets from the
                `resp-server` sample (an in-memory key-value server on one `EventLoop`) and from
                `redis-server` itself, which also serves its clients from one thread, on the same loopback
                and the same CPUs.
                """);
        md.append(Markdown.quickWarning(results.settings()));
        md.append("\n### What is measured\n\n").append(whatIsMeasured(results.settings()));
        md.append('\n').append(howItWasRun(results));
        md.append("\n### Results\n\n").append(rateTable(results));
        md.append('\n').append(chart(results, charts)).append('\n');
        md.append("\n### Latency and server CPU\n\n").append(usageTable(results));
        md.append('\n').append(Markdown.everyRound(results, "requests per second, the four tests of a run together",
                EchoComparison::rate));
        md.append("\n### Reading the numbers\n\n").append(readingTheNumbers(results));
        return md.toString();
    }

    private static String whatIsMeasured(Settings settings) {
        return """
                - The client is `redis-benchmark -t ping,set,get -c C -P P -n N --csv -q` against
                  `127.0.0.1`, for each number of clients C in %s and pipeline depth P in %s. It runs four
                  tests one after the other, each N requests over C fresh connections: `PING_INLINE` (PING
                  as a line of text, as typed into `nc`), `PING_MBULK` (PING as a RESP array), `SET` of a
                  %d-byte value and `GET` of it, all on the one key `%s` (no `-r`). With `-P 16` each
                  connection sends 16 requests before it waits for their 16 replies. redis-benchmark
                  parses every reply and exits with an error at the first error reply, which fails the run;
                  as it does not look inside what GET returns, the case then asks for the key itself and
                  fails unless it gets a %3$d-byte value back.
                - redis-benchmark has no duration option, so the case sizes N: it runs redis-benchmark
                  again and again for %s of warmup (the first run with N = 100 × C × P, at least %d, each next one with the N
                  that the rates of the previous run say fills what is left of the warmup), then once more,
                  measured, with the N that makes the four tests together last %s at the rates of the last
                  warmup run (but no fewer than the first warmup run's). The rates are redis-benchmark's own: a test's requests over its time, from
                  its first connection to its last reply.
                - Each (server, C, P) run starts a fresh server process on `127.0.0.1` and stops it with
                  `SIGTERM` afterwards:
                  - **`selectors4j`**: the `samples/resp-server` sample, `RespServer.java`, compiled as it
                    is by the benchmark run and started with the library on the class path, `%s`, like
                    `samples/run resp-server`: one `EventLoop` (epoll) on the main thread, `Server.listen`
                    on a port the kernel chose, commands parsed in place in each connection's input, the
                    replies to one read written in one go.
                  - **`redis-server`**: `redis-server --port <free port> %s --dir <temp dir>`: no
                    snapshots and no append-only file, so that no disk is involved; one I/O thread, which is
                    Redis's default, said explicitly.
                %s- The server's CPU time (all its threads, from `/proc/<pid>/stat`) is read before and after
                  the measured redis-benchmark run and divided by its requests (the four tests together) and
                  by its wall time. It includes the connections each test opens and closes. The sample has no
                  allocation figure: it runs as it is, without the echo servers' line on stdin that reports
                  one.
                """.formatted(CLIENTS, PIPELINES, RedisCase.VALUE_SIZE, RedisCase.KEY, seconds(settings.warmupMillis()),
                RedisCase.MIN_REQUESTS, seconds(settings.measureMillis()), String.join(" ", SampleProgram.JVM_ARGS),
                String.join(" ", RespTarget.REDIS_ARGS).replace("--save  ", "--save \"\" "),
                ServerComparison.pinning("redis-benchmark"));
    }

    private static String howItWasRun(Results results) {
        StringBuilder md = new StringBuilder("### How it was run\n\n");
        md.append(Markdown.commandDateMachineJdk(results, "cases `" + RedisCase.class.getSimpleName() + "`"));
        md.append("- `").append(ServerComparison.version("redis-benchmark", "--version")).append("`, `")
                .append(ServerComparison.version("redis-server", "--version")).append("`\n");
        List<Double> requests = new ArrayList<>();
        for (List<Sample> samples : results.samples().values()) {
            requests.addAll(ServerComparison.figures(samples, s -> s.detail(RedisCase.REQUESTS)));
        }
        md.append("- Requests per test of the measured runs (N): ").append(rate(Stats.min(requests))).append(" to ")
                .append(rate(Stats.max(requests))).append(".\n");
        md.append(ServerComparison.loadAverage());
        md.append(Markdown.rounds(results.settings()));
        return md.toString();
    }

    private static String rateTable(Results results) {
        StringBuilder md = new StringBuilder();
        md.append("| Test | `-c` | `-P` | `selectors4j` requests/s | Spread | `redis-server` requests/s | Spread | "
                + "Ratio `selectors4j` / `redis-server` |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int clients : CLIENTS) {
            for (int pipeline : PIPELINES) {
                List<Sample> ours = results.of(RedisCase.label(OURS, clients, pipeline));
                List<Sample> reference = results.of(RedisCase.label(REFERENCE, clients, pipeline));
                for (String test : RedisCase.TESTS) {
                    ToDoubleFunction<Sample> rate = s -> s.detail(RedisCase.RATE + test);
                    md.append("| ").append(test).append(" | ").append(clients).append(" | ").append(pipeline)
                            .append(" | ").append(rate(ServerComparison.median(ours, rate))).append(" | ")
                            .append(ServerComparison.rateSpread(ours, rate)).append(" | ")
                            .append(rate(ServerComparison.median(reference, rate))).append(" | ")
                            .append(ServerComparison.rateSpread(reference, rate)).append(" | ")
                            .append(ratioCell(ServerComparison.ratios(ours, reference, rate))).append(" |\n");
                }
            }
        }
        md.append("""

                Requests per second are medians over the rounds, with the spread (lowest–highest round). A
                ratio cell is `selectors4j`'s rate divided by `redis-server`'s in the same round: the median
                over the rounds and, in parentheses, the lowest and highest round. Above 1 means the sample
                served more requests per second than Redis (the opposite direction from the time ratios of the
                sections above).
                """);
        return md.toString();
    }

    private static String chart(Results results, Charts charts) throws IOException {
        List<String> configurations = new ArrayList<>();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (String test : RedisCase.TESTS) {
            series.put(test, new ArrayList<>());
        }
        for (int clients : CLIENTS) {
            for (int pipeline : PIPELINES) {
                configurations.add("-c " + clients + " -P " + pipeline);
                List<Sample> ours = results.of(RedisCase.label(OURS, clients, pipeline));
                List<Sample> reference = results.of(RedisCase.label(REFERENCE, clients, pipeline));
                for (String test : RedisCase.TESTS) {
                    series.get(test).add(Stats.median(
                            ServerComparison.ratios(ours, reference, s -> s.detail(RedisCase.RATE + test))));
                }
            }
        }
        return charts.bars("redis", "redis-benchmark: selectors4j's requests/s over redis-server's",
                "ratio, median of the rounds (above 1: selectors4j faster)", configurations, series);
    }

    private static String usageTable(Results results) {
        StringBuilder md = new StringBuilder();
        md.append("| `-c` | `-P` | GET p50 / p99 µs, `selectors4j` | GET p50 / p99 µs, `redis-server` | "
                + "Server CPU µs/request, `selectors4j` | Server CPU µs/request, `redis-server` | "
                + "CPU per request, ratio | Server CPU, `selectors4j` | Server CPU, `redis-server` |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int clients : CLIENTS) {
            for (int pipeline : PIPELINES) {
                List<Sample> ours = results.of(RedisCase.label(OURS, clients, pipeline));
                List<Sample> reference = results.of(RedisCase.label(REFERENCE, clients, pipeline));
                ToDoubleFunction<Sample> cpu = s -> s.detail(RedisCase.SERVER_CPU_NS);
                md.append("| ").append(clients).append(" | ").append(pipeline).append(" | ")
                        .append(getLatency(ours)).append(" | ").append(getLatency(reference)).append(" | ")
                        .append(micros(ServerComparison.median(ours, cpu) / 1000)).append(" | ")
                        .append(micros(ServerComparison.median(reference, cpu) / 1000)).append(" | ")
                        .append(ratioCell(ServerComparison.ratios(ours, reference, cpu))).append(" | ")
                        .append(percent(ServerComparison.median(ours, s -> s.detail(RedisCase.SERVER_CPU_SHARE))))
                        .append(" | ")
                        .append(percent(ServerComparison.median(reference, s -> s.detail(RedisCase.SERVER_CPU_SHARE))))
                        .append(" |\n");
            }
        }
        md.append("""

                Medians over the rounds. The latencies are redis-benchmark's for the GET test (from when a
                request was sent to its reply, to the µs; with `-P 16` a request waits for the 15 others of
                its batch too). Server CPU per request is over the four tests of the measured run; its ratio
                is `selectors4j`'s over `redis-server`'s within each round (above 1: the sample used more
                CPU per request). The last two columns are CPU time over wall time, 100 % being one whole
                CPU.
                """);
        return md.toString();
    }

    private static String getLatency(List<Sample> samples) {
        return micros(ServerComparison.median(samples, s -> s.detail(RedisCase.P50_US + "GET"))) + " / "
                + micros(ServerComparison.median(samples, s -> s.detail(RedisCase.P99_US + "GET")));
    }

    private static String readingTheNumbers(Results results) {
        StringBuilder md = new StringBuilder("""
                - The rates are those of this machine, a shared VM: compare rows of the same table,
                  measured in the same rounds. The ratios are the sturdier comparison: both sides were
                  measured in the same round, most often one right after the other.
                - A pipeline of 16 moves 16 requests per system call on each side, so it shows the cost of
                  parsing and answering commands; without one, each request is a wakeup and a system call
                  or two on both CPUs, and the loopback round trip dominates.
                """);
        for (int clients : CLIENTS) {
            for (int pipeline : PIPELINES) {
                List<Sample> ours = results.of(RedisCase.label(OURS, clients, pipeline));
                List<Sample> reference = results.of(RedisCase.label(REFERENCE, clients, pipeline));
                md.append("- `-c ").append(clients).append(" -P ").append(pipeline).append("`, the four tests together: ")
                        .append(rate(ServerComparison.median(ours, Sample::value))).append(" requests/s against ")
                        .append(rate(ServerComparison.median(reference, Sample::value))).append(", so `selectors4j` "
                                + "served ")
                        .append(ServerComparison.verdict(ServerComparison.ratios(ours, reference, Sample::value),
                                "`redis-server`"))
                        .append("; it used ")
                        .append(ServerComparison.cpuVerdict(ServerComparison.ratios(ours, reference,
                                s -> s.detail(RedisCase.SERVER_CPU_NS)), "`redis-server`"))
                        .append(".\n");
            }
        }
        return md.toString();
    }
}
