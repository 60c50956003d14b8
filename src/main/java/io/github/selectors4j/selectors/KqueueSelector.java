package io.github.selectors4j.selectors;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.ReadyList;
import io.github.selectors4j.select.Kqueue;
import java.util.Arrays;

/**
 * A selector over {@link Kqueue}: Python's {@code selectors.KqueueSelector}, the best choice on macOS
 * and the BSDs. On Linux it runs over libkqueue when that is installed (the same code path, which
 * is how it is tested there); {@link DefaultSelector} still prefers epoll on Linux.
 *
 * <pre>{@code
 * try (KqueueSelector selector = KqueueSelector.open()) {
 *     selector.register(socket, BaseSelector.EVENT_READ | BaseSelector.EVENT_WRITE);
 *     selector.select(Duration.ofMillis(10));
 * }
 * }</pre>
 *
 * <p>An fd is a READ filter and/or a WRITE filter in the kernel; {@code modify} adds and deletes
 * only the filters that changed. Unlike CPython, when both filters of one fd fire in the same wait
 * the fd is reported once with {@code EVENT_READ | EVENT_WRITE}, never twice.
 */
public final class KqueueSelector extends BaseSelector {

    private final Kqueue kqueue;

    // Merging the two filters of an fd into one entry: the slot an fd took in the current batch,
    // valid only where its stamp is the batch's. Sized by fd, grown as registrations need.
    private int batch;
    private int[] batchOfFd = new int[64];
    private int[] slotOfFd = new int[64];
    private final ReadyList ready = new ReadyList(64);

    private KqueueSelector(Kqueue kqueue, Wakeup wakeup) {
        super(wakeup);
        this.kqueue = kqueue;
    }

    /**
     * Opens a kqueue selector.
     *
     * @return the selector
     * @throws ErrnoException                e.g. {@code EMFILE}
     * @throws UnsupportedOperationException if no kqueue is available here, with the reason
     */
    public static KqueueSelector open() throws ErrnoException {
        Kqueue kqueue = Kqueue.open();
        try {
            return started(new KqueueSelector(kqueue, Wakeup.open()));
        } catch (ErrnoException | RuntimeException e) {
            kqueue.close();
            throw e;
        }
    }

    /**
     * Returns the kqueue fd, as Python's {@code KqueueSelector.fileno()}.
     *
     * @return the fd
     */
    public int fileno() {
        return kqueue.fileno();
    }

    @Override
    public SelectorBackend backend() {
        return SelectorBackend.KQUEUE;
    }

    @Override
    void backendRegister(int fd, int events, int generation) throws ErrnoException {
        ensureFdCapacity(fd);
        if ((events & EVENT_READ) != 0) {
            addFilter(fd, Kqueue.KQ_FILTER_READ, generation);
        }
        if ((events & EVENT_WRITE) != 0) {
            try {
                addFilter(fd, Kqueue.KQ_FILTER_WRITE, generation);
            } catch (ErrnoException e) {
                // No half registration: take back the read filter added a moment ago.
                if ((events & EVENT_READ) != 0) {
                    deleteFilter(fd, Kqueue.KQ_FILTER_READ, e);
                }
                throw e;
            }
        }
    }

    @Override
    void backendModify(int fd, int oldEvents, int events, int generation) throws ErrnoException {
        int added = events & ~oldEvents;
        int removed = oldEvents & ~events;
        if ((added & EVENT_READ) != 0) {
            addFilter(fd, Kqueue.KQ_FILTER_READ, generation);
        }
        if ((added & EVENT_WRITE) != 0) {
            addFilter(fd, Kqueue.KQ_FILTER_WRITE, generation);
        }
        if ((removed & EVENT_READ) != 0) {
            kqueue.change(fd, Kqueue.KQ_FILTER_READ, Kqueue.KQ_EV_DELETE, 0, 0, 0);
        }
        if ((removed & EVENT_WRITE) != 0) {
            kqueue.change(fd, Kqueue.KQ_FILTER_WRITE, Kqueue.KQ_EV_DELETE, 0, 0, 0);
        }
    }

    @Override
    void backendUnregister(int fd, int events) throws ErrnoException {
        ErrnoException failure = null;
        for (int filter : new int[] {Kqueue.KQ_FILTER_READ, Kqueue.KQ_FILTER_WRITE}) {
            boolean registered = filter == Kqueue.KQ_FILTER_READ ? (events & EVENT_READ) != 0 : (events & EVENT_WRITE) != 0;
            if (!registered) {
                continue;
            }
            try {
                kqueue.change(fd, filter, Kqueue.KQ_EV_DELETE, 0, 0, 0);
            } catch (ErrnoException e) {
                // Both filters are attempted; the base decides what the first failure means.
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void addFilter(int fd, int filter, int generation) throws ErrnoException {
        kqueue.change(fd, filter, Kqueue.KQ_EV_ADD, 0, 0, generation & 0xffff_ffffL);
    }

    private void deleteFilter(int fd, int filter, ErrnoException primary) {
        try {
            kqueue.change(fd, filter, Kqueue.KQ_EV_DELETE, 0, 0, 0);
        } catch (ErrnoException cleanup) {
            primary.addSuppressed(cleanup);
        }
    }

    @Override
    int backendWait(long timeoutNanos, int registeredCount) throws ErrnoException {
        // Two filters per key at most, plus the wakeup fd.
        int n = kqueue.waitReady(timeoutNanos, 2 * registeredCount + 1);
        ready.clear();
        ready.ensureCapacity(n);
        batch++;
        for (int i = 0; i < n; i++) {
            int fd = (int) kqueue.readyIdent(i);
            int filter = kqueue.readyFilter(i);
            int events = filter == Kqueue.KQ_FILTER_READ ? EVENT_READ : filter == Kqueue.KQ_FILTER_WRITE ? EVENT_WRITE : 0;
            if (events == 0 || (kqueue.readyFlags(i) & Kqueue.KQ_EV_ERROR) != 0) {
                continue;
            }
            ensureFdCapacity(fd);
            if (batchOfFd[fd] == batch) {
                ready.addEvents(slotOfFd[fd], events);
            } else {
                batchOfFd[fd] = batch;
                slotOfFd[fd] = ready.add(fd, events, (int) kqueue.readyUdata(i));
            }
        }
        return ready.size();
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
    int readyGeneration(int i) {
        return ready.tag(i);
    }

    private void ensureFdCapacity(int fd) {
        if (fd >= batchOfFd.length) {
            int grown = Math.max(batchOfFd.length * 2, fd + 1);
            batchOfFd = Arrays.copyOf(batchOfFd, grown);
            slotOfFd = Arrays.copyOf(slotOfFd, grown);
        }
    }

    @Override
    void backendClose() {
        kqueue.close();
    }
}
