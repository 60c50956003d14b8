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
 */
public interface LibC {

    // --- epoll (Linux) ---

    int epoll_create1(int flags);

    int epoll_ctl(int epfd, int op, int fd, @intptr_t long event);

    int epoll_wait(int epfd, @intptr_t long events, int maxevents, int timeoutMillis);

    // --- poll and select ---

    int poll(@intptr_t long fds, @size_t long nfds, int timeoutMillis);

    int select(int nfds, @intptr_t long readfds, @intptr_t long writefds, @intptr_t long exceptfds,
               @intptr_t long timeout);

    // --- descriptors ---

    int pipe2(@Out int[] fds, int flags);

    int eventfd(@u_int32_t int initval, int flags);

    int fcntl(int fd, int cmd, int arg);

    /** Linux only: {@code dup2} that sets {@code O_CLOEXEC} atomically. */
    int dup3(int oldfd, int newfd, int flags);

    @ssize_t
    long read(int fd, @intptr_t long buf, @size_t long count);

    @ssize_t
    long write(int fd, @intptr_t long buf, @size_t long count);

    /** jnr-ffi passes a direct buffer's address plus position, or a heap buffer's array range, without copying into Java garbage. */
    @ssize_t
    long read(int fd, @Out ByteBuffer buf, @size_t long count);

    @ssize_t
    long write(int fd, @In ByteBuffer buf, @size_t long count);

    /** {@code pread(2)}: reads at an offset without moving the fd's own. Direct buffers only. */
    long pread(int fd, @Out ByteBuffer buf, @size_t long count, long offset);

    // --- threads and signals (Linux) ---

    @IgnoreError
    int gettid();

    int tgkill(int tgid, int tid, int sig);

    // --- memory owned by NativeBuffer ---

    @IgnoreError
    @intptr_t
    long calloc(@size_t long count, @size_t long size);

    @IgnoreError
    @intptr_t
    long realloc(@intptr_t long ptr, @size_t long size);

    @IgnoreError
    void free(@intptr_t long ptr);
}
