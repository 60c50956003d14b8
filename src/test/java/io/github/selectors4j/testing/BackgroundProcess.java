package io.github.selectors4j.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A child process that runs beside the test (where {@link ChildJvm} waits for the child to end):
 * its output goes to temporary files that the test reads as they grow, and its stdin is a pipe, so
 * that closing it tells a well-behaved child to exit. {@link #close()} always ends the child,
 * forcibly if it does not exit by itself, and deletes the files.
 */
public final class BackgroundProcess implements AutoCloseable {

    private final Process process;
    private final Path out;
    private final Path err;
    private final OutputStream stdin;

    private BackgroundProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.stdin = process.getOutputStream();
    }

    /** Starts {@code command}. */
    public static BackgroundProcess start(List<String> command) throws IOException {
        Path out = Files.createTempFile("child", ".out");
        Path err = Files.createTempFile("child", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            return new BackgroundProcess(process, out, err);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            throw e;
        }
    }

    /** The child's pid (after an {@code exec}, the pid of the program it became). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What the child printed on stdout so far. */
    public String stdout() throws IOException {
        return Files.readString(out);
    }

    /** What the child printed on stderr so far. */
    public String stderr() throws IOException {
        return Files.readString(err);
    }

    /** Both streams, for assertion messages. */
    public String output() throws IOException {
        return "--- stdout\n" + stdout() + "\n--- stderr\n" + stderr();
    }

    /** The last stdout line starting with {@code prefix + " "}, without the prefix; waits at most {@code timeout} for one. */
    public String awaitLine(String prefix, Duration timeout) throws IOException {
        await("a line \"" + prefix + " ...\" from the child").atMost(timeout).pollInterval(Duration.ofMillis(20))
                .until(() -> lastLine(prefix).isPresent() || !process.isAlive());
        Optional<String> line = lastLine(prefix);
        if (line.isEmpty()) {
            throw new AssertionError("the child ended without printing \"" + prefix + "\": " + output());
        }
        return line.get();
    }

    /** The last stdout line starting with {@code prefix + " "}, without the prefix. */
    public Optional<String> lastLine(String prefix) throws IOException {
        List<String> lines = stdout().lines().filter(line -> line.startsWith(prefix + " ")).toList();
        return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1).substring(prefix.length() + 1));
    }

    /** Writes text (UTF-8) to the child's stdin at once, as a person typing into it would. */
    public void send(String text) throws IOException {
        stdin.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** Closes the child's stdin. */
    public void closeStdin() throws IOException {
        stdin.close();
    }

    /** Waits for the child to exit; returns its exit code, or -1 if it is still running after {@code timeout}. */
    public int waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** Ends the child (closing stdin, then forcibly after 5 s) and deletes the output files. */
    @Override
    public void close() throws IOException {
        try {
            closeStdin();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
