package io.github.selectors4j.bench;

/**
 * What one JMH run measured.
 *
 * @param nanosPerOp average time of one operation
 * @param bytesPerOp bytes allocated per operation, by every thread of the benchmark's JVM (the GC
 *                   profiler's {@code gc.alloc.rate.norm})
 */
record Sample(double nanosPerOp, double bytesPerOp) {
}
