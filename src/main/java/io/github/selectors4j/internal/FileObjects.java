package io.github.selectors4j.internal;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.FileDescriptorLike;
import java.io.FileDescriptor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectableChannel;

/**
 * Turns a "file object" into its fd number, as Python's {@code selectors._fileobj_to_fd} does: an
 * {@code Integer}, a {@link FileDescriptorLike}, a {@link java.io.FileDescriptor}, or a JDK
 * {@link SelectableChannel} (see {@link JdkChannels}).
 *
 * <p>A {@code FileDescriptor} hides its number in a private field of {@code java.base}. We read it
 * only when the application has opened {@code java.io} to us on the command line; otherwise the error
 * names the exact flag. We never reach into {@code java.base} behind the user's back. The three
 * standard descriptors are recognised without any flag.
 */
public final class FileObjects {

    /** Returned by {@link #tryFd} when the object no longer has an fd. */
    public static final int NO_FD = -1;

    private FileObjects() {
    }

    /**
     * Resolves a file object to its fd.
     *
     * @param fileobj an {@code Integer}, a {@link FileDescriptorLike} or a {@link FileDescriptor}
     * @return the fd, {@code >= 0}
     * @throws IllegalArgumentException if the object is of another type, or its fd is negative
     *                                  (for example because it was closed)
     * @throws UnsupportedOperationException for a {@code FileDescriptor} when {@code java.io} is
     *                                  not opened to selectors4j
     */
    public static int fd(Object fileobj) {
        int fd = rawFd(fileobj);
        if (fd < 0) {
            throw new IllegalArgumentException("Invalid file descriptor: " + fd + " (from " + fileobj + ")");
        }
        return fd;
    }

    /**
     * Like {@link #fd} but returns {@link #NO_FD} instead of throwing when the object is of a valid
     * type but has no usable fd any more; selectors then look the object up by identity.
     *
     * @param fileobj the file object
     * @return the fd, or {@link #NO_FD}
     * @throws IllegalArgumentException if the object cannot be a file object at all
     */
    public static int tryFd(Object fileobj) {
        int fd = rawFd(fileobj);
        return fd < 0 ? NO_FD : fd;
    }

    /**
     * Validates a raw fd argument.
     *
     * @param fd the number
     * @return the number
     * @throws IllegalArgumentException if negative
     */
    public static int checkFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("Invalid file descriptor: " + fd);
        }
        return fd;
    }

    private static int rawFd(Object fileobj) {
        if (fileobj instanceof Integer fd) {
            return fd;
        }
        if (fileobj instanceof FileDescriptorLike like) {
            try {
                return like.fileno();
            } catch (AlreadyClosedException closed) {
                return NO_FD;
            }
        }
        if (fileobj instanceof FileDescriptor descriptor) {
            return JdkDescriptor.fdOf(descriptor);
        }
        if (fileobj instanceof SelectableChannel channel) {
            return JdkChannels.fdOf(channel);
        }
        throw new IllegalArgumentException("Invalid file object: " + fileobj
                + " (expected an Integer fd, a FileDescriptorLike, a java.io.FileDescriptor or a JDK SelectableChannel)");
    }

    /** Reads {@code FileDescriptor.fd}, holder class so the check runs only when first needed. */
    private static final class JdkDescriptor {
        private static final VarHandle FD = lookup();

        static int fdOf(FileDescriptor descriptor) {
            if (descriptor == FileDescriptor.in) {
                return 0;
            }
            if (descriptor == FileDescriptor.out) {
                return 1;
            }
            if (descriptor == FileDescriptor.err) {
                return 2;
            }
            if (FD == null) {
                throw new UnsupportedOperationException(
                        "Reading the fd of a java.io.FileDescriptor needs the JVM flag --add-opens java.base/java.io="
                                + moduleFlagTarget()
                                + "; alternatively pass the fd number or a FileDescriptorLike");
            }
            return descriptor.valid() ? (int) FD.get(descriptor) : NO_FD;
        }

        private static VarHandle lookup() {
            Module ours = FileObjects.class.getModule();
            if (!FileDescriptor.class.getModule().isOpen("java.io", ours)) {
                return null;
            }
            try {
                return MethodHandles.privateLookupIn(FileDescriptor.class, MethodHandles.lookup())
                        .findVarHandle(FileDescriptor.class, "fd", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private static String moduleFlagTarget() {
            Module ours = FileObjects.class.getModule();
            return ours.isNamed() ? ours.getName() : "ALL-UNNAMED";
        }
    }
}
