package io.github.selectors4j.internal;

import java.util.Arrays;

/**
 * The results of one wait, kept in Java arrays that are reused from wait to wait: an fd, its ready
 * events and a 32-bit tag per entry. Waits copy what the kernel wrote into one of these, so that
 * reading results never touches native memory another thread may already have released, and
 * costs no allocation.
 *
 * <p>Not thread-safe: filled and read by the single waiter.
 */
public final class ReadyList {

    private int size;
    private int[] fds;
    private int[] events;
    private int[] tags;

    /**
     * Creates an empty list.
     *
     * @param capacity entries to make room for at first
     */
    public ReadyList(int capacity) {
        fds = new int[capacity];
        events = new int[capacity];
        tags = new int[capacity];
    }

    /**
     * Makes room for {@code capacity} entries, keeping the current ones.
     *
     * @param capacity entries needed
     */
    public void ensureCapacity(int capacity) {
        if (capacity > fds.length) {
            int grown = Math.max(capacity, fds.length * 2);
            fds = Arrays.copyOf(fds, grown);
            events = Arrays.copyOf(events, grown);
            tags = Arrays.copyOf(tags, grown);
        }
    }

    /** Empties the list. */
    public void clear() {
        size = 0;
    }

    /**
     * Appends an entry; the capacity must have been ensured.
     *
     * @param fd        the fd
     * @param readiness its events
     * @param tag       its tag
     * @return the entry's index
     */
    public int add(int fd, int readiness, int tag) {
        fds[size] = fd;
        events[size] = readiness;
        tags[size] = tag;
        return size++;
    }

    /**
     * Adds events to an entry.
     *
     * @param i         the entry
     * @param readiness more events
     */
    public void addEvents(int i, int readiness) {
        events[check(i)] |= readiness;
    }

    /** {@return the number of entries} */
    public int size() {
        return size;
    }

    /**
     * {@return the fd of entry {@code i}}
     *
     * @param i the entry, from 0 to {@link #size()} - 1
     * @throws IndexOutOfBoundsException if there is no such entry
     */
    public int fd(int i) {
        return fds[check(i)];
    }

    /**
     * {@return the events of entry {@code i}}
     *
     * @param i the entry, from 0 to {@link #size()} - 1
     * @throws IndexOutOfBoundsException if there is no such entry
     */
    public int events(int i) {
        return events[check(i)];
    }

    /**
     * {@return the tag of entry {@code i}}
     *
     * @param i the entry, from 0 to {@link #size()} - 1
     * @throws IndexOutOfBoundsException if there is no such entry
     */
    public int tag(int i) {
        return tags[check(i)];
    }

    private int check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("ready index " + i + " out of range: the last wait returned " + size);
        }
        return i;
    }
}
