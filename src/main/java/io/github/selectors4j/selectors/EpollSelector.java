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
 *
 * <p>Such a stale registration cannot be removed: {@code epoll_ctl} finds registrations by
 * (file, fd number), and the number no longer names the file. It stays in the kernel, unseen by the
 * selector, until every copy of the file is closed, and while its file is ready every wait reports
 * it (and returns at once). Unregister an fd before closing it when another process or fd may hold
 * a copy of its file (after {@code dup}, {@code fork} or {@code SCM_RIGHTS}).
 */
public final class EpollSelector extends BaseSelector {

    /**
     * Room in each wait beyond the keys and the wakeup fd, for stale registrations: without it,
     * ready stale registrations would take the places of ready keys, and a select would miss keys
     * that are ready. Each place costs 12 bytes of native memory and 12 of heap, once per selector;
     * only with more than this many stale registrations ready at once is a key left for the next
     * select.
     */
    private static final int STALE_ROOM = 1024;

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
        // Room for every key, the wakeup fd and stale registrations, so one wait reports everything that is ready.
        return epoll.waitReady(timeoutNanos, registeredCount + 1 + STALE_ROOM);
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
