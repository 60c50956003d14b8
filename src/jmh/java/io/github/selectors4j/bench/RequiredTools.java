package io.github.selectors4j.bench;

import io.github.selectors4j.testing.ExternalTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The programs an end-to-end benchmark runs besides Java ({@code gcc}, {@code taskset},
 * {@code redis-server}, {@code wrk}...): found on the {@code PATH}, or installed with
 * {@code apt-get} when the benchmark runs as root, so that the benchmark command alone sets up the
 * machine. Otherwise the run fails with the command that would install them.
 *
 * <p>All the programs of one call are installed with one {@code apt-get update} and one
 * {@code apt-get install}; the update runs at most once per benchmark run.
 */
final class RequiredTools {

    /**
     * A program and the Debian packages that provide it (a compiler needs its C library headers
     * too, which {@code gcc} only recommends).
     *
     * @param program     the executable's name
     * @param aptPackages the packages to install if it is missing
     */
    record Tool(String program, List<String> aptPackages) {

        /** A program from one package. */
        static Tool of(String program, String... aptPackages) {
            return new Tool(program, List.of(aptPackages));
        }
    }

    /** {@code gcc} with the headers of the C library, to compile the C baselines and clients. */
    static final Tool GCC = Tool.of("gcc", "gcc", "libc6-dev");
    /** {@code taskset}, to pin a server and its client to separate CPUs. */
    static final Tool TASKSET = Tool.of("taskset", "util-linux");

    /** The load client of the {@code redis} section. */
    static final Tool REDIS_BENCHMARK = Tool.of("redis-benchmark", "redis-tools");
    /** The reference server of the {@code redis} section. */
    static final Tool REDIS_SERVER = Tool.of("redis-server", "redis-server");
    /** The load client of the {@code http} section. */
    static final Tool WRK = Tool.of("wrk", "wrk");
    /** The reference server of the {@code http} section: the smallest Debian build of nginx. */
    static final Tool NGINX = Tool.of("nginx", "nginx-light");

    private static boolean updated;

    private RequiredTools() {
    }

    /**
     * Makes sure every tool is on the {@code PATH}, installing the missing ones as root.
     *
     * @param tools the tools the caller is about to run
     * @throws IllegalStateException if one is missing and cannot be installed (not root, no
     *                               {@code apt-get}, or the installation fails)
     */
    static synchronized void require(Tool... tools) throws IOException, InterruptedException {
        Set<String> packages = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        for (Tool tool : tools) {
            if (ExternalTools.find(tool.program()).isEmpty()) {
                missing.add(tool.program());
                packages.addAll(tool.aptPackages());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String install = "apt-get install -y --no-install-recommends " + String.join(" ", packages);
        if (!isRoot() || ExternalTools.find("apt-get").isEmpty()) {
            throw new IllegalStateException("the benchmark needs " + missing + ", which are not on the PATH; install "
                    + "them (" + install + "), or run the benchmark as root on a Debian-based system, where it "
                    + "installs them itself");
        }
        System.out.println("[bench] installing " + missing + ": " + install);
        if (!updated) {
            run(List.of("apt-get", "update"));
            updated = true;
        }
        List<String> command = new ArrayList<>(List.of("apt-get", "install", "-y", "--no-install-recommends"));
        command.addAll(packages);
        run(command);
        for (String program : missing) {
            if (ExternalTools.find(program).isEmpty()) {
                throw new IllegalStateException("installed " + packages + " but " + program + " is still not on the PATH");
            }
        }
    }

    /** Whether this process runs as root: the effective uid on the "Uid:" line of its status. */
    private static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[2].equals("0");
            }
        }
        return false;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        int status = builder.start().waitFor();
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit status " + status);
        }
    }
}
