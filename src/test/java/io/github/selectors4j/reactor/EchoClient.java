package io.github.selectors4j.reactor;

import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static io.github.selectors4j.selectors.BaseSelector.EVENT_WRITE;

import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.NativeSocketAddress;
import io.github.selectors4j.net.SocketType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

/**
 * A non-blocking client on an {@link EventLoop}: connects, sends each of its messages and reads
 * the echo back in full, comparing every byte, then closes. Failures are kept, not thrown, so that
 * the test can name the client that failed.
 */
final class EchoClient implements WatchHandler {

    final int id;
    private final NativeSocket socket;
    private final byte[][] messages;
    private final Watch watch;
    private boolean connected;
    private int current;
    private ByteBuffer out;
    private final ByteBuffer in;
    private String failure;
    private boolean done;

    EchoClient(EventLoop loop, int id, NativeSocketAddress server, int messageCount, int minSize, int maxSize, long seed) throws IOException {
        this.id = id;
        Random random = new Random(seed);
        messages = new byte[messageCount][];
        int largest = 0;
        for (int i = 0; i < messageCount; i++) {
            messages[i] = new byte[minSize + random.nextInt(maxSize - minSize + 1)];
            random.nextBytes(messages[i]);
            largest = Math.max(largest, messages[i].length);
        }
        in = ByteBuffer.allocateDirect(largest);
        socket = NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0);
        try {
            connected = socket.connect(server);
            startMessage();
            watch = loop.watch(socket, EVENT_READ | EVENT_WRITE, this);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void startMessage() {
        out = ByteBuffer.wrap(messages[current]);
        in.clear().limit(messages[current].length);
    }

    @Override
    public void ready(Watch w, int events) throws IOException {
        try {
            step(events);
        } catch (IOException | RuntimeException e) {
            fail("client " + id + ": " + e);
        }
    }

    private void step(int events) throws IOException {
        if (!connected) {
            if ((events & EVENT_WRITE) == 0 || !(connected = socket.finishConnect())) {
                return;
            }
        }
        if ((events & EVENT_WRITE) != 0 && out.hasRemaining()) {
            socket.send(out);
        }
        if ((events & EVENT_READ) != 0) {
            int n = socket.recv(in);
            if (n < 0) {
                fail("client " + id + ": end of stream in message " + current + " after " + in.position() + " bytes");
                return;
            }
            if (!in.hasRemaining()) {
                byte[] echoed = new byte[in.position()];
                in.flip().get(echoed);
                if (!Arrays.equals(messages[current], echoed)) {
                    fail("client " + id + ": message " + current + " came back different");
                    return;
                }
                if (++current == messages.length) {
                    done = true;
                    close();
                    return;
                }
                startMessage();
            }
        }
        watch.setInterest(out.hasRemaining() || !connected ? EVENT_READ | EVENT_WRITE : EVENT_READ);
    }

    private void fail(String why) {
        if (failure == null) {
            failure = why;
        }
        close();
    }

    void close() {
        watch.cancel();
        socket.close();
    }

    boolean finished() {
        return done || failure != null;
    }

    boolean succeeded() {
        return done && failure == null;
    }

    String failure() {
        return failure;
    }

    int messagesEchoed() {
        return current;
    }

    long bytesEchoed() {
        long total = 0;
        for (int i = 0; i < current; i++) {
            total += messages[i].length;
        }
        return total;
    }
}
