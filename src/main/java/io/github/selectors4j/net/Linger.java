package io.github.selectors4j.net;

/**
 * The value of {@link SocketOptions#SO_LINGER}: whether {@code close} waits for unsent data, and
 * for how long. Enabled with 0 seconds makes {@code close} reset the connection (send RST).
 *
 * <pre>{@code
 * socket.setOption(SocketOptions.SO_LINGER, new Linger(true, 0));   // abortive close
 * }</pre>
 *
 * @param enabled whether lingering is on
 * @param seconds how long to linger
 */
public record Linger(boolean enabled, int seconds) {

    /**
     * Checks the value.
     *
     * @param enabled whether lingering is on
     * @param seconds how long, not negative
     */
    public Linger {
        if (seconds < 0) {
            throw new IllegalArgumentException("linger seconds must not be negative: " + seconds);
        }
    }
}
