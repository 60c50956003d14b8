package io.github.selectors4j.bench;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;
import org.openjdk.jmh.util.Version;

/** Number formats and the paragraphs every section of the report shares. */
final class Markdown {

    private Markdown() {
    }

    static String nanos(double value) {
        return String.format(Locale.ROOT, value < 100 ? "%.1f" : "%.0f", value);
    }

    static String bytes(double value) {
        return String.format(Locale.ROOT, value >= 10 ? "%.0f" : value >= 0.1 ? "%.1f" : "%.3f", value);
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** "lowest–highest" over the rounds, or a dash for a single round. */
    static String spread(List<Double> values) {
        return values.size() == 1 ? "–" : nanos(Stats.min(values)) + "–" + nanos(Stats.max(values));
    }

    /** The median of per-round ratios and, in parentheses, their range. */
    static String ratioCell(List<Double> ratios) {
        if (ratios.size() == 1) {
            return ratio(ratios.get(0));
        }
        return ratio(Stats.median(ratios)) + " (" + ratio(Stats.min(ratios)) + "–" + ratio(Stats.max(ratios)) + ")";
    }

    /**
     * States only what the per-round ratios show, without a cause: "faster than X in every round",
     * "slower ... in every round", or mixed.
     */
    static String verdict(List<Double> ratios, String reference) {
        return verdict(ratios, reference, "faster", "slower");
    }

    /**
     * The same for a ratio of something other than time: {@code less} and {@code more} say what a
     * ratio below and above 1 means ("less CPU", "more CPU").
     */
    static String verdict(List<Double> ratios, String reference, String less, String more) {
        double min = Stats.min(ratios);
        double max = Stats.max(ratios);
        boolean one = ratios.size() == 1;
        String measured = one ? "ratio " + ratio(min)
                : "median ratio " + ratio(Stats.median(ratios)) + ", per-round ratios " + ratio(min) + "–" + ratio(max);
        String every = one ? "in the one round" : "in every round";
        if (min > 1) {
            return "**" + more + " than " + reference + "** " + every + " (" + measured + ")";
        }
        if (max < 1) {
            return "**" + less + " than " + reference + "** " + every + " (" + measured + ")";
        }
        return less + " than " + reference + " in some rounds and " + more.split(" ")[0] + " in others (" + measured + ")";
    }

    /** The warning a quick run's section carries. */
    static String quickWarning(Settings settings) {
        return settings.quick()
                ? "\n**Quick smoke run** (`-Dbench.quick=true`): one short round; these numbers only show "
                        + "that the benchmark runs, they are not a measurement.\n"
                : "";
    }

    /** The "How it was run" list: command, date, machine, JDK, JMH settings and rounds. */
    static String howItWasRun(Results results, Class<?> benchmark) {
        Settings settings = results.settings();
        StringBuilder md = new StringBuilder("### How it was run\n\n");
        md.append(commandDateMachineJdk(results, "benchmark `" + benchmark.getName() + "`"));
        md.append("- JMH ").append(Version.getPlainVersion())
                .append(", average time per operation. Every run is a fresh JVM (one JMH fork, "
                        + "`--enable-native-access=ALL-UNNAMED`) with ")
                .append(settings.describe()).append("; allocation per operation is the GC profiler's `")
                .append(JmhCase.ALLOC_NORM).append("`, which counts every thread of the JVM.\n");
        md.append(rounds(settings));
        return md.toString();
    }

    /**
     * The first items of a "How it was run" list: the command, what it ran, the date, the machine
     * and the JDK.
     *
     * @param what what the command ran, in Markdown ("benchmark `...`")
     */
    static String commandDateMachineJdk(Results results, String what) {
        StringBuilder md = new StringBuilder();
        md.append("- Command: `").append(BenchmarkReport.COMMAND).append("` (").append(what).append(", driver `")
                .append(BenchmarkReport.class.getSimpleName()).append("`)");
        if (results.settings().quick()) {
            md.append(" with `-Dbench.quick=true`");
        }
        if (results.settings().roundsOverridden()) {
            md.append(results.settings().quick() ? " and" : " with").append(" `-Dbench.rounds=")
                    .append(results.settings().rounds()).append('`');
        }
        md.append('\n');
        md.append("- Date: ")
                .append(results.started().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)))
                .append('\n');
        md.append("- Machine: ").append(Machine.describe()).append('\n');
        md.append("- JDK: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append('\n');
        return md.toString();
    }

    /** The last item of a "How it was run" list: how the rounds interleave. */
    static String rounds(Settings settings) {
        return "- " + settings.rounds() + (settings.rounds() == 1 ? " round" : " rounds")
                + ". In each round every case runs once, one after another, in an order rotated from round to "
                + "round, so that all of them see the same machine conditions. The tables give the median "
                + "over the rounds, the spread (lowest–highest round), and ratios computed within each "
                + "round, of which the median is shown.\n";
    }

    /** A table of every round's time for every case. */
    static String everyRound(Results results) {
        return everyRound(results, "ns/op", Markdown::nanos);
    }

    /**
     * A table of every round's value for every case.
     *
     * @param unit   what the values are, for the heading ("ns/op")
     * @param format how one value is written
     */
    static String everyRound(Results results, String unit, DoubleFunction<String> format) {
        int rounds = results.settings().rounds();
        StringBuilder md = new StringBuilder("### Every round (" + unit + ")\n\n| Case |");
        for (int r = 1; r <= rounds; r++) {
            md.append(" Round ").append(r).append(" |");
        }
        md.append("\n|---|").append("---:|".repeat(rounds)).append('\n');
        for (Map.Entry<BenchCase, List<Sample>> entry : results.samples().entrySet()) {
            md.append("| `").append(entry.getKey().label()).append("` |");
            for (Sample sample : entry.getValue()) {
                md.append(' ').append(format.apply(sample.value())).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** The first two points of every section's "Reading the numbers". */
    static final String READING_THE_NUMBERS = """
            - `ns/op` is the average time of one operation on this machine, a shared VM: absolute numbers
              move from day to day, so compare rows of the same table, measured in the same rounds. Where
              the spreads of two rows overlap, this run does not establish a difference between them.
            - The ratios are the sturdier comparison: both sides of each ratio were measured in the same
              round, minutes apart at most, so a round in which the machine was slow is slow for both.
            """;

    /** The sentence that explains allocation averages below one byte. */
    static final String BELOW_ONE_BYTE = "the smallest Java object takes 16 bytes, so an average below 1 B/op is "
            + "not an allocation made by each operation";
}
