package io.github.selectors4j.bench;

/**
 * One measured thing of a round: a JMH benchmark with fixed parameters ({@link JmhCase}), or an
 * end-to-end run of real servers and clients.
 */
interface BenchCase {

    /** How the report names it, unique within its section. */
    String label();

    /**
     * Runs the case once, as one round's measurement.
     *
     * @param settings how long to measure
     * @return what it measured
     * @throws Exception if the case fails; the whole run then fails, since a report with a hole
     *                   would compare what was not measured
     */
    Sample run(Settings settings) throws Exception;
}
