package io.github.selectors4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The two servers the {@code redis} section drives with {@code redis-benchmark}. */
enum RespTarget {

    /** Ours: the {@code samples/resp-server} sample, one {@code EventLoop}. */
    SELECTORS4J("selectors4j"),
    /** Redis itself, on loopback, without persistence, one I/O thread. */
    REDIS_SERVER("redis-server");

    private final String label;

    RespTarget(String label) {
        this.label = label;
    }

    /** How reports name it. */
    String label() {
        return label;
    }

    /** The sample that {@link #SELECTORS4J} runs. */
    static final String SAMPLE = "resp-server";

    /**
     * The arguments {@link #REDIS_SERVER} gets besides its port: loopback only, no snapshots, no
     * append-only file, in the foreground, one I/O thread (Redis's default, said out loud), and a
     * working directory of its own so that nothing lands in the project.
     */
    static final List<String> REDIS_ARGS = List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--io-threads", "1");

    /** Starts a fresh server process pinned to the server CPU. */
    ServerProcess start() throws IOException, InterruptedException {
        if (this == SELECTORS4J) {
            return ServerProcess.sample(SAMPLE);
        }
        RequiredTools.require(RequiredTools.REDIS_SERVER);
        int port = ServerProcess.freePort();
        Path dir = Files.createTempDirectory("bench-redis");
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port)));
        command.addAll(REDIS_ARGS);
        command.addAll(List.of("--dir", dir.toString()));
        return ServerProcess.program("redis-server", command, port, dir);
    }
}
