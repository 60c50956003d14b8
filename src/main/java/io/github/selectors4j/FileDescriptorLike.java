package io.github.selectors4j;

/**
 * Anything that owns or wraps a file descriptor and can say which one: the Java counterpart of
 * Python's "file object with a {@code fileno()} method".
 *
 * <p>Every selectors4j type that wraps an fd implements it, and so can application classes, so that
 * they register directly in a selector:
 * <pre>{@code
 * record Device(int fd, String name) implements FileDescriptorLike {
 *     public int fileno() { return fd; }
 * }
 * selector.register(new Device(fd, "ttyUSB0"), BaseSelector.EVENT_READ);
 * }</pre>
 *
 * <p>After the object is closed, {@code fileno()} should return {@code -1} (as Python sockets do) or
 * throw {@link AlreadyClosedException}; selectors then still find the object's key by identity, so
 * that {@code unregister(closedObject)} works.
 */
@FunctionalInterface
public interface FileDescriptorLike {

    /**
     * Returns the file descriptor number.
     *
     * @return the fd, {@code >= 0} while the object is open; {@code -1} once it is closed
     */
    int fileno();
}
