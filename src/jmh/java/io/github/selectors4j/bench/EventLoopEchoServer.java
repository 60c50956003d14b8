package io.github.selectors4j.bench;

import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.reactor.ConnectionHandler;
import io.github.selectors4j.reactor.EventLoop;
import io.github.selectors4j.reactor.Server;

/**
 * The selectors4j echo server of the end-to-end benchmarks, written as the README writes one: an
 * {@link EventLoop} on the main thread, {@link Server#listen} and a handler that calls
 * {@code connection.write(data)}.
 *
 * <p>Usage: {@code EventLoopEchoServer PORT} (0 for any free port); see
 * {@link EchoServerControl} for what it prints and reads.
 */
public final class EventLoopEchoServer {

    private EventLoopEchoServer() {
    }

    /**
     * Serves until stdin ends.
     *
     * @param args the port
     * @throws Exception if the server cannot listen or the loop fails
     */
    public static void main(String[] args) throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            ConnectionHandler echo = (connection, data) -> connection.write(data);
            Server server = Server.listen(loop, IPv4SocketAddress.loopback(Integer.parseInt(args[0])), () -> echo);
            EchoServerControl.listening(((IPv4SocketAddress) server.address()).port());
            loop.runForever();
        }
    }
}
