package io.github.selectors4j.bench;

import java.io.IOException;
import java.util.List;

/** One section of {@code docs/performance.md}: the cases it measures and how it reports them. */
interface Section {

    /** The short name that {@code -Dbench.only} selects it by. */
    String id();

    /** Its second-level heading, exactly as in the page ("## ..."). */
    String heading();

    /** The cases of one round, in the order of the first round. */
    List<BenchCase> cases();

    /**
     * The Markdown of the section, from its heading on, for what the rounds measured.
     *
     * @param results what the rounds measured
     * @param charts  draws the section's charts and returns their Markdown references
     * @return the section
     * @throws IOException if a chart cannot be written
     */
    String render(Results results, Charts charts) throws IOException;
}
