package io.github.selectors4j.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * The ping-pong on the JDK: one {@link Selector} loop with the server end and the client end as
 * non-blocking {@link SocketChannel}s, written the way an allocation-conscious NIO loop is
 * written: {@code select(Consumer)}, direct buffers, the handler chosen by the key's attachment,
 * cross-thread work through a flag and {@link Selector#wakeup()}.
 */
final class NioPingPong implements PingPong {

    private final Selector selector;
    private final SocketChannel client;
    private final SocketChannel server;
    private final ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE_SIZE);
    private final ByteBuffer reply = ByteBuffer.allocateDirect(MESSAGE_SIZE);
    private final ByteBuffer echo = ByteBuffer.allocateDirect(64 * 1024);
    private final BatchCompletion completion = new BatchCompletion();
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    private final Thread thread;
    private volatile boolean startRequested;
    private volatile boolean stopping;
    private int remaining;

    NioPingPong() throws IOException {
        selector = Selector.open();
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client = SocketChannel.open(listener.getLocalAddress());
            server = listener.accept();
        }
        for (SocketChannel channel : new SocketChannel[] {client, server}) {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        client.register(selector, SelectionKey.OP_READ, Boolean.TRUE);
        server.register(selector, SelectionKey.OP_READ, Boolean.FALSE);
        thread = new Thread(this::run, "ping-pong-nio");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!stopping) {
                selector.select(dispatch);
                if (startRequested) {
                    startRequested = false;
                    sendMessage();
                }
            }
        } catch (IOException | RuntimeException e) {
            completion.fail(e);
        }
    }

    @Override
    public void bounce(int roundTrips) throws Exception {
        remaining = roundTrips;
        completion.arm();
        startRequested = true;
        selector.wakeup();
        completion.await();
    }

    private void dispatch(SelectionKey key) {
        try {
            if (key.attachment() == Boolean.TRUE) {
                clientReadable();
            } else {
                serverReadable();
            }
        } catch (IOException e) {
            completion.fail(e);
        }
    }

    private void serverReadable() throws IOException {
        echo.clear();
        if (server.read(echo) < 0) {
            throw new IOException("the client closed the connection");
        }
        echo.flip();
        server.write(echo);
        if (echo.hasRemaining()) {
            throw new IllegalStateException("an echo to an idle loopback connection was split");
        }
    }

    private void clientReadable() throws IOException {
        if (client.read(reply) < 0) {
            throw new IOException("the server closed the connection");
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

    private void sendMessage() throws IOException {
        message.clear();
        if (client.write(message) != MESSAGE_SIZE) {
            throw new IllegalStateException("a 64-byte send to an idle loopback connection was split");
        }
    }

    @Override
    public void close() throws Exception {
        stopping = true;
        selector.wakeup();
        thread.join(10_000);
        try {
            selector.close();
        } finally {
            try {
                client.close();
            } finally {
                server.close();
            }
        }
    }
}
