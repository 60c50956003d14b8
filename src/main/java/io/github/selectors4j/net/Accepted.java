package io.github.selectors4j.net;

import java.util.Objects;

/**
 * A connection {@link NativeSocket#accept()} took: Python's {@code (conn, address)}.
 *
 * <pre>{@code
 * Accepted accepted = server.accept();       // null when none is waiting (non-blocking mode)
 * if (accepted != null) {
 *     System.out.println("connection from " + accepted.address());
 *     selector.register(accepted.socket(), BaseSelector.EVENT_READ);   // the caller closes it
 * }
 * }</pre>
 *
 * @param socket  the new connected socket, non-blocking and close-on-exec unless asked otherwise
 * @param address the peer's address
 */
public record Accepted(NativeSocket socket, NativeSocketAddress address) {

    /**
     * Creates the result.
     *
     * @param socket  the new socket, not null
     * @param address the peer's address
     */
    public Accepted {
        Objects.requireNonNull(socket, "socket");
    }
}
