package io.github.selectors4j.selectors;

import java.util.Arrays;

/**
 * The selector's keys, indexed by fd number: a lookup is an array read, so dispatching an event
 * costs no hashing and no boxing. Each registration also records the generation it was made in,
 * which is how a batch of events recognises registrations newer than itself.
 *
 * <p>Not thread-safe; owned by one {@link BaseSelector}.
 */
final class KeyTable {

    private SelectorKey[] keys = new SelectorKey[64];
    private int[] generations = new int[64];
    private int size;

    SelectorKey get(int fd) {
        return fd < keys.length ? keys[fd] : null;
    }

    int generation(int fd) {
        return generations[fd];
    }

    void put(int fd, SelectorKey key, int generation) {
        if (fd >= keys.length) {
            int grown = Math.max(keys.length * 2, fd + 1);
            keys = Arrays.copyOf(keys, grown);
            generations = Arrays.copyOf(generations, grown);
        }
        keys[fd] = key;
        generations[fd] = generation;
        size++;
    }

    void replace(int fd, SelectorKey key) {
        keys[fd] = key;
    }

    SelectorKey remove(int fd) {
        SelectorKey key = get(fd);
        if (key != null) {
            keys[fd] = null;
            size--;
        }
        return key;
    }

    int size() {
        return size;
    }

    /** One past the highest fd the table could hold; iteration bound. */
    int fdLimit() {
        return keys.length;
    }

    /**
     * Finds the key whose file object is this very object, for objects that can no longer tell
     * their fd (closed), as Python's {@code _fileobj_lookup} does.
     */
    int findByIdentity(Object fileobj) {
        for (int fd = 0; fd < keys.length; fd++) {
            if (keys[fd] != null && keys[fd].fileobj() == fileobj) {
                return fd;
            }
        }
        return -1;
    }

    void clear() {
        Arrays.fill(keys, null);
        size = 0;
    }
}
