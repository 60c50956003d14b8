package io.github.selectors4j.net;

/**
 * A connection {@link NativeSocket#accept()} took: Python's {@code (conn, address)}.
 *
 * @param socket  the new connected socket, non-blocking and close-on-exec unless asked otherwise
 * @param address the peer's address
 */
public record Accepted(NativeSocket socket, NativeSocketAddress address) {
}
