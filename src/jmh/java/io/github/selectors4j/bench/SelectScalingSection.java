package io.github.selectors4j.bench;

import static io.github.selectors4j.bench.Markdown.bytes;
import static io.github.selectors4j.bench.Markdown.nanos;
import static io.github.selectors4j.bench.Markdown.ratioCell;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** "select() with one ready fd among N idle ones": {@link SelectScalingBenchmark}. */
final class SelectScalingSection implements Section {

    /** Selects per JMH iteration above which the harness's own allocation is negligible per select. */
    private static final int FAST_OPS_PER_ITERATION = 10_000;

    private static final String JDK = SelectScalingBenchmark.JDK_NIO;
    private static final List<String> IMPLS = List.of("epoll", "poll", "select", JDK);
    private static final List<Integer> IDLE = List.of(1, 100, 1_000, 10_000, 50_000);
    /** select() cannot watch fd numbers of FD_SETSIZE (1024) and above. */
    private static final int SELECT_MAX_IDLE = 100;
    /** Fds the benchmark JVM needs besides the idle ones. */
    private static final int HEADROOM = 1000;

    /** The N this machine's fd limit allows, decided once per run. */
    private List<Integer> idleMeasured;

    @Override
    public String id() {
        return "select-scaling";
    }

    @Override
    public String heading() {
        return "## select() with one ready fd among N idle ones";
    }

    /** The N for which this process may open N + headroom fds (raising its limit if it may). */
    private List<Integer> idleMeasured() {
        if (idleMeasured == null) {
            idleMeasured = IDLE.stream().filter(n -> FdLimit.tryAtLeast(n + (long) HEADROOM)).toList();
        }
        return idleMeasured;
    }

    private List<Integer> notMeasured() {
        return IDLE.stream().filter(n -> !idleMeasured().contains(n)).toList();
    }

    private boolean measured(String impl, int idle) {
        return idleMeasured().contains(idle) && (!impl.equals("select") || idle <= SELECT_MAX_IDLE);
    }

    private static String label(String impl, int idle) {
        return impl + "/N=" + idle;
    }

    @Override
    public List<BenchCase> cases() {
        List<BenchCase> cases = new ArrayList<>();
        for (int idle : idleMeasured()) {
            for (String impl : IMPLS) {
                if (measured(impl, idle)) {
                    cases.add(JmhCase.of(label(impl, idle), SelectScalingBenchmark.class, "select",
                            Map.of("impl", impl, "idle", Integer.toString(idle))));
                }
            }
        }
        return cases;
    }

    @Override
    public String render(Results results, Charts charts) throws IOException {
        StringBuilder md = new StringBuilder(heading()).append("\n\n");
        md.append("""
                How the time of one select grows with the number of registered fds, when exactly one of
                them is ready: the cost a server with many idle connections pays on every wakeup.
                """);
        md.append(Markdown.quickWarning(results.settings()));
        md.append("""

                ### What is measured

                - **Ours** (`epoll`, `poll`, `select` backends): N eventfds that are never written, plus one
                  pipe made readable once, all registered for `EVENT_READ`; `select(Duration.ZERO, handler)`.
                - **`jdk-nio`**: N unbound `DatagramChannel`s (one fd each, nothing can arrive) plus one
                  readable `Pipe` source, all registered for `OP_READ`; `selectNow(Consumer)`.
                - Setup checks that one select reports exactly one ready fd. The benchmark raises the
                  process's fd limit (`setrlimit`) as far as N needs, where it may.
                - `select` is measured up to N = 100 only: `select()` cannot watch fd numbers of 1024
                  (`FD_SETSIZE`) and above, and refuses them.
                """);
        if (!notMeasured().isEmpty()) {
            md.append("- **Not measured on this machine: N = ")
                    .append(notMeasured().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                    .append("**. The process may open at most ").append(FdLimit.current())
                    .append(" fds and cannot raise that limit (`setrlimit` is refused: the machine does not grant "
                            + "`CAP_SYS_RESOURCE`, even to root). Where `ulimit -Hn` is above N + ")
                    .append(HEADROOM).append(", the same command measures them.\n");
        }
        md.append('\n');
        md.append(Markdown.howItWasRun(results, SelectScalingBenchmark.class));

        md.append("\n### Results (median ns per select)\n\n| N idle |");
        for (String impl : IMPLS) {
            md.append(" `").append(impl).append("` |");
        }
        for (String impl : IMPLS.subList(0, 3)) {
            md.append(" `").append(impl).append("` / `jdk-nio` |");
        }
        md.append("\n|---:|").append("---:|".repeat(IMPLS.size() + 3)).append('\n');
        for (int idle : idleMeasured()) {
            md.append("| ").append(idle).append(" |");
            for (String impl : IMPLS) {
                md.append(' ').append(measured(impl, idle) ? nanos(results.medianNanos(label(impl, idle))) : "–").append(" |");
            }
            for (String impl : IMPLS.subList(0, 3)) {
                md.append(' ').append(measured(impl, idle)
                        ? ratioCell(results.ratios(label(impl, idle), label(JDK, idle))) : "–").append(" |");
            }
            md.append('\n');
        }
        md.append("\nA ratio cell shows the median of the per-round ratios and, in parentheses, their lowest and "
                + "highest value. Above 1 means slower than the JDK.\n\n");

        List<Charts.Series> series = new ArrayList<>();
        for (String impl : IMPLS) {
            List<Integer> xs = idleMeasured().stream().filter(n -> measured(impl, n)).toList();
            double[] x = xs.stream().mapToDouble(Integer::doubleValue).toArray();
            double[] y = xs.stream().mapToDouble(n -> results.medianNanos(label(impl, n))).toArray();
            series.add(new Charts.Series(impl, x, y));
        }
        md.append(charts.lines("select-scaling", "One select, one ready fd, N idle fds", "N idle registered fds",
                "ns per select (median)", true, true, series)).append("\n\n");

        md.append("### Allocation (B per select, median)\n\n| N idle |");
        for (String impl : IMPLS) {
            md.append(" `").append(impl).append("` |");
        }
        md.append("\n|---:|").append("---:|".repeat(IMPLS.size())).append('\n');
        double worstOurs = 0;
        for (int idle : idleMeasured()) {
            md.append("| ").append(idle).append(" |");
            for (String impl : IMPLS) {
                if (measured(impl, idle)) {
                    double b = results.medianBytes(label(impl, idle));
                    if (!impl.equals(JDK)) {
                        worstOurs = Math.max(worstOurs, b);
                    }
                    md.append(' ').append(bytes(b)).append(" |");
                } else {
                    md.append(" – |");
                }
            }
            md.append('\n');
        }
        md.append('\n').append(Markdown.everyRound(results));

        md.append("\n### Reading the numbers\n\n").append(Markdown.READING_THE_NUMBERS);
        int largest = idleMeasured().get(idleMeasured().size() - 1);
        double epollSmall = results.medianNanos(label("epoll", 1));
        double epollLarge = results.medianNanos(label("epoll", largest));
        double pollSmall = results.medianNanos(label("poll", 1));
        double pollLarge = results.medianNanos(label("poll", largest));
        md.append("- From 1 to ").append(largest).append(" idle fds, `epoll` goes from ").append(nanos(epollSmall))
                .append(" to ").append(nanos(epollLarge)).append(" ns per select (×")
                .append(Markdown.ratio(epollLarge / epollSmall)).append("), `poll` from ").append(nanos(pollSmall))
                .append(" to ").append(nanos(pollLarge)).append(" ns (×").append(Markdown.ratio(pollLarge / pollSmall))
                .append("), about ").append(Markdown.ratio((pollLarge - pollSmall) / (largest - 1)))
                .append(" ns per idle fd.\n");
        for (int idle : List.of(1, largest)) {
            md.append("- `epoll` at N = ").append(idle).append(" against `jdk-nio`: ")
                    .append(Markdown.verdict(results.ratios(label("epoll", idle), label(JDK, idle)), "the JDK")).append(".\n");
        }
        md.append(allocationVerdict(results, worstOurs));
        return md.toString();
    }

    /**
     * Whether our selects allocate. JMH's GC profiler divides everything the fork allocated during
     * an iteration, its own bookkeeping included, by the operations of that iteration; a select
     * that takes a millisecond makes few operations, so the harness's few kilobytes per iteration
     * show up as tens of bytes per select. A select that really allocated would allocate the same
     * bytes per select at any speed, so allocation is judged on the fast cases, and the slow ones
     * are shown per iteration.
     */
    private String allocationVerdict(Results results, double worstOurs) {
        if (worstOurs < 1) {
            return "- Allocation: our selects allocate nothing per call at any N (largest median " + bytes(worstOurs)
                    + " B/op; " + Markdown.BELOW_ONE_BYTE + ").\n";
        }
        double iterationNanos = results.settings().iterationMillis() * 1e6;
        double worstFast = 0;
        double leastPerIteration = Double.MAX_VALUE;
        double mostPerIteration = 0;
        for (String impl : IMPLS) {
            if (impl.equals(JDK)) {
                continue;
            }
            for (int idle : idleMeasured()) {
                if (!measured(impl, idle)) {
                    continue;
                }
                double perOp = results.medianBytes(label(impl, idle));
                double opsPerIteration = iterationNanos / results.medianNanos(label(impl, idle));
                if (opsPerIteration >= FAST_OPS_PER_ITERATION) {
                    worstFast = Math.max(worstFast, perOp);
                }
                leastPerIteration = Math.min(leastPerIteration, perOp * opsPerIteration);
                mostPerIteration = Math.max(mostPerIteration, perOp * opsPerIteration);
            }
        }
        if (worstFast < 1 && mostPerIteration <= 4 * leastPerIteration) {
            return "- Allocation: the cases that make " + FAST_OPS_PER_ITERATION + " or more selects per iteration allocate "
                    + "below 1 B per select (largest median " + bytes(worstFast) + " B/op), so a select allocates nothing. "
                    + "The slow `poll` and `select` cases show up to " + bytes(worstOurs) + " B/op, but every case of ours "
                    + "allocated between " + kilobytes(leastPerIteration) + " and " + kilobytes(mostPerIteration)
                    + " KB per iteration however many selects it made: that is JMH's own bookkeeping per iteration, "
                    + "spread over fewer selects when each takes long. A select that allocated would add its bytes per "
                    + "select at any speed.\n";
        }
        return "- Allocation: **one of our selects allocates** (largest median " + bytes(worstOurs) + " B/op; "
                + "the fast cases up to " + bytes(worstFast) + " B/op).\n";
    }

    private static String kilobytes(double bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1024);
    }
}
