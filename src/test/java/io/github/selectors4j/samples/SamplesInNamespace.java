package io.github.selectors4j.samples;

import io.github.selectors4j.testing.BackgroundProcess;
import io.github.selectors4j.testing.ChildJvm;
import io.github.selectors4j.testing.NetNamespace;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs samples inside a test's {@link NetNamespace} with {@code ip netns exec}, so that samples that
 * watch or change the network see only the namespace's links, never the machine's.
 * {@code ip netns exec} enters the namespace and then execs the command, so the process's pid is
 * the sample's own (signals sent to it reach the sample).
 */
final class SamplesInNamespace {

    private SamplesInNamespace() {
    }

    /** {@code ip netns exec NAME <the sample's java command>}. */
    static List<String> command(NetNamespace namespace, String sample, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace.name()));
        command.addAll(Samples.command(sample, args));
        return command;
    }

    /** Starts a sample that runs until stopped, inside the namespace. */
    static BackgroundProcess start(NetNamespace namespace, String sample, String... args) throws IOException {
        return BackgroundProcess.start(command(namespace, sample, args));
    }

    /** Runs a sample to completion inside the namespace, failing the test if it runs longer than {@code timeout}. */
    static ChildJvm.Result run(NetNamespace namespace, Duration timeout, String sample, String... args)
            throws IOException, InterruptedException {
        return ChildJvm.exec(command(namespace, sample, args), Math.max(1, timeout.toSeconds()));
    }

    /** Runs any program inside the namespace, e.g. {@code socat}, and returns what it did. */
    static ChildJvm.Result exec(NetNamespace namespace, Duration timeout, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace.name()));
        full.addAll(List.of(command));
        return ChildJvm.exec(full, Math.max(1, timeout.toSeconds()));
    }
}
