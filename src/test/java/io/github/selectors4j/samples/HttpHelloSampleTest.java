package io.github.selectors4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.testing.ChildJvm;
import io.github.selectors4j.testing.ExternalTools;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code samples/run http-hello}: curl, wrk and a raw client get correct HTTP/1.1 answers. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpHelloSampleTest {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
    private static final String BODY = "Hello, world!\n";
    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 14\r\n";
    private static final String OK = HEAD + "\r\n" + BODY;
    private static final String OK_CLOSE = HEAD + "Connection: close\r\n\r\n" + BODY;
    private static final String BAD_REQUEST = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n"
            + "Connection: close\r\n\r\nbad request\n";
    private static final String GET = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";
    private static final String GET_CLOSE = "GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";

    @Test
    void curlKeepsHttp11ConnectionsAliveClosesHttp10OnesUnlessAskedAndGetsNoBodyForHead() throws Exception {
        ExternalTools.require("curl", "curl");
        try (SampleServer server = SampleServer.start("http-hello")) {
            String url = "http://127.0.0.1:" + server.port();

            ChildJvm.Result twoUrls = curl("-sv", url + "/", url + "/any/path?x=1");
            assertEquals(BODY + BODY, twoUrls.stdout(), twoUrls.output());
            assertTrue(twoUrls.stderr().contains("Re-using existing connection"), twoUrls.stderr());
            assertTrue(twoUrls.stderr().contains("left intact"), twoUrls.stderr());

            ChildJvm.Result http10 = curl("-sv", "--http1.0", url + "/");
            assertEquals(BODY, http10.stdout(), http10.output());
            assertTrue(http10.stderr().contains("< Connection: close"), http10.stderr());
            assertFalse(http10.stderr().contains("left intact"), http10.stderr());

            ChildJvm.Result http10KeepAlive = curl("-sv", "--http1.0", "-H", "Connection: keep-alive", url + "/", url + "/");
            assertEquals(BODY + BODY, http10KeepAlive.stdout(), http10KeepAlive.output());
            assertTrue(http10KeepAlive.stderr().contains("< Connection: keep-alive"), http10KeepAlive.stderr());
            assertTrue(http10KeepAlive.stderr().contains("Re-using existing connection"), http10KeepAlive.stderr());

            ChildJvm.Result head = curl("-sI", url + "/");
            assertEquals(HEAD + "\r\n", head.stdout(), head.output());

            String out = server.stopWithCtrlC();
            assertTrue(out.contains("\nclosed connection 1 after 2 requests\n"), out);
            assertTrue(out.contains("\nclosed connection 2 after 1 requests\n"), out);
            assertTrue(out.contains("\nclosed connection 3 after 2 requests\n"), out);
            assertTrue(out.endsWith("\nstopped after 4 connections, 6 requests\n"), out);
        }
    }

    @Test
    void pipelinedAndSplitRequestsAreAnsweredInOrderAndHeadGetsNoBody() throws Exception {
        try (SampleServer server = SampleServer.start("http-hello")) {
            String head = "HEAD /second HTTP/1.1\r\nhost: test\r\n\r\n";
            assertEquals(OK + HEAD + "\r\n" + OK_CLOSE, exchange(server.port(), GET + head + GET_CLOSE),
                    "three requests in one write");

            // Cut inside the request line, inside a header name and between the blank line's \r and
            // \n; the last piece also carries a whole second request.
            assertEquals(OK + OK_CLOSE, exchange(server.port(), "GET / HT", "TP/1.1\r\nHo", "st: test\r\n\r",
                    "\n" + GET_CLOSE), "requests split across writes");

            assertEquals(HEAD + "Connection: keep-alive\r\n\r\n" + BODY + HEAD + "Connection: close\r\n\r\n" + BODY,
                    exchange(server.port(), "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\nGET / HTTP/1.0\r\n\r\n"),
                    "HTTP/1.0: kept alive when asked, then closed");

            String out = server.stopWithCtrlC();
            // 3 connections of the test, 3 of the markers between pieces
            assertTrue(out.endsWith("\nstopped after 6 connections, 10 requests\n"), out);
        }
    }

    @Test
    void malformedRequestsGet400OversizedHeads431AndOtherMethods405ThenTheConnectionCloses() throws Exception {
        try (SampleServer server = SampleServer.start("http-hello")) {
            assertEquals(BAD_REQUEST, exchange(server.port(), "NONSENSE\r\n\r\n" + GET));
            assertEquals(OK + BAD_REQUEST, exchange(server.port(), GET + "GET / HTTP/1.1\r\n\r\n"), "no Host header");
            assertEquals(BAD_REQUEST, exchange(server.port(), "GET / HTTP/1.1\r\nHost: test\r\nno colon\r\n\r\n"));
            assertEquals(BAD_REQUEST, exchange(server.port(), "GET / HTTP/1.1\r\nHost : test\r\n\r\n"), "space before the colon");
            assertEquals(BAD_REQUEST, exchange(server.port(), "GET / HTTP/2.0\r\nHost: test\r\n\r\n"));
            assertTrue(exchange(server.port(), "POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\n\r\nabc")
                    .startsWith("HTTP/1.1 405 Method Not Allowed\r\n"));
            String big = "GET / HTTP/1.1\r\nHost: test\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n";
            assertTrue(exchange(server.port(), big).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"));

            String out = server.stopWithCtrlC();
            assertTrue(out.contains("\nrefused a request from connection 1: malformed request line\n"), out);
            assertTrue(out.contains("\nrefused a request from connection 2: HTTP/1.1 needs exactly one Host header\n"), out);
            assertTrue(out.contains("\nrefused a request from connection 3: malformed header line\n"), out);
            assertTrue(out.contains("\nrefused a request from connection 5: not HTTP/1.0 or HTTP/1.1\n"), out);
            assertTrue(out.contains("\nrefused a request from connection 6: method not allowed\n"), out);
            assertTrue(out.contains("\nrefused a request from connection 7: request head over 8192 bytes\n"), out);
            assertTrue(out.endsWith("\nstopped after 7 connections, 7 requests\n"), out);
        }
    }

    @Test
    void wrkCompletesRequestsWithoutErrors() throws Exception {
        ExternalTools.require("wrk", "wrk");
        try (SampleServer server = SampleServer.start("http-hello")) {
            ChildJvm.Result wrk = ExternalClient.run(CLIENT_TIMEOUT, "wrk", "-t1", "-c10", "-d1s",
                    "http://127.0.0.1:" + server.port() + "/");
            assertEquals(0, wrk.exitCode(), wrk.output());
            Matcher completed = Pattern.compile("(\\d+) requests in ").matcher(wrk.stdout());
            assertTrue(completed.find() && Long.parseLong(completed.group(1)) > 0, wrk.stdout());
            assertFalse(wrk.stdout().contains("Socket errors"), wrk.stdout());
            assertFalse(wrk.stdout().contains("Non-2xx"), wrk.stdout());

            String out = server.stopWithCtrlC();
            Matcher stopped = Pattern.compile("\nstopped after \\d+ connections, (\\d+) requests\n$").matcher(out);
            assertTrue(stopped.find(), out);
            // wrk counts what it saw answered; the server may have answered a few more as it stopped.
            assertTrue(Long.parseLong(stopped.group(1)) >= Long.parseLong(completed.group(1)), out + wrk.stdout());
        }
    }

    @Test
    void badArgumentsPrintTheUsageAndExitWithStatus2() throws Exception {
        ChildJvm.Result result = Samples.run("http-hello", Duration.ofSeconds(30), "--verbose");
        assertEquals(2, result.exitCode(), result.output());
        assertEquals("usage: samples/run http-hello [--port N] [--loops N]\n", result.stderr());
    }

    private static ChildJvm.Result curl(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "curl";
        System.arraycopy(args, 0, command, 1, args.length);
        ChildJvm.Result result = ExternalClient.run(CLIENT_TIMEOUT, command);
        assertEquals(0, result.exitCode(), result.output());
        return result;
    }

    /**
     * Sends the pieces, each in its own segment, and reads until the server closes. Between two
     * pieces a whole request on another connection makes a round trip, which gives the server time
     * to read each piece on its own.
     */
    private static String exchange(int port, String... pieces) throws IOException {
        try (Socket socket = EchoServerSampleTest.connect(port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < pieces.length; i++) {
                if (i > 0) {
                    assertEquals(OK_CLOSE, exchange(port, GET_CLOSE), "the marker request");
                }
                out.write(pieces[i].getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
