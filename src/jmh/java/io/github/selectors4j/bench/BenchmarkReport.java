package io.github.selectors4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Version;

/**
 * Runs {@link SelectOneReadyBenchmark} in interleaved rounds and writes the Markdown report, the
 * section "select() with one ready fd" of {@code docs/performance.md}.
 *
 * <p>The machine this project is measured on is a shared VM whose speed drifts by tens of percent
 * over minutes. A single long JMH run per implementation would compare the JDK measured at one
 * moment with our selectors measured at another. So the benchmark runs in rounds: in each round
 * every implementation and form runs once, back to back, in an order rotated from round to round;
 * the report gives the median over rounds and ratios computed <em>within</em> each round, where
 * both sides saw the same machine.
 *
 * <p>Invoked by {@code ./mvnw -B -Pbench verify}, with these system properties:
 * <ul>
 *   <li>{@code bench.quick}: {@code true} for a short smoke run (one round, a fraction of a second
 *       per iteration) that writes {@code performance-quick.md} into the build directory and
 *       prints it, leaving {@code docs/} alone;</li>
 *   <li>{@code bench.basedir}: the project directory, where {@code docs/} is;</li>
 *   <li>{@code bench.buildDir}: the build directory ({@code target}).</li>
 * </ul>
 * A full run rewrites only its own section of {@code docs/performance.md} and keeps every other
 * section, so that later benchmarks can add theirs to the same page.
 */
public final class BenchmarkReport {

    /** The command that reproduces the report, quoted in it. */
    static final String COMMAND = "./mvnw -B -Pbench verify";

    /** The heading of the section this report owns. */
    static final String SECTION_HEADING = "## select() with one ready fd";

    private static final String CALLBACK = "callback";
    private static final String COLLECTION = "collection";
    private static final List<String> FORMS = List.of(CALLBACK, COLLECTION);
    private static final List<String> IMPLS = List.of("epoll", "poll", "select", SelectOneReadyBenchmark.JDK_NIO);
    private static final List<String> OURS = IMPLS.subList(0, 3);
    private static final String ALLOC_NORM = "gc.alloc.rate.norm";

    /**
     * How long each measurement runs.
     *
     * @param quick             whether this is the smoke run
     * @param rounds            how many interleaved rounds
     * @param warmupIterations  warmup iterations per run
     * @param measureIterations measured iterations per run
     * @param iterationMillis   the length of each iteration
     */
    record Settings(boolean quick, int rounds, int warmupIterations, int measureIterations, int iterationMillis) {

        static final Settings FULL = new Settings(false, 5, 5, 5, 1000);
        static final Settings QUICK = new Settings(true, 1, 1, 2, 200);

        String describe() {
            String length = iterationMillis % 1000 == 0 ? (iterationMillis / 1000) + " s" : iterationMillis + " ms";
            return warmupIterations + " × " + length + " warmup and " + measureIterations + " × " + length
                    + " measurement iterations";
        }
    }

    /** One JMH run: a benchmark method (the form) with one implementation. */
    record Case(String form, String impl) {
        @Override
        public String toString() {
            return form + "/" + impl;
        }
    }

    /** What one run measured: average time and allocation per operation. */
    record Sample(double nanosPerOp, double bytesPerOp) {
    }

    private BenchmarkReport() {
    }

    /**
     * Runs the rounds and writes the report.
     *
     * @param args ignored; configuration comes from system properties
     * @throws Exception if a benchmark fails or the report cannot be written; the build then fails
     */
    public static void main(String[] args) throws Exception {
        Settings settings = Boolean.getBoolean("bench.quick") ? Settings.QUICK : Settings.FULL;
        Path basedir = Path.of(System.getProperty("bench.basedir", ".")).toAbsolutePath();
        Path buildDir = Path.of(System.getProperty("bench.buildDir", basedir.resolve("target").toString()));

        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
        Map<Case, List<Sample>> samples = measure(settings);
        String section = section(settings, started, samples);

        if (settings.quick()) {
            Path out = buildDir.resolve("performance-quick.md");
            Files.createDirectories(out.getParent());
            String page = pageHeader() + section;
            Files.writeString(out, page, StandardCharsets.UTF_8);
            System.out.println(page);
            System.out.println("[bench] quick report written to " + out);
        } else {
            Path out = basedir.resolve("docs").resolve("performance.md");
            Files.createDirectories(out.getParent());
            String existing = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : null;
            Files.writeString(out, replaceSection(existing, section), StandardCharsets.UTF_8);
            System.out.println("[bench] report written to " + out);
        }
    }

    // ------------------------------------------------------------------ measuring

    private static Map<Case, List<Sample>> measure(Settings settings) throws RunnerException {
        Map<Case, List<Sample>> samples = new LinkedHashMap<>();
        for (String form : FORMS) {
            for (String impl : IMPLS) {
                samples.put(new Case(form, impl), new ArrayList<>());
            }
        }
        for (int round = 0; round < settings.rounds(); round++) {
            for (Case c : roundOrder(round)) {
                Sample sample = runOne(settings, c);
                samples.get(c).add(sample);
                System.out.printf(Locale.ROOT, "[bench] round %d/%d %-20s %10.1f ns/op %10.3f B/op%n",
                        round + 1, settings.rounds(), c, sample.nanosPerOp(), sample.bytesPerOp());
            }
        }
        return samples;
    }

    /**
     * The cases of one round. The order rotates from round to round, so that no implementation is
     * always the first after a fork of the other form, or always the last.
     */
    static List<Case> roundOrder(int round) {
        List<String> forms = new ArrayList<>(FORMS);
        Collections.rotate(forms, round);
        List<String> impls = new ArrayList<>(IMPLS);
        Collections.rotate(impls, round);
        List<Case> order = new ArrayList<>();
        for (String form : forms) {
            for (String impl : impls) {
                order.add(new Case(form, impl));
            }
        }
        return order;
    }

    private static Sample runOne(Settings settings, Case c) throws RunnerException {
        TimeValue iteration = TimeValue.milliseconds(settings.iterationMillis());
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(SelectOneReadyBenchmark.class.getName() + "." + c.form()) + "$")
                .param("impl", c.impl())
                .forks(1)
                .warmupIterations(settings.warmupIterations())
                .warmupTime(iteration)
                .measurementIterations(settings.measureIterations())
                .measurementTime(iteration)
                .timeUnit(TimeUnit.NANOSECONDS)
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.NORMAL);
        RunResult result = new Runner(options.build()).runSingle();
        Result<?> time = result.getPrimaryResult();
        if (!"ns/op".equals(time.getScoreUnit())) {
            throw new IllegalStateException(c + ": expected ns/op, JMH reported " + time.getScoreUnit());
        }
        return new Sample(time.getScore(), allocation(c, result));
    }

    private static double allocation(Case c, RunResult result) {
        // JMH 1.37 names it "gc.alloc.rate.norm"; older versions prefixed a middle dot.
        for (String label : result.getSecondaryResults().keySet()) {
            if (label.endsWith(ALLOC_NORM)) {
                return result.getSecondaryResults().get(label).getScore();
            }
        }
        throw new IllegalStateException(c + ": the GC profiler reported no " + ALLOC_NORM
                + " (secondary results: " + result.getSecondaryResults().keySet() + ")");
    }

    // ------------------------------------------------------------------ statistics

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static List<Double> times(List<Sample> samples) {
        return samples.stream().map(Sample::nanosPerOp).toList();
    }

    private static List<Double> allocations(List<Sample> samples) {
        return samples.stream().map(Sample::bytesPerOp).toList();
    }

    /** Per-round ratios {@code a[i] / b[i]}: both measured in the same round. */
    private static List<Double> ratios(List<Sample> a, List<Sample> b) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            ratios.add(a.get(i).nanosPerOp() / b.get(i).nanosPerOp());
        }
        return ratios;
    }

    // ------------------------------------------------------------------ the report

    private static String pageHeader() {
        return """
                # Performance

                How fast selectors4j is, measured with [JMH](https://github.com/openjdk/jmh) and set beside
                the JDK's `java.nio.channels.Selector` wherever the JDK does the same job. Each measurement
                section is written by a benchmark run and names the command, the machine and the JDK it was
                measured with; a run rewrites only its own section and leaves the others, hand-written notes
                included, as they are.

                The benchmarks live in `src/jmh/java`. `./mvnw -B -Pbench verify` builds the library
                (without the unit tests), runs them and rewrites this page;
                `./mvnw -B -Pbench verify -Dbench.quick=true` is a short smoke run that writes
                `target/performance-quick.md` instead and leaves this page alone.

                """;
    }

    /**
     * Replaces the section this report owns in an existing page, from its heading to the next
     * second-level heading, keeping everything else; appends it if the page has none yet.
     */
    static String replaceSection(String page, String section) {
        if (page == null || page.isBlank()) {
            return pageHeader() + section;
        }
        List<String> lines = page.lines().toList();
        int start = -1;
        int end = lines.size();
        boolean inFence = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                inFence = !inFence;
            } else if (!inFence && start < 0 && line.equals(SECTION_HEADING)) {
                start = i;
            } else if (!inFence && start >= 0 && line.startsWith("## ")) {
                end = i;
                break;
            }
        }
        StringBuilder out = new StringBuilder();
        if (start < 0) {
            out.append(page.stripTrailing()).append("\n\n").append(section);
            return out.toString();
        }
        for (int i = 0; i < start; i++) {
            out.append(lines.get(i)).append('\n');
        }
        out.append(section);
        if (end < lines.size()) {
            out.append('\n');
            for (int i = end; i < lines.size(); i++) {
                out.append(lines.get(i)).append('\n');
            }
        }
        return out.toString();
    }

    private static String section(Settings settings, ZonedDateTime started, Map<Case, List<Sample>> samples) {
        StringBuilder md = new StringBuilder();
        md.append(SECTION_HEADING).append("\n\n");
        md.append("""
                The time of one `select` call that finds exactly one ready fd, for our `epoll`, `poll` and
                `select` selectors and for the JDK's `Selector`, and what each call allocates.
                """);
        if (settings.quick()) {
            md.append("\n**Quick smoke run** (`-Dbench.quick=true`): one short round; these numbers only show "
                    + "that the benchmark runs, they are not a measurement.\n");
        }

        md.append("""

                ### What is measured

                - **Our selectors** (`SelectorBackend.EPOLL`, `POLL`, `SELECT`, each `.open()`): one pipe
                  (`Pipe.open()`) whose read end is registered for `EVENT_READ`. One byte is written into the
                  pipe during setup and never read, so the fd stays ready (level-triggered) and every call
                  reports it. Each selector also watches its own wakeup fd, which is never ready here.
                - **`jdk-nio`**: `Selector.open()` with a non-blocking `java.nio.channels.Pipe` source channel
                  registered for `OP_READ`, one byte written into the sink during setup.
                - **Callback form** (benchmark method `callback`): `selector.select(Duration.ZERO, handler)`
                  for ours and `selector.selectNow(consumer)` for the JDK; the handler and the consumer are
                  created once and store the key they receive in a field.
                - **Collection form** (benchmark method `collection`): `selector.select(Duration.ZERO)`,
                  which returns a new Python-style `List<ReadyKey>` that is then iterated, for ours;
                  `selector.selectNow()` followed by iterating and clearing `selectedKeys()` for the JDK.
                - The timeout is zero, so no call blocks: the time is the system call plus the Java code around
                  it. Setup checks that each form reports exactly one ready key before measuring.

                ### How it was run

                """);
        md.append("- Command: `").append(COMMAND).append("` (benchmark `")
                .append(SelectOneReadyBenchmark.class.getName()).append("`, driver `")
                .append(BenchmarkReport.class.getSimpleName()).append("`)");
        if (settings.quick()) {
            md.append(" with `-Dbench.quick=true`");
        }
        md.append('\n');
        md.append("- Date: ").append(started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)))
                .append('\n');
        md.append("- Machine: ").append(nproc()).append(" CPUs (`nproc`), CPU model `").append(cpuModel())
                .append("`, Linux kernel `").append(kernel()).append("`\n");
        md.append("- JDK: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append('\n');
        md.append("- JMH ").append(Version.getPlainVersion()).append(", average time per operation. Every run is a fresh JVM "
                + "(one JMH fork, `--enable-native-access=ALL-UNNAMED`) with ").append(settings.describe())
                .append("; allocation per operation is the GC profiler's `").append(ALLOC_NORM).append("`.\n");
        md.append("- ").append(settings.rounds()).append(settings.rounds() == 1 ? " round" : " rounds").append(
                ". In each round every implementation and form runs once, one after another, in an order rotated "
                + "from round to round, so that all of them see the same machine conditions. The tables give the "
                + "median over the rounds, the spread (lowest–highest round), and ratios computed within each "
                + "round, of which the median is shown.\n");

        md.append("\n### Callback form\n\n");
        md.append("| Implementation | Call | Median ns/op | Spread ns/op | Allocation B/op | Ratio to `jdk-nio` |\n");
        md.append("|---|---|---:|---:|---:|---:|\n");
        for (String impl : IMPLS) {
            List<Sample> s = samples.get(new Case(CALLBACK, impl));
            md.append("| `").append(impl).append("` | ").append(callName(CALLBACK, impl)).append(" | ")
                    .append(nanos(median(times(s)))).append(" | ").append(spread(times(s))).append(" | ")
                    .append(bytes(median(allocations(s)))).append(" | ")
                    .append(ratioToJdk(s, samples.get(new Case(CALLBACK, SelectOneReadyBenchmark.JDK_NIO)), impl))
                    .append(" |\n");
        }

        md.append("\n### Collection form\n\n");
        md.append("| Implementation | Call | Median ns/op | Spread ns/op | Allocation B/op | Ratio to `jdk-nio` | "
                + "Ratio to own callback form |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (String impl : IMPLS) {
            List<Sample> s = samples.get(new Case(COLLECTION, impl));
            md.append("| `").append(impl).append("` | ").append(callName(COLLECTION, impl)).append(" | ")
                    .append(nanos(median(times(s)))).append(" | ").append(spread(times(s))).append(" | ")
                    .append(bytes(median(allocations(s)))).append(" | ")
                    .append(ratioToJdk(s, samples.get(new Case(COLLECTION, SelectOneReadyBenchmark.JDK_NIO)), impl))
                    .append(" | ").append(ratioCell(ratios(s, samples.get(new Case(CALLBACK, impl))))).append(" |\n");
        }
        md.append("\nA ratio cell shows the median of the per-round ratios and, in parentheses, their lowest and "
                + "highest value. Above 1 means slower than the reference.\n");

        md.append("\n### Every round (ns/op)\n\n");
        md.append("| Form | Implementation |");
        for (int r = 1; r <= settings.rounds(); r++) {
            md.append(" Round ").append(r).append(" |");
        }
        md.append("\n|---|---|");
        md.append("---:|".repeat(settings.rounds()));
        md.append('\n');
        for (Map.Entry<Case, List<Sample>> entry : samples.entrySet()) {
            md.append("| ").append(entry.getKey().form()).append(" | `").append(entry.getKey().impl()).append("` |");
            for (Sample sample : entry.getValue()) {
                md.append(' ').append(nanos(sample.nanosPerOp())).append(" |");
            }
            md.append('\n');
        }

        md.append("\n### Reading the numbers\n\n");
        md.append("""
                - `ns/op` is the average time of one call on this machine, a shared VM: absolute numbers move
                  from day to day, so compare rows of the same table, measured in the same rounds. Where the
                  spreads of two rows overlap, this run does not establish a difference between them.
                - The ratios are the sturdier comparison: both sides of each ratio were measured in the same
                  round, a minute or two apart, so a round in which the machine was slow is slow for both.
                """);
        for (String impl : OURS) {
            List<Double> r = ratios(samples.get(new Case(CALLBACK, impl)),
                    samples.get(new Case(CALLBACK, SelectOneReadyBenchmark.JDK_NIO)));
            md.append("- `").append(impl).append("`, callback form: median ")
                    .append(nanos(median(times(samples.get(new Case(CALLBACK, impl)))))).append(" ns against ")
                    .append(nanos(median(times(samples.get(new Case(CALLBACK, SelectOneReadyBenchmark.JDK_NIO))))))
                    .append(" ns for the JDK's `selectNow(Consumer)`, ").append(verdict(r, settings.rounds()))
                    .append(".\n");
        }
        md.append("- Allocation: ").append(allocationSentence(samples)).append('\n');
        List<String> listCosts = new ArrayList<>();
        for (String impl : OURS) {
            List<Double> r = ratios(samples.get(new Case(COLLECTION, impl)), samples.get(new Case(CALLBACK, impl)));
            listCosts.add("`" + impl + "` " + ratio(median(r)) + "×");
        }
        md.append("- The list-returning `select(Duration.ZERO)` takes, per round and then the median, ")
                .append(String.join(", ", listCosts)).append(" the time of the callback form of the same selector.\n");
        return md.toString();
    }

    private static String callName(String form, String impl) {
        boolean jdk = SelectOneReadyBenchmark.JDK_NIO.equals(impl);
        if (CALLBACK.equals(form)) {
            return jdk ? "`selectNow(consumer)`" : "`select(ZERO, handler)`";
        }
        return jdk ? "`selectNow()` + `selectedKeys()`" : "`select(ZERO)`";
    }

    /** States only what the per-round ratios show, without a cause. */
    private static String verdict(List<Double> ratios, int rounds) {
        double min = Collections.min(ratios);
        double max = Collections.max(ratios);
        String measured = rounds == 1 ? "ratio " + ratio(min)
                : "median ratio " + ratio(median(ratios)) + ", per-round ratios " + ratio(min) + "–" + ratio(max);
        String every = rounds == 1 ? "in the one round" : "in every round";
        if (min > 1) {
            return "so **slower than the JDK** " + every + " (" + measured + ")";
        }
        if (max < 1) {
            return "so **faster than the JDK** " + every + " (" + measured + ")";
        }
        return "faster than the JDK in some rounds and slower in others (" + measured + ")";
    }

    private static String allocationSentence(Map<Case, List<Sample>> samples) {
        // The smallest Java object is 16 bytes, so an average below 1 byte per call cannot be an
        // allocation made by every call; it is allocation elsewhere in the iteration, spread thin.
        List<String> none = new ArrayList<>();
        List<String> some = new ArrayList<>();
        for (String impl : OURS) {
            double b = median(allocations(samples.get(new Case(CALLBACK, impl))));
            (b < 1 ? none : some).add("`" + impl + "` (" + bytes(b) + " B/op)");
        }
        StringBuilder sentence = new StringBuilder();
        if (!none.isEmpty()) {
            sentence.append("the callback form allocates nothing per call for ").append(String.join(", ", none))
                    .append(" (the smallest Java object takes 16 bytes, so an average below 1 B/op is not an "
                            + "allocation made by each call)");
        }
        if (!some.isEmpty()) {
            sentence.append(none.isEmpty() ? "" : "; ").append("**the callback form allocates** for ")
                    .append(String.join(", ", some));
        }
        List<String> lists = new ArrayList<>();
        for (String impl : IMPLS) {
            lists.add("`" + impl + "` " + bytes(median(allocations(samples.get(new Case(COLLECTION, impl))))) + " B/op");
        }
        sentence.append(". The collection form allocates ").append(String.join(", ", lists)).append('.');
        return sentence.toString();
    }

    private static String nanos(double value) {
        return String.format(Locale.ROOT, value < 100 ? "%.1f" : "%.0f", value);
    }

    private static String bytes(double value) {
        return String.format(Locale.ROOT, value >= 10 ? "%.0f" : value >= 0.1 ? "%.1f" : "%.3f", value);
    }

    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String spread(List<Double> values) {
        if (values.size() == 1) {
            return "–";
        }
        return nanos(Collections.min(values)) + "–" + nanos(Collections.max(values));
    }

    private static String ratioToJdk(List<Sample> samples, List<Sample> jdk, String impl) {
        return SelectOneReadyBenchmark.JDK_NIO.equals(impl) ? "reference" : ratioCell(ratios(samples, jdk));
    }

    private static String ratioCell(List<Double> ratios) {
        if (ratios.size() == 1) {
            return ratio(ratios.get(0));
        }
        return ratio(median(ratios)) + " (" + ratio(Collections.min(ratios)) + "–" + ratio(Collections.max(ratios)) + ")";
    }

    // ------------------------------------------------------------------ the machine

    private static String nproc() {
        String out = command("nproc");
        return out != null ? out : Runtime.getRuntime().availableProcessors() + " (JVM)";
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String kernel() {
        String out = command("uname", "-r");
        return out != null ? out : System.getProperty("os.version");
    }

    /** The trimmed output of a short command, or null if it cannot run. */
    private static String command(String... argv) {
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out;
            try (InputStream in = process.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0 || out.isEmpty()) {
                process.destroy();
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
