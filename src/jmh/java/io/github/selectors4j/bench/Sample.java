package io.github.selectors4j.bench;

/**
 * What one run of a case measured.
 *
 * @param value      the case's figure: nanoseconds per operation for JMH cases, or what an
 *                   end-to-end case measures (requests per second...); its section knows which
 * @param bytesPerOp bytes allocated per operation by every thread of the benchmark's JVM (the GC
 *                   profiler's {@code gc.alloc.rate.norm}), or {@code NaN} where not measured
 */
record Sample(double value, double bytesPerOp) {

    /** A sample without an allocation figure. */
    static Sample of(double value) {
        return new Sample(value, Double.NaN);
    }
}
