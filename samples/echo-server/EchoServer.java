/** TCP echo server: every byte a client sends comes back, on one event loop or several. */

import io.github.selectors4j.Signals;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.reactor.Connection;
import io.github.selectors4j.reactor.ConnectionHandler;
import io.github.selectors4j.reactor.EventLoop;
import io.github.selectors4j.reactor.EventLoopGroup;
import io.github.selectors4j.reactor.Server;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A TCP echo server on the reactor. With one loop ({@code --loops 1}, the default) it is
 * {@link Server#listen} on an {@link EventLoop} run by the main thread; with {@code --loops N} an
 * {@link EventLoopGroup} of N loops on N threads serves the same port (one listening socket per
 * loop with {@code SO_REUSEPORT}, so the kernel spreads the connections), and the main thread's
 * loop only waits for Ctrl-C.
 *
 * <p>{@code connection.write(data)} is the whole echo: what the socket does not take at once is
 * buffered by the {@link Connection}, which stops reading from a client that sends faster than it
 * reads back (back-pressure), so a client cannot make the server buffer without bound.
 *
 * <p>Try it: {@code samples/run echo-server --port 7000}, then {@code nc 127.0.0.1 7000} and type.
 * The first connections are printed as they open and close; after that only counted, so that a
 * benchmark does not flood the terminal. Ctrl-C prints how many connections and bytes were served.
 */
public class EchoServer {

    private static final String USAGE = "usage: samples/run echo-server [--port N] [--loops N]";
    /** Connections printed as they come and go; later ones are only counted. */
    private static final int PRINTED_CONNECTIONS = 10;

    private final AtomicLong connections = new AtomicLong();
    private final LongAdder bytesEchoed = new LongAdder();

    public static void main(String[] args) throws Exception {
        int port = 7000;
        int loops = 1;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = number(value, 0, 65535);
                case "--loops" -> loops = number(value, 1, 1024);
                default -> usage();
            }
        }
        new EchoServer().serve(port, loops);
    }

    private void serve(int port, int loops) throws Exception {
        IPv4SocketAddress address = IPv4SocketAddress.loopback(port);
        try (EventLoop main = EventLoop.open()) {
            main.addSignalHandler(Signals.SIGINT, main::stop);
            main.addSignalHandler(Signals.SIGTERM, main::stop);
            if (loops == 1) {
                try (Server server = Server.listen(main, address, Echo::new)) {
                    System.out.println("listening on " + server.address() + " (1 loop)");
                    main.runForever();
                }
            } else {
                try (EventLoopGroup group = EventLoopGroup.start(loops)) {
                    List<Server> servers = group.serve(address, Echo::new);
                    System.out.println("listening on " + servers.get(0).address() + " (" + loops + " loops)");
                    main.runForever();   // the group's threads serve; this one waits for Ctrl-C
                }
            }
            // Closing the server (or the group) closed every connection, so every count is in.
        }
        System.out.println("stopped after " + connections.get() + " connections, " + bytesEchoed.sum() + " bytes echoed");
    }

    /** One connection: it writes back what it reads, and counts it. */
    private final class Echo implements ConnectionHandler {

        private final long number = connections.incrementAndGet();
        /** Only this connection's loop thread touches it; it joins the total when the connection closes. */
        private long bytes;

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
            bytes += data.remaining();
            connection.write(data);
        }

        @Override
        public void onClose(Connection connection, Throwable error) {
            bytesEchoed.add(bytes);
            if (number <= PRINTED_CONNECTIONS) {
                System.out.println("closed connection " + number + " after " + bytes + " bytes"
                        + (error == null ? "" : ": " + error.getMessage()));
            }
        }
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
