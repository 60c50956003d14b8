package io.github.selectors4j.selectors;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The live, read-only view {@link BaseSelector#getMap()} returns: fd to key, in ascending fd order.
 * Like Python's {@code _SelectorMapping}, lookups accept any file object, not only fd numbers.
 */
final class SelectorMap extends AbstractMap<Integer, SelectorKey> {

    private final BaseSelector selector;
    private final KeyTable table;
    private final Set<Map.Entry<Integer, SelectorKey>> entries = new Entries();

    SelectorMap(BaseSelector selector, KeyTable table) {
        this.selector = selector;
        this.table = table;
    }

    @Override
    public SelectorKey get(Object fileobj) {
        if (fileobj == null) {
            return null;
        }
        try {
            return table.get(selector.lookupFd(fileobj));
        } catch (IllegalArgumentException notAFileObject) {
            // Map.get's contract: an object that cannot be a key maps to nothing.
            return null;
        }
    }

    @Override
    public boolean containsKey(Object fileobj) {
        return get(fileobj) != null;
    }

    @Override
    public int size() {
        return table.size();
    }

    @Override
    public Set<Map.Entry<Integer, SelectorKey>> entrySet() {
        return entries;
    }

    private final class Entries extends AbstractSet<Map.Entry<Integer, SelectorKey>> {
        @Override
        public int size() {
            return table.size();
        }

        @Override
        public Iterator<Map.Entry<Integer, SelectorKey>> iterator() {
            return new Iterator<>() {
                private int fd = advance(0);

                private int advance(int from) {
                    int limit = table.fdLimit();
                    int next = from;
                    while (next < limit && table.get(next) == null) {
                        next++;
                    }
                    return next;
                }

                @Override
                public boolean hasNext() {
                    return fd < table.fdLimit() && table.get(fd) != null;
                }

                @Override
                public Map.Entry<Integer, SelectorKey> next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Map.Entry<Integer, SelectorKey> entry = Map.entry(fd, table.get(fd));
                    fd = advance(fd + 1);
                    return entry;
                }
            };
        }
    }
}
