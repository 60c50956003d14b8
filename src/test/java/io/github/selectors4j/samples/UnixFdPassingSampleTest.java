package io.github.selectors4j.samples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.testing.BackgroundProcess;
import io.github.selectors4j.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code samples/run unix-fd-passing}: one sample process opens a file and passes its fd to another
 * over AF_UNIX; the receiver, given only the socket's path, reads the file through the fd it got.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnixFdPassingSampleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CONTENT = "the first line of the passed file\nand a second one\n";

    @TempDir
    Path dir;

    @Test
    void theReceiverReadsAFileItWasNeverToldTheNameOf() throws Exception {
        Path file = Files.writeString(dir.resolve("passed.txt"), CONTENT).toRealPath();
        Path socket = dir.resolve("fd.sock");
        try (BackgroundProcess server = Samples.start("unix-fd-passing", "serve", socket.toString(), file.toString())) {
            Matcher serving = Pattern.compile("fd (\\d+) \\(" + Pattern.quote(file.toString()) + "\\) on "
                    + Pattern.quote(socket.toString())).matcher(server.awaitLine("serving", WAIT));
            assertTrue(serving.matches(), server.output());
            int serverFd = Integer.parseInt(serving.group(1));

            // The receiver's arguments name the socket, not the file.
            long first = receive(socket, server, file.toString());
            awaitServerLine(server, "sent fd " + serverFd + " to client 1 (pid " + first + ")");

            // A second client gets the same file again.
            long second = receive(socket, server, file.toString());
            awaitServerLine(server, "sent fd " + serverFd + " to client 2 (pid " + second + ")");

            Samples.interrupt(server);
            assertEquals(0, server.waitFor(WAIT), server.output());
            List<String> lines = server.stdout().lines().toList();
            assertEquals("stopped", lines.get(lines.size() - 1), server.output());
            assertFalse(Files.exists(socket), "the server removes its socket file when it stops");
        }
    }

    @Test
    void aFileDeletedAfterTheServerOpenedItIsStillReadThroughThePassedFd() throws Exception {
        Path file = Files.writeString(dir.resolve("soon-gone.txt"), CONTENT).toRealPath();
        Path socket = dir.resolve("fd.sock");
        try (BackgroundProcess server = Samples.start("unix-fd-passing", "serve", socket.toString(), file.toString())) {
            server.awaitLine("serving", WAIT);
            Files.delete(file);
            // Nobody can open the file by name any more; only the open file behind the fd remains.
            receive(socket, server, file + " (deleted)");
            Samples.interrupt(server);
            assertEquals(0, server.waitFor(WAIT), server.output());
        }
    }

    @Test
    void badArgumentsPrintTheUsageAndNoServerIsAnError() throws Exception {
        ChildJvm.Result usage = Samples.run("unix-fd-passing", WAIT, "serve", dir.resolve("s").toString());
        assertEquals(2, usage.exitCode(), usage.output());
        assertEquals("usage: samples/run unix-fd-passing serve SOCKETPATH FILE | receive SOCKETPATH\n", usage.stderr(), usage.output());

        ChildJvm.Result nobody = Samples.run("unix-fd-passing", WAIT, "receive", dir.resolve("nobody.sock").toString());
        assertEquals(1, nobody.exitCode(), nobody.output());
        assertTrue(nobody.stderr().startsWith("unix-fd-passing: ") && nobody.stderr().contains("ENOENT"), nobody.output());
    }

    /**
     * Runs a receiver and checks its report: the fd it got, that {@code /proc/self/fd} links it to
     * {@code expectedTarget}, and the file's first line.
     *
     * @return the receiver's pid
     */
    private static long receive(Path socket, BackgroundProcess server, String expectedTarget) throws Exception {
        ChildJvm.Result result = Samples.run("unix-fd-passing", WAIT, "receive", socket.toString());
        assertEquals(0, result.exitCode(), result.output() + "\n--- server\n" + server.output());
        List<String> lines = result.stdout().lines().toList();
        assertEquals(5, lines.size(), result.output());
        Matcher connected = Pattern.compile("receiver pid (\\d+) connected to " + Pattern.quote(socket.toString())).matcher(lines.get(0));
        assertTrue(connected.matches(), result.output());
        Matcher fd = Pattern.compile("received fd (\\d+) from pid " + server.pid()).matcher(lines.get(1));
        assertTrue(fd.matches(), result.output());
        int number = Integer.parseInt(fd.group(1));
        assertEquals("fd " + number + " is " + expectedTarget, lines.get(2), result.output());
        assertEquals("first line: the first line of the passed file", lines.get(3), result.output());
        assertEquals("this process never opened that file: pid " + server.pid() + " did and passed it over " + socket, lines.get(4),
                result.output());
        return Long.parseLong(connected.group(1));
    }

    private static void awaitServerLine(BackgroundProcess server, String line) throws Exception {
        await(line).atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> server.stdout().lines().anyMatch(line::equals) || !server.isAlive());
        assertTrue(server.stdout().lines().anyMatch(line::equals), "no line \"" + line + "\" from the server:\n" + server.output());
    }
}
