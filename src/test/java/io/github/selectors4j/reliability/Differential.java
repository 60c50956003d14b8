package io.github.selectors4j.reliability;

import io.github.selectors4j.reliability.Lockstep.Step;
import io.github.selectors4j.select.Kqueue;
import io.github.selectors4j.selectors.SelectorBackend;
import io.github.selectors4j.testing.FdLeakCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Replays one sequence of {@link Op}s on every backend this machine has, each against the
 * {@link SelectorModel}, and fails with a readable report at the first step where a backend and
 * the model disagree, showing what the other backends did at that step. Used by the properties,
 * which generate and shrink sequences, and by the regression tests, which replay the shrunk ones.
 *
 * <p>Every run also leaves no fd behind: the fds open after all backends ran must be those open
 * before.
 */
final class Differential {

    /** What the runs of one backend did, for the report of a property (not thread-safe: one property at a time). */
    static final class Counts {
        long sequences;
        long steps;
        long selects;
        long deliveries;
        long errors;
        long fdCloses;
        long dup2s;
        /** Steps where the model expects different outcomes of the backends: the kernels differ there. */
        long divergentSteps;
        /** Sequences whose rest the model does not predict for this backend (kqueue: see SelectorModel). */
        long cutShort;

        @Override
        public String toString() {
            return sequences + " sequences, " + steps + " steps (" + divergentSteps + " where the backends legitimately differ), "
                    + selects + " selects delivering " + deliveries + " keys, " + errors + " exceptions checked, "
                    + fdCloses + " fd closes, " + dup2s + " dup2 reuses" + (cutShort > 0 ? ", " + cutShort + " sequences compared up to a registered fd's close" : "");
        }
    }

    private static final Map<SelectorBackend, Counts> TOTALS = new EnumMap<>(SelectorBackend.class);

    private Differential() {
    }

    /** The backends that can run here: kqueue only where a kqueue library loads. */
    static List<SelectorBackend> backends() {
        List<SelectorBackend> backends = new ArrayList<>();
        for (SelectorBackend backend : SelectorBackend.values()) {
            if (backend != SelectorBackend.KQUEUE || Kqueue.isAvailable()) {
                backends.add(backend);
            }
        }
        return backends;
    }

    /** The totals since the last {@link #resetTotals()}, one line per backend. */
    static synchronized String totals() {
        StringBuilder out = new StringBuilder();
        TOTALS.forEach((backend, counts) -> out.append(String.format("  %-7s %s%n", backend.displayName(), counts)));
        if (!backends().contains(SelectorBackend.KQUEUE)) {
            out.append("  kqueue  not run: ").append(Kqueue.unavailableReason()).append(System.lineSeparator());
        }
        return out.toString();
    }

    static synchronized void resetTotals() {
        TOTALS.clear();
    }

    /**
     * Runs {@code ops} on every backend and checks each step against the model.
     *
     * @throws AssertionError naming the first disagreeing step of each backend that has one, or a leaked fd
     */
    static void check(List<Op> ops) throws IOException {
        check(ops, false);
    }

    /**
     * Runs {@code ops} on every backend and checks each step against the model; with
     * {@code identical}, also that every backend did exactly the same at every step, whatever the
     * model says: for sequences that never close or reuse a registered fd, where nothing allows
     * the backends to differ.
     *
     * @throws AssertionError naming the first disagreeing step, or a leaked fd
     */
    static synchronized void check(List<Op> ops, boolean identical) throws IOException {
        Map<Integer, String> before = FdLeakCheck.snapshot();
        Map<SelectorBackend, List<Step>> traces = new LinkedHashMap<>();
        for (SelectorBackend backend : backends()) {
            Counts counts = TOTALS.computeIfAbsent(backend, b -> new Counts());
            counts.sequences++;
            List<Step> trace = new ArrayList<>();
            try (Lockstep run = new Lockstep(backend, counts)) {
                for (Op op : ops) {
                    if (!run.isDefined()) {
                        counts.cutShort++;
                        break;
                    }
                    Step step = run.step(op);
                    trace.add(step);
                    counts.steps++;
                    if (!step.agrees()) {
                        break;
                    }
                }
            }
            traces.put(backend, trace);
        }
        countDivergentSteps(ops.size(), traces);
        String report = report(ops, traces);
        if (report != null) {
            throw new AssertionError(report);
        }
        if (identical) {
            checkIdentical(ops, traces);
        }
        // libkqueue releases a closed kqueue's fds from its monitoring thread, a moment later.
        try {
            Awaitility.await().atMost(Duration.ofSeconds(3)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .until(() -> FdLeakCheck.leakedSince(before).isEmpty());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the sequence leaked fds " + FdLeakCheck.leakedSince(before) + ":\n" + numbered(ops));
        }
    }

    private static void countDivergentSteps(int length, Map<SelectorBackend, List<Step>> traces) {
        for (int i = 0; i < length; i++) {
            String expected = null;
            boolean divergent = false;
            for (List<Step> trace : traces.values()) {
                if (i < trace.size()) {
                    divergent |= expected != null && !expected.equals(trace.get(i).expected());
                    expected = trace.get(i).expected();
                }
            }
            if (divergent) {
                for (SelectorBackend backend : traces.keySet()) {
                    TOTALS.get(backend).divergentSteps++;
                }
            }
        }
    }

    private static void checkIdentical(List<Op> ops, Map<SelectorBackend, List<Step>> traces) {
        for (int i = 0; i < ops.size(); i++) {
            Map<String, List<SelectorBackend>> outcomes = new LinkedHashMap<>();
            for (Map.Entry<SelectorBackend, List<Step>> trace : traces.entrySet()) {
                if (i < trace.getValue().size()) {
                    outcomes.computeIfAbsent(trace.getValue().get(i).actual(), k -> new ArrayList<>()).add(trace.getKey());
                }
            }
            if (outcomes.size() > 1) {
                StringBuilder out = new StringBuilder("the backends differ at step " + i + ", " + ops.get(i) + ":\n");
                outcomes.forEach((outcome, backends) -> out.append("    ").append(backends).append(" did ").append(outcome).append('\n'));
                throw new AssertionError(out.append("in the sequence\n").append(numbered(ops)));
            }
        }
    }

    /** The report of the first disagreement of each backend, or null if all agree throughout. */
    private static String report(List<Op> ops, Map<SelectorBackend, List<Step>> traces) {
        StringBuilder out = new StringBuilder();
        traces.forEach((backend, trace) -> {
            Step last = trace.isEmpty() ? null : trace.get(trace.size() - 1);
            if (last == null || last.agrees()) {
                return;
            }
            int i = trace.size() - 1;
            out.append(backend.displayName()).append(" disagrees with the model at step ").append(i).append(", ")
                    .append(ops.get(i)).append(":\n    expected ").append(last.expected())
                    .append("\n    actual   ").append(last.actual()).append('\n');
            traces.forEach((other, otherTrace) -> {
                if (other != backend && i < otherTrace.size()) {
                    out.append("    (").append(other.displayName()).append(" did ").append(otherTrace.get(i).actual())
                            .append(otherTrace.get(i).agrees() ? ", as its model expected" : ", against its model")
                            .append(")\n");
                }
            });
        });
        if (out.length() == 0) {
            return null;
        }
        return out.append("in the sequence\n").append(numbered(ops)).toString();
    }

    private static String numbered(List<Op> ops) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < ops.size(); i++) {
            out.append(String.format("  %3d  %s%n", i, ops.get(i)));
        }
        return out.toString();
    }
}
