package io.github.selectors4j;

/**
 * Thrown when a file descriptor is registered a second time with the same selector or poll object,
 * whether through the same file object or through another one that wraps the same fd.
 * It corresponds to the {@code KeyError} Python's selectors raise.
 *
 * <pre>{@code
 * selector.register(pipe.readEnd(), EVENT_READ);
 * try {
 *     selector.register(pipe.readEnd().fileno(), EVENT_READ);   // the same fd, as a number
 * } catch (AlreadyRegisteredException e) {                      // "fd 5 is already registered"
 *     SelectorKey existing = selector.getKey(e.fd());           // the first registration's key
 * }
 * }</pre>
 */
public class AlreadyRegisteredException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The fd that was already registered; serialised with the exception. */
    private final int fd;

    /**
     * Creates the exception.
     *
     * @param fileobj the file object that was being registered
     * @param fd      its file descriptor
     */
    public AlreadyRegisteredException(Object fileobj, int fd) {
        super(describe(fileobj, fd) + " is already registered");
        this.fd = fd;
    }

    /**
     * Returns the file descriptor that was already registered.
     *
     * @return the fd
     */
    public int fd() {
        return fd;
    }

    static String describe(Object fileobj, int fd) {
        if (fileobj instanceof Integer) {
            return "fd " + fd;
        }
        return fileobj + " (fd " + fd + ")";
    }
}
