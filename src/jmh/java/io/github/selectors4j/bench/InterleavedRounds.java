package io.github.selectors4j.bench;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    private InterleavedRounds() {
    }

    static Results run(Settings settings, List<BenchCase> cases) throws Exception {
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
        Map<BenchCase, List<Sample>> samples = new LinkedHashMap<>();
        for (BenchCase c : cases) {
            samples.put(c, new ArrayList<>());
        }
        for (int round = 0; round < settings.rounds(); round++) {
            for (BenchCase c : order(cases, round)) {
                Sample sample = c.run(settings);
                samples.get(c).add(sample);
                System.out.printf(Locale.ROOT, "[bench] round %d/%d %-36s %14.1f %10.3f B/op%n",
                        round + 1, settings.rounds(), c.label(), sample.value(), sample.bytesPerOp());
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

}
