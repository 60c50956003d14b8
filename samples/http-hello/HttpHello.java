/** HTTP/1.1 hello-world server: keep-alive, pipelining, HEAD, and 400 for malformed requests. */

import io.github.selectors4j.Signals;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.reactor.Connection;
import io.github.selectors4j.reactor.ConnectionHandler;
import io.github.selectors4j.reactor.EventLoop;
import io.github.selectors4j.reactor.EventLoopGroup;
import io.github.selectors4j.reactor.Server;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP/1.1 server that answers every {@code GET} (any path) with {@code 200 OK} and
 * {@code Hello, world!}: enough of HTTP to be driven by {@code curl} and benchmarked with
 * {@code wrk}, and correct about what it does handle.
 * <ul>
 *   <li>Keep-alive: HTTP/1.1 connections stay open unless the request says {@code Connection:
 *       close}; HTTP/1.0 ones close unless it says {@code Connection: keep-alive}.</li>
 *   <li>Pipelining: every complete request in a read is answered, in order, and the answers go out
 *       in one write. A request split over several reads waits for its end.</li>
 *   <li>{@code HEAD} gets the same headers and no body; other methods {@code 405}. Bodies are not
 *       read: a request announcing one is answered and the connection closed, so the body cannot
 *       be mistaken for the next request.</li>
 *   <li>A malformed request gets {@code 400} and the connection closes; a request head over
 *       {@value #MAX_HEAD} bytes gets {@code 431}, so a client cannot make the server buffer more.</li>
 * </ul>
 * Requests are parsed where they lie in the loop's read buffer; only a head split across reads is
 * copied aside. The answers are prebuilt bytes, so a steady stream of requests makes no garbage.
 *
 * <p>Try it: {@code samples/run http-hello --port 8080}, then {@code curl -v http://127.0.0.1:8080/}
 * or {@code wrk -t1 -c10 -d5s http://127.0.0.1:8080/}. {@code --loops N} serves the port on N
 * event loops.
 */
public class HttpHello {

    private static final String USAGE = "usage: samples/run http-hello [--port N] [--loops N]";
    /** The longest request head (request line and headers) accepted. */
    private static final int MAX_HEAD = 8 * 1024;
    private static final int PRINTED_CONNECTIONS = 10;

    private static final String HELLO = "Hello, world!\n";
    private static final byte[] OK = response("200 OK", "", HELLO);
    private static final byte[] OK_KEEP_ALIVE = response("200 OK", "Connection: keep-alive\r\n", HELLO);
    private static final byte[] OK_CLOSE = response("200 OK", "Connection: close\r\n", HELLO);
    // HEAD: the same head, Content-Length included, without the body.
    private static final byte[] HEAD_OK = Arrays.copyOf(OK, OK.length - HELLO.length());
    private static final byte[] HEAD_OK_KEEP_ALIVE = Arrays.copyOf(OK_KEEP_ALIVE, OK_KEEP_ALIVE.length - HELLO.length());
    private static final byte[] HEAD_OK_CLOSE = Arrays.copyOf(OK_CLOSE, OK_CLOSE.length - HELLO.length());
    private static final byte[] NOT_ALLOWED = response("405 Method Not Allowed", "Allow: GET, HEAD\r\nConnection: close\r\n",
            "only GET and HEAD are served\n");
    private static final byte[] BAD_REQUEST = response("400 Bad Request", "Connection: close\r\n", "bad request\n");
    private static final byte[] TOO_LARGE = response("431 Request Header Fields Too Large", "Connection: close\r\n",
            "request head over " + MAX_HEAD + " bytes\n");

    private static final byte[] GET = bytes("GET");
    private static final byte[] HEAD = bytes("HEAD");
    private static final byte[] HTTP_1_1 = bytes("HTTP/1.1");
    private static final byte[] HTTP_1_0 = bytes("HTTP/1.0");
    // Header names and Connection options are compared in lower case.
    private static final byte[] HOST = bytes("host");
    private static final byte[] CONNECTION = bytes("connection");
    private static final byte[] CONTENT_LENGTH = bytes("content-length");
    private static final byte[] TRANSFER_ENCODING = bytes("transfer-encoding");
    private static final byte[] ZERO = bytes("0");
    private static final byte[] CLOSE = bytes("close");
    private static final byte[] KEEP_ALIVE = bytes("keep-alive");

    /** Where each loop thread gathers the answers to one read: one write per read, not per request. */
    private static final ThreadLocal<ByteBuffer> ANSWERS = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(16 * 1024));

    private final AtomicLong connections = new AtomicLong();
    private final LongAdder requests = new LongAdder();

    public static void main(String[] args) throws Exception {
        int port = 8080;
        int loops = 1;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = number(value, 0, 65535);
                case "--loops" -> loops = number(value, 1, 1024);
                default -> usage();
            }
        }
        new HttpHello().serve(IPv4SocketAddress.loopback(port), loops);
    }

    private void serve(IPv4SocketAddress address, int loops) throws Exception {
        try (EventLoop main = EventLoop.open()) {
            main.addSignalHandler(Signals.SIGINT, main::stop);
            main.addSignalHandler(Signals.SIGTERM, main::stop);
            if (loops == 1) {
                try (Server server = Server.listen(main, address, Exchange::new)) {
                    System.out.println("listening on " + server.address() + " (1 loop)");
                    main.runForever();
                }
            } else {
                try (EventLoopGroup group = EventLoopGroup.start(loops)) {
                    List<Server> servers = group.serve(address, Exchange::new);
                    System.out.println("listening on " + servers.get(0).address() + " (" + loops + " loops)");
                    main.runForever();   // the group's threads serve; this one waits for Ctrl-C
                }
            }
        }
        System.out.println("stopped after " + connections.get() + " connections, " + requests.sum() + " requests");
    }

    /** One connection: parses requests as they arrive and answers each. */
    private final class Exchange implements ConnectionHandler {

        private final long number = connections.incrementAndGet();
        /** Made on the connection's loop thread, so this is that loop's buffer. */
        private final ByteBuffer answers = ANSWERS.get();
        /** The start of a request head that has not fully arrived; made when first needed. */
        private ByteBuffer carry;
        private boolean closing;
        private long answered;

        /** Why parse() refused the current request, for the log. */
        private String problem;

        @Override
        public void onOpen(Connection connection) throws Exception {
            if (number <= PRINTED_CONNECTIONS) {
                System.out.println("connection " + number + " from " + connection.remoteAddress());
            } else if (number == PRINTED_CONNECTIONS + 1) {
                System.out.println("more connections: counted, no longer printed");
            }
        }

        @Override
        public void onData(Connection connection, ByteBuffer data) {
            while (data.hasRemaining() && !closing) {
                if (carry == null || carry.position() == 0) {
                    answerAll(connection, data);                 // the usual case: parse in place
                    if (data.hasRemaining() && !closing) {
                        keepForLater(connection, data);
                    }
                } else {
                    // A head began in an earlier read: top up the carried bytes and parse them.
                    int n = Math.min(carry.remaining(), data.remaining());
                    carry.put(carry.position(), data, data.position(), n);
                    carry.position(carry.position() + n);
                    data.position(data.position() + n);
                    answerAll(connection, carry.flip());
                    carry.compact();
                    if (!carry.hasRemaining() && !closing) {
                        refuse(connection, TOO_LARGE, "request head over " + MAX_HEAD + " bytes");
                    }
                }
            }
            flush(connection);
        }

        private void keepForLater(Connection connection, ByteBuffer data) {
            if (data.remaining() > MAX_HEAD) {
                refuse(connection, TOO_LARGE, "request head over " + MAX_HEAD + " bytes");
                return;
            }
            if (carry == null) {
                carry = ByteBuffer.allocate(MAX_HEAD);
            }
            carry.put(data);
        }

        /** Answers every complete request in the input, leaving its position at the first incomplete one. */
        private void answerAll(Connection connection, ByteBuffer input) {
            while (!closing) {
                int start = input.position();
                int end = headEnd(input, start);
                if (end < 0) {
                    return;
                }
                if (end - start > MAX_HEAD) {
                    refuse(connection, TOO_LARGE, "request head over " + MAX_HEAD + " bytes");
                    return;
                }
                input.position(end);
                answered++;
                byte[] answer = parse(input, start, end);
                if (problem != null) {
                    refuse(connection, answer, problem);
                } else {
                    put(connection, answer);
                    if (answer == OK_CLOSE || answer == HEAD_OK_CLOSE) {
                        closeAfterAnswers(connection);
                    }
                }
            }
        }

        /**
         * Reads the request line and headers in {@code [start, end)} and returns the answer; for a
         * refused request {@link #problem} says why.
         */
        private byte[] parse(ByteBuffer in, int start, int end) {
            problem = null;
            int lineEnd = lineEnd(in, start, end);
            int space1 = indexOf(in, start, lineEnd, (byte) ' ');
            int space2 = space1 < 0 ? -1 : indexOf(in, space1 + 1, lineEnd, (byte) ' ');
            if (space2 < 0 || !isToken(in, start, space1) || !isTarget(in, space1 + 1, space2)) {
                return malformed("malformed request line");
            }
            int versionEnd = trimEnd(in, space2 + 1, lineEnd);
            boolean http11 = matches(in, space2 + 1, versionEnd, HTTP_1_1);
            if (!http11 && !matches(in, space2 + 1, versionEnd, HTTP_1_0)) {
                return malformed("not HTTP/1.0 or HTTP/1.1");
            }
            boolean close = false;
            boolean keepAliveAsked = false;
            boolean hasBody = false;
            int hosts = 0;
            for (int line = lineEnd + 1; line < end; line = lineEnd + 1) {
                lineEnd = lineEnd(in, line, end);
                int stop = trimEnd(in, line, lineEnd);
                if (stop == line) {
                    break;                                  // the blank line ending the head
                }
                int colon = indexOf(in, line, stop, (byte) ':');
                if (colon <= line || !isToken(in, line, colon)) {
                    return malformed("malformed header line");
                }
                int value = skipSpaces(in, colon + 1, stop);
                if (matchesIgnoreCase(in, line, colon, HOST)) {
                    hosts++;
                } else if (matchesIgnoreCase(in, line, colon, CONNECTION)) {
                    close |= hasToken(in, value, stop, CLOSE);
                    keepAliveAsked |= hasToken(in, value, stop, KEEP_ALIVE);
                } else if (matchesIgnoreCase(in, line, colon, CONTENT_LENGTH)) {
                    hasBody |= !matches(in, value, stop, ZERO);
                } else if (matchesIgnoreCase(in, line, colon, TRANSFER_ENCODING)) {
                    hasBody = true;
                }
            }
            if (http11 && hosts != 1) {
                return malformed("HTTP/1.1 needs exactly one Host header");
            }
            boolean isHead = matches(in, start, space1, HEAD);
            if (!isHead && !matches(in, start, space1, GET)) {
                problem = "method not allowed";
                return NOT_ALLOWED;
            }
            // Bodies are not read, so after one the connection cannot go on.
            if (close || hasBody || !(http11 || keepAliveAsked)) {
                return isHead ? HEAD_OK_CLOSE : OK_CLOSE;
            }
            // HTTP/1.1 keeps the connection by default; HTTP/1.0 must be told it was kept.
            return http11 ? (isHead ? HEAD_OK : OK) : (isHead ? HEAD_OK_KEEP_ALIVE : OK_KEEP_ALIVE);
        }

        private byte[] malformed(String why) {
            problem = why;
            return BAD_REQUEST;
        }

        /** Answers with an error, then closes once everything is sent. */
        private void refuse(Connection connection, byte[] answer, String why) {
            System.out.println("refused a request from connection " + number + ": " + why);
            put(connection, answer);
            closeAfterAnswers(connection);
        }

        private void closeAfterAnswers(Connection connection) {
            flush(connection);
            connection.close();
            closing = true;
        }

        private void put(Connection connection, byte[] answer) {
            if (answers.remaining() < answer.length) {
                flush(connection);
            }
            answers.put(answer);
        }

        private void flush(Connection connection) {
            if (answers.position() > 0) {
                connection.write(answers.flip());        // copies whatever the socket does not take now
                answers.clear();
            }
        }

        @Override
        public void onClose(Connection connection, Throwable error) {
            requests.add(answered);
            if (number <= PRINTED_CONNECTIONS) {
                System.out.println("closed connection " + number + " after " + answered + " requests"
                        + (error == null ? "" : ": " + error.getMessage()));
            }
        }
    }

    // ---- Byte scanning: positions are absolute indexes into the buffer, ends are exclusive.

    /** The index just past the blank line that ends the head starting at {@code start}, or -1. */
    private static int headEnd(ByteBuffer in, int start) {
        for (int i = start; i < in.limit(); i++) {
            if (in.get(i) == '\n') {
                int next = i + 1 < in.limit() && in.get(i + 1) == '\r' ? i + 2 : i + 1;
                if (next < in.limit() && in.get(next) == '\n') {
                    return next + 1;
                }
            }
        }
        return -1;
    }

    /** The index of the '\n' ending the line at {@code from} (or {@code end}). */
    private static int lineEnd(ByteBuffer in, int from, int end) {
        int newline = indexOf(in, from, end, (byte) '\n');
        return newline < 0 ? end : newline;
    }

    /** Drops a trailing '\r' and spaces. */
    private static int trimEnd(ByteBuffer in, int from, int to) {
        while (to > from && (in.get(to - 1) == '\r' || in.get(to - 1) == ' ' || in.get(to - 1) == '\t')) {
            to--;
        }
        return to;
    }

    private static int skipSpaces(ByteBuffer in, int from, int to) {
        while (from < to && (in.get(from) == ' ' || in.get(from) == '\t')) {
            from++;
        }
        return from;
    }

    private static int indexOf(ByteBuffer in, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (in.get(i) == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** A method or header name: RFC 9110's token characters, at least one. */
    private static boolean isToken(ByteBuffer in, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = in.get(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return to > from;
    }

    /** A request target: at least one visible ASCII character. */
    private static boolean isTarget(ByteBuffer in, int from, int to) {
        for (int i = from; i < to; i++) {
            if (in.get(i) <= ' ' || in.get(i) == 127) {   // bytes are signed: non-ASCII is negative
                return false;
            }
        }
        return to > from;
    }

    /** Whether the comma-separated list in {@code [from, to)} has {@code token} (lower case). */
    private static boolean hasToken(ByteBuffer in, int from, int to, byte[] token) {
        while (from < to) {
            int comma = indexOf(in, from, to, (byte) ',');
            int itemEnd = comma < 0 ? to : comma;
            int itemStart = skipSpaces(in, from, itemEnd);
            if (matchesIgnoreCase(in, itemStart, trimEnd(in, itemStart, itemEnd), token)) {
                return true;
            }
            from = itemEnd + 1;
        }
        return false;
    }

    /** Compares exactly: methods and the version are case-sensitive. */
    private static boolean matches(ByteBuffer in, int from, int to, byte[] expected) {
        if (to - from != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (in.get(from + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** Compares ASCII case-insensitively with {@code expected}, given in lower case. */
    private static boolean matchesIgnoreCase(ByteBuffer in, int from, int to, byte[] expected) {
        if (to - from != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            int c = in.get(from + i);
            if ((c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] response(String status, String headers, String body) {
        return bytes("HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n"
                + headers + "\r\n" + body);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static int number(String text, int min, int max) {
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to the usage message
        }
        return usage();
    }

    private static int usage() {
        System.err.println(USAGE);
        System.exit(2);
        return 0;
    }
}
