package io.github.selectors4j.bench;

/**
 * How long each benchmark run measures, and how many interleaved rounds there are.
 *
 * @param quick             whether this is the smoke run ({@code -Dbench.quick=true})
 * @param rounds            how many interleaved rounds
 * @param warmupIterations  warmup iterations per run
 * @param measureIterations measured iterations per run
 * @param iterationMillis   the length of each iteration
 */
record Settings(boolean quick, int rounds, int warmupIterations, int measureIterations, int iterationMillis) {

    /** The settings of a run that rewrites {@code docs/performance.md}. */
    static final Settings FULL = new Settings(false, 5, 5, 5, 1000);

    /** One short round: shows that every benchmark runs, measures nothing worth quoting. */
    static final Settings QUICK = new Settings(true, 1, 1, 2, 200);

    /**
     * The settings chosen by the {@code bench.quick} system property, with the number of rounds
     * replaced by {@code bench.rounds} if given (fewer rounds when time is short, more for a
     * steadier median).
     */
    static Settings fromSystemProperties() {
        Settings base = Boolean.getBoolean("bench.quick") ? QUICK : FULL;
        int rounds = Integer.getInteger("bench.rounds", base.rounds);
        if (rounds < 1) {
            throw new IllegalArgumentException("bench.rounds must be at least 1: " + rounds);
        }
        return new Settings(base.quick, rounds, base.warmupIterations, base.measureIterations, base.iterationMillis);
    }

    /** Whether the number of rounds was changed from its mode's default with {@code -Dbench.rounds}. */
    boolean roundsOverridden() {
        return rounds != (quick ? QUICK : FULL).rounds;
    }

    /** The warmup of a case that is not a JMH benchmark: as long as the JMH warmup iterations together. */
    long warmupMillis() {
        return (long) warmupIterations * iterationMillis;
    }

    /** The measurement of a case that is not a JMH benchmark: as long as the JMH measurement iterations together. */
    long measureMillis() {
        return (long) measureIterations * iterationMillis;
    }

    /** Describes the iterations in words, for the "How it was run" part of a report. */
    String describe() {
        String length = iterationMillis % 1000 == 0 ? (iterationMillis / 1000) + " s" : iterationMillis + " ms";
        return warmupIterations + " × " + length + " warmup and " + measureIterations + " × " + length
                + " measurement iterations";
    }
}
