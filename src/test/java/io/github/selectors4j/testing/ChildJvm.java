package io.github.selectors4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program in a fresh JVM of the same Java installation, with the test class path, and
 * collects its output. Used for what one JVM cannot test about itself: JVM flags, system
 * properties read once, resource limits, module-path behaviour.
 *
 * <p>Output goes through temporary files rather than pipes, so the test process holds no extra fds
 * while the child runs.
 */
public final class ChildJvm {

    private static final String LIBKQUEUE_PATH = "selectors4j.libkqueue.path";

    /** What the child did. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** Both streams, for assertion messages. */
        public String output() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private ChildJvm() {
    }

    /** The {@code java} launcher of the running JVM. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The {@code -D} flags that make a child find the native libraries this JVM was told about:
     * today only {@code selectors4j.libkqueue.path}. Without it a child of a run with libkqueue
     * would not load kqueue while the test, asking this JVM, expects it to.
     */
    public static List<String> nativeLibraryProperties() {
        String libkqueue = System.getProperty(LIBKQUEUE_PATH);
        return libkqueue == null ? List.of() : List.of("-D" + LIBKQUEUE_PATH + "=" + libkqueue);
    }

    /**
     * Runs {@code java <jvmArgs> -cp <test class path> <mainAndArgs>}, passing on
     * {@link #nativeLibraryProperties()} unless {@code jvmArgs} sets them itself.
     *
     * @param timeoutSeconds how long the child may run before it is killed and the test fails
     */
    public static Result run(List<String> jvmArgs, List<String> mainAndArgs, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        if (jvmArgs.stream().noneMatch(arg -> arg.startsWith("-D" + LIBKQUEUE_PATH + "="))) {
            command.addAll(nativeLibraryProperties());
        }
        command.addAll(jvmArgs);
        if (jvmArgs.stream().noneMatch(arg -> arg.equals("-cp") || arg.equals("--module-path") || arg.equals("-p"))) {
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
        }
        command.addAll(mainAndArgs);
        return exec(command, timeoutSeconds);
    }

    /** Runs any command, collecting its output through files. */
    public static Result exec(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("child", ".out");
        Path err = Files.createTempFile("child", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("child did not finish within " + timeoutSeconds + " s: " + command
                        + "\n--- stdout\n" + Files.readString(out) + "\n--- stderr\n" + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
