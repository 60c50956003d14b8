package io.github.selectors4j.reactor;

/**
 * Receives readiness for a {@link Watch}: the general form of {@code addReader}/{@code addWriter},
 * for code that wants one handler for both directions.
 *
 * <pre>{@code
 * Watch watch = loop.watch(socket, EVENT_READ, (w, events) -> {
 *     if ((events & EVENT_READ) != 0) { ... read ... }
 *     if ((events & EVENT_WRITE) != 0) { ... write the rest; w.setInterest(EVENT_READ) when done ... }
 * });
 * }</pre>
 */
@FunctionalInterface
public interface WatchHandler {

    /**
     * Called on the loop's thread when the watched fd is ready.
     *
     * @param watch  the watch, to change its interest or cancel it
     * @param events the ready events, a subset of the watch's interest
     * @throws Exception reported to the loop's exception handler
     */
    void ready(Watch watch, int events) throws Exception;
}
