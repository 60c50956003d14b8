package io.github.selectors4j.testing;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * The libc calls {@link NetNamespace} needs to move a thread into a network namespace and back,
 * bound for the tests alone (the library itself never changes namespaces).
 *
 * <p>{@code setns(2)} with {@code CLONE_NEWNET} moves only the calling thread, which is allowed in
 * a multi-threaded process (unlike user or mount namespaces).
 */
public interface NamespaceCalls {

    /** {@code CLONE_NEWNET} of linux/sched.h: the fd must refer to a network namespace. */
    int CLONE_NEWNET = 0x4000_0000;
    /** {@code O_RDONLY | O_CLOEXEC} of asm-generic/fcntl.h (the same on x86_64 and aarch64). */
    int O_RDONLY_CLOEXEC = 0x80000;

    /** The binding, loaded once. */
    NamespaceCalls LIBC = LibraryLoader.create(NamespaceCalls.class).load("c");

    /** {@code int setns(int fd, int nstype)}. */
    int setns(int fd, int nstype);

    /** {@code int open(const char *path, int flags)}. */
    int open(String path, int flags);

    /** {@code int close(int fd)}. */
    int close(int fd);

    /** The errno the last call on this thread saved. */
    static int lastErrno() {
        return Runtime.getRuntime(LIBC).getLastError();
    }
}
