package io.github.selectors4j;

import java.util.NoSuchElementException;

/**
 * Thrown by {@code unregister}, {@code modify} and {@code getKey} for a file object the selector
 * (or poll object) does not know. It corresponds to the {@code KeyError} Python's selectors raise.
 *
 * <pre>{@code
 * selector.unregister(42);   // NotRegisteredException: fd 42 is not registered
 * }</pre>
 */
public class NotRegisteredException extends NoSuchElementException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param fileobj the file object that was looked up
     */
    public NotRegisteredException(Object fileobj) {
        super((fileobj instanceof Integer ? "fd " + fileobj : String.valueOf(fileobj)) + " is not registered");
    }
}
