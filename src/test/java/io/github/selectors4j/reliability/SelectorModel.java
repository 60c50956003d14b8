package io.github.selectors4j.reliability;

import io.github.selectors4j.reliability.KernelModel.File;
import io.github.selectors4j.reliability.Op.Form;
import io.github.selectors4j.selectors.SelectorBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The reference model of a selector: {@code BaseSelector}'s documented semantics (keys, errors,
 * generations, the stale-event rules) over a model of what each backend's kernel object holds.
 * Everything common to the backends is written once; they differ only where the kernel does:
 *
 * <ul>
 *   <li><b>epoll</b> registers (file, fd number) pairs: registering a closed number fails with
 *       EBADF; a registration lives until its file (not its number) is closed, so a file that
 *       outlived its number through a dup2 copy keeps being reported under the old number, with
 *       the generation it was registered with; modify fails with EBADF for a closed number and
 *       ENOENT for a number that now names another file; registering a number whose file still has
 *       a forgotten registration under it fails with EEXIST.</li>
 *   <li><b>poll</b> and <b>select</b> keep the fd numbers in user space and ask about whatever
 *       file each number names at the time of the wait; poll reports a closed number as POLLNVAL
 *       (ready for both directions), select fails the whole wait with EBADF; and select's
 *       write set ignores a hang-up (Linux's POLLOUT_SET has no POLLHUP).</li>
 *   <li><b>kqueue</b> (libkqueue on Linux, which keeps its filters in an epoll): as epoll, except
 *       that each filter reports its own direction only (a hang-up seen by the read filter is no
 *       write readiness for a key made writable later in the batch), as long
 *       as no registered number is closed or reused. A kernel kqueue drops an fd's filters when
 *       the fd is closed; libkqueue cannot see a close and keeps them, with results that are its
 *       own (a filter of a closed fd can still be deleted, for one). The model does not guess
 *       them: from such a step on, a kqueue run is not compared ({@link #isDefined()}).</li>
 * </ul>
 *
 * <p>Outcomes are strings in the format {@link Lockstep} renders the real results in, so that a
 * mismatch reads as two lines that differ.
 */
final class SelectorModel {

    /** A key: the endpoint whose number it is registered under, how it was named, events, data. */
    record Key(int ep, Form form, int events, String data, int generation) {
        String render() {
            return "key(" + ep + ", " + form + ", " + Op.mask(events) + ", " + data + ")";
        }
    }

    /** An entry of the kernel's ready list: the fd number, its readiness as EVENT_* bits, its generation. */
    record Raw(int ep, int events, int generation) {
    }

    /** A ready key as dispatch hands it to the handler. */
    record Delivery(int ep, int events, Key key) {
        String render() {
            return ep + ":" + Op.mask(events) + "(" + key.data() + ")";
        }
    }

    /** One epoll (or libkqueue) registration: (file, number), its interest and generation. */
    private static final class Registration {
        final File file;
        final int ep;
        int events;
        int generation;

        Registration(File file, int ep, int events, int generation) {
            this.file = file;
            this.ep = ep;
            this.events = events;
            this.generation = generation;
        }
    }

    static final int ANY_GENERATION = -1;
    private static final int READ = Op.R;
    private static final int WRITE = Op.W;

    private final SelectorBackend backend;
    private final KernelModel kernel;
    private final Key[] keys = new Key[Endpoints.COUNT];
    private final List<Registration> registrations = new ArrayList<>();
    private int lastGeneration;
    private boolean closed;
    private boolean undefined;

    SelectorModel(SelectorBackend backend, KernelModel kernel) {
        this.backend = backend;
        this.kernel = kernel;
    }

    private boolean kernelKeepsFilePairs() {
        return backend == SelectorBackend.EPOLL || backend == SelectorBackend.KQUEUE;
    }

    // ------------------------------------------------------------------ the selector's calls

    String register(int ep, int events, Form form, String data) {
        if (closed) {
            return "AlreadyClosedException";
        }
        if (!isValid(events) || (form == Form.OBJ && kernel.isClosed(ep))) {
            return "IllegalArgumentException";
        }
        if (keys[ep] != null) {
            return "AlreadyRegisteredException";
        }
        int generation = nextGeneration();
        if (kernelKeepsFilePairs()) {
            File file = kernel.file(ep);
            if (file == null) {
                return "ErrnoException(EBADF)";
            }
            if (registration(file, ep) != null) {
                return "ErrnoException(EEXIST)";
            }
            registrations.add(new Registration(file, ep, events, generation));
        }
        keys[ep] = new Key(ep, form, events, data, generation);
        return keys[ep].render();
    }

    String unregister(int ep, Form form) {
        if (closed) {
            return "AlreadyClosedException";
        }
        int fd = lookup(ep, form);
        if (fd < 0) {
            return "IllegalArgumentException";
        }
        Key key = keys[fd];
        if (key == null) {
            return "NotRegisteredException";
        }
        keys[fd] = null;
        // EBADF (closed number) and ENOENT (the number names another file) mean "already gone",
        // which unregister swallows.
        forget(fd);
        return key.render();
    }

    /** The data a modify that keeps the data passes: the key's, or null if there is no key. */
    String currentData(int ep) {
        return closed || keys[ep] == null ? null : keys[ep].data();
    }

    String modify(int ep, int events, Form form, String data) {
        if (closed) {
            return "AlreadyClosedException";
        }
        if (!isValid(events)) {
            return "IllegalArgumentException";
        }
        int fd = lookup(ep, form);
        if (fd < 0) {
            return "IllegalArgumentException";
        }
        Key key = keys[fd];
        if (key == null) {
            return "NotRegisteredException";
        }
        if (events != key.events()) {
            if (kernelKeepsFilePairs()) {
                File file = kernel.file(fd);
                Registration registration = file == null ? null : registration(file, fd);
                if (registration == null) {
                    // The kernel refused: the key is dropped (its cleanup fails the same way, suppressed).
                    keys[fd] = null;
                    return "ErrnoException(" + (file == null ? "EBADF" : "ENOENT") + ")";
                }
                registration.events = events;
                registration.generation = key.generation();
            }
        } else if (Objects.equals(data, key.data())) {
            return "same " + key.render();
        }
        keys[fd] = new Key(key.ep(), key.form(), events, data, key.generation());
        return keys[fd].render();
    }

    String getKey(int ep, Form form) {
        if (closed) {
            return "AlreadyClosedException";
        }
        int fd = lookup(ep, form);
        if (fd < 0) {
            return "IllegalArgumentException";
        }
        return keys[fd] == null ? "NotRegisteredException" : keys[fd].render();
    }

    void close() {
        closed = true;
        registrations.clear();
        java.util.Arrays.fill(keys, null);
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Called before the endpoint's number is closed or made to name another file: for kqueue, the
     * model stops here if the number is registered (see the class comment).
     */
    void numberChanging(int ep) {
        if (backend == SelectorBackend.KQUEUE && !closed && keys[ep] != null && !kernel.isClosed(ep)) {
            undefined = true;
        }
    }

    /** Whether the model still predicts this backend (false for kqueue after a registered number was closed or reused). */
    boolean isDefined() {
        return !undefined;
    }

    /** The registrations, as {@code Lockstep} renders the real {@code getMap()}. */
    String renderMap() {
        if (closed) {
            return "closed";
        }
        StringBuilder out = new StringBuilder("map{");
        for (Key key : keys) {
            if (key != null) {
                out.append(out.length() > 4 ? ", " : "").append(key.render());
            }
        }
        return out.append('}').toString();
    }

    // ------------------------------------------------------------------ waiting

    /** The generation a batch starting now compares registrations with. */
    int batchGeneration() {
        return lastGeneration;
    }

    /**
     * What the backend's wait reports now, before dispatch filters it.
     *
     * @return the raw entries; or null, and {@code error[0]} set, if the wait fails
     */
    List<Raw> wait(String[] error) {
        List<Raw> raw = new ArrayList<>();
        switch (backend) {
            case EPOLL, KQUEUE -> {
                for (Registration registration : registrations) {
                    if (registration.file.isOpen()) {
                        int mask = KernelModel.pollMask(registration.file) & (toPoll(registration.events) | KernelModel.ERR | KernelModel.HUP);
                        if (mask != 0) {
                            int events = backend == SelectorBackend.EPOLL ? mapped(mask) : filtered(registration.events, mask);
                            raw.add(new Raw(registration.ep, events, registration.generation));
                        }
                    }
                }
            }
            case POLL -> {
                for (Key key : keys) {
                    if (key != null) {
                        File file = kernel.file(key.ep());
                        int mask = file == null ? KernelModel.NVAL
                                : KernelModel.pollMask(file) & (toPoll(key.events()) | KernelModel.ERR | KernelModel.HUP);
                        if (mask != 0) {
                            raw.add(new Raw(key.ep(), mapped(mask), ANY_GENERATION));
                        }
                    }
                }
            }
            case SELECT -> {
                for (Key key : keys) {
                    if (key != null && kernel.isClosed(key.ep())) {
                        error[0] = "ErrnoException(EBADF)";
                        return null;
                    }
                }
                for (Key key : keys) {
                    if (key != null) {
                        int mask = KernelModel.pollMask(kernel.file(key.ep()));
                        int events = ((key.events() & READ) != 0 && (mask & (KernelModel.IN | KernelModel.HUP | KernelModel.ERR)) != 0 ? READ : 0)
                                | ((key.events() & WRITE) != 0 && (mask & (KernelModel.OUT | KernelModel.ERR)) != 0 ? WRITE : 0);
                        if (events != 0) {
                            raw.add(new Raw(key.ep(), events, ANY_GENERATION));
                        }
                    }
                }
            }
        }
        return raw;
    }

    /**
     * Dispatch's check of one raw entry against the registrations as they are now: the key must
     * exist, be no newer than the batch, and have the entry's generation where the kernel returns
     * one; the events are then filtered by the key's current interest. A key whose file object was
     * closed (before the wait or by an earlier handler) but not unregistered is still handed over:
     * the selector leaves that to its caller (the reactor's EventLoop drops such watchers when it
     * is handed one).
     *
     * @return the delivery, or null if nothing is delivered
     */
    Delivery deliverable(Raw raw, int batchGeneration) {
        Key key = keys[raw.ep()];
        if (key == null || key.generation() - batchGeneration > 0
                || (raw.generation() != ANY_GENERATION && raw.generation() != key.generation())) {
            return null;
        }
        int events = raw.events() & key.events();
        return events == 0 ? null : new Delivery(raw.ep(), events, key);
    }

    // ------------------------------------------------------------------ helpers

    /** BaseSelector's lookupFd: the number, else the key whose file object is this one, else -1 (IAE). */
    private int lookup(int ep, Form form) {
        if (form == Form.INT || !kernel.isClosed(ep)) {
            return ep;
        }
        return keys[ep] != null && keys[ep].form() == Form.OBJ ? ep : -1;
    }

    /** The backend's unregister of a number whose key is gone: epoll deletes (file, number) if it exists. */
    private void forget(int ep) {
        if (kernelKeepsFilePairs()) {
            File file = kernel.file(ep);
            Registration registration = file == null ? null : registration(file, ep);
            if (registration != null) {
                registrations.remove(registration);
            }
        }
    }

    private Registration registration(File file, int ep) {
        for (Registration registration : registrations) {
            if (registration.file == file && registration.ep == ep && file.isOpen()) {
                return registration;
            }
        }
        return null;
    }

    private int nextGeneration() {
        return ++lastGeneration;
    }

    private static boolean isValid(int events) {
        return events == READ || events == WRITE || events == (READ | WRITE);
    }

    private static int toPoll(int events) {
        return ((events & READ) != 0 ? KernelModel.IN : 0) | ((events & WRITE) != 0 ? KernelModel.OUT : 0);
    }

    /**
     * kqueue's: each filter reports its own direction only, when its epoll registration inside
     * libkqueue fires (the direction, or a hang-up or error, which epoll always reports).
     */
    private static int filtered(int interest, int mask) {
        return ((interest & READ) != 0 && (mask & (KernelModel.IN | KernelModel.HUP | KernelModel.ERR)) != 0 ? READ : 0)
                | ((interest & WRITE) != 0 && (mask & (KernelModel.OUT | KernelModel.HUP | KernelModel.ERR)) != 0 ? WRITE : 0);
    }

    /** CPython's mapping, as epoll and poll selectors use it: anything but pure OUT reads, anything but pure IN writes. */
    private static int mapped(int mask) {
        return ((mask & ~KernelModel.OUT) != 0 ? READ : 0) | ((mask & ~KernelModel.IN) != 0 ? WRITE : 0);
    }
}
