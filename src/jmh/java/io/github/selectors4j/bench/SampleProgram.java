package io.github.selectors4j.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A sample of {@code samples/<name>/} run as a server by an end-to-end benchmark: its single
 * source file, compiled as it is by the benchmark run into {@code <build dir>/bench-samples/<name>}
 * (again whenever the source is newer), and started as a JVM with the library on the class path,
 * as {@code samples/run} starts it. Compiling once, rather than with the single-file source
 * launcher at every start, keeps {@code javac} out of every server process and its start short.
 */
final class SampleProgram {

    /** The JVM flags of a sample, the same as {@code samples/run} gives it. */
    static final List<String> JVM_ARGS = List.of("--enable-native-access=ALL-UNNAMED");

    private SampleProgram() {
    }

    /**
     * The command that runs the sample.
     *
     * @param name the sample's directory under {@code samples/} ("resp-server")
     * @param args the sample's arguments
     * @throws IllegalStateException if the sample is not there or does not compile
     */
    static List<String> command(String name, String... args) throws IOException {
        Path classes = compile(name);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_ARGS);
        command.add("-cp");
        command.add(classes + File.pathSeparator + System.getProperty("java.class.path"));
        command.add(mainClass(source(name)));
        command.addAll(List.of(args));
        return command;
    }

    /** The sample's source file: the one {@code .java} file of its directory. */
    static Path source(String name) throws IOException {
        Path basedir = Path.of(System.getProperty("bench.basedir", ".")).toAbsolutePath();
        Path dir = basedir.resolve("samples").resolve(name);
        List<Path> sources;
        try (Stream<Path> files = Files.list(dir)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new IllegalStateException("no sample " + dir + " (bench.basedir=" + basedir + ")", e);
        }
        if (sources.size() != 1) {
            throw new IllegalStateException("sample " + dir + " should have one .java file, has " + sources);
        }
        return sources.get(0);
    }

    private static String mainClass(Path source) {
        String file = source.getFileName().toString();
        return file.substring(0, file.length() - ".java".length());
    }

    private static synchronized Path compile(String name) throws IOException {
        Path source = source(name);
        Path basedir = Path.of(System.getProperty("bench.basedir", ".")).toAbsolutePath();
        Path buildDir = Path.of(System.getProperty("bench.buildDir", basedir.resolve("target").toString()));
        Path classes = buildDir.resolve("bench-samples").resolve(name);
        Path mainClassFile = classes.resolve(mainClass(source) + ".class");
        FileTime sourceTime = Files.getLastModifiedTime(source);
        if (Files.isRegularFile(mainClassFile) && Files.getLastModifiedTime(mainClassFile).compareTo(sourceTime) >= 0) {
            return classes;
        }
        Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
        if (!Files.isExecutable(javac)) {
            throw new IllegalStateException("the benchmark runs on a JRE without javac (" + System.getProperty("java.home")
                    + "); it needs a JDK to compile the sample " + source);
        }
        Files.createDirectories(classes);
        List<String> command = List.of(javac.toString(), "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), "-proc:none", "-Xlint:all", source.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String messages = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("javac failed to compile " + source + ":\n" + messages);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling " + source, e);
        }
        if (!messages.isBlank()) {
            System.out.println("[bench] javac warnings for " + source + ":\n" + messages);
        }
        return classes;
    }
}
