package io.github.selectors4j.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs the benchmark sections in interleaved rounds and writes {@code docs/performance.md}.
 *
 * <p>Invoked by {@code ./mvnw -B -Pbench verify}, with these system properties:
 * <ul>
 *   <li>{@code bench.quick}: {@code true} for a short smoke run (one round, a fraction of a second
 *       per iteration) that writes {@code performance-quick.md} into the build directory and
 *       prints it, leaving {@code docs/} alone;</li>
 *   <li>{@code bench.only}: comma-separated {@link Section#id() section ids} to run; all by default;</li>
 *   <li>{@code bench.basedir}: the project directory, where {@code docs/} is;</li>
 *   <li>{@code bench.buildDir}: the build directory ({@code target}).</li>
 * </ul>
 * A full run rewrites only the sections it ran and keeps every other section of the page.
 */
public final class BenchmarkReport {

    /** The command that reproduces the report, quoted in it. */
    static final String COMMAND = "./mvnw -B -Pbench verify";

    /** Every section, in page order. */
    static final List<Section> SECTIONS = List.of(
            new SelectOneReadySection(), new SelectScalingSection(), new RegistrationSection(),
            new PingPongSection(), new CrossThreadSection(), new TimerSection(),
            EchoSection.PING_PONG, EchoSection.MANY_CONNECTIONS, new RedisSection(),
            new HttpSection());

    private BenchmarkReport() {
    }

    /**
     * Runs the selected sections and writes the report.
     *
     * @param args ignored; configuration comes from system properties
     * @throws Exception if a benchmark fails or the report cannot be written; the build then fails
     */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        Path basedir = Path.of(System.getProperty("bench.basedir", ".")).toAbsolutePath();
        Path buildDir = Path.of(System.getProperty("bench.buildDir", basedir.resolve("target").toString()));
        List<Section> selected = selected(System.getProperty("bench.only", ""));

        Charts charts = settings.quick()
                ? new Charts(buildDir.resolve("img"), "img/")
                : new Charts(basedir.resolve("docs").resolve("img"), "img/");
        List<String[]> rendered = new ArrayList<>();
        for (Section section : selected) {
            System.out.println("[bench] section " + section.id() + ": " + section.heading());
            Results results = InterleavedRounds.run(settings, section.cases());
            rendered.add(new String[] {section.heading(), section.render(results, charts)});
        }

        if (settings.quick()) {
            StringBuilder page = new StringBuilder(PerformancePage.header());
            for (String[] section : rendered) {
                page.append(section[1]).append('\n');
            }
            Path out = buildDir.resolve("performance-quick.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, page, StandardCharsets.UTF_8);
            System.out.println(page);
            System.out.println("[bench] quick report written to " + out);
        } else {
            Path out = basedir.resolve("docs").resolve("performance.md");
            Files.createDirectories(out.getParent());
            String page = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : null;
            for (String[] section : rendered) {
                page = PerformancePage.replaceSection(page, section[0], section[1]);
            }
            Files.writeString(out, PerformancePage.refreshHeader(page), StandardCharsets.UTF_8);
            System.out.println("[bench] report written to " + out);
        }
    }

    /** The sections named by {@code bench.only}, in page order; all of them if it is blank. */
    static List<Section> selected(String only) {
        if (only.isBlank()) {
            return SECTIONS;
        }
        Set<String> ids = Arrays.stream(only.split(",")).map(String::trim).collect(Collectors.toSet());
        Set<String> known = SECTIONS.stream().map(Section::id).collect(Collectors.toSet());
        if (!known.containsAll(ids)) {
            throw new IllegalArgumentException("bench.only=" + only + ": unknown section; the sections are " + known);
        }
        return SECTIONS.stream().filter(s -> ids.contains(s.id())).toList();
    }
}
