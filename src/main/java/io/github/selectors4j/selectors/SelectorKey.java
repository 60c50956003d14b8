package io.github.selectors4j.selectors;

import java.util.Objects;

/**
 * A registration, as Python's {@code selectors.SelectorKey}: an immutable value naming the file
 * object, its fd, the events of interest and the caller's data.
 *
 * <p>{@link BaseSelector#register} returns the key; {@link BaseSelector#modify} returns a new one
 * (keys never change); {@link BaseSelector#select} hands back the current key of each ready fd.
 *
 * <pre>{@code
 * SelectorKey key = selector.register(socket, EVENT_READ, connectionState);
 * key.fd();       // the socket's fd
 * key.data();     // connectionState, handed back with every readiness
 * }</pre>
 *
 * @param fileobj the object that was registered (an {@code Integer}, a
 *                {@link io.github.selectors4j.FileDescriptorLike}, a {@code FileDescriptor} or a JDK
 *                {@code SelectableChannel})
 * @param fd      its file descriptor
 * @param events  {@link BaseSelector#EVENT_READ} and/or {@link BaseSelector#EVENT_WRITE}
 * @param data    whatever the caller attached, possibly null
 */
public record SelectorKey(Object fileobj, int fd, int events, Object data) {

    /**
     * Creates a key.
     *
     * @param fileobj the registered object, not null
     * @param fd      its file descriptor
     * @param events  the events of interest
     * @param data    the attached data, possibly null
     */
    public SelectorKey {
        Objects.requireNonNull(fileobj, "fileobj");
    }

    /**
     * Whether the key is interested in reading.
     *
     * @return true if {@code events} includes {@link BaseSelector#EVENT_READ}
     */
    public boolean wantsRead() {
        return (events & BaseSelector.EVENT_READ) != 0;
    }

    /**
     * Whether the key is interested in writing.
     *
     * @return true if {@code events} includes {@link BaseSelector#EVENT_WRITE}
     */
    public boolean wantsWrite() {
        return (events & BaseSelector.EVENT_WRITE) != 0;
    }

    @Override
    public String toString() {
        return "SelectorKey[fileobj=" + fileobj + ", fd=" + fd + ", events=" + BaseSelector.eventsToString(events)
                + ", data=" + data + "]";
    }
}
