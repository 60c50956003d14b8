package io.github.selectors4j.bench;

import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one section's rounds measured: for each case, one sample per round, in round order.
 *
 * @param settings how the runs were configured
 * @param started  when the first round began
 * @param samples  the samples of each case, in the order the section listed its cases
 */
record Results(Settings settings, ZonedDateTime started, Map<BenchCase, List<Sample>> samples) {

    Results {
        samples = new LinkedHashMap<>(samples);
    }

    /** The samples of the case with this label. */
    List<Sample> of(String label) {
        for (Map.Entry<BenchCase, List<Sample>> entry : samples.entrySet()) {
            if (entry.getKey().label().equals(label)) {
                return entry.getValue();
            }
        }
        throw new IllegalArgumentException("no case labelled " + label + " in " + samples.keySet());
    }

    /** The median time per operation of the case with this label. */
    double medianNanos(String label) {
        return medianValue(label);
    }

    /** The median of the values of the case with this label, whatever its section measures. */
    double medianValue(String label) {
        return Stats.median(Stats.times(of(label)));
    }

    /** The median allocation per operation of the case with this label. */
    double medianBytes(String label) {
        return Stats.median(Stats.allocations(of(label)));
    }

    /** Per-round ratios of two cases' times. */
    List<Double> ratios(String label, String reference) {
        return Stats.ratios(of(label), of(reference));
    }
}
