package io.github.selectors4j.reactor;

import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.NativeSocketAddress;
import io.github.selectors4j.selectors.BaseSelector;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One connection of a {@link Server}: reads are delivered to its {@link ConnectionHandler}, writes
 * are buffered.
 *
 * <pre>{@code
 * public void onData(Connection connection, ByteBuffer data) {
 *     connection.write(data);                  // sent now if the socket takes it, buffered if not
 *     if (connection.pendingBytes() > 0) ... // some is waiting for the socket
 * }
 * }</pre>
 *
 * <h2>Writing</h2>
 * {@link #write} sends at once what the socket accepts and copies the rest into the connection's
 * buffer; only while that buffer holds data does the loop watch the socket for writability, so a
 * write that goes out at once costs no interest change at all.
 *
 * <h2>Back-pressure</h2>
 * When the buffer grows past the high-water mark, the connection stops reading (the peer's sends
 * then fill the kernel's buffers and stall it), and resumes when the buffer drains to the
 * low-water mark or below. {@link #pauseReading()}/{@link #resumeReading()} do the same by hand.
 *
 * <h2>Closing</h2>
 * {@link #shutdownOutput()} half-closes once the buffer is sent (the peer reads end of stream);
 * {@link #close()} stops reading, sends what is buffered and closes; {@link #abort()} closes now
 * and drops the buffer. {@link ConnectionHandler#onClose} is called once, in every case.
 *
 * <p>Methods are for the loop's thread: from another thread, {@code connection.loop().execute(...)}.
 * Those that change the connection throw {@link IllegalStateException} when called elsewhere while
 * the loop runs, rather than race with it.
 */
public final class Connection implements AutoCloseable {

    /** Default high-water mark: reading pauses when this much is waiting to be sent. */
    public static final int DEFAULT_HIGH_WATER = 1 << 20;
    /** Default low-water mark: reading resumes when the waiting data drains to this or below. */
    public static final int DEFAULT_LOW_WATER = 1 << 18;

    private static final int READ = BaseSelector.EVENT_READ;
    private static final int WRITE = BaseSelector.EVENT_WRITE;

    private final EventLoop loop;
    private final NativeSocket socket;
    private final ConnectionHandler handler;
    private final Server server;
    private final ByteBuffer readBuffer;
    private final Watch watch;
    private ByteBuffer output = ByteBuffer.allocateDirect(0);
    private int highWater = DEFAULT_HIGH_WATER;
    private int lowWater = DEFAULT_LOW_WATER;
    private boolean pausedByUser;
    private boolean pausedByBackPressure;
    private boolean eof;
    private boolean outputShutdownRequested;
    private boolean closing;
    private boolean closed;

    Connection(EventLoop loop, NativeSocket socket, ConnectionHandler handler, Server server, ByteBuffer readBuffer)
            throws IOException {
        this.loop = loop;
        this.socket = socket;
        this.handler = handler;
        this.server = server;
        this.readBuffer = readBuffer;
        this.watch = loop.watch(socket, READ, this::ready);
    }

    /**
     * The loop calls this for readiness. A failing socket (a reset, say) closes the connection and
     * is reported to {@link ConnectionHandler#onClose}; a failing handler is also reported to the
     * loop's exception handler, since it is a bug rather than an event of the network.
     */
    private void ready(Watch ignored, int events) {
        try {
            if ((events & WRITE) != 0) {
                flush();
            }
            if ((events & READ) != 0 && !closed && !eof && !closing) {
                readOnce();
            }
        } catch (IOException e) {
            finishClose(e);
        }
    }

    private void readOnce() throws IOException {
        readBuffer.clear();
        int n = socket.recv(readBuffer);
        if (n == 0) {
            return;
        }
        if (n < 0) {
            eof = true;
            updateInterest();
        }
        // Handler code: if it throws, it is a bug, so the loop hears of it and the connection closes.
        try {
            if (n > 0) {
                handler.onData(this, readBuffer.flip());
            } else {
                handler.onEof(this);
            }
        } catch (Exception e) {
            loop.report("connection handler of " + socket, e);
            finishClose(e);
        }
    }

    /**
     * Sends the buffer's remaining bytes: now, as far as the socket takes them, and the rest when it
     * becomes writable. The buffer's position advances past all of them.
     *
     * @param data the bytes
     * @throws IllegalStateException if the connection is closing or closed, or its output was shut
     *                               down, saying which
     */
    public void write(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        loop.checkThread();
        if (closing || closed || outputShutdownRequested) {
            throw new IllegalStateException("cannot write to a connection that is "
                    + (closed ? "closed" : closing ? "closing" : "shut down for output"));
        }
        if (!data.hasRemaining()) {
            return;
        }
        try {
            if (output.position() == 0) {
                socket.send(data);
            }
        } catch (IOException e) {
            finishClose(e);
            data.position(data.limit());
            return;
        }
        if (data.hasRemaining()) {
            append(data);
            if (output.position() > highWater && !pausedByBackPressure) {
                pausedByBackPressure = true;
            }
            updateInterest();
        }
    }

    /**
     * Sends a range of an array, as {@link #write(ByteBuffer)}.
     *
     * @param bytes  the array
     * @param offset where the range starts
     * @param length how many bytes
     */
    public void write(byte[] bytes, int offset, int length) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.checkFromIndexSize(offset, length, bytes.length);
        write(ByteBuffer.wrap(bytes, offset, length));
    }

    private void append(ByteBuffer data) {
        if (output.remaining() < data.remaining()) {
            int needed = output.position() + data.remaining();
            ByteBuffer grown = ByteBuffer.allocateDirect(Math.max(needed, Math.max(4096, output.capacity() * 2)));
            output.flip();
            grown.put(output);
            output = grown;
        }
        output.put(data);
    }

    private void flush() throws IOException {
        boolean hadPending = output.position() > 0;
        if (hadPending) {
            output.flip();
            socket.send(output);
            output.compact();
        }
        if (output.position() == 0) {
            if (outputShutdownRequested && !closed) {
                socket.shutdown(NativeSocket.SHUT_WR);
            }
            if (closing) {
                finishClose(null);
                return;
            }
            if (hadPending && !drained()) {
                return;
            }
        }
        // At or below: a low-water mark of 0 (allowed) must resume once the buffer is empty.
        if (pausedByBackPressure && output.position() <= lowWater) {
            pausedByBackPressure = false;
        }
        updateInterest();
    }

    /** Tells the handler the buffer emptied; false if the handler failed and the connection closed. */
    private boolean drained() {
        try {
            handler.onDrained(this);
            return !closed;
        } catch (Exception e) {
            loop.report("connection handler of " + socket, e);
            finishClose(e);
            return false;
        }
    }

    /** One interest for the whole state: read unless paused, at end of stream or closing; write while data waits. */
    private void updateInterest() {
        if (closed) {
            return;
        }
        boolean reading = !eof && !closing && !pausedByUser && !pausedByBackPressure;
        int interest = (reading ? READ : 0) | (output.position() > 0 ? WRITE : 0);
        if (interest != watch.interest()) {
            watch.setInterest(interest);
        }
    }

    /** Stops reading until {@link #resumeReading()}. */
    public void pauseReading() {
        loop.checkThread();
        pausedByUser = true;
        updateInterest();
    }

    /** Resumes reading after {@link #pauseReading()} (back-pressure may still hold it). */
    public void resumeReading() {
        loop.checkThread();
        pausedByUser = false;
        updateInterest();
    }

    /**
     * Whether reading is paused, by hand or by back-pressure.
     *
     * @return true while the connection does not read
     */
    public boolean isReadingPaused() {
        return pausedByUser || pausedByBackPressure;
    }

    /**
     * Sets the water marks of back-pressure.
     *
     * @param low  reading resumes at or below this many buffered bytes
     * @param high reading pauses above this many
     */
    public void setWaterMarks(int low, int high) {
        loop.checkThread();
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("need 0 <= low <= high: low=" + low + ", high=" + high);
        }
        lowWater = low;
        highWater = high;
    }

    /**
     * Bytes written but not yet taken by the socket.
     *
     * @return the buffered byte count
     */
    public int pendingBytes() {
        return output.position();
    }

    /**
     * Half-closes: once the buffered bytes are sent, the peer reads end of stream; this side can
     * still read.
     *
     * @throws IOException if the shutdown fails
     */
    public void shutdownOutput() throws IOException {
        loop.checkThread();
        if (outputShutdownRequested || closed) {
            return;
        }
        outputShutdownRequested = true;
        if (output.position() == 0) {
            socket.shutdown(NativeSocket.SHUT_WR);
        }
    }

    /**
     * Closes in order: stops reading, sends what is buffered, then closes the socket. Idempotent.
     */
    @Override
    public void close() {
        loop.checkThread();
        if (closing || closed) {
            return;
        }
        closing = true;
        if (output.position() == 0) {
            finishClose(null);
        } else {
            updateInterest();
        }
    }

    /**
     * Closes now, dropping whatever is buffered. Idempotent.
     */
    public void abort() {
        loop.checkThread();
        finishClose(null);
    }

    private void finishClose(Throwable error) {
        if (closed) {
            return;
        }
        closed = true;
        watch.cancel();
        socket.close();
        if (server != null) {
            server.closed(this);
        }
        try {
            handler.onClose(this, error);
        } catch (RuntimeException e) {
            loop.report("onClose of " + socket, e);
        }
    }

    /**
     * Whether the connection is open (not yet closed, even if closing).
     *
     * @return false once closed
     */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Whether {@link #close()} was called and the connection is still sending what was buffered:
     * it no longer reads and refuses writes, but is not closed yet.
     *
     * @return true between {@code close()} and the end of the flush
     */
    public boolean isClosing() {
        return closing && !closed;
    }

    /**
     * The connection's socket, for options and addresses.
     *
     * @return the socket
     */
    public NativeSocket socket() {
        return socket;
    }

    /**
     * The peer's address.
     *
     * @return the address
     * @throws IOException if it cannot be read (the socket was closed)
     */
    public NativeSocketAddress remoteAddress() throws IOException {
        return socket.remoteAddress();
    }

    /**
     * The loop the connection lives on.
     *
     * @return the loop
     */
    public EventLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        return "Connection[" + socket + (closed ? ", closed" : closing ? ", closing" : "") + ", pending=" + pendingBytes() + "]";
    }
}
