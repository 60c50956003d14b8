package io.github.selectors4j.samples;

import io.github.selectors4j.testing.BackgroundProcess;
import io.github.selectors4j.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Launches the programs under {@code samples/} the way {@code samples/run} does: the JDK's
 * source-file launcher with the freshly built library on the class path. (Not through
 * {@code samples/run} itself, which would start a nested Maven build when the sources are newer
 * than its stamp.) So a sample that no longer compiles fails its test.
 */
public final class Samples {

    private static final String RUNTIME_CLASSPATH_PROPERTY = "selectors4j.test.runtimeClasspath";

    private Samples() {
    }

    /** The {@code samples} directory of the project under test. */
    public static Path directory() {
        return Path.of("samples").toAbsolutePath();
    }

    /** Every sample's name: each directory under {@code samples/} with one {@code .java} file. */
    public static List<String> names() throws IOException {
        try (Stream<Path> entries = Files.list(directory())) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The one source file of a sample. */
    public static Path sourceOf(String name) throws IOException {
        try (Stream<Path> files = Files.list(directory().resolve(name))) {
            List<Path> sources = files.filter(p -> p.toString().endsWith(".java")).toList();
            if (sources.size() != 1) {
                throw new AssertionError("sample " + name + " must have exactly one .java file, has " + sources);
            }
            return sources.get(0);
        }
    }

    /** The command that runs a sample with arguments. */
    public static List<String> command(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ChildJvm.javaExecutable());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(classPath());
        command.add(sourceOf(name).toString());
        command.addAll(List.of(args));
        return command;
    }

    /** Runs a sample to completion, failing the test if it runs longer than {@code timeout}. */
    public static ChildJvm.Result run(String name, Duration timeout, String... args) throws IOException, InterruptedException {
        return ChildJvm.exec(command(name, args), Math.max(1, timeout.toSeconds()));
    }

    /** Starts a sample that runs until stopped (a server); close the result to end it. */
    public static BackgroundProcess start(String name, String... args) throws IOException {
        return BackgroundProcess.start(command(name, args));
    }

    /** Sends SIGINT, as Ctrl-C in a terminal would. */
    public static void interrupt(BackgroundProcess process) throws IOException, InterruptedException {
        ChildJvm.Result kill = ChildJvm.exec(List.of("kill", "-INT", Long.toString(process.pid())), 10);
        if (kill.exitCode() != 0) {
            throw new AssertionError("kill -INT " + process.pid() + " failed: " + kill.output());
        }
    }

    private static String classPath() throws IOException {
        String file = System.getProperty(RUNTIME_CLASSPATH_PROPERTY);
        if (file == null) {
            throw new IllegalStateException("run through Maven: the system property " + RUNTIME_CLASSPATH_PROPERTY
                    + " names the file with the library's runtime class path");
        }
        return Path.of("target", "classes").toAbsolutePath() + ":" + Files.readString(Path.of(file)).trim();
    }
}
