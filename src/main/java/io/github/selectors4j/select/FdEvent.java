package io.github.selectors4j.select;

/**
 * One ready file descriptor as returned by {@link Poll#poll()} and {@link Epoll#poll()}: the
 * {@code (fd, event)} tuple of Python's {@code poll.poll()} and {@code epoll.poll()}.
 *
 * <pre>{@code
 * for (FdEvent ready : poll.poll(1000)) {
 *     if ((ready.events() & (Poll.POLLIN | Poll.POLLHUP)) != 0) {
 *         drain(ready.fd());                   // readable, or the writer hung up
 *     }
 * }
 * }</pre>
 *
 * @param fd     the file descriptor
 * @param events the returned event mask ({@code POLL*} or {@code EPOLL*} bits)
 */
public record FdEvent(int fd, int events) {
}
