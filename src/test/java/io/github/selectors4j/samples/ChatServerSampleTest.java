package io.github.selectors4j.samples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.testing.BackgroundProcess;
import io.github.selectors4j.testing.ChildJvm;
import io.github.selectors4j.testing.ExternalTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code samples/run chat-server}: lines go to every other client; bad clients are dropped. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChatServerSampleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern WELCOME = Pattern.compile("\\* welcome (127\\.0\\.0\\.1:\\d+); (\\d+) other\\(s\\) here\n.*",
            Pattern.DOTALL);

    @Test
    void socatClientsExchangeLinesAndHearJoinsAndLeaves() throws Exception {
        ExternalTools.require("socat", "socat");
        try (SampleServer server = SampleServer.start("chat-server");
                BackgroundProcess alice = socat(server.port())) {
            String aliceName = welcomedName(alice, 0);
            String bobName;
            String carolName;
            try (BackgroundProcess bob = socat(server.port())) {
                bobName = welcomedName(bob, 1);
                awaitOutput(alice, "* " + bobName + " joined\n");
                try (BackgroundProcess carol = socat(server.port())) {
                    carolName = welcomedName(carol, 2);
                    awaitOutput(alice, "* " + carolName + " joined\n");
                    awaitOutput(bob, "* " + carolName + " joined\n");

                    alice.send("hello from alice\n");
                    awaitOutput(bob, "[" + aliceName + "] hello from alice\n");
                    awaitOutput(carol, "[" + aliceName + "] hello from alice\n");
                    bob.send("hi alice\n");
                    awaitOutput(alice, "[" + bobName + "] hi alice\n");
                    awaitOutput(carol, "[" + bobName + "] hi alice\n");
                    // Alice's own line would have reached her before Bob's answer to it.
                    assertFalse(alice.stdout().contains("hello from alice"), alice.stdout());

                    carol.send("last words without a newline");
                    carol.closeStdin();                     // socat then half-closes; the server closes
                    String goodbye = "[" + carolName + "] last words without a newline\n* " + carolName + " left\n";
                    awaitOutput(alice, goodbye);
                    awaitOutput(bob, goodbye);
                }
            }                                               // closing Bob's socat makes him leave too
            awaitOutput(alice, "* " + bobName + " left\n");
            String out = server.stopWithCtrlC();
            assertEquals(List.of("listening on 127.0.0.1:" + server.port(), "joined " + aliceName, "joined " + bobName,
                    "joined " + carolName, "left " + carolName, "left " + bobName, "stopped"), out.lines().toList());
            awaitOutput(alice, "* server stopping, bye\n");
        }
    }

    @Test
    void aLineSentInPiecesIsRelayedOnceCompleteWithoutItsCarriageReturn() throws Exception {
        try (SampleServer server = SampleServer.start("chat-server");
                ChatClient reader = new ChatClient(server.port(), 0);
                ChatClient splitter = new ChatClient(server.port(), 1);
                ChatClient marker = new ChatClient(server.port(), 2)) {
            // The marker's round trip gives the server time to read each piece on its own.
            splitter.send("split ");
            marker.send("one\n");
            reader.awaitLine("[" + marker.name + "] one");
            splitter.send("across writes");
            marker.send("two\n");
            reader.awaitLine("[" + marker.name + "] two");
            splitter.send("\r");
            marker.send("three\n");
            reader.awaitLine("[" + marker.name + "] three");
            splitter.send("\nnext line\n");
            reader.awaitLine("[" + splitter.name + "] next line");

            assertEquals(List.of(
                    "* welcome " + reader.name + "; 0 other(s) here",
                    "* " + splitter.name + " joined",
                    "* " + marker.name + " joined",
                    "[" + marker.name + "] one",
                    "[" + marker.name + "] two",
                    "[" + marker.name + "] three",
                    "[" + splitter.name + "] split across writes",
                    "[" + splitter.name + "] next line"), reader.received);
            assertTrue(server.stopWithCtrlC().endsWith("\nstopped\n"));
        }
    }

    @Test
    void aLineOverTheLimitAndAClientThatStopsReadingAreDropped() throws Exception {
        try (SampleServer server = SampleServer.start("chat-server");
                ChatClient talker = new ChatClient(server.port(), 0)) {
            String endlessName;
            String slowName;
            try (ChatClient endless = new ChatClient(server.port(), 1)) {
                endlessName = endless.name;
                talker.awaitLine("* " + endless.name + " joined");
                endless.send("x".repeat(64 * 1024 + 1));     // one byte over, without a newline
                endless.awaitLine("* line too long (more than 65536 bytes), bye");
                assertNull(endless.in.readLine(), "the server closes after the goodbye");
                talker.awaitLine("* " + endless.name + " dropped: line too long (more than 65536 bytes)");
            }

            try (ChatClient slow = new ChatClient(server.port(), 1, 4096)) {
                slowName = slow.name;
                // The slow client never reads; the talker sends until the server gives up on it.
                String line = "y".repeat(999) + "\n";
                for (int sent = 0; !server.stdout().contains("\ndropped " + slow.name + ": too slow"); sent += 100) {
                    assertTrue(sent < 100_000, "sent 100 MB and the slow client is still there:\n" + server.stdout());
                    talker.send(line.repeat(100));
                }
                try {
                    slow.socket.getInputStream().readAllBytes();   // ends: the server closed it
                } catch (SocketException reset) {
                    // as good: the server closed it with unread data on its side
                }
            }
            talker.send("still here\n");
            String out = server.stopWithCtrlC();
            assertTrue(out.contains("\ndropped " + endlessName + ": line too long (more than 65536 bytes)\n"), out);
            assertTrue(out.contains("\ndropped " + slowName + ": too slow ("), out);
            assertFalse(out.contains("dropped " + talker.name), out);
            assertTrue(out.endsWith("\nstopped\n"), out);
        }
    }

    @Test
    void badArgumentsPrintTheUsageAndExitWithStatus2() throws Exception {
        ChildJvm.Result result = Samples.run("chat-server", Duration.ofSeconds(30), "--port", "70000");
        assertEquals(2, result.exitCode(), result.output());
        assertEquals("usage: samples/run chat-server [--port N]\n", result.stderr());
    }

    private static BackgroundProcess socat(int port) throws IOException {
        return BackgroundProcess.start(List.of("socat", "-", "TCP:127.0.0.1:" + port));
    }

    /** Waits for the welcome line and returns the name the server gave the client. */
    private static String welcomedName(BackgroundProcess client, int others) throws IOException {
        await("welcome line").atMost(WAIT).until(() -> WELCOME.matcher(client.stdout()).matches());
        Matcher matcher = WELCOME.matcher(client.stdout());
        assertTrue(matcher.matches());
        assertEquals(Integer.toString(others), matcher.group(2), client.stdout());
        return matcher.group(1);
    }

    private static void awaitOutput(BackgroundProcess client, String text) {
        await("\"" + text.strip() + "\" in the client's output").atMost(WAIT).until(() -> client.stdout().contains(text));
    }

    /** A chat client on a plain socket, reading lines. */
    private static final class ChatClient implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;
        final String name;
        final List<String> received = new ArrayList<>();

        ChatClient(int port, int others) throws IOException {
            this(port, others, 0);
        }

        /** Connects and reads the welcome; a receive buffer size of 0 keeps the default. */
        ChatClient(int port, int others, int receiveBuffer) throws IOException {
            socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);     // before connecting, so the window is small
            }
            socket.connect(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.setTcpNoDelay(true);                        // every send() is its own segment
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
            name = "127.0.0.1:" + socket.getLocalPort();
            awaitLine("* welcome " + name + "; " + others + " other(s) here");
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Reads lines until this one; fails on end of stream or after the socket timeout. */
        void awaitLine(String expected) throws IOException {
            for (String line; (line = in.readLine()) != null; ) {
                received.add(line);
                if (line.equals(expected)) {
                    return;
                }
            }
            throw new AssertionError("end of stream before \"" + expected + "\"; received " + received);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
