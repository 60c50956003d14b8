package io.github.selectors4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.selectors4j.Signals;
import io.github.selectors4j.testing.BackgroundProcess;
import io.github.selectors4j.testing.ChildJvm;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server sample running beside a test: started with {@code --port 0}, so the kernel picks a free
 * port, which is read from the sample's {@code listening on 127.0.0.1:PORT} line.
 */
final class SampleServer implements AutoCloseable {

    /** The first start compiles the sample's source: allow for a slow, busy machine. */
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("on 127\\.0\\.0\\.1:(\\d+)( .*)?");

    private final BackgroundProcess process;
    private final int port;

    private SampleServer(BackgroundProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the sample with {@code --port 0} and the given arguments, and waits until it listens. */
    static SampleServer start(String name, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--port", "0"));
        all.addAll(List.of(args));
        BackgroundProcess process = Samples.start(name, all.toArray(String[]::new));
        try {
            String line = process.awaitLine("listening", STARTUP);
            Matcher matcher = LISTENING.matcher(line);
            if (!matcher.matches()) {
                throw new AssertionError("unexpected listening line \"" + line + "\": " + process.output());
            }
            return new SampleServer(process, Integer.parseInt(matcher.group(1)));
        } catch (IOException | RuntimeException | Error e) {
            process.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    BackgroundProcess process() {
        return process;
    }

    /** What the server printed so far. */
    String stdout() throws IOException {
        return process.stdout();
    }

    /**
     * Stops the server as Ctrl-C does and checks that it exits by itself with status 0, having
     * logged no exception.
     *
     * <p>A process started with SIGINT ignored (a background job of a non-interactive shell, say)
     * passes that on to its children, and the JVM then refuses to handle it (it honours an inherited
     * "ignore" for its shutdown signals). If this test JVM was started so, the sample gets SIGTERM,
     * which it handles the same way, and the substitution is printed.
     *
     * @return everything the server printed on stdout
     */
    String stopWithCtrlC() throws IOException, InterruptedException {
        if (ignores(Signals.SIGINT)) {
            System.err.println("SampleServer: SIGINT is ignored by this process tree, so the sample gets SIGTERM");
            ChildJvm.Result kill = ChildJvm.exec(List.of("kill", "-TERM", Long.toString(process.pid())), 10);
            assertEquals(0, kill.exitCode(), kill.output());
        } else {
            Samples.interrupt(process);
        }
        int exitCode = process.waitFor(Duration.ofSeconds(20));
        assertEquals(0, exitCode, "exit status after Ctrl-C (-1: still running)\n" + process.output());
        // A callback that threw is logged by the loop ("exception in event loop ...") and serving goes
        // on, so a bug can hide behind output that looks right: the log must be clean.
        assertFalse(process.stderr().toLowerCase(java.util.Locale.ROOT).contains("exception"), process.output());
        return process.stdout();
    }

    /** Whether the sample process ignores the signal, from the SigIgn mask in /proc/PID/status. */
    private boolean ignores(int signal) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return new BigInteger(line.substring(7).trim(), 16).testBit(signal - 1);
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        process.close();
    }
}
