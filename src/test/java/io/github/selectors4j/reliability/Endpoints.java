package io.github.selectors4j.reliability;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.FileDescriptorLike;
import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.SocketType;
import java.io.IOException;

/**
 * The real fds of one differential run, as eight endpoints whose readiness the model can predict:
 * two eventfds (0, 1), two pipes (read ends 2 and 4, write ends 3 and 5) and a connected AF_UNIX
 * stream pair (6, 7). Each endpoint has a Java object, {@link Endpoint}, which is how the sequence
 * closes it and one of the two ways it names it to the selector; its fd number never changes (a
 * dup2 onto it changes the file the number names, not the number).
 *
 * <p>The numbers are moved to {@value #BASE} and up, below select's limit of 1024 but far above
 * the numbers the JVM hands out: the kernel gives the lowest free number to every new fd, and a
 * number a sequence closed must stay closed while the sequence runs (a class file or jar the JVM
 * opened meanwhile would otherwise take it, and make the model's "closed" wrong).
 */
final class Endpoints implements AutoCloseable {

    /** How many endpoints a sequence can name. */
    static final int COUNT = 8;
    /** The number of endpoint 0; the others follow. */
    static final int BASE = 1000;

    /**
     * An endpoint's Java object: a {@link FileDescriptorLike} as an application would write one.
     * Once closed, half of them say so by returning -1, the other half by throwing
     * {@link AlreadyClosedException}: the two ways the interface allows.
     */
    static final class Endpoint implements FileDescriptorLike, AutoCloseable {
        private final int number;
        private final boolean throwsWhenClosed;
        private boolean closed;

        Endpoint(int number, boolean throwsWhenClosed) {
            this.number = number;
            this.throwsWhenClosed = throwsWhenClosed;
        }

        @Override
        public int fileno() {
            if (closed && throwsWhenClosed) {
                throw new AlreadyClosedException("endpoint " + number);
            }
            return closed ? -1 : number;
        }

        @Override
        public void close() throws ErrnoException {
            if (!closed) {
                closed = true;
                Fds.close(number);
            }
        }

        @Override
        public String toString() {
            return "Endpoint[" + number + (closed ? ", closed" : "") + "]";
        }
    }

    private final Endpoint[] endpoints = new Endpoint[COUNT];

    private Endpoints() {
    }

    /** Opens the eight fds, closing those already open if one fails. */
    static Endpoints open() throws IOException {
        Endpoints opened = new Endpoints();
        try {
            opened.set(0, Fds.eventfd(0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC));
            opened.set(1, Fds.eventfd(0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC));
            for (int first : new int[] {2, 4}) {
                int[] pipe = Fds.pipe(Pipe.O_NONBLOCK | Pipe.O_CLOEXEC);
                opened.set(first, pipe[0]);
                opened.set(first + 1, pipe[1]);
            }
            int[] pair = Fds.socketpair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM | SocketType.SOCK_NONBLOCK | SocketType.SOCK_CLOEXEC, 0);
            opened.set(6, pair[0]);
            opened.set(7, pair[1]);
            return opened;
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /** Moves a new fd to the endpoint's number. */
    private void set(int ep, int fd) throws ErrnoException {
        int number = BASE + ep;
        try {
            if (Fds.isOpen(number)) {
                throw new IllegalStateException("fd " + number + " is in use: the endpoints need " + BASE + " to " + (BASE + COUNT - 1));
            }
            Fds.dup2(fd, number);
        } finally {
            Fds.close(fd);
        }
        endpoints[ep] = new Endpoint(number, ep % 2 == 0);
    }

    /** The kind of file the endpoint starts as. */
    static KernelModel.Kind kind(int ep) {
        return switch (ep) {
            case 0, 1 -> KernelModel.Kind.EVENTFD;
            case 2, 4 -> KernelModel.Kind.PIPE_READ;
            case 3, 5 -> KernelModel.Kind.PIPE_WRITE;
            default -> KernelModel.Kind.SOCKET;
        };
    }

    /** The other end of the endpoint's pipe or socket pair, or -1 for an eventfd. */
    static int partner(int ep) {
        return switch (ep) {
            case 2, 4, 6 -> ep + 1;
            case 3, 5, 7 -> ep - 1;
            default -> -1;
        };
    }

    /** The endpoint's Java object. */
    Object object(int ep) {
        return endpoints[ep];
    }

    /** The endpoint's fd number. */
    int number(int ep) {
        return BASE + ep;
    }

    /** The endpoint whose number this is, or -1. */
    int endpointOf(int fd) {
        return fd >= BASE && fd < BASE + COUNT ? fd - BASE : -1;
    }

    /** Closes one endpoint's object, and so its number (idempotent). */
    void close(int ep) throws ErrnoException {
        endpoints[ep].close();
    }

    /** Closes every endpoint still open, each once: a number dup2'd onto is closed by its own object. */
    @Override
    public void close() {
        for (Endpoint endpoint : endpoints) {
            if (endpoint != null) {
                try {
                    endpoint.close();
                } catch (ErrnoException e) {
                    throw new IllegalStateException("closing " + endpoint, e);
                }
            }
        }
    }
}
