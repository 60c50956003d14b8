package io.github.selectors4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * What the sections that set a sample of ours beside a well-known server ({@code redis},
 * {@code http}) share: figures of samples picked by a function, their ratios within each round,
 * and the paragraphs about pinning and the machine.
 *
 * <p>Their ratios are of throughput, ours over the reference's, as issue 7 asks for them: above 1
 * means ours served more requests per second. (The echo sections give time ratios, where above 1
 * means slower.)
 */
final class ServerComparison {

    private ServerComparison() {
    }

    /** The figure of each round. */
    static List<Double> figures(List<Sample> samples, ToDoubleFunction<Sample> figure) {
        return samples.stream().map(figure::applyAsDouble).toList();
    }

    /** Per round, {@code ours / reference} of the figure: both measured in the same round. */
    static List<Double> ratios(List<Sample> ours, List<Sample> reference, ToDoubleFunction<Sample> figure) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < ours.size(); i++) {
            ratios.add(figure.applyAsDouble(ours.get(i)) / figure.applyAsDouble(reference.get(i)));
        }
        return ratios;
    }

    /** The median of the figure over the rounds. */
    static double median(List<Sample> samples, ToDoubleFunction<Sample> figure) {
        return Stats.median(figures(samples, figure));
    }

    /** A rate's lowest–highest round, or a dash for one round. */
    static String rateSpread(List<Sample> samples, ToDoubleFunction<Sample> figure) {
        List<Double> values = figures(samples, figure);
        return values.size() == 1 ? "–"
                : EchoComparison.rate(Stats.min(values)) + "–" + EchoComparison.rate(Stats.max(values));
    }

    /** The verdict on throughput ratios: "more requests/s than X in every round"... */
    static String verdict(List<Double> ratios, String reference) {
        return Markdown.verdict(ratios, reference, "fewer requests/s", "more requests/s");
    }

    /** The verdict on ratios of CPU time per request. */
    static String cpuVerdict(List<Double> ratios, String reference) {
        return Markdown.verdict(ratios, reference, "less CPU per request", "more CPU per request");
    }

    /**
     * The first line of what a program prints when asked its version, without a copyright
     * notice; its exit status is ignored, since {@code wrk --version} exits with 1.
     */
    static String version(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out;
            try (InputStream in = process.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            process.waitFor(10, TimeUnit.SECONDS);
            String first = out.lines().findFirst().orElse("").strip();
            int copyright = first.indexOf(" Copyright");
            first = copyright < 0 ? first : first.substring(0, copyright);
            return first.isEmpty() ? command[0] + " (version unknown)" : first;
        } catch (IOException e) {
            return command[0] + " (version unknown: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return command[0] + " (version unknown)";
        }
    }

    /** How the processes were placed, for "What is measured". */
    static String pinning(String client) {
        if (!EchoCase.pinned()) {
            return "- This machine has fewer than two CPUs, so the server and " + client
                    + " were not pinned: they shared its CPU.\n";
        }
        return """
                - The server process is pinned to CPU %1$d (`taskset -c %1$d`) and %3$s to CPU %2$d
                  (`taskset -c %2$d`). All threads of a server go with it: for the JVM, its JIT compilers
                  and garbage collector share CPU %1$d with the loop thread. CPU %2$d also runs the
                  benchmark's driver JVM, which waits for the client's output, and Maven. Neither CPU is
                  kept free of the machine's other processes.
                """.formatted(EchoCase.SERVER_CPU, EchoCase.CLIENT_CPU, client);
    }

    /** The load average line of "How it was run". */
    static String loadAverage() {
        return "- Load average (1, 5, 15 minutes) when the section ended: " + EchoComparison.loadAverage() + " on "
                + Runtime.getRuntime().availableProcessors() + " CPUs; a figure above 2 means other processes wanted "
                + "the CPUs too.\n";
    }
}
