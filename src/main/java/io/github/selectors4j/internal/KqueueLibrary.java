package io.github.selectors4j.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;

/**
 * Finds the kqueue functions once: libc on macOS and the BSDs; on Linux the userspace libkqueue,
 * from the path in the {@value #PATH_PROPERTY} system property or else by its usual names
 * ({@code libkqueue.so.0}, {@code libkqueue.so}) on the library search path.
 *
 * <p>When no kqueue can be loaded, {@link #get()} throws an {@link UnsupportedOperationException}
 * that says what was tried; {@link #unavailableReason()} gives the same text without throwing, for
 * callers that probe (the default selector) and tests that skip.
 */
public final class KqueueLibrary {

    /** System property naming libkqueue's file on Linux, e.g. {@code /usr/local/lib/libkqueue.so}. */
    public static final String PATH_PROPERTY = "selectors4j.libkqueue.path";

    private KqueueLibrary() {
    }

    /**
     * Returns the kqueue functions.
     *
     * @return the binding
     * @throws UnsupportedOperationException if none could be loaded, with the reason
     */
    public static KqueueLib get() {
        if (Holder.LIB == null) {
            throw new UnsupportedOperationException(Holder.REASON);
        }
        return Holder.LIB;
    }

    /**
     * Calls {@code kevent}, keeping jnr-ffi types inside this package.
     *
     * @param lib       the binding from {@link #get()}
     * @param kq        the kqueue fd
     * @param changes   address of the change list, or 0
     * @param nchanges  number of changes
     * @param events    address of the event list, or 0
     * @param nevents   room in the event list
     * @param timeout   a {@code struct timespec}, or null to wait forever
     * @return kevent's result; on -1 errno is saved for {@link Native#lastErrno()}
     */
    public static int kevent(KqueueLib lib, int kq, long changes, int nchanges, long events, int nevents, NativeBuffer timeout) {
        return lib.kevent(kq, changes, nchanges, events, nevents, timeout == null ? null : timeout.pointer());
    }

    /**
     * Whether a kqueue implementation was found.
     *
     * @return true if {@link #get()} succeeds
     */
    public static boolean isAvailable() {
        return Holder.LIB != null;
    }

    /**
     * Why no kqueue implementation was found.
     *
     * @return the reason, or null if one was found
     */
    public static String unavailableReason() {
        return Holder.REASON;
    }

    /** Loads on first use; a machine without kqueue pays nothing until something asks for it. */
    private static final class Holder {
        static final KqueueLib LIB;
        static final String REASON;

        static {
            List<String> attempts = new ArrayList<>();
            KqueueLib found = null;
            for (String candidate : candidates()) {
                try {
                    KqueueLib lib = LibraryLoader.create(KqueueLib.class)
                            .option(LibraryOption.FunctionMapper,
                                    new GeneratedCodeAccess(Map.of("kevent", KqueueAbi.CURRENT.keventSymbol())))
                            .option(LibraryOption.LoadNow, true)
                            .failImmediately()
                            .load(candidate);
                    probe(lib);
                    found = lib;
                    break;
                } catch (LinkageError | RuntimeException e) {
                    String message = String.valueOf(e.getMessage());
                    attempts.add(candidate + ": " + message.lines().findFirst().orElse(message));
                }
            }
            LIB = found;
            REASON = found != null ? null : "no kqueue implementation could be loaded ("
                    + (Platform.CURRENT.isLinux() ? "on Linux kqueue comes from libkqueue; install it or set -D"
                    + PATH_PROPERTY + "=/path/to/libkqueue.so; " : "") + "tried " + attempts + ")";
        }

        private static List<String> candidates() {
            List<String> names = new ArrayList<>();
            if (Platform.CURRENT.isBsdFamily()) {
                names.add(Platform.CURRENT.libcName());
                return names;
            }
            String configured = System.getProperty(PATH_PROPERTY);
            if (configured != null && !configured.isBlank()) {
                names.add(configured.trim());
                return names;
            }
            names.add("libkqueue.so.0");
            names.add("kqueue");
            return names;
        }

        /** A library that loads but cannot make a kqueue is no kqueue. */
        private static void probe(KqueueLib lib) {
            int kq = lib.kqueue();
            if (kq < 0) {
                throw new UnsupportedOperationException("kqueue() failed: " + Errno.last("kqueue", -1).getMessage());
            }
            Native.POSIX.close(kq);
        }
    }
}
