package io.github.selectors4j.bench;

import java.util.Map;

/**
 * What one run of a case measured.
 *
 * @param value      the case's figure: nanoseconds per operation for JMH cases, or what an
 *                   end-to-end case measures (messages per second...); its section knows which
 * @param bytesPerOp bytes allocated per operation by every thread of the benchmark's JVM (the GC
 *                   profiler's {@code gc.alloc.rate.norm}), or of the server's JVM for an
 *                   end-to-end case, or {@code NaN} where not measured
 * @param details    further figures of the run by name (latency percentiles, CPU use...), which
 *                   its section knows how to read; empty for JMH cases
 */
record Sample(double value, double bytesPerOp, Map<String, Double> details) {

    Sample {
        details = Map.copyOf(details);
    }

    /** A sample without details. */
    Sample(double value, double bytesPerOp) {
        this(value, bytesPerOp, Map.of());
    }

    /** A sample without an allocation figure. */
    static Sample of(double value) {
        return new Sample(value, Double.NaN);
    }

    /** The detail of this name, or {@code NaN} if the run did not measure it. */
    double detail(String name) {
        return details.getOrDefault(name, Double.NaN);
    }
}
