package io.github.selectors4j.reliability;

/**
 * What the kernel knows about the files under a differential sequence, reduced to what decides
 * readiness: which file each endpoint's fd number names (after closes and dup2s), how many numbers
 * keep each file open, and what is waiting to be read. {@link #pollMask} is the file's
 * {@code poll} mask as Linux computes it for these file types (fs/eventfd.c, fs/pipe.c,
 * net/unix/af_unix.c), limited to IN, OUT, ERR and HUP.
 *
 * <p>The fd operations return whether they apply; a sequence step whose operation does not apply
 * (writing to a pipe with no reader, which would fail with EPIPE; dup2 onto a closed number, which
 * could clobber an fd the JVM opened meanwhile) is skipped alike by the model and the real run.
 */
final class KernelModel {

    /** poll bits, as Linux defines them (the same for epoll). */
    static final int IN = 0x001;
    static final int OUT = 0x004;
    static final int ERR = 0x008;
    static final int HUP = 0x010;
    static final int NVAL = 0x020;

    /** The kinds of file a sequence runs on. */
    enum Kind { EVENTFD, PIPE_READ, PIPE_WRITE, SOCKET }

    /** One open file description. */
    static final class File {
        final int id;
        final Kind kind;
        /** How many fd numbers name it; it is closed at 0. */
        int refs = 1;
        /** The eventfd's counter, or the bytes waiting to be read from it (a pipe's read end, a socket). */
        long pending;
        /** The other end: of the pipe, or the socket pair. */
        File partner;
        /** A socket shut down for writing. */
        boolean sentShutdown;

        File(int id, Kind kind) {
            this.id = id;
            this.kind = kind;
        }

        boolean isOpen() {
            return refs > 0;
        }

        @Override
        public String toString() {
            return kind + "#" + id;
        }
    }

    /** The file each endpoint's number names; null once the number is closed. */
    private final File[] byEndpoint = new File[Endpoints.COUNT];

    KernelModel() {
        for (int ep = 0; ep < Endpoints.COUNT; ep++) {
            byEndpoint[ep] = new File(ep, Endpoints.kind(ep));
        }
        for (int ep = 0; ep < Endpoints.COUNT; ep++) {
            int partner = Endpoints.partner(ep);
            if (partner >= 0) {
                byEndpoint[ep].partner = byEndpoint[partner];
            }
        }
    }

    /** The file the endpoint's number names, or null if the number is closed. */
    File file(int ep) {
        return byEndpoint[ep];
    }

    /** Whether the endpoint's number (and so its Java object) is closed. */
    boolean isClosed(int ep) {
        return byEndpoint[ep] == null;
    }

    /** The poll mask of an open file. */
    static int pollMask(File file) {
        File partner = file.partner;
        return switch (file.kind) {
            case EVENTFD -> (file.pending > 0 ? IN : 0) | OUT;
            case PIPE_READ -> (file.pending > 0 ? IN : 0) | (partner.isOpen() ? 0 : HUP);
            // A pipe without readers: writable (it would fail with EPIPE, which poll tells as ERR).
            case PIPE_WRITE -> OUT | (partner.isOpen() ? 0 : ERR);
            case SOCKET -> {
                // The peer's close shuts both directions of this end (unix_release_sock); a
                // shutdown on each side does the same. A unix stream socket stays writable to the
                // end. ERR (a peer closed with unread data) is left out: it only ever joins IN,
                // OUT and HUP, and adds no readiness to them on any backend.
                boolean peerGone = !partner.isOpen();
                boolean receiveShut = peerGone || partner.sentShutdown;
                int mask = OUT;
                if (file.pending > 0 || receiveShut) {
                    mask |= IN;
                }
                if (peerGone || (file.sentShutdown && receiveShut)) {
                    mask |= HUP;
                }
                yield mask;
            }
        };
    }

    /** The kind of write the endpoint's file takes now, or null if a write does not apply. */
    Kind writable(int ep) {
        File file = byEndpoint[ep];
        if (file == null) {
            return null;
        }
        return switch (file.kind) {
            case EVENTFD -> Kind.EVENTFD;
            case PIPE_WRITE -> file.partner.isOpen() ? Kind.PIPE_WRITE : null;
            case SOCKET -> !file.sentShutdown && file.partner.isOpen() ? Kind.SOCKET : null;
            case PIPE_READ -> null;
        };
    }

    void write(int ep) {
        File file = byEndpoint[ep];
        if (file.kind == Kind.EVENTFD) {
            file.pending++;
        } else {
            file.partner.pending++;   // one byte, into the pipe or to the peer
        }
    }

    /** The kind of the endpoint's file if it has something to read now, or null. */
    Kind drainable(int ep) {
        File file = byEndpoint[ep];
        return file != null && file.kind != Kind.PIPE_WRITE && file.pending > 0 ? file.kind : null;
    }

    void drain(int ep) {
        byEndpoint[ep].pending = 0;
    }

    /** Whether the endpoint names a socket that can still be shut down for writing. */
    boolean canShutdown(int ep) {
        File file = byEndpoint[ep];
        return file != null && file.kind == Kind.SOCKET && !file.sentShutdown;
    }

    void shutdown(int ep) {
        byEndpoint[ep].sentShutdown = true;
    }

    /** Closes the endpoint's number; false if it was closed already. */
    boolean close(int ep) {
        File file = byEndpoint[ep];
        if (file == null) {
            return false;
        }
        file.refs--;
        byEndpoint[ep] = null;
        return true;
    }

    /** Whether {@code dup2(src, dst)} applies: both numbers open and distinct. */
    boolean canDup2(int src, int dst) {
        return src != dst && byEndpoint[src] != null && byEndpoint[dst] != null;
    }

    void dup2(int src, int dst) {
        byEndpoint[dst].refs--;
        byEndpoint[dst] = byEndpoint[src];
        byEndpoint[src].refs++;
    }
}
