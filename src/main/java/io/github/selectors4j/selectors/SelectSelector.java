package io.github.selectors4j.selectors;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.ReadyList;
import io.github.selectors4j.select.FdSet;
import io.github.selectors4j.select.Select;
import java.util.TreeSet;

/**
 * A selector over {@code select(2)}: Python's {@code selectors.SelectSelector}. Available
 * everywhere, but limited to fds below {@link FdSet#SIZE} ({@code FD_SETSIZE}, 1024) and linear in
 * the highest fd.
 *
 * <pre>{@code
 * try (SelectSelector selector = SelectSelector.open()) {
 *     selector.register(pipe.readEnd(), BaseSelector.EVENT_READ);
 *     selector.select(Duration.ofMillis(5));     // rounded up to whole microseconds
 * }
 * }</pre>
 *
 * <p>As in CPython, registering an fd of 1024 or more succeeds, and {@code select} then refuses
 * with an {@link IllegalArgumentException} naming the fd; and a registered fd that was closed makes
 * {@code select} fail with {@code EBADF}.
 */
public final class SelectSelector extends BaseSelector {

    private final FdSet readers = new FdSet();
    private final FdSet writers = new FdSet();
    private final FdSet readyReaders = new FdSet();
    private final FdSet readyWriters = new FdSet();
    /** Registered fds select cannot take; reported when select is called. */
    private final TreeSet<Integer> outOfRange = new TreeSet<>();

    private final ReadyList ready = new ReadyList(FdSet.SIZE);

    private SelectSelector(Wakeup wakeup) {
        super(wakeup);
    }

    /**
     * Opens a select selector.
     *
     * @return the selector
     * @throws ErrnoException e.g. {@code EMFILE} while creating the wakeup fd
     * @throws IllegalStateException if every fd below {@link FdSet#SIZE} is in use, so the
     *                               selector's own wakeup fd would be one select cannot watch
     */
    public static SelectSelector open() throws ErrnoException {
        return started(new SelectSelector(Wakeup.open()));
    }

    @Override
    public SelectorBackend backend() {
        return SelectorBackend.SELECT;
    }

    @Override
    void registerWakeup(Wakeup wakeup) throws ErrnoException {
        // The kernel hands out the lowest free number, so a wakeup fd this high means no fd
        // select can watch is left; refusing here beats a selector whose every select fails
        // naming an fd the user never registered.
        if (wakeup.fd() >= FdSet.SIZE) {
            throw new IllegalStateException("select handles fds below " + FdSet.SIZE + ", and every one of them is in use:"
                    + " this selector's wakeup fd would be fd " + wakeup.fd() + "; use EpollSelector or PollSelector");
        }
        super.registerWakeup(wakeup);
    }

    @Override
    void backendRegister(int fd, int events, int generation) {
        if (fd >= FdSet.SIZE) {
            outOfRange.add(fd);
            return;
        }
        setInterest(fd, events);
    }

    @Override
    void backendModify(int fd, int oldEvents, int events, int generation) {
        if (fd < FdSet.SIZE) {
            setInterest(fd, events);
        }
    }

    @Override
    void backendUnregister(int fd, int events) {
        if (fd >= FdSet.SIZE) {
            outOfRange.remove(fd);
            return;
        }
        readers.clear(fd);
        writers.clear(fd);
    }

    private void setInterest(int fd, int events) {
        if ((events & EVENT_READ) != 0) {
            readers.set(fd);
        } else {
            readers.clear(fd);
        }
        if ((events & EVENT_WRITE) != 0) {
            writers.set(fd);
        } else {
            writers.clear(fd);
        }
    }

    @Override
    int backendWait(long timeoutNanos, int registeredCount) throws ErrnoException {
        if (!outOfRange.isEmpty()) {
            throw new IllegalArgumentException("filedescriptor out of range in select(): fd " + outOfRange.first()
                    + " is registered, and select handles fds below " + FdSet.SIZE
                    + "; use EpollSelector or PollSelector for it");
        }
        readyReaders.copyFrom(readers);
        readyWriters.copyFrom(writers);
        Select.select(readyReaders, readyWriters, null, timeoutNanos);
        ready.clear();
        for (int fd = nextReady(0); fd >= 0; fd = nextReady(fd + 1)) {
            ready.add(fd, (readyReaders.isSet(fd) ? EVENT_READ : 0) | (readyWriters.isSet(fd) ? EVENT_WRITE : 0), 0);
        }
        return ready.size();
    }

    private int nextReady(int from) {
        int reader = readyReaders.nextSet(from);
        int writer = readyWriters.nextSet(from);
        return reader < 0 ? writer : writer < 0 ? reader : Math.min(reader, writer);
    }

    @Override
    int readyFd(int i) {
        return ready.fd(i);
    }

    @Override
    int readyEvents(int i) {
        return ready.events(i);
    }

    @Override
    void backendClose() {
        readers.clearAll();
        writers.clearAll();
        outOfRange.clear();
    }
}
