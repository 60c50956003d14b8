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
 * The JDK echo server of the end-to-end benchmarks: one thread looping on
 * {@link Selector#select(Consumer)}, non-blocking {@link SocketChannel}s, and one direct read
 * buffer shared by all connections, the way an allocation-conscious NIO server is written.
 *
 * <p>What a connection cannot take at once is copied into a buffer of its own (the key's
 * attachment) and the key switches from {@code OP_READ} to {@code OP_WRITE} until it is sent, so
 * that a client that does not read cannot make the server hold more than one read's worth.
 *
 * <p>Usage: {@code NioEchoServer PORT} (0 for any free port); see {@link EchoServerControl}
 * for what it prints and reads.
 */
public final class NioEchoServer {

    private static final int READ_BUFFER_SIZE = 64 * 1024;

    private final Selector selector;
    private final ServerSocketChannel listener;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
    private final Consumer<SelectionKey> dispatch = this::dispatch;

    private NioEchoServer(int port) throws IOException {
        selector = Selector.open();
        listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
    }

    /**
     * Serves until stdin ends.
     *
     * @param args the port
     * @throws IOException if the server cannot listen or the selector fails
     */
    public static void main(String[] args) throws IOException {
        NioEchoServer server = new NioEchoServer(Integer.parseInt(args[0]));
        EchoServerControl.listening(((InetSocketAddress) server.listener.getLocalAddress()).getPort());
        while (true) {
            server.selector.select(server.dispatch);
        }
    }

    private void dispatch(SelectionKey key) {
        try {
            if (key.isAcceptable()) {
                acceptWaiting();
            } else if (key.isWritable()) {
                flushPending(key);
            } else if (key.isReadable()) {
                echo(key);
            }
        } catch (IOException e) {
            // A reset or a broken pipe: this connection is over, the others go on.
            key.cancel();
            close(key);
        }
    }

    private void acceptWaiting() throws IOException {
        for (SocketChannel channel = listener.accept(); channel != null; channel = listener.accept()) {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.register(selector, SelectionKey.OP_READ);
        }
    }

    private void echo(SelectionKey key) throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        buffer.clear();
        if (channel.read(buffer) < 0) {
            close(key);
            return;
        }
        buffer.flip();
        channel.write(buffer);
        if (buffer.hasRemaining()) {
            ByteBuffer pending = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
            key.attach(pending);
            key.interestOps(SelectionKey.OP_WRITE);
        }
    }

    private void flushPending(SelectionKey key) throws IOException {
        ByteBuffer pending = (ByteBuffer) key.attachment();
        ((SocketChannel) key.channel()).write(pending);
        if (!pending.hasRemaining()) {
            key.attach(null);
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private static void close(SelectionKey key) {
        try {
            key.channel().close();
        } catch (IOException e) {
            e.printStackTrace();
        }
    }
}
