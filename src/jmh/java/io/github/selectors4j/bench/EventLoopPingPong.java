package io.github.selectors4j.bench;

import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.SocketOptions;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.reactor.Callback;
import io.github.selectors4j.reactor.ConnectionHandler;
import io.github.selectors4j.reactor.EventLoop;
import io.github.selectors4j.reactor.Server;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The ping-pong on our {@link EventLoop}: the server end is a {@link Server} whose handler writes
 * back what it reads; the client end is a plain {@link NativeSocket} watched with
 * {@link EventLoop#addReader}.
 */
final class EventLoopPingPong implements PingPong {

    private final EventLoop loop;
    private final Server server;
    private final NativeSocket client;
    private final ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE_SIZE);
    private final ByteBuffer reply = ByteBuffer.allocateDirect(MESSAGE_SIZE);
    private final BatchCompletion completion = new BatchCompletion();
    private final Callback start = this::sendMessage;
    private final Thread thread;
    private int remaining;

    EventLoopPingPong() throws IOException {
        loop = EventLoop.open();
        ConnectionHandler echo = (connection, data) -> connection.write(data);
        server = Server.listen(loop, IPv4SocketAddress.loopback(0), () -> echo);
        client = NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0);
        client.connect(server.address());
        client.setBlocking(false);
        client.setOption(SocketOptions.TCP_NODELAY, true);
        loop.addReader(client, this::clientReadable);
        // A failing callback would otherwise only be logged, and the benchmark would wait in vain.
        loop.setExceptionHandler((context, error) -> completion.fail(new IllegalStateException(context, error)));
        thread = new Thread(this::run, "ping-pong-eventloop");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            loop.runForever();
        } catch (IOException | RuntimeException e) {
            completion.fail(e);
        }
    }

    @Override
    public void bounce(int roundTrips) throws Exception {
        remaining = roundTrips;
        completion.arm();
        loop.callSoonThreadsafe(start);
        completion.await();
    }

    private void sendMessage() throws IOException {
        message.clear();
        if (client.send(message) != MESSAGE_SIZE) {
            throw new IllegalStateException("a 64-byte send to an idle loopback connection was split");
        }
    }

    private void clientReadable() throws IOException {
        int n = client.recv(reply);
        if (n < 0) {
            completion.fail(new IOException("the server closed the connection"));
            return;
        }
        if (reply.hasRemaining()) {
            return;
        }
        reply.clear();
        if (--remaining == 0) {
            completion.complete();
        } else {
            sendMessage();
        }
    }

    @Override
    public void close() throws Exception {
        loop.stop();
        thread.join(10_000);
        try {
            client.close();
            server.close();
        } finally {
            loop.close();
        }
    }
}
