package io.github.selectors4j.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A server an end-to-end section starts and stops itself, listening on {@code 127.0.0.1} only
 * and pinned to {@link EchoCase#SERVER_CPU}: a sample of this project, or a program like
 * {@code redis-server} or {@code nginx}. Unlike the echo servers it takes no orders on stdin, so
 * {@link #close()} ends it with {@code SIGTERM}.
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** The port in a sample's "listening on 127.0.0.1:PORT" line. */
    private static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:([0-9]{1,5})\\b");

    private final ChildProcess process;
    private final int port;
    /** The program's own directory, deleted when it has stopped; null for a sample. */
    private final Path directory;

    private ServerProcess(ChildProcess process, int port, Path directory) {
        this.process = process;
        this.port = port;
        this.directory = directory;
    }

    /**
     * Starts a sample with {@code --port 0} and waits for its {@code listening on 127.0.0.1:PORT} line.
     *
     * @param name the sample's directory under {@code samples/}
     */
    static ServerProcess sample(String name) throws IOException, InterruptedException {
        ChildProcess process = ChildProcess.start("sample " + name,
                EchoCase.onCpu(EchoCase.SERVER_CPU, SampleProgram.command(name, "--port", "0")));
        try {
            String line = process.awaitLine("listening", START_TIMEOUT);
            Matcher port = PORT.matcher(line);
            if (!port.find()) {
                throw process.failure("printed a listening line without a 127.0.0.1 port: " + line);
            }
            return new ServerProcess(process, Integer.parseInt(port.group(1)), null);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.terminate(STOP_GRACE);
            process.close();
            throw e;
        }
    }

    /**
     * Starts a program that listens on a port given in its command, and waits until that port
     * accepts connections.
     *
     * @param name    how messages name it
     * @param command the program and its arguments, which make it listen on {@code 127.0.0.1:port}
     * @param port      the port, from {@link #freePort()}
     * @param directory a temporary directory of the program's (configuration, pid file...),
     *                  deleted with what it holds once the program has stopped
     */
    static ServerProcess program(String name, List<String> command, int port, Path directory)
            throws IOException, InterruptedException {
        ChildProcess process = ChildProcess.start(name, EchoCase.onCpu(EchoCase.SERVER_CPU, command));
        try {
            awaitAccepting(process, port);
            return new ServerProcess(process, port, directory);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.terminate(STOP_GRACE);
            process.close();
            delete(directory);
            throw e;
        }
    }

    /**
     * A port of {@code 127.0.0.1} that nothing listens on now, for a program that must be told
     * its port. Another process could take it before the program binds it; the program then
     * fails to start, and so does the run, rather than measure someone else's server.
     */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Tries to connect every 20 ms until the program accepts, fails if it exits first. */
    private static void awaitAccepting(ChildProcess process, int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw process.failure("exited before it accepted connections on 127.0.0.1:" + port);
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw process.failure("accepted no connection on 127.0.0.1:" + port + " within "
                            + START_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(20); // a start takes tens of milliseconds; polling costs nothing measured
            }
        }
    }

    /** The port it listens on, on {@code 127.0.0.1}. */
    int port() {
        return port;
    }

    /** Its process id, for its CPU time. */
    long pid() {
        return process.pid();
    }

    /** An exception that names the server and quotes what it printed. */
    IllegalStateException failure(String what) throws IOException {
        return process.failure(what);
    }

    /** Stops it with {@code SIGTERM}, killing it if it has not exited within 10 s; deletes its directory. */
    @Override
    public void close() throws IOException {
        try {
            process.terminate(STOP_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.close();
            delete(directory);
        }
    }

    private static void delete(Path directory) throws IOException {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
