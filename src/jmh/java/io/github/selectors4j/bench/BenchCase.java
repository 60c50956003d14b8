package io.github.selectors4j.bench;

import java.util.List;
import java.util.Map;

/**
 * One JMH run of a round: a benchmark method with fixed parameters.
 *
 * @param label      how the report names it, unique within its section
 * @param benchmark  the benchmark class
 * @param method     the benchmark method
 * @param params     JMH parameter values
 * @param jvmArgs    extra arguments for the forked JVM (beyond {@code --enable-native-access})
 */
record BenchCase(String label, Class<?> benchmark, String method, Map<String, String> params, List<String> jvmArgs) {

    /** A case without extra JVM arguments. */
    static BenchCase of(String label, Class<?> benchmark, String method, Map<String, String> params) {
        return new BenchCase(label, benchmark, method, params, List.of());
    }

    @Override
    public String toString() {
        return label;
    }
}
