package io.github.selectors4j;

/**
 * Thrown by every operation on a selectors4j object (selector, {@code Epoll}, {@code Poll},
 * {@code EventFd}, ...) after it was closed. It is the one documented "use after close" error of the
 * library; {@code close()} itself is idempotent and never throws it.
 *
 * <pre>{@code
 * selector.close();
 * selector.select(Duration.ZERO);   // AlreadyClosedException: EpollSelector is closed
 * }</pre>
 */
public class AlreadyClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception for the named object.
     *
     * @param what a short description of the closed object, e.g. {@code "EpollSelector"}
     */
    public AlreadyClosedException(String what) {
        super(what + " is closed");
    }
}
