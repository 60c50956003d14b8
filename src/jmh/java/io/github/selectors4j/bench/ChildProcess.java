package io.github.selectors4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server or client process of an end-to-end benchmark, spoken to in lines: its stdout is read
 * line by line as it comes (a thread blocked on the pipe, so waiting costs the benchmark's CPUs
 * nothing), its stdin takes commands, and its stderr goes to a file quoted when something fails.
 * {@link #close()} always ends it: it closes stdin (which the benchmark's servers take as the
 * order to exit), then kills it if it is still there.
 */
final class ChildProcess implements AutoCloseable {

    /** Stands for the end of stdout in the queue of lines. */
    private static final String END = new String("end of stdout");

    private final String name;
    private final Process process;
    private final Path stderr;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private ChildProcess(String name, Process process, Path stderr) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(this::readStdout, "stdout of " + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a command.
     *
     * @param name    how messages name it ("echo server selectors4j")
     * @param command the program and its arguments
     */
    static ChildProcess start(String name, List<String> command) throws IOException {
        Path stderr = Files.createTempFile("bench-child", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(ProcessBuilder.Redirect.PIPE)
                    .redirectError(stderr.toFile())
                    .start();
            return new ChildProcess(name, process, stderr);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(stderr);
            throw e;
        }
    }

    private void readStdout() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(reading stdout failed: " + e + ")");
        } finally {
            lines.add(END);
        }
    }

    /** The process id (after {@code taskset} has exec'd it, the id of the program it runs). */
    long pid() {
        return process.pid();
    }

    /**
     * Waits for the next stdout line that is {@code word} or starts with {@code word + " "};
     * lines before it are skipped (and quoted if this fails).
     *
     * @return the rest of the line after the word and its space, or "" if the line is the word
     * @throws IllegalStateException if the process ends, or no such line comes within {@code timeout}
     */
    String awaitLine(String word, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw failure("printed no \"" + word + "\" line within " + timeout.toMillis() + " ms");
            }
            if (line == END) {
                lines.add(END); // later calls fail the same way
                throw failure("ended without printing a \"" + word + "\" line" + exitStatus());
            }
            seen.add(line);
            if (line.equals(word)) {
                return "";
            }
            if (line.startsWith(word + " ")) {
                return line.substring(word.length() + 1);
            }
        }
    }

    /** Writes one line to the process's stdin. */
    void send(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** Closes the process's stdin, which the benchmark's programs take as the order to finish. */
    void closeStdin() {
        try {
            stdin.close();
        } catch (IOException alreadyGone) {
            // The process exited and the pipe is broken: nothing left to tell it.
        }
    }

    /**
     * Waits for the process to exit by itself.
     *
     * @throws IllegalStateException if it does not exit within {@code timeout} or exits with a
     *                               status other than 0
     */
    void awaitSuccess(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw failure("did not exit within " + timeout.toMillis() + " ms");
        }
        if (process.exitValue() != 0) {
            throw failure("failed" + exitStatus());
        }
    }

    /**
     * Waits for the process to exit by itself with status 0 and returns the stdout lines that no
     * {@link #awaitLine} has read: the output of a client that prints its results and exits.
     *
     * @throws IllegalStateException as {@link #awaitSuccess}
     */
    List<String> awaitOutput(Duration timeout) throws IOException, InterruptedException {
        awaitSuccess(timeout);
        List<String> output = new ArrayList<>();
        // The reader thread may still be a few lines behind the exit: its END marks the last one.
        for (String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS); line != END;
                line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            if (line == null) {
                throw failure("exited, but its stdout did not end within " + timeout.toMillis() + " ms");
            }
            seen.add(line);
            output.add(line);
        }
        lines.add(END);
        return output;
    }

    private String exitStatus() throws InterruptedException {
        return process.waitFor(1, TimeUnit.SECONDS) ? " (exit status " + process.exitValue() + ")" : "";
    }

    /** An exception that names the process and quotes what it printed. */
    IllegalStateException failure(String what) throws IOException {
        String err = Files.readString(stderr, StandardCharsets.UTF_8).strip();
        return new IllegalStateException(name + " " + what + "\n--- its stdout so far:\n" + String.join("\n", seen)
                + "\n--- its stderr:\n" + (err.length() > 4000 ? "..." + err.substring(err.length() - 4000) : err));
    }

    /** Whether the process is still running. */
    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Ends a process that does not take the end of its stdin as the order to exit (a server the
     * benchmark did not write): sends it {@code SIGTERM}, waits for it to exit, then kills it.
     *
     * @param grace how long it may take to exit after {@code SIGTERM}
     */
    void terminate(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Ends the process: closes stdin, waits 5 s for it to exit, then kills it; deletes the stderr file. */
    @Override
    public void close() throws IOException {
        try {
            closeStdin();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
