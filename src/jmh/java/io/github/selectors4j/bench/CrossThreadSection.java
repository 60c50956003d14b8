package io.github.selectors4j.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * "Event loop: cross-thread submit to run": {@link CrossThreadBenchmark} on the three loops, with
 * the threads on one CPU and wherever the scheduler puts them.
 */
final class CrossThreadSection implements Section {

    private static final List<String> PLACEMENTS = List.of(CrossThreadBenchmark.SAME_CPU, CrossThreadBenchmark.ANY_CPU);
    private static final Map<String, String> CALLS = Map.of(
            LoopComparison.OURS, "`EventLoop.execute`",
            LoopComparison.JDK, "queue + `Selector.wakeup()`",
            LoopComparison.NETTY, "`EpollEventLoop.execute`");

    @Override
    public String id() {
        return "cross-thread";
    }

    @Override
    public String heading() {
        return "## Event loop: cross-thread submit to run";
    }

    @Override
    public List<BenchCase> cases() {
        List<BenchCase> cases = new ArrayList<>();
        for (String placement : PLACEMENTS) {
            cases.addAll(LoopComparison.cases(CrossThreadBenchmark.class, "submitAndWait", "placement", placement));
        }
        return cases;
    }

    @Override
    public String render(Results results, Charts charts) throws IOException {
        StringBuilder md = new StringBuilder(heading()).append("\n\n");
        md.append("""
                The time from handing a task to an idle event loop from another thread to having it run and
                the submitter woken: our `EventLoop.execute`, the classic JDK pattern (queue the task, then
                `Selector.wakeup()`), and Netty's epoll event loop.
                """);
        md.append(Markdown.quickWarning(results.settings()));
        md.append("""

                ### What is measured

                - One loop thread with nothing registered, waiting without a timeout. The benchmark thread
                  submits a task and parks; the task increments a volatile counter and unparks it. One
                  operation is queueing, waking the loop's thread from its wait, the loop running the task,
                  and waking the submitter: what a thread pays to have the loop do something and wait for
                  it. (Spinning instead of parking made the figure depend on whether the scheduler put both
                  threads on one CPU, by a factor of ten from run to run on this 2-CPU machine.)
                - **`same-cpu`**: the benchmark thread pins itself to CPU 0 (`sched_setaffinity`) before it
                  starts the loop thread, which inherits the mask: each wakeup is a context switch on one
                  CPU, and the libraries' own costs are a large part of the time.
                - **`any-cpu`**: no pinning. When the two threads land on different CPUs, each wakeup also
                  takes an interrupt to the other, idle CPU, which on this virtual machine costs tens of
                  microseconds and can swamp the rest; where the scheduler puts the threads may differ
                  from run to run, so this variant's spread is wide.
                - **`selectors4j`**: `EventLoop.open()` running `runForever()` on its own thread;
                  `loop.execute(task)`.
                - **`jdk-nio`**: a thread looping on `Selector.select()` and draining a
                  `ConcurrentLinkedQueue<Runnable>` after each wakeup; submission is `queue.add(task)` then
                  `selector.wakeup()`.
                - **`netty-epoll`**: `new EpollEventLoopGroup(1).next().execute(task)`.

                """);
        md.append(Markdown.howItWasRun(results, CrossThreadBenchmark.class));
        for (String placement : PLACEMENTS) {
            md.append("\n### Results, `").append(placement).append("`\n\n");
            md.append(LoopComparison.table(results, CALLS, "task", placement));
        }
        md.append('\n').append(Markdown.everyRound(results));
        md.append("\n### Reading the numbers\n\n").append(Markdown.READING_THE_NUMBERS);
        for (String placement : PLACEMENTS) {
            md.append(LoopComparison.verdicts(results, "task", placement));
        }
        md.append("- Allocation per task is the submission's own: for `selectors4j` the queued `Handle`, the "
                + "adapter from `Runnable` to `Callback` and the queue node.\n");
        return md.toString();
    }
}
