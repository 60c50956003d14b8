package io.github.selectors4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A C program of the benchmarks, compiled from {@code src/jmh/c/<name>.c} with {@code gcc -O2}
 * into {@code <build dir>/bench-c/<name>} by the benchmark run itself (again whenever the source
 * is newer than the binary), so that the C baselines need no build step of their own.
 */
final class CProgram {

    /** The flags every program is compiled with: optimised as a C programmer would ship it. */
    static final List<String> FLAGS = List.of("-O2", "-Wall", "-Wextra");

    private CProgram() {
    }

    /**
     * The program's executable, compiled if needed; installs {@code gcc} first if it is missing
     * and the run may (see {@link RequiredTools}).
     *
     * @param name the source's file name without {@code .c}
     * @return the path of the executable
     * @throws IllegalStateException if the compiler fails; its messages are in the exception
     */
    static synchronized Path compile(String name) throws IOException, InterruptedException {
        Path basedir = Path.of(System.getProperty("bench.basedir", ".")).toAbsolutePath();
        Path buildDir = Path.of(System.getProperty("bench.buildDir", basedir.resolve("target").toString()));
        Path source = basedir.resolve("src/jmh/c").resolve(name + ".c");
        Path binary = buildDir.resolve("bench-c").resolve(name);
        if (!Files.isRegularFile(source)) {
            throw new IllegalStateException("no C source " + source + " (bench.basedir=" + basedir + ")");
        }
        if (Files.isExecutable(binary)
                && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) >= 0) {
            return binary;
        }
        RequiredTools.require(RequiredTools.GCC);
        Files.createDirectories(binary.getParent());
        List<String> command = new ArrayList<>(List.of("gcc"));
        command.addAll(FLAGS);
        command.addAll(List.of("-o", binary.toString(), source.toString()));
        Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
        String messages = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gcc.waitFor(2, TimeUnit.MINUTES) || gcc.exitValue() != 0) {
            gcc.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + messages);
        }
        if (!messages.isBlank()) {
            System.out.println("[bench] gcc warnings for " + source + ":\n" + messages);
        }
        return binary;
    }

    /** The compiler's version line, for the report. */
    static String compilerVersion() {
        String out = Machine.command("gcc", "--version");
        return out == null ? "gcc (version unknown)" : out.lines().findFirst().orElse("gcc");
    }
}
