package io.github.selectors4j.load;

import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static io.github.selectors4j.selectors.BaseSelector.EVENT_WRITE;

import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.NativeSocketAddress;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.reactor.EventLoop;
import io.github.selectors4j.reactor.Watch;
import io.github.selectors4j.reactor.WatchHandler;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One connection of the load: sends {@link Frames} as long as it is told to, keeping at most
 * {@link #WINDOW} bytes unechoed, and checks everything that comes back. When told to finish, it
 * sends what it started, waits for the last echo, shuts its output down, and closes when the
 * server does (end of stream). A failure is recorded, not thrown, so the run can name it.
 */
final class LoadClient implements WatchHandler {

    static final int WINDOW = 32 * 1024;

    private final long seed;
    private final NativeSocket socket;
    private final Watch watch;
    private final ByteBuffer in;
    private final ByteBuffer out = ByteBuffer.allocateDirect(Frames.MAX_FRAME).flip();
    private final Frames.Checker checker;
    private boolean connected;
    private boolean finishing;
    private boolean shutDown;
    private boolean closed;
    private long nextSequence;
    private long bytesSent;
    private String failure;

    LoadClient(EventLoop loop, long seed, NativeSocketAddress server, ByteBuffer sharedReadBuffer) throws IOException {
        this.seed = seed;
        this.in = sharedReadBuffer;
        this.checker = new Frames.Checker(seed);
        socket = NativeSocket.open(server.family(), SocketType.SOCK_STREAM, 0);
        try {
            connected = socket.connect(server);
            watch = loop.watch(socket, EVENT_READ | EVENT_WRITE, this);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public void ready(Watch w, int events) {
        try {
            if (!connected) {
                if ((events & EVENT_WRITE) == 0 || !(connected = socket.finishConnect())) {
                    return;
                }
            }
            if ((events & EVENT_READ) != 0) {
                read();
            }
            if (!closed) {
                write();
            }
        } catch (IOException | RuntimeException e) {
            fail(e.toString());
        }
    }

    private void read() throws IOException {
        int n = socket.recv(in.clear());
        if (n < 0) {
            if (!shutDown || checker.framesVerified() != nextSequence) {
                fail("the server closed after " + checker.framesVerified() + " of " + nextSequence + " frames were echoed");
            } else {
                close();
            }
            return;
        }
        checker.accept(in.flip());
        if (checker.failure() != null) {
            fail(checker.failure());
        }
    }

    private void write() throws IOException {
        while (true) {
            if (!out.hasRemaining()) {
                if (finishing || bytesSent - checker.bytesVerified() >= WINDOW) {
                    break;
                }
                out.clear();
                Frames.write(seed, nextSequence++, out);
                out.flip();
            }
            int n = socket.send(out);
            bytesSent += n;
            if (out.hasRemaining()) {
                break;
            }
        }
        if (finishing && !out.hasRemaining() && !shutDown && checker.framesVerified() == nextSequence) {
            socket.shutdown(NativeSocket.SHUT_WR);
            shutDown = true;
        }
        boolean wantWrite = out.hasRemaining() || (!finishing && bytesSent - checker.bytesVerified() < WINDOW);
        int interest = EVENT_READ | (wantWrite || !connected ? EVENT_WRITE : 0);
        if (interest != watch.interest()) {
            watch.setInterest(interest);
        }
    }

    /** Stops starting frames; the one under way is completed. */
    void finish() {
        finishing = true;
        if (!closed && watch.interest() != (EVENT_READ | EVENT_WRITE)) {
            watch.setInterest(EVENT_READ | EVENT_WRITE);
        }
    }

    private void fail(String why) {
        if (failure == null) {
            failure = "client " + seed + ": " + why;
        }
        close();
    }

    void close() {
        if (!closed) {
            closed = true;
            watch.cancel();
            socket.close();
        }
    }

    boolean isConnected() {
        return connected;
    }

    boolean isClosed() {
        return closed;
    }

    String failure() {
        return failure;
    }

    long framesVerified() {
        return checker.framesVerified();
    }

    long bytesVerified() {
        return checker.bytesVerified();
    }
}
