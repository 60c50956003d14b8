package io.github.selectors4j.select;

import io.github.selectors4j.internal.FileObjects;
import io.github.selectors4j.internal.KqueueAbi;

/**
 * A kernel event for {@link Kqueue}: Python's {@code select.kevent}, an immutable value with the six
 * fields of {@code struct kevent}.
 *
 * <pre>{@code
 * KEvent addRead = KEvent.of(socket, Kqueue.KQ_FILTER_READ, Kqueue.KQ_EV_ADD | Kqueue.KQ_EV_CLEAR);
 * KEvent timer   = new KEvent(1, Kqueue.KQ_FILTER_TIMER, Kqueue.KQ_EV_ADD, 0, 250, 0);   // every 250 ms
 * System.out.println(addRead);   // KEvent[ident=5, filter=READ, flags=ADD|CLEAR, fflags=0x0, data=0, udata=0x0]
 * }</pre>
 *
 * <p>Equality and ordering compare the six fields in declaration order, as Python compares kevents;
 * {@code ident}, {@code flags}, {@code fflags} and {@code udata} compare as unsigned numbers, the
 * way the C types hold them. FreeBSD 12's extension words are not part of the value (Python does not
 * expose them either); they are written as zero and ignored when read.
 *
 * @param ident  the identifier: usually an fd, or a pid, signal number, timer or user-event id
 * @param filter the filter, a {@code KQ_FILTER_*} constant
 * @param flags  action and status flags, {@code KQ_EV_*}
 * @param fflags filter-specific flags, {@code KQ_NOTE_*}
 * @param data   filter-specific data (bytes readable, timer period, errno with {@code EV_ERROR}...)
 * @param udata  opaque user data, returned unchanged with the event
 */
public record KEvent(long ident, int filter, int flags, int fflags, long data, long udata) implements Comparable<KEvent> {

    /**
     * Python's {@code kevent(fileobj)}: read readiness, added.
     *
     * @param fileobj an fd ({@code Integer}) or a file object
     * @return the event
     */
    public static KEvent of(Object fileobj) {
        return of(fileobj, Kqueue.KQ_FILTER_READ, Kqueue.KQ_EV_ADD);
    }

    /**
     * Python's {@code kevent(fileobj, filter, flags)}.
     *
     * @param fileobj an fd ({@code Integer}) or a file object
     * @param filter  a {@code KQ_FILTER_*} constant
     * @param flags   {@code KQ_EV_*} flags
     * @return the event
     */
    public static KEvent of(Object fileobj, int filter, int flags) {
        return new KEvent(FileObjects.fd(fileobj), filter, flags, 0, 0, 0);
    }

    @Override
    public int compareTo(KEvent other) {
        int c = Long.compareUnsigned(ident, other.ident);
        if (c == 0) {
            c = Integer.compare(filter, other.filter);
        }
        if (c == 0) {
            c = Integer.compareUnsigned(flags, other.flags);
        }
        if (c == 0) {
            c = Integer.compareUnsigned(fflags, other.fflags);
        }
        if (c == 0) {
            c = Long.compare(data, other.data);
        }
        if (c == 0) {
            c = Long.compareUnsigned(udata, other.udata);
        }
        return c;
    }

    @Override
    public String toString() {
        KqueueAbi abi = KqueueAbi.CURRENT;
        return "KEvent[ident=" + Long.toUnsignedString(ident) + ", filter=" + abi.filterName(filter)
                + ", flags=" + abi.flagNames(flags) + ", fflags=0x" + Integer.toHexString(fflags)
                + ", data=" + data + ", udata=0x" + Long.toHexString(udata) + "]";
    }
}
