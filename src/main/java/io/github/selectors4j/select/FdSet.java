package io.github.selectors4j.select;

import io.github.selectors4j.internal.Platform;
import java.util.Arrays;
import java.util.Objects;

/**
 * A set of file descriptors below {@link #SIZE}, the {@code fd_set} of {@code select(2)}: the
 * reusable, allocation-free companion of {@link Select#select(FdSet, FdSet, FdSet, long)}.
 *
 * <pre>{@code
 * FdSet readable = new FdSet().set(pipeReadFd).set(socketFd);
 * int n = Select.select(readable, null, null, TimeUnit.SECONDS.toNanos(1));
 * if (readable.isSet(socketFd)) { ... }     // the call left only the ready fds in the set
 * }</pre>
 *
 * <p>Held in Java memory and copied to the kernel's layout for each call, so it needs no closing.
 * Not thread-safe.
 */
public final class FdSet {

    /** {@code FD_SETSIZE}: every fd in a set must be below this. */
    public static final int SIZE = Platform.FD_SETSIZE;

    final long[] words = new long[SIZE / 64];

    /**
     * Creates an empty set.
     */
    public FdSet() {
    }

    /**
     * Adds an fd ({@code FD_SET}).
     *
     * @param fd an fd in {@code [0, SIZE)}
     * @return this set
     * @throws IllegalArgumentException if the fd is out of range
     */
    public FdSet set(int fd) {
        checkRange(fd);
        words[fd >>> 6] |= 1L << fd;
        return this;
    }

    /**
     * Removes an fd ({@code FD_CLR}).
     *
     * @param fd an fd in {@code [0, SIZE)}
     * @return this set
     * @throws IllegalArgumentException if the fd is out of range
     */
    public FdSet clear(int fd) {
        checkRange(fd);
        words[fd >>> 6] &= ~(1L << fd);
        return this;
    }

    /**
     * Tests an fd ({@code FD_ISSET}).
     *
     * @param fd an fd in {@code [0, SIZE)}
     * @return whether it is in the set
     * @throws IllegalArgumentException if the fd is out of range
     */
    public boolean isSet(int fd) {
        checkRange(fd);
        return (words[fd >>> 6] & (1L << fd)) != 0;
    }

    /**
     * Empties the set ({@code FD_ZERO}).
     *
     * @return this set
     */
    public FdSet clearAll() {
        Arrays.fill(words, 0);
        return this;
    }

    /**
     * Makes this set a copy of another.
     *
     * @param other the set to copy
     * @return this set
     */
    public FdSet copyFrom(FdSet other) {
        Objects.requireNonNull(other, "other");
        System.arraycopy(other.words, 0, words, 0, words.length);
        return this;
    }

    /**
     * Returns the first fd in the set at or above {@code fromFd}, for iterating over a set:
     * {@code for (int fd = set.nextSet(0); fd >= 0; fd = set.nextSet(fd + 1))}.
     *
     * @param fromFd where to start; may be {@link #SIZE} or more, which finds nothing
     * @return the fd, or -1 if there is none
     */
    public int nextSet(int fromFd) {
        if (fromFd < 0) {
            throw new IllegalArgumentException("fromFd must not be negative: " + fromFd);
        }
        int w = fromFd >>> 6;
        if (w >= words.length) {
            return -1;
        }
        long bits = words[w] & (-1L << fromFd);
        for (;;) {
            if (bits != 0) {
                return w * 64 + Long.numberOfTrailingZeros(bits);
            }
            if (++w == words.length) {
                return -1;
            }
            bits = words[w];
        }
    }

    /**
     * Returns the highest fd in the set.
     *
     * @return the fd, or -1 if the set is empty
     */
    public int highestFd() {
        for (int w = words.length - 1; w >= 0; w--) {
            if (words[w] != 0) {
                return w * 64 + 63 - Long.numberOfLeadingZeros(words[w]);
            }
        }
        return -1;
    }

    /**
     * Returns the number of fds in the set.
     *
     * @return the count
     */
    public int count() {
        int n = 0;
        for (long word : words) {
            n += Long.bitCount(word);
        }
        return n;
    }

    static void checkRange(int fd) {
        if (fd < 0 || fd >= SIZE) {
            throw new IllegalArgumentException("filedescriptor out of range in select(): " + fd
                    + " (an fd_set holds fds 0 to " + (SIZE - 1) + ")");
        }
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("FdSet[");
        for (int fd = nextSet(0); fd >= 0; fd = nextSet(fd + 1)) {
            out.append(out.length() > 6 ? ", " : "").append(fd);
        }
        return out.append(']').toString();
    }
}
