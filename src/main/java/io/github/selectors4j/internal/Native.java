package io.github.selectors4j.internal;

import io.github.selectors4j.ErrnoException;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Runtime;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * The loaded native libraries, created once when this class initialises.
 *
 * <p>{@link #LIBC} is our own jnr-ffi binding (epoll, poll, select, pipe2, eventfd, raw read/write,
 * memory), {@link #SOCKETS} the socket calls; {@link #POSIX} is jnr-posix, used for the calls it already has (close, dup2, fcntl with
 * its named commands, socketpair, kill, getpid).
 */
public final class Native {

    /** The jnr-ffi runtime the bindings were loaded into; used to read errno and wrap memory. */
    public static final Runtime RUNTIME;

    /** Our libc binding. */
    public static final LibC LIBC;

    /** The socket calls. */
    public static final SocketLib SOCKETS;

    /** jnr-posix, native flavour. */
    public static final POSIX POSIX;

    static {
        LIBC = LibraryLoader.create(LibC.class)
                .option(LibraryOption.FunctionMapper, new GeneratedCodeAccess())
                .load(Platform.CURRENT.libcName());
        RUNTIME = Runtime.getRuntime(LIBC);
        SOCKETS = LibraryLoader.create(SocketLib.class)
                .option(LibraryOption.FunctionMapper, new GeneratedCodeAccess())
                .load(Platform.CURRENT.libcName());
        POSIX = POSIXFactory.getNativePOSIX();
        // Load the error path now. Loading a class from a directory (development, exploded
        // deployments) opens a file, so a process that runs out of fds could not load the classes
        // that report EMFILE, and would throw NoClassDefFoundError instead of the ErrnoException.
        Errno.exception("startup", Errno.EMFILE, ErrnoException.NO_FD);
    }

    private Native() {
    }

    /**
     * Returns the errno the last bound call on this thread saved.
     *
     * @return errno
     */
    public static int lastErrno() {
        return RUNTIME.getLastError();
    }
}
