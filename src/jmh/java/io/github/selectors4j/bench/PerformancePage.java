package io.github.selectors4j.bench;

import java.util.List;

/**
 * {@code docs/performance.md}: a fixed header and one section per benchmark. A run rewrites the
 * sections it measured and keeps every other one, hand-written notes included.
 */
final class PerformancePage {

    private PerformancePage() {
    }

    static String header() {
        return """
                # Performance

                How fast selectors4j is, measured with [JMH](https://github.com/openjdk/jmh) and set beside
                a baseline doing the same job in the same run: the JDK's `java.nio.channels.Selector`, and
                Netty's native epoll transport for the event loop; the end-to-end sections, where a load
                client in C drives a server process, add a plain C epoll server. Each measurement section is written by
                a benchmark run and names the command, the machine and the JDK it was measured with; a run
                rewrites only its own sections and leaves the others, hand-written notes included, as they
                are.

                The benchmarks live in `src/jmh/java`. `./mvnw -B -Pbench verify` builds the library
                (without the unit tests), runs them all and rewrites this page;
                `-Dbench.only=<section ids>` (comma-separated: %s) runs some of them,
                `-Dbench.rounds=N` changes the number of rounds (5 by default);
                `./mvnw -B -Pbench verify -Dbench.quick=true` is a short smoke run that writes
                `target/performance-quick.md` instead and leaves this page alone. The end-to-end sections
                (`echo-*`, `redis`, `http`) start server processes and load clients: they compile small C
                programs from `src/jmh/c` with `gcc`, pin processes with `taskset`, and drive
                `redis-benchmark` and `wrk`; run as root, the benchmark installs what is missing with
                `apt-get`.

                """.formatted(sectionIds());
    }

    /** The ids of every section, for the header, so that it cannot fall behind the sections. */
    private static String sectionIds() {
        return String.join(", ", BenchmarkReport.SECTIONS.stream().map(section -> "`" + section.id() + "`").toList());
    }

    /**
     * Replaces the section under {@code heading} in an existing page, from its heading to the next
     * second-level heading outside a code fence, keeping everything else; appends the section if
     * the page has none yet.
     */
    static String replaceSection(String page, String heading, String section) {
        if (page == null || page.isBlank()) {
            return header() + section;
        }
        List<String> lines = page.lines().toList();
        int start = -1;
        int end = lines.size();
        boolean inFence = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                inFence = !inFence;
            } else if (!inFence && start < 0 && line.equals(heading)) {
                start = i;
            } else if (!inFence && start >= 0 && line.startsWith("## ")) {
                end = i;
                break;
            }
        }
        StringBuilder out = new StringBuilder();
        if (start < 0) {
            return out.append(page.stripTrailing()).append("\n\n").append(section).toString();
        }
        for (int i = 0; i < start; i++) {
            out.append(lines.get(i)).append('\n');
        }
        out.append(section);
        if (end < lines.size()) {
            out.append('\n');
            for (int i = end; i < lines.size(); i++) {
                out.append(lines.get(i)).append('\n');
            }
        }
        return out.toString();
    }

    /** Replaces the page's header (everything before the first section) with the current one. */
    static String refreshHeader(String page) {
        int first = page.indexOf("\n## ");
        return first < 0 ? page : header() + page.substring(first + 1);
    }
}
