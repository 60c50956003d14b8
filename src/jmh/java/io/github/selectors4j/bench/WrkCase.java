package io.github.selectors4j.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the {@code http} section: a fresh server process and {@code wrk} against it with one
 * number of connections, the server pinned to {@link EchoCase#SERVER_CPU} and wrk to
 * {@link EchoCase#CLIENT_CPU}. wrk runs twice, for the warmup and for the measurement; its
 * sample's value is the measured run's requests per second, its details the latency percentiles,
 * the server's CPU time and the size of the server's response.
 *
 * @param server      the server under test
 * @param connections {@code -c}: connections, each with one request in flight
 */
record WrkCase(HttpTarget server, int connections) implements BenchCase {

    /** Median latency in µs, as wrk's {@code --latency} distribution gives it. */
    static final String P50_US = "p50_us";
    /** 99th percentile latency in µs. */
    static final String P99_US = "p99_us";
    /** Bytes of the server's response to one {@code GET /}, head and body. */
    static final String RESPONSE_BYTES = "response_bytes";
    /** The server's CPU time per request, in ns, over the measured run. */
    static final String SERVER_CPU_NS = EchoCase.SERVER_CPU_NS;
    /** The server's CPU time over the measured run's wall time. */
    static final String SERVER_CPU_SHARE = EchoCase.SERVER_CPU_SHARE;

    private static final Duration SLACK = Duration.ofSeconds(60);
    private static final Pattern RATE = Pattern.compile("^Requests/sec:\\s+([0-9.]+)\\s*$");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)(?:\\.0+)?%\\s+([0-9.]+)(us|ms|s|m)\\s*$");
    private static final Pattern REQUESTS = Pattern.compile("^\\s*([0-9]+) requests in ([0-9.]+)(us|ms|s|m),");

    @Override
    public String label() {
        return label(server, connections);
    }

    /** The label of the case of these parameters, for looking its samples up. */
    static String label(HttpTarget server, int connections) {
        return server.label() + " -c " + connections;
    }

    /** wrk's {@code -d}, which takes whole seconds: at least one. */
    static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /** The command line of one wrk run, as the report quotes it. */
    static List<String> command(int port, int connections, long seconds) {
        return List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--latency", "http://127.0.0.1:" + port + "/");
    }

    @Override
    public Sample run(Settings settings) throws Exception {
        RequiredTools.require(RequiredTools.WRK);
        if (EchoCase.pinned()) {
            RequiredTools.require(RequiredTools.TASKSET);
        }
        try (ServerProcess process = server.start()) {
            int responseBytes = checkResponse(process);
            wrk(process, seconds(settings.warmupMillis()));
            long start = System.nanoTime();
            double cpuBefore = EchoCase.cpuSeconds(process.pid());
            Map<String, Double> result = wrk(process, seconds(settings.measureMillis()));
            double cpu = EchoCase.cpuSeconds(process.pid()) - cpuBefore;
            double wall = (System.nanoTime() - start) / 1e9;
            Map<String, Double> details = new HashMap<>(result);
            details.remove("requests");
            details.put(SERVER_CPU_NS, cpu * 1e9 / result.get("requests"));
            details.put(SERVER_CPU_SHARE, cpu / wall);
            details.put(RESPONSE_BYTES, (double) responseBytes);
            return new Sample(result.get("rate"), Double.NaN, details);
        }
    }

    /** Runs wrk once; fails on any socket error or response other than 2xx and 3xx. */
    private Map<String, Double> wrk(ServerProcess process, long seconds) throws IOException, InterruptedException {
        try (ChildProcess client = ChildProcess.start("wrk against " + label(),
                EchoCase.onCpu(EchoCase.CLIENT_CPU, command(process.port(), connections, seconds)))) {
            List<String> output = client.awaitOutput(Duration.ofSeconds(seconds).plus(SLACK));
            return parse(output, client);
        } catch (IllegalStateException e) {
            e.addSuppressed(process.failure("was running when wrk failed"));
            throw e;
        }
    }

    /** Reads wrk's report: its rate, the 50 % and 99 % latencies, the requests; rejects any error line. */
    static Map<String, Double> parse(List<String> output, ChildProcess client) throws IOException {
        Map<String, Double> values = new HashMap<>();
        for (String line : output) {
            // wrk prints these only when something went wrong, and still exits with status 0.
            if (line.contains("Socket errors:") || line.contains("Non-2xx or 3xx responses:")) {
                throw client.failure("reported errors: " + line.strip());
            }
            Matcher rate = RATE.matcher(line);
            if (rate.matches()) {
                values.put("rate", Double.parseDouble(rate.group(1)));
            }
            Matcher percentile = PERCENTILE.matcher(line);
            if (percentile.matches()) {
                values.put(percentile.group(1).equals("50") ? P50_US : P99_US,
                        micros(Double.parseDouble(percentile.group(2)), percentile.group(3)));
            }
            Matcher requests = REQUESTS.matcher(line);
            if (requests.find()) {
                values.put("requests", Double.parseDouble(requests.group(1)));
            }
        }
        for (String name : List.of("rate", P50_US, P99_US, "requests")) {
            if (!values.containsKey(name)) {
                throw client.failure("printed no " + name + " this benchmark can read");
            }
        }
        if (!(values.get("requests") > 0)) {
            throw client.failure("completed no request");
        }
        return values;
    }

    private static double micros(double value, String unit) {
        return switch (unit) {
            case "us" -> value;
            case "ms" -> value * 1e3;
            case "s" -> value * 1e6;
            default -> value * 60e6;
        };
    }

    /**
     * Sends one {@code GET /} and checks the answer: status 200 and {@link HttpTarget#BODY}, so
     * that the two servers are known to do the same work; returns the response's size.
     */
    private static int checkResponse(ServerProcess process) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), process.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            int headEnd = -1;
            int contentLength = -1;
            while (headEnd < 0 || response.size() < headEnd + contentLength) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                response.write(b);
                String text = response.toString(StandardCharsets.ISO_8859_1);
                if (headEnd < 0 && text.endsWith("\r\n\r\n")) {
                    headEnd = text.length();
                    Matcher length = Pattern.compile("(?im)^content-length:\\s*([0-9]+)\\s*$").matcher(text);
                    contentLength = length.find() ? Integer.parseInt(length.group(1)) : -1;
                    if (contentLength < 0) {
                        break;
                    }
                }
            }
            String text = response.toString(StandardCharsets.ISO_8859_1);
            if (headEnd < 0 || !text.startsWith("HTTP/1.1 200 ") || !text.substring(headEnd).equals(HttpTarget.BODY)) {
                throw process.failure(String.format(Locale.ROOT, "answered GET / with \"%s\", not 200 and \"%s\"",
                        text.replace("\r\n", "\\r\\n"), HttpTarget.BODY.replace("\n", "\\n")));
            }
            return text.length();
        }
    }

    @Override
    public String toString() {
        return label();
    }
}
