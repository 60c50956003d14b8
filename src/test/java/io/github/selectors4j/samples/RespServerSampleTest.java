package io.github.selectors4j.samples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.testing.ChildJvm;
import io.github.selectors4j.testing.ExternalTools;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code samples/run resp-server}: redis-cli, redis-benchmark and a raw client get Redis's replies. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RespServerSampleTest {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);

    @Test
    void redisCliGetsTheRepliesRedisWouldGive() throws Exception {
        ExternalTools.require("redis-cli", "redis-tools");
        try (SampleServer server = SampleServer.start("resp-server")) {
            RedisCli cli = new RedisCli(server.port());
            cli.expect("PONG", "PING");
            cli.expect("hello there", "PING", "hello there");
            cli.expect("a b", "ECHO", "a b");
            cli.expect("OK", "SET", "k", "v");
            cli.expect("v", "GET", "k");
            cli.expect("", "GET", "missing");                        // nil prints as an empty line
            cli.expect("1", "INCR", "n");
            cli.expect("2", "incr", "n");
            cli.expectError("ERR value is not an integer or out of range", "INCR", "k");
            cli.expect("OK", "SET", "n", "007");                     // Redis reads no leading zeros
            cli.expectError("ERR value is not an integer or out of range", "INCR", "n");
            cli.expect("OK", "SET", "n", "9223372036854775807");
            cli.expectError("ERR increment or decrement would overflow", "INCR", "n");
            cli.expect("3", "EXISTS", "k", "n", "missing", "k");
            cli.expect("2", "DEL", "k", "missing", "n");
            cli.expect("0", "EXISTS", "k", "n");
            cli.expectError("ERR unknown command 'FOO', with args beginning with: 'bar' ", "FOO", "bar");
            cli.expectError("ERR wrong number of arguments for 'get' command", "GET", "a", "b");
            cli.expectError("ERR syntax error", "SET", "k", "v", "PX", "10");
            cli.expectError("ERR invalid expire time in 'set' command", "SET", "k", "v", "EX", "0");
            cli.expect("", "COMMAND");                               // an empty table: enough for redis-cli
            cli.expect("OK", "SET", "brief", "v", "EX", "1");
            cli.expect("1", "EXISTS", "brief");
            await("the key set with EX 1 expires").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> cli.run("EXISTS", "brief").equals("0\n"));

            String out = server.stopWithCtrlC();
            Matcher stopped = Pattern.compile("\nstopped after (\\d+) connections, (\\d+) commands; 0 keys\n$").matcher(out);
            assertTrue(stopped.find(), out);
            assertEquals(stopped.group(1), stopped.group(2), "one command per redis-cli run:\n" + out);
            assertEquals(Long.toString(cli.runs), stopped.group(1), out);
        }
    }

    @Test
    void aPipelinedBatchGetsEveryReplyInOrderHoweverItIsSplit() throws Exception {
        String value = "value\r\nwith CRLF";                         // bulk strings are binary-safe
        String batch = command("SET", "key:1", value)
                + command("GET", "key:1")
                + "PING\r\n"                                         // inline, as typed into nc
                + command("INCR", "counter")
                + "incr   counter\n"                                 // inline: any case, spaces, bare LF
                + "*0\r\n"                                           // an empty array: nothing to run
                + command("EXISTS", "key:1", "counter", "nope")
                + command("PING", "");
        String replies = "+OK\r\n$" + value.length() + "\r\n" + value + "\r\n+PONG\r\n:1\r\n:2\r\n:2\r\n$0\r\n\r\n";
        try (SampleServer server = SampleServer.start("resp-server");
                Socket socket = EchoServerSampleTest.connect(server.port())) {
            socket.setTcpNoDelay(true);
            byte[] bytes = batch.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();

            out.write(bytes);                                        // all in one write
            assertEquals(replies, read(in, replies.length()));

            // One byte per write: every boundary is a split somewhere (inside "$16", between \r and \n...).
            String again = replies.replace(":1\r\n:2\r\n", ":3\r\n:4\r\n");
            for (byte b : bytes) {
                out.write(b);
                out.flush();
            }
            assertEquals(again, read(in, again.length()));

            out.write(command("PING").getBytes(StandardCharsets.UTF_8));
            assertEquals("+PONG\r\n", read(in, 7), "nothing else was waiting");
            assertTrue(server.stopWithCtrlC().endsWith("\nstopped after 1 connections, 15 commands; 2 keys\n"));
        }
    }

    @Test
    void malformedInputGetsAProtocolErrorAndTheConnectionCloses() throws Exception {
        try (SampleServer server = SampleServer.start("resp-server")) {
            assertEquals("-ERR Protocol error: invalid multibulk length\r\n", exchange(server.port(), "*x\r\n"));
            assertEquals("-ERR Protocol error: expected '$', got 'x'\r\n", exchange(server.port(), "*1\r\nx4\r\nPING\r\n"));
            assertEquals("-ERR Protocol error: invalid bulk length\r\n", exchange(server.port(), "*1\r\n$-1\r\n"));
            assertEquals("+PONG\r\n-ERR Protocol error: invalid bulk length\r\n",
                    exchange(server.port(), "PING\r\n*2\r\n$3\r\nGET\r\n$99999999\r\n"), "over the bulk limit");
            // Exactly one byte over the inline limit, so that the server has read all of it when it closes.
            assertEquals("-ERR Protocol error: too big inline request\r\n", exchange(server.port(), "x".repeat(64 * 1024 + 1)));

            String out = server.stopWithCtrlC();
            assertTrue(out.contains("\nclosing connection 2: Protocol error: expected '$', got 'x'\n"), out);
            assertTrue(out.contains("\nclosing connection 5: Protocol error: too big inline request\n"), out);
            assertTrue(out.endsWith("\nstopped after 5 connections, 1 commands; 0 keys\n"), out);
        }
    }

    @Test
    void aClientThatLeavesTooManyRepliesUnreadIsDisconnected() throws Exception {
        String value = "v".repeat(3 << 20);                          // under the 4 MiB command limit
        try (SampleServer server = SampleServer.start("resp-server")) {
            try (Socket socket = EchoServerSampleTest.connect(server.port())) {
                socket.getOutputStream().write(command("SET", "big", value).getBytes(StandardCharsets.UTF_8));
                assertEquals("+OK\r\n", read(socket.getInputStream(), 5));
            }
            // 30 GETs of 3 MiB asked at once, none read: past 64 MiB of replies the server gives up.
            long received;
            try (Socket socket = EchoServerSampleTest.connect(server.port())) {
                socket.getOutputStream().write(command("GET", "big").repeat(30).getBytes(StandardCharsets.UTF_8));
                received = socket.getInputStream().transferTo(OutputStream.nullOutputStream());
            }
            assertTrue(received < 30L * value.length(), "received " + received + " bytes: every reply");

            String out = server.stopWithCtrlC();
            assertTrue(out.contains("\ndisconnected client 2: over 67108864 bytes of replies unread\n"), out);
            // How many GETs ran first depends on how much the kernel took at once; not all of them.
            Matcher stopped = Pattern.compile("\nstopped after 2 connections, (\\d+) commands; 1 keys\n$").matcher(out);
            assertTrue(stopped.find() && Integer.parseInt(stopped.group(1)) < 31, out);
        }
    }

    @Test
    void redisBenchmarkRunsSetAndGetWithoutErrors() throws Exception {
        ExternalTools.require("redis-benchmark", "redis-tools");
        try (SampleServer server = SampleServer.start("resp-server")) {
            ChildJvm.Result benchmark = ExternalClient.run(Duration.ofSeconds(40),
                    "redis-benchmark", "-p", Integer.toString(server.port()), "-t", "set,get", "-n", "2000", "-q");
            assertEquals(0, benchmark.exitCode(), benchmark.output());
            String output = benchmark.output();
            assertTrue(Pattern.compile("(?m)SET: [0-9.]+ requests per second").matcher(output).find(), output);
            assertTrue(Pattern.compile("(?m)GET: [0-9.]+ requests per second").matcher(output).find(), output);
            assertFalse(output.contains("ERR") || output.contains("WARNING") || output.contains("rror"), output);

            String out = server.stopWithCtrlC();
            Matcher stopped = Pattern.compile("\nstopped after \\d+ connections, (\\d+) commands; \\d+ keys\n$").matcher(out);
            assertTrue(stopped.find() && Long.parseLong(stopped.group(1)) >= 4000, out);
        }
    }

    @Test
    void badArgumentsPrintTheUsageAndExitWithStatus2() throws Exception {
        ChildJvm.Result result = Samples.run("resp-server", Duration.ofSeconds(30), "--port");
        assertEquals(2, result.exitCode(), result.output());
        assertEquals("usage: samples/run resp-server [--port N]\n", result.stderr());
    }

    /** A RESP array of bulk strings, as redis-cli sends a command. */
    private static String command(String... args) {
        StringBuilder resp = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            resp.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        return resp.toString();
    }

    private static String read(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        assertEquals(length, bytes.length, "end of stream after " + new String(bytes, StandardCharsets.UTF_8));
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Sends the bytes and reads until the server closes. */
    private static String exchange(int port, String request) throws IOException {
        try (Socket socket = EchoServerSampleTest.connect(port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** redis-cli against the sample, one command per run, as a person would type them. */
    private static final class RedisCli {
        private final int port;
        private long runs;

        RedisCli(int port) {
            this.port = port;
        }

        String run(String... command) throws IOException, InterruptedException {
            String[] args = new String[command.length + 3];
            args[0] = "redis-cli";
            args[1] = "-p";
            args[2] = Integer.toString(port);
            System.arraycopy(command, 0, args, 3, command.length);
            ChildJvm.Result result = ExternalClient.run(CLIENT_TIMEOUT, args);
            runs++;
            assertEquals(0, result.exitCode(), result.output());
            return result.stdout();
        }

        void expect(String reply, String... command) throws IOException, InterruptedException {
            assertEquals(reply + "\n", run(command), String.join(" ", command));
        }

        /** redis-cli prints an error reply followed by an empty line. */
        void expectError(String message, String... command) throws IOException, InterruptedException {
            assertEquals(message + "\n\n", run(command), String.join(" ", command));
        }
    }
}
