package io.github.selectors4j.selectors;

import java.util.Objects;

/**
 * One entry of {@link BaseSelector#select(java.time.Duration)}'s result: the {@code (key, events)}
 * tuple of Python's {@code selector.select()}.
 *
 * <pre>{@code
 * for (ReadyKey ready : selector.select(Duration.ofSeconds(1))) {
 *     if (ready.isReadable()) { ... ready.key().data() ... }
 * }
 * }</pre>
 *
 * @param key    the ready fd's current key
 * @param events the ready events, always a subset of {@code key.events()}
 */
public record ReadyKey(SelectorKey key, int events) {

    /**
     * Creates a ready key.
     *
     * @param key    the fd's current key, not null
     * @param events the ready events
     */
    public ReadyKey {
        Objects.requireNonNull(key, "key");
    }

    /**
     * Whether the fd is ready to read (or hung up, or in error, with read interest).
     *
     * @return true if {@code events} includes {@link BaseSelector#EVENT_READ}
     */
    public boolean isReadable() {
        return (events & BaseSelector.EVENT_READ) != 0;
    }

    /**
     * Whether the fd is ready to write (or in error, with write interest).
     *
     * @return true if {@code events} includes {@link BaseSelector#EVENT_WRITE}
     */
    public boolean isWritable() {
        return (events & BaseSelector.EVENT_WRITE) != 0;
    }

    @Override
    public String toString() {
        return "ReadyKey[" + key + ", events=" + BaseSelector.eventsToString(events) + "]";
    }
}
