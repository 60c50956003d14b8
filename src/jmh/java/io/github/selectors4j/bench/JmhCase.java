package io.github.selectors4j.bench;

import java.util.ArrayList;
import java.util.List;
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
 * A JMH benchmark method with fixed parameters, run in a fresh fork with the GC profiler; its
 * sample is the average time per operation in nanoseconds.
 *
 * @param label     how the report names it, unique within its section
 * @param benchmark the benchmark class
 * @param method    the benchmark method
 * @param params    JMH parameter values
 * @param jvmArgs   extra arguments for the forked JVM (beyond {@code --enable-native-access})
 */
record JmhCase(String label, Class<?> benchmark, String method, Map<String, String> params, List<String> jvmArgs)
        implements BenchCase {

    /** The GC profiler's allocation per operation, summed over the fork's threads. */
    static final String ALLOC_NORM = "gc.alloc.rate.norm";

    /** A case without extra JVM arguments. */
    static JmhCase of(String label, Class<?> benchmark, String method, Map<String, String> params) {
        return new JmhCase(label, benchmark, method, params, List.of());
    }

    @Override
    public Sample run(Settings settings) throws RunnerException {
        TimeValue iteration = TimeValue.milliseconds(settings.iterationMillis());
        List<String> args = new ArrayList<>();
        args.add("--enable-native-access=ALL-UNNAMED");
        args.addAll(jvmArgs);
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark.getName() + "." + method) + "$")
                .forks(1)
                .jvmArgsAppend(args.toArray(String[]::new))
                .warmupIterations(settings.warmupIterations())
                .warmupTime(iteration)
                .measurementIterations(settings.measureIterations())
                .measurementTime(iteration)
                .timeUnit(TimeUnit.NANOSECONDS)
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.NORMAL);
        params.forEach(options::param);
        RunResult result = new Runner(options.build()).runSingle();
        Result<?> time = result.getPrimaryResult();
        if (!"ns/op".equals(time.getScoreUnit())) {
            throw new IllegalStateException(label + ": expected ns/op, JMH reported " + time.getScoreUnit());
        }
        return new Sample(time.getScore(), allocation(result));
    }

    private double allocation(RunResult result) {
        // JMH 1.37 names it "gc.alloc.rate.norm"; older versions prefixed a middle dot.
        for (String name : result.getSecondaryResults().keySet()) {
            if (name.endsWith(ALLOC_NORM)) {
                return result.getSecondaryResults().get(name).getScore();
            }
        }
        throw new IllegalStateException(label + ": the GC profiler reported no " + ALLOC_NORM
                + " (secondary results: " + result.getSecondaryResults().keySet() + ")");
    }

    @Override
    public String toString() {
        return label;
    }
}
