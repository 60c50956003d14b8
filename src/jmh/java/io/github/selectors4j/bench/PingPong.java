package io.github.selectors4j.bench;

/**
 * One TCP loopback connection whose two ends both live on one event loop thread: the client end
 * sends a {@value #MESSAGE_SIZE}-byte message, the server end echoes it, and when all of it is
 * back the client sends it again. {@link #bounce} runs a number of these round trips.
 *
 * <p>Both ends on one loop keep the measurement about the loop: no thread hand-off per message,
 * only system calls (two sends, two receives, the waits) and the loop's own code. Each
 * implementation is written the way its library's users write an echo server.
 */
interface PingPong {

    /** The size of the message that goes back and forth. */
    int MESSAGE_SIZE = 64;

    /**
     * Runs {@code roundTrips} round trips on the loop's thread and returns when they are done.
     *
     * @param roundTrips how many, at least 1
     * @throws Exception if the loop failed or the exchange broke
     */
    void bounce(int roundTrips) throws Exception;

    /**
     * Stops the loop and closes both ends and the listener.
     *
     * @throws Exception if the loop does not stop or something fails to close
     */
    void close() throws Exception;
}
