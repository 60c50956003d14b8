package io.github.selectors4j.bench;

import static io.github.selectors4j.bench.Markdown.bytes;
import static io.github.selectors4j.bench.Markdown.nanos;
import static io.github.selectors4j.bench.Markdown.ratioCell;
import static io.github.selectors4j.bench.Markdown.spread;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** "Timers: a million scheduled and fired": {@link TimerBenchmark}. */
final class TimerSection implements Section {

    private static final List<String> IMPLS = List.of(TimerBenchmark.EVENT_LOOP, TimerBenchmark.NETTY, TimerBenchmark.JDK);

    @Override
    public String id() {
        return "timers";
    }

    @Override
    public String heading() {
        return "## Timers: a million scheduled and fired";
    }

    @Override
    public List<BenchCase> cases() {
        List<BenchCase> cases = new ArrayList<>();
        for (String impl : IMPLS) {
            cases.add(new JmhCase(impl, TimerBenchmark.class, "scheduleAndFire", Map.of("impl", impl),
                    List.of("-Dio.netty.leakDetection.level=disabled")));
        }
        return cases;
    }

    @Override
    public String render(Results results, Charts charts) throws IOException {
        StringBuilder md = new StringBuilder(heading()).append("\n\n");
        md.append("""
                The cost of one timer, from scheduling it to running it, when a million are pending at
                once: our `EventLoop`'s timer heap against Netty's event loop and the JDK's
                `ScheduledThreadPoolExecutor`.
                """);
        md.append(Markdown.quickWarning(results.settings()));
        md.append("""

                ### What is measured

                - Each invocation schedules 1,000,000 timers whose deadlines are spread at random over the
                  next millisecond (the same seeded deadlines for everyone) and waits until all have run;
                  JMH divides by 1,000,000, so an operation is one timer: insert, wait its turn, fire.
                - **`selectors4j`**: a task on the loop's thread calls `loop.callAt(deadline, callback)`
                  a million times; the loop runs them as they come due.
                - **`netty-epoll`**: a task on an `EpollEventLoopGroup(1)` thread calls
                  `eventLoop.schedule(runnable, delay, NANOSECONDS)` a million times.
                - **`jdk-scheduled-executor`**: the benchmark thread calls
                  `ScheduledThreadPoolExecutor(1).schedule(runnable, delay, NANOSECONDS)` a million times;
                  its one thread runs them.
                - The callback only counts; the last one wakes the benchmark thread.

                """);
        md.append(Markdown.howItWasRun(results, TimerBenchmark.class));
        md.append("\n### Results\n\n");
        md.append("| Implementation | Median ns/timer | Spread ns/timer | Allocation B/timer | Ratio to `netty-epoll` | "
                + "Ratio to `jdk-scheduled-executor` |\n|---|---:|---:|---:|---:|---:|\n");
        List<Double> medians = new ArrayList<>();
        for (String impl : IMPLS) {
            medians.add(results.medianNanos(impl));
            md.append("| `").append(impl).append("` | ").append(nanos(results.medianNanos(impl))).append(" | ")
                    .append(spread(Stats.times(results.of(impl)))).append(" | ")
                    .append(bytes(results.medianBytes(impl))).append(" | ")
                    .append(impl.equals(TimerBenchmark.NETTY) ? "reference" : ratioCell(results.ratios(impl, TimerBenchmark.NETTY)))
                    .append(" | ")
                    .append(impl.equals(TimerBenchmark.JDK) ? "reference" : ratioCell(results.ratios(impl, TimerBenchmark.JDK)))
                    .append(" |\n");
        }
        md.append('\n').append(charts.bars("timers", "One timer: schedule and fire, a million pending", "ns per timer (median)",
                IMPLS, Map.of("ns per timer", medians))).append("\n\n");
        md.append(Markdown.everyRound(results));
        md.append("\n### Reading the numbers\n\n").append(Markdown.READING_THE_NUMBERS);
        md.append("- Against Netty: ").append(Markdown.verdict(results.ratios(TimerBenchmark.EVENT_LOOP, TimerBenchmark.NETTY),
                "Netty")).append(".\n");
        md.append("- Against the JDK's executor: ").append(Markdown.verdict(
                results.ratios(TimerBenchmark.EVENT_LOOP, TimerBenchmark.JDK), "the JDK")).append(".\n");
        md.append("- Allocation per timer is the timer's own object: our `Handle` (").append(
                bytes(results.medianBytes(TimerBenchmark.EVENT_LOOP))).append(" B), Netty's `ScheduledFutureTask` (")
                .append(bytes(results.medianBytes(TimerBenchmark.NETTY))).append(" B), the JDK's ")
                .append("`ScheduledFutureTask` (").append(bytes(results.medianBytes(TimerBenchmark.JDK))).append(" B).\n");
        return md.toString();
    }
}
