package io.github.selectors4j.selectors;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.select.Poll;

/**
 * A selector over {@code poll(2)}: Python's {@code selectors.PollSelector}. Portable and without
 * select's fd limit, but each wait costs time proportional to the number of registered fds.
 *
 * <pre>{@code
 * try (PollSelector selector = PollSelector.open()) {
 *     selector.register(pipe.readEnd(), BaseSelector.EVENT_READ);
 *     selector.select(Duration.ZERO);
 * }
 * }</pre>
 *
 * <p>An fd closed while registered is reported ready ({@code POLLNVAL}) for whatever the key asked,
 * as in CPython.
 */
public final class PollSelector extends BaseSelector {

    private final Poll poll = Poll.open();

    private PollSelector(Wakeup wakeup) {
        super(wakeup);
    }

    /**
     * Opens a poll selector.
     *
     * @return the selector
     * @throws ErrnoException e.g. {@code EMFILE} while creating the wakeup fd
     */
    public static PollSelector open() throws ErrnoException {
        return started(new PollSelector(Wakeup.open()));
    }

    @Override
    public SelectorBackend backend() {
        return SelectorBackend.POLL;
    }

    @Override
    void backendRegister(int fd, int events, int generation) {
        poll.register(fd, toPoll(events));
    }

    @Override
    void backendModify(int fd, int oldEvents, int events, int generation) throws ErrnoException {
        poll.modify(fd, toPoll(events));
    }

    @Override
    void backendUnregister(int fd, int events) {
        poll.unregister(fd);
    }

    @Override
    int backendWait(long timeoutNanos, int registeredCount) throws ErrnoException {
        return poll.waitReady(timeoutNanos);
    }

    @Override
    int readyFd(int i) {
        return poll.readyFd(i);
    }

    @Override
    int readyEvents(int i) {
        // CPython's mapping, as for epoll: POLLHUP, POLLERR and POLLNVAL make both directions ready.
        int events = poll.readyEvents(i);
        return ((events & ~Poll.POLLOUT) != 0 ? EVENT_READ : 0) | ((events & ~Poll.POLLIN) != 0 ? EVENT_WRITE : 0);
    }

    @Override
    void backendClose() {
        poll.close();
    }

    private static int toPoll(int events) {
        return ((events & EVENT_READ) != 0 ? Poll.POLLIN : 0) | ((events & EVENT_WRITE) != 0 ? Poll.POLLOUT : 0);
    }
}
