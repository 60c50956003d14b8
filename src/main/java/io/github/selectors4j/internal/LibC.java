package io.github.selectors4j.internal;

import java.nio.ByteBuffer;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.u_int32_t;

/**
 * The libc functions selectors4j binds itself, beyond what jnr-posix offers.
 *
 * <p>Buffers are passed as raw addresses ({@code @intptr_t long}) rather than {@code Pointer}s so
 * that the hot calls ({@code epoll_wait}, {@code poll}, {@code select}, {@code read},
 * {@code write}) marshal nothing and allocate nothing: the caller owns preallocated native memory
 * (see {@link NativeBuffer}) and passes its address. Functions that cannot fail are marked
 * {@code @IgnoreError} to skip saving errno.
 *
 * <p>Each method is the C function of the same name; its manual page is the full contract. Every
 * call that can fail returns -1 and leaves the error in {@link Native#lastErrno()}.
 */
public interface LibC {

    // --- epoll (Linux) ---

    /**
     * {@code epoll_create1(2)}.
     *
     * @param flags 0 or {@code EPOLL_CLOEXEC}
     * @return the new epoll fd, or -1
     */
    int epoll_create1(int flags);

    /**
     * {@code epoll_ctl(2)}.
     *
     * @param epfd  the epoll fd
     * @param op    {@code EPOLL_CTL_ADD}, {@code EPOLL_CTL_MOD} or {@code EPOLL_CTL_DEL}
     * @param fd    the fd to add, change or remove
     * @param event the address of a {@code struct epoll_event}; may be 0 for {@code EPOLL_CTL_DEL}
     * @return 0, or -1
     */
    int epoll_ctl(int epfd, int op, int fd, @intptr_t long event);

    /**
     * {@code epoll_wait(2)}.
     *
     * @param epfd          the epoll fd
     * @param events        the address of an array of {@code maxevents} {@code struct epoll_event}
     * @param maxevents     the array's length, at least 1
     * @param timeoutMillis -1 to wait forever, 0 to poll
     * @return the number of events stored, 0 on timeout, or -1 (e.g. {@code EINTR})
     */
    int epoll_wait(int epfd, @intptr_t long events, int maxevents, int timeoutMillis);

    // --- poll and select ---

    /**
     * {@code poll(2)}.
     *
     * @param fds           the address of an array of {@code nfds} {@code struct pollfd}
     * @param nfds          the array's length
     * @param timeoutMillis -1 to wait forever, 0 to poll
     * @return the number of entries with non-zero {@code revents}, 0 on timeout, or -1
     */
    int poll(@intptr_t long fds, @size_t long nfds, int timeoutMillis);

    /**
     * {@code select(2)}.
     *
     * @param nfds      the highest fd in any set, plus one
     * @param readfds   the address of an {@code fd_set}, or 0
     * @param writefds  the address of an {@code fd_set}, or 0
     * @param exceptfds the address of an {@code fd_set}, or 0
     * @param timeout   the address of a {@code struct timeval}, or 0 to wait forever
     * @return the number of bits left set in the three sets, 0 on timeout, or -1
     */
    int select(int nfds, @intptr_t long readfds, @intptr_t long writefds, @intptr_t long exceptfds,
               @intptr_t long timeout);

    // --- descriptors ---

    /**
     * {@code pipe2(2)}.
     *
     * @param fds   receives the read end at index 0 and the write end at index 1
     * @param flags {@code O_NONBLOCK}, {@code O_CLOEXEC}, or 0
     * @return 0, or -1
     */
    int pipe2(@Out int[] fds, int flags);

    /**
     * {@code eventfd(2)}.
     *
     * @param initval the counter's initial value
     * @param flags   {@code EFD_SEMAPHORE}, {@code EFD_NONBLOCK}, {@code EFD_CLOEXEC}, or 0
     * @return the new fd, or -1
     */
    int eventfd(@u_int32_t int initval, int flags);

    /**
     * {@code fcntl(2)} with an integer argument.
     *
     * @param fd  the fd
     * @param cmd e.g. {@code F_GETFL}, {@code F_SETFL}, {@code F_DUPFD_CLOEXEC}
     * @param arg the command's argument, 0 if it takes none
     * @return the command's result, or -1
     */
    int fcntl(int fd, int cmd, int arg);

    /**
     * Linux only: {@code dup2} that sets {@code O_CLOEXEC} atomically.
     *
     * @param oldfd the fd to duplicate
     * @param newfd the number the copy takes, closing what it named before
     * @param flags {@code O_CLOEXEC} or 0
     * @return {@code newfd}, or -1
     */
    int dup3(int oldfd, int newfd, int flags);

    /**
     * {@code read(2)} into native memory.
     *
     * @param fd    the fd
     * @param buf   the address of at least {@code count} bytes
     * @param count the most bytes to read
     * @return bytes read, 0 at end of file, or -1 (e.g. {@code EAGAIN})
     */
    @ssize_t
    long read(int fd, @intptr_t long buf, @size_t long count);

    /**
     * {@code write(2)} from native memory.
     *
     * @param fd    the fd
     * @param buf   the address of {@code count} bytes
     * @param count the bytes to write
     * @return bytes written, or -1 (e.g. {@code EAGAIN})
     */
    @ssize_t
    long write(int fd, @intptr_t long buf, @size_t long count);

    /**
     * {@code read(2)} into a buffer. jnr-ffi passes a direct buffer's address plus position, or a
     * heap buffer's array range, without copying into Java garbage.
     *
     * @param fd    the fd
     * @param buf   the buffer; jnr-ffi does not move its position
     * @param count the most bytes to read, at most the buffer's remaining space
     * @return bytes read, 0 at end of file, or -1
     */
    @ssize_t
    long read(int fd, @Out ByteBuffer buf, @size_t long count);

    /**
     * {@code write(2)} from a buffer, passed as {@link #read(int, ByteBuffer, long)} passes it.
     *
     * @param fd    the fd
     * @param buf   the buffer; jnr-ffi does not move its position
     * @param count the bytes to write, at most the buffer's remaining bytes
     * @return bytes written, or -1
     */
    @ssize_t
    long write(int fd, @In ByteBuffer buf, @size_t long count);

    /**
     * {@code pread(2)}: reads at a file offset without moving the fd's own offset.
     *
     * @param fd     the fd
     * @param buf    a direct buffer; jnr-ffi does not move its position
     * @param count  the most bytes to read, at most the buffer's remaining space
     * @param offset the file position to read at
     * @return bytes read, 0 at end of file, or -1
     */
    @ssize_t
    long pread(int fd, @Out ByteBuffer buf, @size_t long count, long offset);

    // --- threads and signals (Linux) ---

    /**
     * {@code gettid(2)}: the kernel's id of the calling thread, which {@code tgkill} takes.
     *
     * @return the thread id; the call cannot fail
     */
    @IgnoreError
    int gettid();

    /**
     * {@code tgkill(2)}: sends a signal to one thread of a process.
     *
     * @param tgid the process id
     * @param tid  the thread id, from {@link #gettid()}
     * @param sig  the signal number
     * @return 0, or -1
     */
    int tgkill(int tgid, int tid, int sig);

    /**
     * {@code signal(2)}: sets a signal's disposition. Only ever used to put back {@code SIG_DFL}
     * (0) for a signal the process inherited as ignored, so that the JVM agrees to handle it.
     *
     * @param signum  the signal number
     * @param handler {@code SIG_DFL} (0) or {@code SIG_IGN} (1)
     * @return the previous disposition, or {@code SIG_ERR} (-1)
     */
    @intptr_t
    long signal(int signum, @intptr_t long handler);

    // --- memory owned by NativeBuffer ---

    /**
     * {@code calloc(3)}: zeroed memory.
     *
     * @param count the number of elements
     * @param size  the size of one element
     * @return the address, or 0 if out of memory (the caller checks; errno is not saved)
     */
    @IgnoreError
    @intptr_t
    long calloc(@size_t long count, @size_t long size);

    /**
     * {@code realloc(3)}.
     *
     * @param ptr  memory from {@link #calloc} or this method
     * @param size the new size in bytes
     * @return the new address, or 0 if out of memory, in which case {@code ptr} is still valid
     */
    @IgnoreError
    @intptr_t
    long realloc(@intptr_t long ptr, @size_t long size);

    /**
     * {@code free(3)}.
     *
     * @param ptr memory from {@link #calloc} or {@link #realloc}, or 0
     */
    @IgnoreError
    void free(@intptr_t long ptr);
}
