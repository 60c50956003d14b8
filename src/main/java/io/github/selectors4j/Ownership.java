package io.github.selectors4j;

/**
 * Who closes a file descriptor that a selectors4j object wraps.
 *
 * <p>Objects that selectors4j creates own their fd. Objects made with {@code fromFd(fd)} borrow it
 * by default: closing the wrapper marks it closed but leaves the fd open for its real owner (a C
 * library, another framework). Pass {@link #OWNED} to hand the fd over instead.
 *
 * <pre>{@code
 * Epoll borrowed = Epoll.fromFd(fdFromALibrary);                  // close() leaves the fd open
 * Epoll adopted  = Epoll.fromFd(fdWeMadeEarlier, Ownership.OWNED); // close() closes it
 * }</pre>
 */
public enum Ownership {
    /** The wrapper closes the fd when it is closed. */
    OWNED,
    /** The fd belongs to someone else; the wrapper never closes it. */
    BORROWED
}
