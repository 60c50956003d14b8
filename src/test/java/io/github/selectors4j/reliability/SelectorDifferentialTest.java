package io.github.selectors4j.reliability;

import io.github.selectors4j.reliability.Op.Action;
import io.github.selectors4j.reliability.Op.Form;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random sequences of selector calls and fd operations over real fds, replayed on every backend
 * against the reference model ({@link Differential}). A failure shrinks to a short sequence,
 * printed as Java calls: keep it as a test in {@link SelectorDifferentialRegressionTest}.
 *
 * <p>The tries are modest so that CI stays fast; run more locally with
 * {@code ./mvnw -B -o test -Dtest=SelectorDifferentialTest -Dselectors4j.pbt.tries=10000}
 * (and {@code -Dselectors4j.libkqueue.path=/path/to/libkqueue.so} to include kqueue on Linux).
 */
@AddLifecycleHook(PbtTries.class)
class SelectorDifferentialTest {

    private static final int MAX_LENGTH = 40;

    @BeforeContainer
    static void resetTotals() {
        Differential.resetTotals();
    }

    @AfterContainer
    static void printTotals() {
        System.out.print("selector differential runs, per backend:\n" + Differential.totals());
    }

    /** Any sequence: every backend does what the model says its kernel makes of it. */
    @Property(tries = 1000)
    void everyBackendAgreesWithTheModel(@ForAll("sequences") List<Op> ops) throws IOException {
        Differential.check(ops);
    }

    /**
     * Sequences that never close or reuse an fd: nothing lets the backends differ, so all must do
     * exactly the same, step by step, whatever the model says. (The callback form is left out: the
     * order of a batch is each backend's own.)
     */
    @Property(tries = 300)
    void withoutClosingOrReusingFdsEveryBackendDoesTheSame(@ForAll("portableSequences") List<Op> ops) throws IOException {
        Differential.check(ops, true);
    }

    @Provide
    Arbitrary<List<Op>> sequences() {
        return closingSometimes(op(true).list().ofMinSize(1).ofMaxSize(MAX_LENGTH).withSizeDistribution(RandomDistribution.uniform()));
    }

    @Provide
    Arbitrary<List<Op>> portableSequences() {
        return closingSometimes(op(false).list().ofMinSize(1).ofMaxSize(MAX_LENGTH).withSizeDistribution(RandomDistribution.uniform()));
    }

    /** Now and then the selector is closed part-way, and the rest of the sequence must fail alike. */
    private static Arbitrary<List<Op>> closingSometimes(Arbitrary<List<Op>> ops) {
        Arbitrary<Integer> closeAt = Arbitraries.integers().between(0, MAX_LENGTH).injectNull(0.85);
        return Combinators.combine(ops, closeAt).as((list, at) -> {
            if (at == null) {
                return list;
            }
            List<Op> closing = new ArrayList<>(list);
            closing.add(Math.min(at, closing.size()), Op.closeSelector());
            return closing;
        });
    }

    /** One step; {@code fdChanges} adds closing fds, dup2 and the callback form (whose handler may close one). */
    private static Arbitrary<Op> op(boolean fdChanges) {
        Arbitrary<Integer> ep = Arbitraries.integers().between(0, Endpoints.COUNT - 1);
        Arbitrary<Integer> validEvents = Arbitraries.of(Op.R, Op.W, Op.RW);
        // Mostly valid masks; 0 and 4 must be refused alike.
        Arbitrary<Integer> events = Arbitraries.frequency(Tuple.of(12, Op.R), Tuple.of(6, Op.W), Tuple.of(10, Op.RW),
                Tuple.of(1, 0), Tuple.of(1, 4));
        Arbitrary<Form> form = Arbitraries.of(Form.class);
        int changes = fdChanges ? 1 : 0;
        return Arbitraries.frequencyOf(
                Tuple.of(8, Combinators.combine(ep, events, form).as(Op::register)),
                Tuple.of(3, Combinators.combine(ep, events, form, Arbitraries.of(true, false)).as(Op::modify)),
                Tuple.of(3, Combinators.combine(ep, form).as(Op::unregister)),
                Tuple.of(1, Combinators.combine(ep, form).as(Op::getKey)),
                Tuple.of(6, Arbitraries.just(Op.select())),
                Tuple.of(3 * changes, Combinators.combine(ep, Arbitraries.of(Action.class), validEvents).as(Op::selectActing)),
                Tuple.of(1, Arbitraries.just(Op.wakeup())),
                Tuple.of(7, ep.map(Op::write)),
                Tuple.of(3, ep.map(Op::drain)),
                Tuple.of(1, ep.map(Op::shutdown)),
                Tuple.of(2 * changes, ep.map(Op::closeFd)),
                Tuple.of(2 * changes, Combinators.combine(ep, ep).as(Op::dup2)));
    }
}
