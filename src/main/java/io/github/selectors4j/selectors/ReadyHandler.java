package io.github.selectors4j.selectors;

import java.io.IOException;

/**
 * Receives ready keys from {@link BaseSelector#select(java.time.Duration, ReadyHandler)}, the
 * allocation-free form of {@code select}.
 *
 * <pre>{@code
 * // One handler object for the life of the loop: no lambda capture, no garbage per event.
 * // Session is the application's own per-fd object, given as the data when it registered.
 * ReadyHandler dispatcher = (key, events) -> ((Session) key.data()).onReady(events);
 * while (running) {
 *     selector.select(null, dispatcher);
 * }
 * }</pre>
 *
 * <p>The handler may register, modify and unregister (including its own key) and close fds; an fd
 * unregistered by an earlier handler in the same batch is not reported. Closing does not
 * unregister, here as in Python: a key whose file object an earlier handler closed is still handed
 * over, so unregister before closing. If the handler
 * throws, {@code select} stops and rethrows; the rest of the batch is reported again by the next
 * {@code select} as long as it is still ready.
 */
@FunctionalInterface
public interface ReadyHandler {

    /**
     * Called for each ready fd.
     *
     * @param key    the fd's current key
     * @param events the ready events, a non-empty subset of {@code key.events()}
     * @throws IOException to abort the select
     */
    void ready(SelectorKey key, int events) throws IOException;
}
