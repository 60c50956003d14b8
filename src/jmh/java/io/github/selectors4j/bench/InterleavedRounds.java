package io.github.selectors4j.bench;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs a section's cases in interleaved rounds.
 *
 * <p>The machine this project is measured on is a shared VM whose speed drifts by tens of percent
 * over minutes. One long JMH run per implementation would compare the baseline measured at one
 * moment with ours measured at another. So each case runs once per round, back to back with the
 * others, in an order rotated from round to round; reports quote the median over rounds and
 * ratios computed <em>within</em> a round, where both sides saw the same machine.
 */
final class InterleavedRounds {

    /** The GC profiler's allocation per operation, summed over the fork's threads. */
    static final String ALLOC_NORM = "gc.alloc.rate.norm";

    private InterleavedRounds() {
    }

    static Results run(Settings settings, List<BenchCase> cases) throws RunnerException {
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
        Map<BenchCase, List<Sample>> samples = new LinkedHashMap<>();
        for (BenchCase c : cases) {
            samples.put(c, new ArrayList<>());
        }
        for (int round = 0; round < settings.rounds(); round++) {
            for (BenchCase c : order(cases, round)) {
                Sample sample = runOne(settings, c);
                samples.get(c).add(sample);
                System.out.printf(Locale.ROOT, "[bench] round %d/%d %-28s %12.1f ns/op %10.3f B/op%n",
                        round + 1, settings.rounds(), c, sample.nanosPerOp(), sample.bytesPerOp());
            }
        }
        return new Results(settings, started, samples);
    }

    /**
     * The order of one round: the list rotated by the round number, so that no case is always the
     * first after a fresh start or always the last.
     */
    static List<BenchCase> order(List<BenchCase> cases, int round) {
        List<BenchCase> order = new ArrayList<>(cases);
        Collections.rotate(order, round);
        return order;
    }

    private static Sample runOne(Settings settings, BenchCase c) throws RunnerException {
        TimeValue iteration = TimeValue.milliseconds(settings.iterationMillis());
        List<String> jvmArgs = new ArrayList<>();
        jvmArgs.add("--enable-native-access=ALL-UNNAMED");
        jvmArgs.addAll(c.jvmArgs());
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(c.benchmark().getName() + "." + c.method()) + "$")
                .forks(1)
                .jvmArgsAppend(jvmArgs.toArray(String[]::new))
                .warmupIterations(settings.warmupIterations())
                .warmupTime(iteration)
                .measurementIterations(settings.measureIterations())
                .measurementTime(iteration)
                .timeUnit(TimeUnit.NANOSECONDS)
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.NORMAL);
        c.params().forEach(options::param);
        RunResult result = new Runner(options.build()).runSingle();
        Result<?> time = result.getPrimaryResult();
        if (!"ns/op".equals(time.getScoreUnit())) {
            throw new IllegalStateException(c + ": expected ns/op, JMH reported " + time.getScoreUnit());
        }
        return new Sample(time.getScore(), allocation(c, result));
    }

    private static double allocation(BenchCase c, RunResult result) {
        // JMH 1.37 names it "gc.alloc.rate.norm"; older versions prefixed a middle dot.
        for (String label : result.getSecondaryResults().keySet()) {
            if (label.endsWith(ALLOC_NORM)) {
                return result.getSecondaryResults().get(label).getScore();
            }
        }
        throw new IllegalStateException(c + ": the GC profiler reported no " + ALLOC_NORM
                + " (secondary results: " + result.getSecondaryResults().keySet() + ")");
    }
}
