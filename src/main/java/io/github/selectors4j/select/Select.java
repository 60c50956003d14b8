package io.github.selectors4j.select;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.FileObjects;
import io.github.selectors4j.internal.SelectCall;
import io.github.selectors4j.internal.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * {@code select(2)}: Python's {@code select.select()}, and an allocation-free form over
 * {@link FdSet}s.
 *
 * <pre>{@code
 * Select.Result<Object> ready = Select.select(List.of(pipeReadFd, socket), List.of(), List.of(),
 *                                             Duration.ofMillis(500));
 * for (Object readable : ready.readable()) { ... }   // the same objects that were passed in
 * }</pre>
 *
 * <p>As in Python: every fd must be below {@link FdSet#SIZE} ({@code FD_SETSIZE}), each list may hold
 * at most that many entries, a negative timeout is refused, a closed fd fails the call with
 * {@code EBADF}, and the timeout is rounded up to the microsecond. {@code EINTR} is retried with the
 * remaining time.
 */
public final class Select {

    /**
     * The ready subsets, in the order of the request.
     *
     * @param readable    objects ready to read
     * @param writable    objects ready to write
     * @param exceptional objects with an exceptional condition (e.g. TCP urgent data)
     * @param <T>         the type of the objects passed in
     */
    public record Result<T>(List<T> readable, List<T> writable, List<T> exceptional) {

        /**
         * Creates the result.
         *
         * @param readable    objects ready to read, not null
         * @param writable    objects ready to write, not null
         * @param exceptional objects with an exceptional condition, not null
         */
        public Result {
            Objects.requireNonNull(readable, "readable");
            Objects.requireNonNull(writable, "writable");
            Objects.requireNonNull(exceptional, "exceptional");
        }
    }

    private Select() {
    }

    /**
     * Waits until some of the file objects are ready.
     *
     * @param read    file objects to watch for reading ({@code Integer} fds,
     *                {@link io.github.selectors4j.FileDescriptorLike}s, {@code FileDescriptor}s)
     * @param write   file objects to watch for writing
     * @param except  file objects to watch for exceptional conditions
     * @param timeout null to wait forever, zero not to wait
     * @param <T>     the type of the objects
     * @return the ready subsets; all empty on timeout
     * @throws ErrnoException           e.g. {@code EBADF} if an fd is closed
     * @throws IllegalArgumentException for an fd out of range, too many fds, or a negative timeout
     */
    public static <T> Result<T> select(Collection<? extends T> read, Collection<? extends T> write,
                                       Collection<? extends T> except, Duration timeout) throws ErrnoException {
        long nanos = toNanos(timeout);
        int[] readFds = fdsOf(Objects.requireNonNull(read, "read"));
        int[] writeFds = fdsOf(Objects.requireNonNull(write, "write"));
        int[] exceptFds = fdsOf(Objects.requireNonNull(except, "except"));
        FdSet readSet = setOf(readFds);
        FdSet writeSet = setOf(writeFds);
        FdSet exceptSet = setOf(exceptFds);
        select(readSet, writeSet, exceptSet, nanos);
        return new Result<>(subset(read, readFds, readSet), subset(write, writeFds, writeSet),
                subset(except, exceptFds, exceptSet));
    }

    /**
     * Waits on fd sets in place, as C's {@code select}: on return each set holds only its ready fds.
     *
     * @param read    readable interest, or null
     * @param write   writable interest, or null
     * @param except  exceptional-condition interest, or null
     * @param timeout null to wait forever, zero not to wait
     * @return the total number of ready fds counted over the three sets
     * @throws ErrnoException           e.g. {@code EBADF}
     * @throws IllegalArgumentException for a negative timeout
     */
    public static int select(FdSet read, FdSet write, FdSet except, Duration timeout) throws ErrnoException {
        return select(read, write, except, toNanos(timeout));
    }

    /**
     * Waits on fd sets in place; allocates nothing.
     *
     * @param read         readable interest, or null
     * @param write        writable interest, or null
     * @param except       exceptional-condition interest, or null
     * @param timeoutNanos negative to wait forever, zero not to wait; rounded up to the microsecond
     * @return the total number of ready fds counted over the three sets
     * @throws ErrnoException e.g. {@code EBADF} (never {@code EINTR}: it is retried)
     */
    public static int select(FdSet read, FdSet write, FdSet except, long timeoutNanos) throws ErrnoException {
        int nfds = 1 + Math.max(highest(read), Math.max(highest(write), highest(except)));
        return SelectCall.select(wordsOf(read), wordsOf(write), wordsOf(except), nfds, timeoutNanos);
    }

    private static long toNanos(Duration timeout) {
        if (timeout == null) {
            return Timeouts.FOREVER;
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be non-negative: " + timeout);
        }
        return Timeouts.toNanos(timeout);
    }

    private static int[] fdsOf(Collection<?> fileobjs) {
        if (fileobjs.size() > FdSet.SIZE) {
            throw new IllegalArgumentException("too many file descriptors in select(): " + fileobjs.size()
                    + " (at most " + FdSet.SIZE + ")");
        }
        int[] fds = new int[fileobjs.size()];
        int i = 0;
        for (Object fileobj : fileobjs) {
            int fd = FileObjects.fd(fileobj);
            FdSet.checkRange(fd);
            fds[i++] = fd;
        }
        return fds;
    }

    private static FdSet setOf(int[] fds) {
        FdSet set = new FdSet();
        for (int fd : fds) {
            set.set(fd);
        }
        return set;
    }

    private static <T> List<T> subset(Collection<? extends T> fileobjs, int[] fds, FdSet ready) {
        List<T> subset = new ArrayList<>();
        int i = 0;
        for (T fileobj : fileobjs) {
            if (ready.isSet(fds[i++])) {
                subset.add(fileobj);
            }
        }
        return subset;
    }

    private static int highest(FdSet set) {
        return set == null ? -1 : set.highestFd();
    }

    private static long[] wordsOf(FdSet set) {
        return set == null ? null : set.words;
    }
}
