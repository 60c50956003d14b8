package io.github.selectors4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of the {@code redis} section: a fresh server process and {@code redis-benchmark}
 * against it with one number of clients and one pipeline depth, the server pinned to
 * {@link EchoCase#SERVER_CPU} and the client to {@link EchoCase#CLIENT_CPU}.
 *
 * <p>{@code redis-benchmark} has no duration option, only a request count {@code -n} per test. So
 * the case first runs it for the warmup, again and again, each time with the count that the
 * rates of the previous run say fills what is left of the warmup; the rates of the last warmup
 * run then give the count that fills the measurement. Its sample's value is the requests of the
 * measured run (all its tests) over their time; its details are each test's rate and latency
 * percentiles, and the server's CPU time.
 *
 * @param server   the server under test
 * @param clients  {@code -c}: connections, each with its own requests in flight
 * @param pipeline {@code -P}: requests each connection sends before it waits for their replies
 */
record RedisCase(RespTarget server, int clients, int pipeline) implements BenchCase {

    /** The tests of {@code -t ping,set,get}, in the order redis-benchmark runs them. */
    static final List<String> TESTS = List.of("PING_INLINE", "PING_MBULK", "SET", "GET");
    /** Bytes of the value that SET stores: redis-benchmark's default {@code -d}. */
    static final int VALUE_SIZE = 3;
    /** The key redis-benchmark's SET and GET use without {@code -r}. */
    static final String KEY = "key:__rand_int__";

    /** A test's requests per second: {@code RATE + test}. */
    static final String RATE = "rps:";
    /** A test's median latency in µs, as redis-benchmark reports it (to the µs). */
    static final String P50_US = "p50_us:";
    /** A test's 99th percentile latency in µs. */
    static final String P99_US = "p99_us:";
    /** The requests of each test in the measured run ({@code -n}). */
    static final String REQUESTS = "requests";
    /** The server's CPU time per request, in ns, over the measured run. */
    static final String SERVER_CPU_NS = EchoCase.SERVER_CPU_NS;
    /** The server's CPU time over the measured run's wall time. */
    static final String SERVER_CPU_SHARE = EchoCase.SERVER_CPU_SHARE;

    /** The least count of any run. */
    static final long MIN_REQUESTS = 1000;
    private static final Duration SLACK = Duration.ofSeconds(60);

    @Override
    public String label() {
        return label(server, clients, pipeline);
    }

    /** The label of the case of these parameters, for looking its samples up. */
    static String label(RespTarget server, int clients, int pipeline) {
        return server.label() + " -c " + clients + " -P " + pipeline;
    }

    @Override
    public Sample run(Settings settings) throws Exception {
        RequiredTools.require(RequiredTools.REDIS_BENCHMARK);
        if (EchoCase.pinned()) {
            RequiredTools.require(RequiredTools.TASKSET);
        }
        try (ServerProcess process = server.start()) {
            long warmupEnd = System.nanoTime() + settings.warmupMillis() * 1_000_000;
            long requests = firstRequests(clients, pipeline);
            Map<String, double[]> last;
            do {
                last = benchmark(process, requests);
                long remaining = warmupEnd - System.nanoTime();
                long previous = requests;
                requests = Math.min(previous * 10, requestsFor(last, previous, remaining / 1e9));
            } while (System.nanoTime() < warmupEnd);
            // Never fewer than the first warmup run's, so that no measured test is over within redis-benchmark's 1 ms.
            requests = Math.max(firstRequests(clients, pipeline), requestsFor(last, requests, settings.measureMillis() / 1e3));

            long start = System.nanoTime();
            double cpuBefore = EchoCase.cpuSeconds(process.pid());
            Map<String, double[]> measured = benchmark(process, requests);
            if (measured.values().stream().anyMatch(result -> Double.isInfinite(result[0]))) {
                throw process.failure("served a measured test of " + requests + " requests in less than the 1 ms "
                        + "redis-benchmark can time: the measurement is too short for this rate");
            }
            double cpu = EchoCase.cpuSeconds(process.pid()) - cpuBefore;
            double wall = (System.nanoTime() - start) / 1e9;
            checkStoredValue(process);
            return sample(measured, requests, cpu, wall);
        }
    }

    /**
     * The count of the first warmup run: enough that every connection sends a few batches, since
     * redis-benchmark times a test to the millisecond and calls a faster one infinitely fast.
     */
    static long firstRequests(int clients, int pipeline) {
        return Math.max(MIN_REQUESTS, 100L * clients * pipeline);
    }

    /**
     * The count per test with which a run of every test lasts {@code seconds} at the rates of
     * {@code run}, which ran {@code requests} per test.
     */
    private static long requestsFor(Map<String, double[]> run, long requests, double seconds) {
        double secondsPerRequest = 0;  // one request of each test
        for (double[] result : run.values()) {
            // "inf" means under a millisecond: take it as a millisecond, which underestimates the rate.
            secondsPerRequest += Double.isInfinite(result[0]) ? 1e-3 / requests : 1 / result[0];
        }
        return Math.max(MIN_REQUESTS, (long) (seconds / secondsPerRequest));
    }

    private Sample sample(Map<String, double[]> measured, long requests, double cpu, double wall) {
        Map<String, Double> details = new HashMap<>();
        double seconds = 0;
        for (String test : TESTS) {
            double[] result = measured.get(test);
            details.put(RATE + test, result[0]);
            details.put(P50_US + test, result[1]);
            details.put(P99_US + test, result[2]);
            seconds += requests / result[0];
        }
        long total = requests * TESTS.size();
        details.put(REQUESTS, (double) requests);
        details.put(SERVER_CPU_NS, cpu * 1e9 / total);
        details.put(SERVER_CPU_SHARE, cpu / wall);
        return new Sample(total / seconds, Double.NaN, details);
    }

    /** The command line of one redis-benchmark run, as the report quotes it. */
    static List<String> command(int port, int clients, int pipeline, long requests) {
        return List.of("redis-benchmark", "-h", "127.0.0.1", "-p", Integer.toString(port), "-t", "ping,set,get",
                "-c", Integer.toString(clients), "-P", Integer.toString(pipeline), "-n", Long.toString(requests),
                "--csv", "-q");
    }

    /**
     * Runs redis-benchmark once; for each test, its requests per second, median and 99th
     * percentile latency in µs. redis-benchmark exits with status 1 at the first error reply, and
     * so fails the run.
     */
    private Map<String, double[]> benchmark(ServerProcess process, long requests) throws IOException, InterruptedException {
        List<String> command = command(process.port(), clients, pipeline, requests);
        try (ChildProcess client = ChildProcess.start("redis-benchmark against " + label(),
                EchoCase.onCpu(EchoCase.CLIENT_CPU, command))) {
            // A run is meant to last seconds; a minute more means something is stuck.
            List<String> output = client.awaitOutput(SLACK.multipliedBy(2));
            return parse(output, client);
        } catch (IllegalStateException e) {
            e.addSuppressed(process.failure("was running when redis-benchmark failed"));
            throw e;
        }
    }

    /**
     * Reads redis-benchmark's CSV: a header line, then per test
     * {@code "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"}.
     */
    static Map<String, double[]> parse(List<String> output, ChildProcess client) throws IOException {
        Map<String, double[]> results = new LinkedHashMap<>();
        String header = null;
        for (String line : output) {
            if (!line.startsWith("\"")) {
                continue;
            }
            String[] fields = line.substring(1, line.length() - 1).split("\",\"");
            if (header == null) {
                header = line;
                if (fields.length < 7 || !fields[1].equals("rps") || !fields[4].equals("p50_latency_ms")
                        || !fields[6].equals("p99_latency_ms")) {
                    throw client.failure("printed CSV columns this benchmark does not know: " + line);
                }
                continue;
            }
            // A test that took less than a millisecond has the rate "inf".
            double rate = fields[1].equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(fields[1]);
            results.put(fields[0], new double[] {rate, Double.parseDouble(fields[4]) * 1000,
                    Double.parseDouble(fields[6]) * 1000});
        }
        if (!results.keySet().equals(new HashSet<>(TESTS))) {
            throw client.failure("printed results for " + results.keySet() + ", not for " + TESTS);
        }
        for (double[] result : results.values()) {
            if (!(result[0] > 0)) {
                throw client.failure("printed a rate that is not positive");
            }
        }
        return results;
    }

    /**
     * Asks for the key that the SET test wrote: redis-benchmark does not look inside GET's replies,
     * so this is what shows that the server stored what it was sent. The value is random bytes of
     * {@link #VALUE_SIZE}, the same for every SET of a run, so only its length is checked.
     */
    private void checkStoredValue(ServerProcess process) throws IOException {
        String request = "*2\r\n$3\r\nGET\r\n$" + KEY.length() + "\r\n" + KEY + "\r\n";
        String expected = "$" + VALUE_SIZE + "\r\n";
        byte[] reply = new byte[expected.length() + VALUE_SIZE + 2];
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), process.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            int n = 0;
            while (n < reply.length) {
                int r = in.read(reply, n, reply.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            String text = new String(reply, 0, n, StandardCharsets.ISO_8859_1);
            if (n < reply.length || !text.startsWith(expected) || !text.endsWith("\r\n")) {
                throw process.failure("answered GET " + KEY + " after the benchmark with \"" + text.replace("\r\n", "\\r\\n")
                        + "\", not a " + VALUE_SIZE + "-byte value");
            }
        }
    }

    @Override
    public String toString() {
        return label();
    }
}
