package io.github.selectors4j.reactor;

import java.nio.ByteBuffer;

/**
 * What a {@link Server} does with each connection. Only {@link #onData} is required; the rest have
 * sensible defaults. Every method runs on the connection's loop thread.
 *
 * <pre>{@code
 * // An echo server in one line:
 * Server.listen(loop, IPv4SocketAddress.loopback(7000), () -> (connection, data) -> connection.write(data));
 * }</pre>
 */
@FunctionalInterface
public interface ConnectionHandler {

    /**
     * A connection was accepted.
     *
     * @param connection the new connection
     * @throws Exception reported to the loop; the connection is closed
     */
    default void onOpen(Connection connection) throws Exception {
    }

    /**
     * Bytes arrived. The buffer is the loop's and is reused after this call: consume or copy
     * what is needed before returning ({@link Connection#write} copies what it cannot send at once).
     *
     * @param connection the connection
     * @param data       the bytes, from position to limit
     * @throws Exception reported to the loop; the connection is closed
     */
    void onData(Connection connection, ByteBuffer data) throws Exception;

    /**
     * The peer shut down its sending side (it may still read). By default the connection is closed
     * once what was written to it has been sent.
     *
     * @param connection the connection
     * @throws Exception reported to the loop; the connection is closed
     */
    default void onEof(Connection connection) throws Exception {
        connection.close();
    }

    /**
     * Everything written has been sent after some of it had to wait: the connection's buffer is
     * empty again. asyncio's {@code resume_writing}, for a producer that holds back while output
     * piles up ({@link Connection#pendingBytes()}) — a pipelining server can go on executing the
     * requests it already read. Not called for writes that went out at once.
     *
     * @param connection the connection
     * @throws Exception reported to the loop; the connection is closed
     */
    default void onDrained(Connection connection) throws Exception {
    }

    /**
     * The connection is closed: orderly ({@code error} null) or because of a failure (a reset, a
     * handler that threw...).
     *
     * @param connection the connection
     * @param error      why, or null
     */
    default void onClose(Connection connection, Throwable error) {
    }
}
