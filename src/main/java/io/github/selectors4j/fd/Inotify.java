package io.github.selectors4j.fd;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.Io;
import io.github.selectors4j.internal.LinuxFdCalls;
import io.github.selectors4j.internal.NativeBuffer;
import io.github.selectors4j.internal.NativePaths;
import io.github.selectors4j.internal.Platform;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * A Linux inotify instance: file-system events on watched files and directories, read from an fd.
 *
 * <pre>{@code
 * try (Inotify inotify = Inotify.open()) {
 *     int wd = inotify.addWatch(Path.of("/var/spool/in"), Inotify.IN_CREATE | Inotify.IN_MOVED_TO);
 *     selector.register(inotify, BaseSelector.EVENT_READ);
 *     selector.select(null);
 *     for (InotifyEvent event : inotify.read()) {
 *         System.out.println(event.name() + " arrived");
 *     }
 * }
 * }</pre>
 *
 * <p>Watches are per inode and per instance: watching the same file twice returns the same watch
 * descriptor (its mask replaced, or widened with {@link #IN_MASK_ADD}). When a watch goes away,
 * by {@link #removeWatch}, deletion or unmount, an {@link #IN_IGNORED} event says so. If the
 * kernel's queue overflows, an {@link #IN_Q_OVERFLOW} event (with {@code wd} -1) replaces the lost
 * events. Non-blocking by default: {@link #read()} returns an empty list when nothing is pending.
 *
 * <p>Thread-safe: any thread may add or remove watches while another reads.
 */
public final class Inotify extends GuardedFd {

    /** File was accessed (read, execve). */
    public static final int IN_ACCESS = 0x0000_0001;
    /** File was modified (write, truncate). */
    public static final int IN_MODIFY = 0x0000_0002;
    /** Metadata changed (permissions, timestamps, xattrs, link count, owner). */
    public static final int IN_ATTRIB = 0x0000_0004;
    /** A file opened for writing was closed. */
    public static final int IN_CLOSE_WRITE = 0x0000_0008;
    /** A file not opened for writing was closed. */
    public static final int IN_CLOSE_NOWRITE = 0x0000_0010;
    /** File or directory was opened. */
    public static final int IN_OPEN = 0x0000_0020;
    /** A file was renamed out of a watched directory. */
    public static final int IN_MOVED_FROM = 0x0000_0040;
    /** A file was renamed into a watched directory. */
    public static final int IN_MOVED_TO = 0x0000_0080;
    /** A file or directory was created in a watched directory. */
    public static final int IN_CREATE = 0x0000_0100;
    /** A file or directory was deleted from a watched directory. */
    public static final int IN_DELETE = 0x0000_0200;
    /** The watched file or directory itself was deleted. */
    public static final int IN_DELETE_SELF = 0x0000_0400;
    /** The watched file or directory itself was moved. */
    public static final int IN_MOVE_SELF = 0x0000_0800;
    /** Event only: the file system of the watched object was unmounted. */
    public static final int IN_UNMOUNT = 0x0000_2000;
    /** Event only: the event queue overflowed; events were lost. */
    public static final int IN_Q_OVERFLOW = 0x0000_4000;
    /** Event only: the watch was removed (explicitly, or because its object went away). */
    public static final int IN_IGNORED = 0x0000_8000;
    /** Either kind of close. */
    public static final int IN_CLOSE = IN_CLOSE_WRITE | IN_CLOSE_NOWRITE;
    /** Either half of a rename. */
    public static final int IN_MOVE = IN_MOVED_FROM | IN_MOVED_TO;
    /** Watch option: fail with {@code ENOTDIR} unless the path is a directory. */
    public static final int IN_ONLYDIR = 0x0100_0000;
    /** Watch option: watch a symbolic link itself rather than its target. */
    public static final int IN_DONT_FOLLOW = 0x0200_0000;
    /** Watch option: no events for children after they were unlinked from a watched directory. */
    public static final int IN_EXCL_UNLINK = 0x0400_0000;
    /** Watch option (Linux 4.18+): fail with {@code EEXIST} if the inode is already watched. */
    public static final int IN_MASK_CREATE = 0x1000_0000;
    /** Watch option: add to an existing watch's mask instead of replacing it. */
    public static final int IN_MASK_ADD = 0x2000_0000;
    /** Event only: the subject of the event is a directory. */
    public static final int IN_ISDIR = 0x4000_0000;
    /** Watch option: report one event, then remove the watch. */
    public static final int IN_ONESHOT = 0x8000_0000;
    /** Every event a watch can ask for. */
    public static final int IN_ALL_EVENTS = IN_ACCESS | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE
            | IN_OPEN | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF;

    /** Non-blocking mode (the default of {@link #open()}). */
    public static final int IN_NONBLOCK = Platform.CURRENT.oNonBlock();
    /** Close-on-exec (always set by {@link #open()}). */
    public static final int IN_CLOEXEC = Platform.CURRENT.oCloexec();

    private static final String NAME = "Inotify";
    /**
     * Room for many events per read; the kernel's minimum is one header plus {@code NAME_MAX + 1}
     * bytes of name (272), below which a read fails with {@code EINVAL}.
     */
    private static final int READ_BUFFER_SIZE = 4096;

    private final NativeBuffer readBuffer = new NativeBuffer(READ_BUFFER_SIZE);
    private final ByteBuffer readView = readBuffer.asByteBuffer();

    private Inotify(int fd) {
        super(NAME, fd);
    }

    /**
     * Opens an inotify instance with no watches, non-blocking and close-on-exec.
     *
     * @return the instance
     * @throws ErrnoException e.g. {@code EMFILE} when {@code fs.inotify.max_user_instances} is reached
     */
    public static Inotify open() throws ErrnoException {
        return open(IN_NONBLOCK | IN_CLOEXEC);
    }

    /**
     * Opens an inotify instance with exactly the given flags.
     *
     * @param flags {@link #IN_NONBLOCK} and/or {@link #IN_CLOEXEC}, used as given
     * @return the instance
     * @throws ErrnoException e.g. {@code EINVAL} for unknown flags
     */
    public static Inotify open(int flags) throws ErrnoException {
        LinuxFdCalls.requireLinux(NAME);
        int fd = LinuxFdCalls.LIB.inotify_init1(flags);
        if (fd < 0) {
            throw Errno.last("inotify_init1", ErrnoException.NO_FD);
        }
        return new Inotify(fd);
    }

    /**
     * Watches a file or directory, or changes the mask of its existing watch.
     *
     * @param path a path of the default file system; relative paths are resolved against
     *             {@code user.dir}; a symbolic link is followed unless {@link #IN_DONT_FOLLOW}
     * @param mask events ({@code IN_ACCESS}...{@code IN_MOVE_SELF}) and options ({@code IN_ONLYDIR},
     *             {@code IN_MASK_ADD}...)
     * @return the watch descriptor that events for this path carry
     * @throws ErrnoException           e.g. {@code ENOENT} for a missing path, {@code EACCES},
     *                                  {@code ENOSPC} when {@code fs.inotify.max_user_watches} is
     *                                  reached, {@code EINVAL} for a mask with no event
     * @throws IllegalArgumentException for a path of another file system
     */
    public int addWatch(Path path, int mask) throws ErrnoException {
        byte[] cPath = NativePaths.encode(path);
        guard.enter();
        try {
            int wd = LinuxFdCalls.LIB.inotify_add_watch(fd, cPath, mask);
            if (wd < 0) {
                throw Errno.last("inotify_add_watch(" + path + ")", fd);
            }
            return wd;
        } finally {
            guard.exit();
        }
    }

    /**
     * Removes a watch; an {@link #IN_IGNORED} event for it follows.
     *
     * @param wd a watch descriptor from {@link #addWatch}
     * @throws ErrnoException {@code EINVAL} if it is not a current watch of this instance
     */
    public void removeWatch(int wd) throws ErrnoException {
        guard.enter();
        try {
            if (LinuxFdCalls.LIB.inotify_rm_watch(fd, wd) < 0) {
                throw Errno.last("inotify_rm_watch(" + wd + ")", fd);
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Reads the pending events, as many as one read returns (up to 4096 bytes of them).
     *
     * @return the events in order; empty if none is pending and the instance is non-blocking
     * @throws ErrnoException any failure but {@code EAGAIN}
     */
    public List<InotifyEvent> read() throws ErrnoException {
        guard.enter();
        try {
            synchronized (readBuffer) {
                long n = Io.readNative(fd, readBuffer.address(), READ_BUFFER_SIZE);
                return n == Io.WOULD_BLOCK ? List.of() : InotifyEvent.decodeAll(readView, (int) n);
            }
        } finally {
            guard.exit();
        }
    }

    @Override
    void release() {
        readBuffer.free();
        Fds.closeOwned(fd);
    }
}
