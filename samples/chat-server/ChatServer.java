/** Line-based chat: every line a client sends goes to every other client. */

import io.github.selectors4j.Signals;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.reactor.Connection;
import io.github.selectors4j.reactor.ConnectionHandler;
import io.github.selectors4j.reactor.EventLoop;
import io.github.selectors4j.reactor.Server;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A chat server on one {@link EventLoop}: each complete line a client sends goes to every other
 * client, prefixed with the sender's name ({@code [127.0.0.1:5555] hello}); joins and leaves are
 * announced ({@code * 127.0.0.1:5555 joined}).
 *
 * <p>What a real line protocol must handle, and how:
 * <ul>
 *   <li>a line may arrive in pieces: the bytes before the {@code '\n'} are kept until it comes;</li>
 *   <li>a client may send a line that never ends: past {@value #MAX_LINE} bytes it is told so and
 *       disconnected, so it cannot make the server buffer without bound;</li>
 *   <li>a client may stop reading: what the others say then piles up in its {@link Connection}'s
 *       output buffer, and past {@value #MAX_PENDING} bytes it is disconnected rather than
 *       buffered for ever.</li>
 * </ul>
 * Lines are relayed as bytes (any encoding passes through); a trailing {@code '\r'} is dropped, so
 * telnet-style clients work too.
 *
 * <p>Try it: {@code samples/run chat-server --port 7000}, then in two other terminals
 * {@code nc 127.0.0.1 7000} (or {@code socat - TCP:127.0.0.1:7000}) and type.
 */
public class ChatServer {

    private static final String USAGE = "usage: samples/run chat-server [--port N]";
    /** The longest line accepted, in bytes, without its '\n'. */
    private static final int MAX_LINE = 64 * 1024;
    /** A client with more than this waiting to be sent to it is too slow, and is dropped. */
    private static final int MAX_PENDING = 256 * 1024;

    /** Every client that joined and has not left, in joining order; only the loop thread uses it. */
    private final Set<Client> clients = new LinkedHashSet<>();

    public static void main(String[] args) throws Exception {
        int port = 7000;
        if (args.length == 2 && args[0].equals("--port")) {
            port = portNumber(args[1]);
        } else if (args.length != 0) {
            usage();
        }
        try (EventLoop loop = EventLoop.open()) {
            loop.addSignalHandler(Signals.SIGINT, loop::stop);
            loop.addSignalHandler(Signals.SIGTERM, loop::stop);
            ChatServer chat = new ChatServer();
            try (Server server = Server.listen(loop, IPv4SocketAddress.loopback(port), chat::newClient)) {
                System.out.println("listening on " + server.address());
                loop.runForever();
                chat.sayGoodbye();
            }   // closing the server closes every connection
        }
        System.out.println("stopped");
    }

    /** Tells everyone the server stops; they leave silently, rather than each hearing of every other. */
    private void sayGoodbye() {
        byte[] goodbye = "* server stopping, bye\n".getBytes(StandardCharsets.UTF_8);
        for (Client client : clients) {
            client.connection.write(goodbye, 0, goodbye.length);
        }
        clients.clear();
    }

    private ConnectionHandler newClient() {
        return new Client();
    }

    /** One chat client: its name, and the start of a line it has not finished sending. */
    private final class Client implements ConnectionHandler {

        private Connection connection;
        private String name;
        private byte[] prefix;
        private byte[] partial = new byte[256];
        private int partialLength;

        @Override
        public void onOpen(Connection connection) throws Exception {
            this.connection = connection;
            this.name = connection.remoteAddress().toString();
            this.prefix = ("[" + name + "] ").getBytes(StandardCharsets.UTF_8);
            System.out.println("joined " + name);
            send("* welcome " + name + "; " + clients.size() + " other(s) here\n");
            clients.add(this);
            broadcast(this, "* " + name + " joined\n");
        }

        @Override
        public void onData(Connection connection, ByteBuffer data) {
            while (data.hasRemaining()) {
                int newline = indexOf(data, (byte) '\n');
                int end = newline < 0 ? data.limit() : newline;
                if (partialLength + (end - data.position()) > MAX_LINE) {
                    drop("line too long (more than " + MAX_LINE + " bytes)");
                    return;
                }
                append(data, end);
                if (newline < 0) {
                    return;   // the rest of the line comes in a later read
                }
                data.position(newline + 1);
                int length = partialLength > 0 && partial[partialLength - 1] == '\r' ? partialLength - 1 : partialLength;
                partialLength = 0;
                relay(length);
            }
        }

        /** Moves the data's bytes up to {@code end} to the end of the partial line. */
        private void append(ByteBuffer data, int end) {
            int count = end - data.position();
            if (partialLength + count > partial.length) {
                partial = Arrays.copyOf(partial, Math.max(partialLength + count, partial.length * 2));
            }
            data.get(partial, partialLength, count);
            partialLength += count;
        }

        /** Sends the completed line, with the sender's name, to everyone else. */
        private void relay(int length) {
            byte[] message = new byte[prefix.length + length + 1];
            System.arraycopy(prefix, 0, message, 0, prefix.length);
            System.arraycopy(partial, 0, message, prefix.length, length);
            message[message.length - 1] = '\n';
            broadcast(this, message);
        }

        /**
         * The client stopped sending: its last line counts even without a newline, and it leaves
         * now rather than when closed, since a closing connection takes no more writes.
         */
        @Override
        public void onEof(Connection connection) {
            if (partialLength > 0) {
                relay(partialLength);
            }
            leave("left", null);
            connection.close();
        }

        @Override
        public void onClose(Connection connection, Throwable error) {
            leave("left", error == null ? null : error.getMessage());
        }

        /** Line too long: tells the client why, then closes once that is sent. */
        private void drop(String why) {
            if (leave("dropped", why)) {
                send("* " + why + ", bye\n");
                connection.close();
            }
        }

        /**
         * Takes the client out of the chat (once: a dropped client closes later) and tells the
         * others. Returns whether it was still in.
         */
        private boolean leave(String how, String why) {
            if (!clients.remove(this)) {
                return false;
            }
            String because = why == null ? "" : ": " + why;
            System.out.println(how + " " + name + because);
            broadcast(this, "* " + name + " " + how + because + "\n");
            return true;
        }

        private void send(String text) {
            connection.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private void broadcast(Client sender, String text) {
        broadcast(sender, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes the message to every client but the sender. A client whose unsent output would grow
     * past the limit is not written to but dropped, after the loop: dropping it announces its
     * leaving, which is itself a broadcast.
     */
    private void broadcast(Client sender, byte[] message) {
        List<Client> tooSlow = null;
        for (Client client : clients) {
            Connection connection = client.connection;
            if (client == sender) {
                continue;
            }
            if (connection.pendingBytes() + message.length > MAX_PENDING) {
                if (tooSlow == null) {
                    tooSlow = new ArrayList<>();
                }
                tooSlow.add(client);
            } else {
                connection.write(message, 0, message.length);
            }
        }
        if (tooSlow != null) {
            for (Client client : tooSlow) {
                // Its buffer is full, so a goodbye would not get through: close at once.
                if (client.leave("dropped", "too slow (" + client.connection.pendingBytes() + " bytes unread)")) {
                    client.connection.abort();
                }
            }
        }
    }

    private static int indexOf(ByteBuffer data, byte wanted) {
        for (int i = data.position(); i < data.limit(); i++) {
            if (data.get(i) == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static int portNumber(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
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
