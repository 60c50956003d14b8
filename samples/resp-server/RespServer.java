/** Redis-compatible key-value server (a RESP2 subset) that redis-cli and redis-benchmark can drive. */

import io.github.selectors4j.Signals;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.reactor.Connection;
import io.github.selectors4j.reactor.ConnectionHandler;
import io.github.selectors4j.reactor.EventLoop;
import io.github.selectors4j.reactor.Server;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An in-memory key-value server speaking RESP2, Redis's protocol, on one {@link EventLoop} (one
 * thread, as Redis itself): {@code PING [msg]}, {@code ECHO msg}, {@code SET key value [EX
 * seconds]}, {@code GET key}, {@code DEL key...}, {@code EXISTS key...}, {@code INCR key}, and
 * just enough of {@code COMMAND} and {@code CONFIG GET} for {@code redis-cli} and
 * {@code redis-benchmark}. Replies and error messages are Redis's own.
 *
 * <p>Commands come as RESP arrays of bulk strings (what {@code redis-cli} and
 * {@code redis-benchmark} send) or as inline lines split on spaces (what you type into
 * {@code nc}; no quoting). Every complete command in a read is run, in order, and the replies go
 * out in one write; a command split across reads waits for the rest of its bytes. Arguments are
 * used where they lie in the connection's input buffer, so a {@code GET} allocates nothing.
 *
 * <p>Bounds, so that a client cannot make the server buffer without limit: a command over
 * {@value #MAX_COMMAND} bytes, an inline line over {@value #MAX_INLINE} bytes and malformed RESP
 * are protocol errors, which close the connection as in Redis; a client that leaves more than
 * {@value #MAX_UNSENT} bytes of replies unread is disconnected (Redis's output buffer limit). The
 * data itself is bounded only by memory, as in Redis without {@code maxmemory}.
 *
 * <p>Try it: {@code samples/run resp-server --port 6380}, then {@code redis-cli -p 6380 set hello
 * world}, {@code redis-cli -p 6380 get hello}, {@code redis-benchmark -p 6380 -t set,get -q}, or
 * {@code nc 127.0.0.1 6380} and type {@code PING}.
 */
public class RespServer {

    private static final String USAGE = "usage: samples/run resp-server [--port N]";
    private static final int MAX_COMMAND = 4 * 1024 * 1024;
    private static final int MAX_INLINE = 64 * 1024;
    private static final int MAX_UNSENT = 64 * 1024 * 1024;
    private static final int INPUT_SIZE = 4 * 1024;
    private static final int PRINTED_CONNECTIONS = 10;
    /** What parse() returns when the command is not all there yet, or is malformed. */
    private static final int NEED_MORE = -1;
    private static final int MALFORMED = -2;
    private static final long NOT_A_NUMBER = Long.MIN_VALUE;

    private static final byte[] OK = bytes("+OK\r\n");
    private static final byte[] PONG = bytes("+PONG\r\n");
    private static final byte[] NIL = bytes("$-1\r\n");
    private static final byte[] EMPTY_ARRAY = bytes("*0\r\n");
    private static final byte[] PAIR = bytes("*2\r\n");
    private static final byte[] CRLF = bytes("\r\n");
    private static final byte[] COLON = bytes(":");
    private static final byte[] DOLLAR = bytes("$");
    private static final String NOT_AN_INTEGER = "value is not an integer or out of range";
    /** How Redis reads an integer: no sign but '-', no leading zeros, no spaces. */
    private static final Pattern INTEGER = Pattern.compile("0|-?[1-9][0-9]{0,18}");

    /** The commands, with how many arguments each takes (its name included), as Redis counts them. */
    private enum Command {
        GET(2, 2), SET(3, 5), PING(1, 2), ECHO(2, 2), INCR(2, 2), DEL(2, -1), EXISTS(2, -1), COMMAND(1, -1), CONFIG(3, 3);

        private static final Command[] ALL = values();
        private final int minArgs;
        private final int maxArgs;

        Command(int minArgs, int maxArgs) {
            this.minArgs = minArgs;
            this.maxArgs = maxArgs < 0 ? Integer.MAX_VALUE : maxArgs;
        }
    }

    private final EventLoop loop;
    /** A heap ByteBuffer compares (and hashes) by its remaining bytes, so it serves as a key. */
    private final Map<ByteBuffer, byte[]> values = new HashMap<>();
    /** When the keys set with EX expire, in {@link EventLoop#time()} units. */
    private final Map<ByteBuffer, Long> deadlines = new HashMap<>();
    /** The replies to one read, written in one go; the loop has one thread, so one buffer serves all. */
    private final ByteBuffer replies = ByteBuffer.allocateDirect(64 * 1024);
    private final byte[] digits = new byte[20];
    private long connections;
    private long commands;

    // The command being run: its client, and its arguments as [start, end) ranges of the client's input.
    private Client client;
    private int argc;
    private int[] argStart = new int[8];
    private int[] argEnd = new int[8];
    private String malformation;

    private RespServer(EventLoop loop) {
        this.loop = loop;
    }

    public static void main(String[] args) throws Exception {
        int port = 6379;
        if (args.length == 2 && args[0].equals("--port") && args[1].matches("[0-9]{1,5}") && Integer.parseInt(args[1]) < 65536) {
            port = Integer.parseInt(args[1]);
        } else if (args.length != 0) {
            System.err.println(USAGE);
            System.exit(2);
        }
        try (EventLoop loop = EventLoop.open()) {
            loop.addSignalHandler(Signals.SIGINT, loop::stop);
            loop.addSignalHandler(Signals.SIGTERM, loop::stop);
            RespServer resp = new RespServer(loop);
            // Keys expire when read; this sweep frees those that nobody reads again.
            loop.callEvery(Duration.ofSeconds(1), resp::removeExpired);
            try (Server server = Server.listen(loop, IPv4SocketAddress.loopback(port), resp::newClient)) {
                System.out.println("listening on " + server.address());
                loop.runForever();
            }
            System.out.println("stopped after " + resp.connections + " connections, " + resp.commands + " commands; "
                    + resp.values.size() + " keys");
        }
    }

    private ConnectionHandler newClient() {
        return new Client(++connections);
    }

    /** One connection: the bytes of the commands not yet run. */
    private final class Client implements ConnectionHandler {

        private final long number;
        private Connection connection;
        private byte[] input = new byte[INPUT_SIZE];
        /** The input as a buffer, to look keys up in place. */
        private ByteBuffer view = ByteBuffer.wrap(input);
        private int start;
        private int end;
        private boolean closing;

        Client(long number) {
            this.number = number;
        }

        @Override
        public void onOpen(Connection connection) throws Exception {
            this.connection = connection;
            if (number <= PRINTED_CONNECTIONS) {
                System.out.println("connection " + number + " from " + connection.remoteAddress());
            }
        }

        @Override
        public void onData(Connection connection, ByteBuffer data) {
            client = this;
            // Copy in what fits and run what is complete, until the read is used up: the input only
            // grows for a single command bigger than it.
            while (data.hasRemaining() && !closing) {
                if (end == input.length && !makeRoom()) {
                    break;
                }
                int n = Math.min(data.remaining(), input.length - end);
                data.get(input, end, n);
                end += n;
                runCommands();
            }
            flush();
        }

        private void runCommands() {
            while (start < end && !closing) {
                int next = parse(input, start, end);
                if (next == NEED_MORE) {
                    break;
                }
                if (next == MALFORMED) {
                    refuse("Protocol error: " + malformation);
                    return;
                }
                start = next;
                if (argc > 0) {
                    commands++;
                    execute();
                }
                if (connection.pendingBytes() > MAX_UNSENT) {
                    System.out.println("disconnected client " + number + ": over " + MAX_UNSENT + " bytes of replies unread");
                    replies.clear();                      // its replies not yet written go too
                    connection.abort();
                    closing = true;
                }
            }
            if (start == end) {
                start = end = 0;
                if (input.length > INPUT_SIZE) {
                    replaceInput(new byte[INPUT_SIZE]);   // a big command is done: give its memory back
                }
            }
        }

        /** Makes space at the end of a full input: moves the unparsed bytes down, or grows. */
        private boolean makeRoom() {
            if (start > 0) {
                System.arraycopy(input, start, input, 0, end - start);
                end -= start;
                start = 0;
            } else if (input.length < MAX_COMMAND) {
                replaceInput(Arrays.copyOf(input, Math.min(input.length * 2, MAX_COMMAND)));
            } else {
                refuse("Protocol error: command over " + MAX_COMMAND + " bytes");
                return false;
            }
            return true;
        }

        private void replaceInput(byte[] replacement) {
            input = replacement;
            view = ByteBuffer.wrap(input);
        }

        /** Replies with the error and closes, as Redis does after a protocol error. */
        private void refuse(String message) {
            System.out.println("closing connection " + number + ": " + message);
            error(message);
            flush();
            connection.close();
            closing = true;
        }

        @Override
        public void onClose(Connection connection, Throwable error) {
            if (number <= PRINTED_CONNECTIONS) {
                System.out.println("closed connection " + number + (error == null ? "" : ": " + error.getMessage()));
            }
        }
    }

    // ---- Parsing: reads one command into argc/argStart/argEnd; returns where the next one starts.

    private int parse(byte[] in, int from, int to) {
        argc = 0;
        return in[from] == '*' ? parseArray(in, from, to) : parseInline(in, from, to);
    }

    /** {@code *<count>\r\n}, then count times {@code $<length>\r\n<bytes>\r\n}. */
    private int parseArray(byte[] in, int from, int to) {
        int lineEnd = indexOf(in, from, to, (byte) '\n');
        if (lineEnd < 0) {
            return NEED_MORE;
        }
        long count = number(in, from + 1, lineEnd);
        if (count == NOT_A_NUMBER || count > MAX_COMMAND / 4) {    // an argument takes 4 bytes or more
            return malformed("invalid multibulk length");
        }
        int at = lineEnd + 1;
        for (long i = 0; i < count; i++) {                         // 0 or -1 arguments: nothing to run
            if (at == to) {
                return NEED_MORE;
            }
            if (in[at] != '$') {
                return malformed("expected '$', got '" + (char) in[at] + "'");
            }
            lineEnd = indexOf(in, at, to, (byte) '\n');
            if (lineEnd < 0) {
                return NEED_MORE;
            }
            long length = number(in, at + 1, lineEnd);
            if (length < 0 || length > MAX_COMMAND) {
                return malformed("invalid bulk length");
            }
            int bulk = lineEnd + 1;
            if (bulk + length + 2 > to) {
                return NEED_MORE;
            }
            at = bulk + (int) length;
            if (in[at] != '\r' || in[at + 1] != '\n') {
                return malformed("expected CRLF after a bulk string");
            }
            addArgument(bulk, at);
            at += 2;
        }
        return at;
    }

    /** A line of arguments separated by spaces, as typed into nc or telnet. */
    private int parseInline(byte[] in, int from, int to) {
        int newline = indexOf(in, from, to, (byte) '\n');
        if (newline < 0) {
            return to - from > MAX_INLINE ? malformed("too big inline request") : NEED_MORE;
        }
        for (int i = from; i < newline; ) {
            while (i < newline && isBlank(in[i])) {
                i++;
            }
            int word = i;
            while (i < newline && !isBlank(in[i])) {
                i++;
            }
            if (i > word) {
                addArgument(word, i);
            }
        }
        return newline + 1;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }

    private void addArgument(int from, int to) {
        if (argc == argStart.length) {
            argStart = Arrays.copyOf(argStart, argc * 2);
            argEnd = Arrays.copyOf(argEnd, argc * 2);
        }
        argStart[argc] = from;
        argEnd[argc++] = to;
    }

    private int malformed(String why) {
        malformation = why;
        return MALFORMED;
    }

    /** The decimal number in {@code [from, to)}, a '\r' at the end allowed, or {@link #NOT_A_NUMBER}. */
    private static long number(byte[] in, int from, int to) {
        int stop = to > from && in[to - 1] == '\r' ? to - 1 : to;
        int first = stop > from && in[from] == '-' ? from + 1 : from;
        if (first == stop || stop - first > 18) {
            return NOT_A_NUMBER;
        }
        long value = 0;
        for (int i = first; i < stop; i++) {
            if (in[i] < '0' || in[i] > '9') {
                return NOT_A_NUMBER;
            }
            value = value * 10 + (in[i] - '0');
        }
        return first > from ? -value : value;
    }

    // ---- Commands

    private void execute() {
        Command command = null;
        for (Command candidate : Command.ALL) {
            if (argIs(0, candidate.name())) {
                command = candidate;
                break;
            }
        }
        if (command == null) {
            StringBuilder args = new StringBuilder();   // Redis quotes the first few arguments
            for (int i = 1; i < argc && args.length() < 128; i++) {
                args.append('\'').append(text(i)).append("' ");
            }
            error("unknown command '" + text(0) + "', with args beginning with: " + args);
        } else if (argc < command.minArgs || argc > command.maxArgs) {
            error("wrong number of arguments for '" + command.name().toLowerCase() + "' command");
        } else {
            switch (command) {
                case GET -> bulkOrNil(lookup(key(1)));
                case SET -> set();
                case PING -> {
                    if (argc == 1) {
                        put(PONG);
                    } else {
                        bulk(client.input, argStart[1], argEnd[1] - argStart[1]);
                    }
                }
                case ECHO -> bulk(client.input, argStart[1], argEnd[1] - argStart[1]);
                case INCR -> increment();
                case DEL -> {
                    int removed = 0;
                    for (int i = 1; i < argc; i++) {
                        ByteBuffer key = key(i);
                        if (lookup(key) != null) {
                            values.remove(key);
                            deadlines.remove(key);
                            removed++;
                        }
                    }
                    integer(removed);
                }
                case EXISTS -> {
                    int found = 0;
                    for (int i = 1; i < argc; i++) {
                        found += lookup(key(i)) != null ? 1 : 0;
                    }
                    integer(found);
                }
                case COMMAND -> put(EMPTY_ARRAY);     // redis-cli asks for the command table; it copes without
                case CONFIG -> config();
            }
        }
    }

    /** SET key value [EX seconds]. */
    private void set() {
        long deadline = 0;
        if (argc == 5 && argIs(3, "EX")) {
            String seconds = text(4);
            if (!INTEGER.matcher(seconds).matches()) {
                error(NOT_AN_INTEGER);
                return;
            }
            long count = Long.parseLong(seconds);
            if (count <= 0 || count > Long.MAX_VALUE / 2_000_000_000L) {
                error("invalid expire time in 'set' command");
                return;
            }
            deadline = loop.time() + count * 1_000_000_000L;
        } else if (argc != 3) {
            error("syntax error");
            return;
        }
        ByteBuffer key = key(1);
        store(key, Arrays.copyOfRange(client.input, argStart[2], argEnd[2]));
        if (deadline != 0) {
            deadlines.put(copy(key), deadline);
        } else if (!deadlines.isEmpty()) {
            deadlines.remove(key);              // a plain SET clears the key's expiry
        }
        put(OK);
    }

    /** INCR key: a missing key counts as 0; the key keeps its expiry. */
    private void increment() {
        ByteBuffer key = key(1);
        byte[] old = lookup(key);
        long value = 0;
        if (old != null) {
            String text = new String(old, StandardCharsets.US_ASCII);
            if (!INTEGER.matcher(text).matches()) {
                error(NOT_AN_INTEGER);
                return;
            }
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException outOfRange) {
                error(NOT_AN_INTEGER);
                return;
            }
        }
        if (value == Long.MAX_VALUE) {
            error("increment or decrement would overflow");
            return;
        }
        int from = format(++value);
        store(key, Arrays.copyOfRange(digits, from, digits.length));
        integer(value);
    }

    /** CONFIG GET name: redis-benchmark reads two settings first; these are a Redis's that does not persist. */
    private void config() {
        String name = text(2).toLowerCase();
        String value = name.equals("save") ? "" : name.equals("appendonly") ? "no" : null;
        if (!argIs(1, "GET")) {
            error("unknown subcommand '" + text(1) + "'. Try CONFIG HELP.");
        } else if (value == null) {
            put(EMPTY_ARRAY);
        } else {
            put(PAIR);
            bulkOrNil(bytes(name));
            bulkOrNil(bytes(value));
        }
    }

    /** The key's value, or null if it has none or it expired (then it is removed). */
    private byte[] lookup(ByteBuffer key) {
        if (!deadlines.isEmpty()) {
            Long deadline = deadlines.get(key);
            if (deadline != null && loop.time() - deadline >= 0) {
                values.remove(key);
                deadlines.remove(key);
                return null;
            }
        }
        return values.get(key);
    }

    /** Stores a value; only a new key costs a copy of the key's bytes (replace() keeps the stored key). */
    private void store(ByteBuffer key, byte[] value) {
        if (values.replace(key, value) == null) {
            values.put(copy(key), value);
        }
    }

    private void removeExpired() {
        long now = loop.time();
        deadlines.entrySet().removeIf(entry -> {
            boolean expired = now - entry.getValue() >= 0;
            if (expired) {
                values.remove(entry.getKey());
            }
            return expired;
        });
    }

    /** An argument, seen in place in the client's input: only for lookups, never stored in a map. */
    private ByteBuffer key(int arg) {
        return client.view.clear().position(argStart[arg]).limit(argEnd[arg]);
    }

    private static ByteBuffer copy(ByteBuffer key) {
        return ByteBuffer.wrap(Arrays.copyOfRange(key.array(), key.position(), key.limit()));
    }

    /** Whether the argument is {@code name}, given in upper case, ignoring case. */
    private boolean argIs(int arg, String name) {
        if (argEnd[arg] - argStart[arg] != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            int c = client.input[argStart[arg] + i];
            if ((c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** An argument as text for a message, control characters blanked so that the reply stays one line. */
    private String text(int arg) {
        String text = new String(client.input, argStart[arg], argEnd[arg] - argStart[arg], StandardCharsets.UTF_8);
        return text.replaceAll("\\p{Cntrl}", " ");
    }

    // ---- Replies, gathered in one buffer per read

    private void error(String message) {
        put(bytes("-ERR " + message + "\r\n"));
    }

    private void integer(long value) {
        put(COLON);
        int from = format(value);
        put(digits, from, digits.length - from);
        put(CRLF);
    }

    private void bulkOrNil(byte[] value) {
        if (value == null) {
            put(NIL);
        } else {
            bulk(value, 0, value.length);
        }
    }

    private void bulk(byte[] bytes, int offset, int length) {
        put(DOLLAR);
        int from = format(length);
        put(digits, from, digits.length - from);
        put(CRLF);
        put(bytes, offset, length);
        put(CRLF);
    }

    /** Writes the value's decimal digits at the end of {@link #digits}; returns where they start. */
    private int format(long value) {
        int i = digits.length;
        long rest = value > 0 ? -value : value;    // negative, so that Long.MIN_VALUE works too
        do {
            digits[--i] = (byte) ('0' - rest % 10);
            rest /= 10;
        } while (rest != 0);
        if (value < 0) {
            digits[--i] = '-';
        }
        return i;
    }

    private void put(byte[] bytes) {
        put(bytes, 0, bytes.length);
    }

    private void put(byte[] bytes, int offset, int length) {
        if (replies.remaining() < length) {
            flush();
            if (length > replies.capacity()) {
                client.connection.write(bytes, offset, length);   // a big value: no need to copy it twice
                return;
            }
        }
        replies.put(bytes, offset, length);
    }

    private void flush() {
        if (replies.position() > 0) {
            client.connection.write(replies.flip());
            replies.clear();
        }
    }

    private static int indexOf(byte[] in, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (in[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
