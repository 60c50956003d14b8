package io.github.selectors4j.selectors;

import java.io.IOException;
import java.util.Locale;
import java.util.Objects;

/**
 * The selector implementations, in {@link DefaultSelector}'s order of preference.
 *
 * <pre>{@code
 * BaseSelector selector = SelectorBackend.POLL.open();   // a specific backend
 * String name = selector.backend().displayName();        // "poll"
 * }</pre>
 */
public enum SelectorBackend {

    /** Linux epoll: {@link EpollSelector}. */
    EPOLL {
        @Override
        public BaseSelector open() throws IOException {
            return EpollSelector.open();
        }
    },

    /** kqueue (macOS, the BSDs; libkqueue on Linux): {@link KqueueSelector}. */
    KQUEUE {
        @Override
        public BaseSelector open() throws IOException {
            return KqueueSelector.open();
        }
    },

    /** {@code poll(2)}: {@link PollSelector}. */
    POLL {
        @Override
        public BaseSelector open() throws IOException {
            return PollSelector.open();
        }
    },

    /** {@code select(2)}: {@link SelectSelector}. */
    SELECT {
        @Override
        public BaseSelector open() throws IOException {
            return SelectSelector.open();
        }
    };

    /**
     * Opens a selector of this backend.
     *
     * @return the new selector
     * @throws IOException          if the kernel refuses (e.g. {@code EMFILE})
     * @throws UnsatisfiedLinkError          if the platform lacks the facility (e.g. epoll off Linux)
     * @throws UnsupportedOperationException if kqueue cannot be loaded (Linux without libkqueue)
     */
    public abstract BaseSelector open() throws IOException;

    /**
     * The lower-case name used by the {@value DefaultSelector#BACKEND_PROPERTY} system property.
     *
     * @return e.g. {@code "epoll"}
     */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Finds a backend by its {@link #displayName()}, ignoring case.
     *
     * @param name e.g. {@code "poll"}
     * @return the backend
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static SelectorBackend byName(String name) {
        Objects.requireNonNull(name, "name");
        for (SelectorBackend backend : values()) {
            if (backend.displayName().equalsIgnoreCase(name.trim())) {
                return backend;
            }
        }
        StringBuilder known = new StringBuilder();
        for (SelectorBackend backend : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(backend.displayName());
        }
        throw new IllegalArgumentException("unknown selector backend '" + name + "' (known: " + known + ")");
    }
}
