package io.github.selectors4j.reactor;

/**
 * Work for the {@link EventLoop} to run: a callback of {@code callSoon}, {@code callLater},
 * {@code addReader}... It may throw; the loop reports the exception to its
 * {@link EventLoop#setExceptionHandler exception handler} and goes on.
 *
 * <pre>{@code
 * loop.callLater(Duration.ofSeconds(1), () -> System.out.println("a second later"));
 * loop.addReader(socket, () -> socket.recv(buffer));   // may throw IOException
 * }</pre>
 */
@FunctionalInterface
public interface Callback {

    /**
     * Runs on the loop's thread.
     *
     * @throws Exception reported to the loop's exception handler
     */
    void run() throws Exception;
}
