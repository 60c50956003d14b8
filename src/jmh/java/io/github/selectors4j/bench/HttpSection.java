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
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * "End to end: wrk against an HTTP hello server": the {@code http-hello} sample against nginx,
 * both driven by {@code wrk} with 1 and 50 connections.
 */
final class HttpSection implements Section {

    /** {@code -c}: the numbers of connections. */
    static final List<Integer> CONNECTIONS = List.of(1, 50);

    private static final HttpTarget OURS = HttpTarget.SELECTORS4J;
    private static final HttpTarget REFERENCE = HttpTarget.NGINX;

    @Override
    public String id() {
        return "http";
    }

    @Override
    public String heading() {
        return "## End to end: wrk against an HTTP hello server";
    }

    @Override
    public List<BenchCase> cases() {
        List<BenchCase> cases = new ArrayList<>();
        for (int connections : CONNECTIONS) {
            for (HttpTarget server : HttpTarget.values()) {
                cases.add(new WrkCase(server, connections));
            }
        }
        return cases;
    }

    @Override
    public String render(Results results, Charts charts) throws IOException {
        StringBuilder md = new StringBuilder(heading()).append("\n\n").append("""
                How many HTTP/1.1 requests per second `wrk` gets from the `http-hello` sample (one
                `EventLoop`) and from nginx with one process, both answering `GET /` with `Hello, world!`,
                on the same loopback and the same CPUs.
                """);
        md.append(Markdown.quickWarning(results.settings()));
        md.append("\n### What is measured\n\n").append(whatIsMeasured(results));
        md.append('\n').append(howItWasRun(results));
        md.append("\n### Results\n\n").append(table(results));
        md.append('\n').append(chart(results, charts)).append('\n');
        md.append('\n').append(Markdown.everyRound(results, "requests per second", EchoComparison::rate));
        md.append("\n### Reading the numbers\n\n").append(readingTheNumbers(results));
        return md.toString();
    }

    private static String whatIsMeasured(Results results) {
        Settings settings = results.settings();
        return """
                - The client is `wrk -t1 -c C -dDs --latency http://127.0.0.1:PORT/` for C in %s: one
                  thread keeping C keep-alive connections busy, each with one request in flight. Each run
                  is wrk for %s of warmup, then wrk again for %s, measured (wrk's `-d` takes whole
                  seconds). wrk counts every response; a socket error or a status other than 2xx or 3xx
                  fails the run (wrk reports them but exits with 0, so the case reads its report). The
                  rate is wrk's `Requests/sec`, the latencies its 50th and 99th percentile.
                - Before the warmup the case sends one `GET /` itself and fails unless the answer is
                  `200` with the body `Hello, world!\\n` (14 bytes).
                - Each (server, C) run starts a fresh server process on `127.0.0.1` and stops it with
                  `SIGTERM` afterwards:
                  - **`selectors4j`**: the `samples/http-hello` sample, `HttpHello.java`, compiled as it is
                    by the benchmark run and started with the library on the class path, `%s`, like
                    `samples/run http-hello`: one `EventLoop` (epoll) on the main thread, requests parsed in
                    place in the loop's read buffer, prebuilt answers. Its response: %s.
                  - **`nginx`**: started by the case as `nginx -e stderr -c <temp dir>/nginx.conf -p <temp
                    dir>/` with `daemon off; master_process off; worker_processes 1;` (one process that
                    serves), `access_log off; server_tokens off;`, `keepalive_requests 1000000000;` (nginx
                    otherwise closes a connection after 1000 requests, which the sample never does), and
                    `location / { default_type text/plain; return 200 "Hello, world!\\n"; }`. Its response:
                    %s. The extra bytes are nginx's `Server`, `Date` and `Connection: keep-alive` headers,
                    which stock nginx cannot leave out.
                %s- The server's CPU time (all its threads, from `/proc/<pid>/stat`) is read before and after
                  the measured wrk run and divided by the requests wrk counted and by the wall time. The
                  sample has no allocation figure: it runs as it is, without the echo servers' line on
                  stdin that reports one.
                """.formatted(CONNECTIONS, seconds(WrkCase.seconds(settings.warmupMillis()) * 1000),
                seconds(WrkCase.seconds(settings.measureMillis()) * 1000), String.join(" ", SampleProgram.JVM_ARGS),
                response(results, OURS), response(results, REFERENCE), ServerComparison.pinning("wrk"));
    }

    /** The size of a server's response, head and body. */
    private static String response(Results results, HttpTarget server) {
        double bytes = ServerComparison.median(results.of(WrkCase.label(server, CONNECTIONS.get(0))),
                s -> s.detail(WrkCase.RESPONSE_BYTES));
        int body = HttpTarget.BODY.length();
        return String.format(Locale.ROOT, "%.0f bytes, a %.0f-byte head and the %d-byte body", bytes, bytes - body, body);
    }

    private static String howItWasRun(Results results) {
        StringBuilder md = new StringBuilder("### How it was run\n\n");
        md.append(Markdown.commandDateMachineJdk(results, "cases `" + WrkCase.class.getSimpleName() + "`"));
        md.append("- `").append(ServerComparison.version("wrk", "--version")).append("`, `")
                .append(ServerComparison.version("nginx", "-v")).append("`\n");
        md.append(ServerComparison.loadAverage());
        md.append(Markdown.rounds(results.settings()));
        return md.toString();
    }

    private static String table(Results results) {
        StringBuilder md = new StringBuilder();
        md.append("| `-c` | Server | Median requests/s | Spread | Ratio to `nginx` | Latency p50 / p99 µs | "
                + "Server CPU µs/request | Server CPU per request, ratio to `nginx` | Server CPU |\n"
                + "|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int connections : CONNECTIONS) {
            List<Sample> reference = results.of(WrkCase.label(REFERENCE, connections));
            for (HttpTarget server : HttpTarget.values()) {
                List<Sample> samples = results.of(WrkCase.label(server, connections));
                ToDoubleFunction<Sample> cpu = s -> s.detail(WrkCase.SERVER_CPU_NS);
                md.append("| ").append(connections).append(" | `").append(server.label()).append("` | ")
                        .append(rate(ServerComparison.median(samples, Sample::value))).append(" | ")
                        .append(ServerComparison.rateSpread(samples, Sample::value)).append(" | ")
                        .append(server == REFERENCE ? "reference"
                                : ratioCell(ServerComparison.ratios(samples, reference, Sample::value)))
                        .append(" | ")
                        .append(micros(ServerComparison.median(samples, s -> s.detail(WrkCase.P50_US)))).append(" / ")
                        .append(micros(ServerComparison.median(samples, s -> s.detail(WrkCase.P99_US)))).append(" | ")
                        .append(micros(ServerComparison.median(samples, cpu) / 1000)).append(" | ")
                        .append(server == REFERENCE ? "reference"
                                : ratioCell(ServerComparison.ratios(samples, reference, cpu)))
                        .append(" | ")
                        .append(percent(ServerComparison.median(samples, s -> s.detail(WrkCase.SERVER_CPU_SHARE))))
                        .append(" |\n");
            }
        }
        md.append("""

                Medians over the rounds, with the spread of the rate (lowest–highest round). The ratio to
                `nginx` is the sample's rate divided by nginx's in the same round: the median over the rounds
                and, in parentheses, the lowest and highest round; above 1 means the sample served more
                requests per second (the opposite direction from the time ratios of the sections above).
                The CPU ratio is the sample's CPU time per request over nginx's, above 1 meaning more CPU.
                "Server CPU" is CPU time over wall time, 100 % being one whole CPU.
                """);
        return md.toString();
    }

    private static String chart(Results results, Charts charts) throws IOException {
        List<String> categories = new ArrayList<>();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (HttpTarget server : HttpTarget.values()) {
            series.put(server.label(), new ArrayList<>());
        }
        for (int connections : CONNECTIONS) {
            categories.add(connections == 1 ? "1 connection" : connections + " connections");
            for (HttpTarget server : HttpTarget.values()) {
                series.get(server.label()).add(
                        ServerComparison.median(results.of(WrkCase.label(server, connections)), Sample::value));
            }
        }
        return charts.bars("http", "wrk against an HTTP hello server: requests per second",
                "requests per second (median over the rounds)", categories, series);
    }

    private static String readingTheNumbers(Results results) {
        StringBuilder md = new StringBuilder("""
                - The rates are those of this machine, a shared VM: compare rows of the same table,
                  measured in the same rounds. The ratios are the sturdier comparison: both sides were
                  measured in the same round, seconds apart.
                """);
        md.append("- nginx's response is ").append(response(results, REFERENCE)).append("; the sample's ")
                .append(response(results, OURS)).append(". On loopback the extra bytes cost little next to the "
                        + "system calls and wakeups of each request, but not nothing.\n");
        for (int connections : CONNECTIONS) {
            List<Sample> ours = results.of(WrkCase.label(OURS, connections));
            List<Sample> reference = results.of(WrkCase.label(REFERENCE, connections));
            md.append("- `-c ").append(connections).append("`: ")
                    .append(rate(ServerComparison.median(ours, Sample::value))).append(" requests/s against ")
                    .append(rate(ServerComparison.median(reference, Sample::value))).append(", so `selectors4j` served ")
                    .append(ServerComparison.verdict(ServerComparison.ratios(ours, reference, Sample::value), "`nginx`"))
                    .append("; it used ")
                    .append(ServerComparison.cpuVerdict(ServerComparison.ratios(ours, reference,
                            s -> s.detail(WrkCase.SERVER_CPU_NS)), "`nginx`"))
                    .append(".\n");
        }
        return md.toString();
    }
}
