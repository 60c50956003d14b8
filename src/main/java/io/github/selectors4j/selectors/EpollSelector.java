package io.github.selectors4j.selectors;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.select.Epoll;

/**
 * A selector over Linux {@link Epoll}: Python's {@code selectors.EpollSelector}. O(1) in the number
 * of registered fds, the best choice on Linux and what {@link DefaultSelector} picks there.
 *
 * <pre>{@code
 * try (EpollSelector selector = EpollSelector.open()) {
 *     selector.register(eventFd, BaseSelector.EVENT_READ);
 *     selector.select(Duration.ofMillis(100));   // rounded up to whole milliseconds
 * }
 * }</pre>
 *
 * <p>Each registration carries its generation in the epoll event's data, so that events for a file
 * that outlived its fd number (through a {@code dup}) are not delivered to whatever reuses the number.
 */
public final class EpollSelector extends BaseSelector {

    private final Epoll epoll;

    private EpollSelector(Epoll epoll, Wakeup wakeup) {
        super(wakeup);
        this.epoll = epoll;
    }

    /**
     * Opens an epoll selector.
     *
     * @return the selector
     * @throws ErrnoException e.g. {@code EMFILE}
     */
    public static EpollSelector open() throws ErrnoException {
        Epoll epoll = Epoll.open();
        try {
            return started(new EpollSelector(epoll, Wakeup.open()));
        } catch (ErrnoException | RuntimeException e) {
            epoll.close();
            throw e;
        }
    }

    /**
     * Returns the epoll fd, as Python's {@code EpollSelector.fileno()}.
     *
     * @return the fd
     * @throws io.github.selectors4j.AlreadyClosedException after {@link #close()}
     */
    public int fileno() {
        return epoll.fileno();
    }

    @Override
    public SelectorBackend backend() {
        return SelectorBackend.EPOLL;
    }

    /**
     * Watches the wakeup eventfd edge-triggered: every write to it is a new edge, so the selecting
     * thread never has to read it empty, which saves one system call per cross-thread wakeup. The
     * counter only grows, by one per wakeup; it would take centuries to reach the eventfd's limit.
     */
    @Override
    void registerWakeup(Wakeup wakeup) throws ErrnoException {
        epoll.register(wakeup.fd(), Epoll.EPOLLIN | Epoll.EPOLLET, WAKEUP_GENERATION);
        wakeup.skipDraining();
    }

    @Override
    void backendRegister(int fd, int events, int generation) throws ErrnoException {
        epoll.register(fd, toEpoll(events), generation);
    }

    @Override
    void backendModify(int fd, int oldEvents, int events, int generation) throws ErrnoException {
        epoll.modify(fd, toEpoll(events), generation);
    }

    @Override
    void backendUnregister(int fd, int events) throws ErrnoException {
        epoll.unregister(fd);
    }

    @Override
    int backendWait(long timeoutNanos, int registeredCount) throws ErrnoException {
        // Room for every key plus the wakeup fd, so one wait reports everything that is ready.
        return epoll.waitReady(timeoutNanos, registeredCount + 1);
    }

    @Override
    int readyFd(int i) {
        return epoll.readyFd(i);
    }

    @Override
    int readyEvents(int i) {
        // CPython's mapping: anything but pure EPOLLIN (hang-up, error) counts as writable, anything
        // but pure EPOLLOUT counts as readable; the key's interest then filters.
        int events = epoll.readyEvents(i);
        return ((events & ~Epoll.EPOLLOUT) != 0 ? EVENT_READ : 0) | ((events & ~Epoll.EPOLLIN) != 0 ? EVENT_WRITE : 0);
    }

    @Override
    int readyGeneration(int i) {
        return epoll.readyTag(i);
    }

    @Override
    void backendClose() {
        epoll.close();
    }

    private static int toEpoll(int events) {
        return ((events & EVENT_READ) != 0 ? Epoll.EPOLLIN : 0) | ((events & EVENT_WRITE) != 0 ? Epoll.EPOLLOUT : 0);
    }
}
