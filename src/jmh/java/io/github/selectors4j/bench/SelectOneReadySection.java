package io.github.selectors4j.bench;

import static io.github.selectors4j.bench.Markdown.bytes;
import static io.github.selectors4j.bench.Markdown.nanos;
import static io.github.selectors4j.bench.Markdown.ratio;
import static io.github.selectors4j.bench.Markdown.ratioCell;
import static io.github.selectors4j.bench.Markdown.spread;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * "select() with one ready fd": {@link SelectOneReadyBenchmark} for our three backends and the
 * JDK's {@code Selector}, in the callback and the collection form.
 */
final class SelectOneReadySection implements Section {

    private static final String CALLBACK = "callback";
    private static final String COLLECTION = "collection";
    private static final List<String> FORMS = List.of(CALLBACK, COLLECTION);
    private static final String JDK = SelectOneReadyBenchmark.JDK_NIO;
    private static final List<String> IMPLS = List.of("epoll", "poll", "select", JDK);
    private static final List<String> OURS = IMPLS.subList(0, 3);

    @Override
    public String id() {
        return "select-one-ready";
    }

    @Override
    public String heading() {
        return "## select() with one ready fd";
    }

    @Override
    public List<BenchCase> cases() {
        List<BenchCase> cases = new ArrayList<>();
        for (String form : FORMS) {
            for (String impl : IMPLS) {
                cases.add(JmhCase.of(label(form, impl), SelectOneReadyBenchmark.class, form, Map.of("impl", impl)));
            }
        }
        return cases;
    }

    private static String label(String form, String impl) {
        return form + "/" + impl;
    }

    @Override
    public String render(Results results, Charts charts) throws IOException {
        StringBuilder md = new StringBuilder(heading()).append("\n\n");
        md.append("""
                The time of one `select` call that finds exactly one ready fd, for our `epoll`, `poll` and
                `select` selectors and for the JDK's `Selector`, and what each call allocates.
                """);
        md.append(Markdown.quickWarning(results.settings()));
        md.append("""

                ### What is measured

                - **Our selectors** (`SelectorBackend.EPOLL`, `POLL`, `SELECT`, each `.open()`): one pipe
                  (`Pipe.open()`) whose read end is registered for `EVENT_READ`. One byte is written into the
                  pipe during setup and never read, so the fd stays ready (level-triggered) and every call
                  reports it. Each selector also watches its own wakeup fd, which is never ready here.
                - **`jdk-nio`**: `Selector.open()` with a non-blocking `java.nio.channels.Pipe` source channel
                  registered for `OP_READ`, one byte written into the sink during setup.
                - **Callback form** (benchmark method `callback`): `selector.select(Duration.ZERO, handler)`
                  for ours and `selector.selectNow(consumer)` for the JDK; the handler and the consumer are
                  created once and store the key they receive in a field.
                - **Collection form** (benchmark method `collection`): `selector.select(Duration.ZERO)`,
                  which returns a new Python-style `List<ReadyKey>` that is then iterated, for ours;
                  `selector.selectNow()` followed by iterating and clearing `selectedKeys()` for the JDK.
                - The timeout is zero, so no call blocks: the time is the system call plus the Java code around
                  it. Setup checks that each form reports exactly one ready key before measuring.

                """);
        md.append(Markdown.howItWasRun(results, SelectOneReadyBenchmark.class));

        md.append("\n### Callback form\n\n");
        md.append("| Implementation | Call | Median ns/op | Spread ns/op | Allocation B/op | Ratio to `jdk-nio` |\n");
        md.append("|---|---|---:|---:|---:|---:|\n");
        for (String impl : IMPLS) {
            md.append(row(results, CALLBACK, impl)).append(" |\n");
        }
        md.append("\n### Collection form\n\n");
        md.append("| Implementation | Call | Median ns/op | Spread ns/op | Allocation B/op | Ratio to `jdk-nio` | "
                + "Ratio to own callback form |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (String impl : IMPLS) {
            md.append(row(results, COLLECTION, impl)).append(" | ")
                    .append(ratioCell(results.ratios(label(COLLECTION, impl), label(CALLBACK, impl)))).append(" |\n");
        }
        md.append("\nA ratio cell shows the median of the per-round ratios and, in parentheses, their lowest and "
                + "highest value. Above 1 means slower than the reference.\n\n");
        md.append(Markdown.everyRound(results));

        md.append("\n### Reading the numbers\n\n").append(Markdown.READING_THE_NUMBERS);
        for (String impl : OURS) {
            md.append("- `").append(impl).append("`, callback form: median ")
                    .append(nanos(results.medianNanos(label(CALLBACK, impl)))).append(" ns against ")
                    .append(nanos(results.medianNanos(label(CALLBACK, JDK))))
                    .append(" ns for the JDK's `selectNow(Consumer)`, so ")
                    .append(Markdown.verdict(results.ratios(label(CALLBACK, impl), label(CALLBACK, JDK)), "the JDK"))
                    .append(".\n");
        }
        md.append("- Allocation: ").append(allocationSentence(results)).append('\n');
        List<String> listCosts = new ArrayList<>();
        for (String impl : OURS) {
            double r = Stats.median(results.ratios(label(COLLECTION, impl), label(CALLBACK, impl)));
            listCosts.add("`" + impl + "` " + ratio(r) + "×");
        }
        md.append("- The list-returning `select(Duration.ZERO)` takes, per round and then the median, ")
                .append(String.join(", ", listCosts)).append(" the time of the callback form of the same selector.\n");
        return md.toString();
    }

    private static String row(Results results, String form, String impl) {
        String label = label(form, impl);
        List<Sample> samples = results.of(label);
        return "| `" + impl + "` | " + callName(form, impl) + " | " + nanos(results.medianNanos(label)) + " | "
                + spread(Stats.times(samples)) + " | " + bytes(results.medianBytes(label)) + " | "
                + (JDK.equals(impl) ? "reference" : ratioCell(results.ratios(label, label(form, JDK))));
    }

    private static String callName(String form, String impl) {
        boolean jdk = JDK.equals(impl);
        if (CALLBACK.equals(form)) {
            return jdk ? "`selectNow(consumer)`" : "`select(ZERO, handler)`";
        }
        return jdk ? "`selectNow()` + `selectedKeys()`" : "`select(ZERO)`";
    }

    private static String allocationSentence(Results results) {
        List<String> none = new ArrayList<>();
        List<String> some = new ArrayList<>();
        for (String impl : OURS) {
            double b = results.medianBytes(label(CALLBACK, impl));
            (b < 1 ? none : some).add("`" + impl + "` (" + bytes(b) + " B/op)");
        }
        StringBuilder sentence = new StringBuilder();
        if (!none.isEmpty()) {
            sentence.append("the callback form allocates nothing per call for ").append(String.join(", ", none))
                    .append(" (").append(Markdown.BELOW_ONE_BYTE).append(")");
        }
        if (!some.isEmpty()) {
            sentence.append(none.isEmpty() ? "" : "; ").append("**the callback form allocates** for ")
                    .append(String.join(", ", some));
        }
        List<String> lists = new ArrayList<>();
        for (String impl : IMPLS) {
            lists.add("`" + impl + "` " + bytes(results.medianBytes(label(COLLECTION, impl))) + " B/op");
        }
        sentence.append(". The collection form allocates ").append(String.join(", ", lists)).append('.');
        return sentence.toString();
    }
}
