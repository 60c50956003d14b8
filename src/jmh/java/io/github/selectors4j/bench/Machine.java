package io.github.selectors4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What a report says about the machine it was measured on. */
final class Machine {

    private Machine() {
    }

    /** One line: CPUs, CPU model and kernel. */
    static String describe() {
        return nproc() + " CPUs (`nproc`), CPU model `" + cpuModel() + "`, Linux kernel `" + kernel() + "`";
    }

    private static String nproc() {
        String out = command("nproc");
        return out != null ? out : Runtime.getRuntime().availableProcessors() + " (JVM)";
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String kernel() {
        String out = command("uname", "-r");
        return out != null ? out : System.getProperty("os.version");
    }

    /** The trimmed output of a short command, or null if it cannot run. */
    static String command(String... argv) {
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out;
            try (InputStream in = process.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0 || out.isEmpty()) {
                process.destroy();
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
