package io.github.selectors4j.bench;

import static io.github.selectors4j.bench.Markdown.bytes;
import static io.github.selectors4j.bench.Markdown.nanos;
import static io.github.selectors4j.bench.Markdown.ratioCell;
import static io.github.selectors4j.bench.Markdown.spread;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shape shared by the event-loop sections: one benchmark method, three loops (ours, a JDK
 * {@code Selector} loop, Netty's epoll loop) selected by the {@code impl} parameter, compared with
 * ratios to both baselines.
 */
final class LoopComparison {

    static final String OURS = "selectors4j";
    static final String JDK = "jdk-nio";
    static final String NETTY = "netty-epoll";
    static final List<String> IMPLS = List.of(OURS, JDK, NETTY);

    /** Same flags for every loop; Netty's leak detector would otherwise sample and allocate. */
    private static final List<String> JVM_ARGS = List.of("-Dio.netty.leakDetection.level=disabled");

    private LoopComparison() {
    }

    static List<BenchCase> cases(Class<?> benchmark, String method) {
        List<BenchCase> cases = new ArrayList<>();
        for (String impl : IMPLS) {
            cases.add(new JmhCase(impl, benchmark, method, Map.of("impl", impl), JVM_ARGS));
        }
        return cases;
    }

    /**
     * The cases of one variant: each loop with one more parameter fixed, labelled
     * {@code impl/value}.
     */
    static List<BenchCase> cases(Class<?> benchmark, String method, String param, String value) {
        List<BenchCase> cases = new ArrayList<>();
        for (String impl : IMPLS) {
            cases.add(new JmhCase(label(impl, value), benchmark, method, Map.of("impl", impl, param, value), JVM_ARGS));
        }
        return cases;
    }

    /** The label of a loop's case in a variant, or of the loop alone if {@code variant} is null. */
    static String label(String impl, String variant) {
        return variant == null ? impl : impl + "/" + variant;
    }

    /**
     * The results table.
     *
     * @param unit what one operation is, for the column headings ("round trip")
     */
    static String table(Results results, Map<String, String> calls, String unit, String variant) {
        StringBuilder md = new StringBuilder();
        md.append("| Loop | What runs | Median ns/").append(unit).append(" | Spread ns/").append(unit)
                .append(" | Allocation B/").append(unit).append(" | Ratio to `jdk-nio` | Ratio to `netty-epoll` |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|\n");
        String jdk = label(JDK, variant);
        String netty = label(NETTY, variant);
        for (String impl : IMPLS) {
            String label = label(impl, variant);
            md.append("| `").append(impl).append("` | ").append(calls.get(impl)).append(" | ")
                    .append(nanos(results.medianNanos(label))).append(" | ")
                    .append(spread(Stats.times(results.of(label)))).append(" | ")
                    .append(bytes(results.medianBytes(label))).append(" | ")
                    .append(impl.equals(JDK) ? "reference" : ratioCell(results.ratios(label, jdk))).append(" | ")
                    .append(impl.equals(NETTY) ? "reference" : ratioCell(results.ratios(label, netty))).append(" |\n");
        }
        md.append("\nA ratio cell shows the median of the per-round ratios and, in parentheses, their lowest and "
                + "highest value. Above 1 means slower than the reference.\n");
        return md.toString();
    }

    /**
     * The verdicts of our loop against both baselines, one list item each.
     *
     * @param variant the variant's parameter value, or null if the section has none
     */
    static String verdicts(Results results, String unit, String variant) {
        StringBuilder md = new StringBuilder();
        String ours = label(OURS, variant);
        for (String reference : List.of(JDK, NETTY)) {
            String theirs = label(reference, variant);
            md.append("- ").append(variant == null ? "Against `" : "`" + variant + "`, against `").append(reference)
                    .append("`: median ").append(nanos(results.medianNanos(ours))).append(" ns per ").append(unit)
                    .append(" against ").append(nanos(results.medianNanos(theirs))).append(" ns, so ")
                    .append(Markdown.verdict(results.ratios(ours, theirs), "`" + reference + "`")).append(".\n");
        }
        return md.toString();
    }
}
