package io.github.selectors4j.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The few statistics the reports use: medians over rounds and ratios within a round. */
final class Stats {

    private Stats() {
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double min(List<Double> values) {
        return Collections.min(values);
    }

    static double max(List<Double> values) {
        return Collections.max(values);
    }

    static List<Double> times(List<Sample> samples) {
        return samples.stream().map(Sample::value).toList();
    }

    static List<Double> allocations(List<Sample> samples) {
        return samples.stream().map(Sample::bytesPerOp).toList();
    }

    /** Per-round time ratios {@code a[i] / b[i]}: both sides measured in the same round. */
    static List<Double> ratios(List<Sample> a, List<Sample> b) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            ratios.add(a.get(i).value() / b.get(i).value());
        }
        return ratios;
    }
}
