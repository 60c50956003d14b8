package io.github.selectors4j.bench;

import static io.github.selectors4j.bench.Markdown.bytes;
import static io.github.selectors4j.bench.Markdown.nanos;
import static io.github.selectors4j.bench.Markdown.ratioCell;
import static io.github.selectors4j.bench.Markdown.spread;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** "Registering and changing interest": {@link RegistrationBenchmark}. */
final class RegistrationSection implements Section {

    private static final String JDK = RegistrationBenchmark.JDK_NIO;
    private static final List<String> IMPLS = List.of("epoll", "poll", "select", JDK);
    private static final List<String> METHODS = List.of("registerUnregister", "modify");

    @Override
    public String id() {
        return "registration";
    }

    @Override
    public String heading() {
        return "## Registering and changing interest";
    }

    private static String label(String method, String impl) {
        return method + "/" + impl;
    }

    @Override
    public List<BenchCase> cases() {
        List<BenchCase> cases = new ArrayList<>();
        for (String method : METHODS) {
            for (String impl : IMPLS) {
                cases.add(JmhCase.of(label(method, impl), RegistrationBenchmark.class, method, Map.of("impl", impl)));
            }
        }
        return cases;
    }

    @Override
    public String render(Results results, Charts charts) throws IOException {
        StringBuilder md = new StringBuilder(heading()).append("\n\n");
        md.append("""
                What it costs to start and stop watching an fd, and to change what is watched, each change
                followed by the zero-timeout select that makes it take effect.
                """);
        md.append(Markdown.quickWarning(results.settings()));
        md.append("""

                ### What is measured

                - The JDK applies registrations, interest changes and cancellations lazily, at its next
                  select; ours apply them at once (epoll: one `epoll_ctl` each; poll and select: an update
                  of the in-memory set). So on both sides one operation includes the select after the change.
                - **`registerUnregister`**: ours `register(fd, EVENT_READ)`, `unregister(fd)`,
                  `select(Duration.ZERO, handler)`; the JDK `channel.register(selector, OP_READ)`,
                  `key.cancel()`, `selectNow(consumer)`.
                - **`modify`**: ours `modify(fd, …)` alternating between `EVENT_READ` and
                  `EVENT_READ | EVENT_WRITE`, then `select(Duration.ZERO, handler)`; the JDK
                  `key.interestOps(…)` alternating the same way, then `selectNow(consumer)`. The fd is
                  writable, so every other select reports it.
                - Ours watch an eventfd; the JDK an unbound `DatagramChannel` (one fd, writable, never
                  readable).

                """);
        md.append(Markdown.howItWasRun(results, RegistrationBenchmark.class));
        Map<String, List<Double>> bars = new LinkedHashMap<>();
        for (String method : METHODS) {
            md.append("\n### `").append(method).append("`\n\n");
            md.append("| Implementation | Median ns/op | Spread ns/op | Allocation B/op | Ratio to `jdk-nio` |\n");
            md.append("|---|---:|---:|---:|---:|\n");
            List<Double> medians = new ArrayList<>();
            for (String impl : IMPLS) {
                String label = label(method, impl);
                medians.add(results.medianNanos(label));
                md.append("| `").append(impl).append("` | ").append(nanos(results.medianNanos(label))).append(" | ")
                        .append(spread(Stats.times(results.of(label)))).append(" | ")
                        .append(bytes(results.medianBytes(label))).append(" | ")
                        .append(impl.equals(JDK) ? "reference" : ratioCell(results.ratios(label, label(method, JDK))))
                        .append(" |\n");
            }
            bars.put(method, medians);
        }
        md.append('\n').append(charts.bars("registration", "Register + unregister, and modify (each with a select)",
                "ns per operation (median)", IMPLS, bars)).append("\n\n");
        md.append(Markdown.everyRound(results));
        md.append("\n### Reading the numbers\n\n").append(Markdown.READING_THE_NUMBERS);
        for (String method : METHODS) {
            md.append("- `").append(method).append("`, `epoll` against the JDK: ")
                    .append(Markdown.verdict(results.ratios(label(method, "epoll"), label(method, JDK)), "the JDK"))
                    .append(".\n");
        }
        return md.toString();
    }
}
