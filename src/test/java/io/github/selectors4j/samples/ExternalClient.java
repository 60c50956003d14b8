package io.github.selectors4j.samples;

import io.github.selectors4j.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a client program (curl, socat, redis-cli...) to completion with the given standard input,
 * collecting its output. Input and output go through temporary files, so the test holds no pipe.
 */
final class ExternalClient {

    private ExternalClient() {
    }

    /** Runs {@code command} with {@code stdin} as its input; fails the test if it runs longer than {@code timeout}. */
    static ChildJvm.Result runWithInput(Duration timeout, String stdin, String... command) throws IOException, InterruptedException {
        Path in = Files.createTempFile("client", ".in");
        Path out = Files.createTempFile("client", ".out");
        Path err = Files.createTempFile("client", ".err");
        try {
            Files.writeString(in, stdin, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(command)
                    .redirectInput(in.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("still running after " + timeout + ": " + List.of(command)
                        + "\n--- stdout\n" + Files.readString(out) + "\n--- stderr\n" + Files.readString(err));
            }
            return new ChildJvm.Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs {@code command} with empty input. */
    static ChildJvm.Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        return runWithInput(timeout, "", command);
    }
}
