package io.github.selectors4j.internal;

import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.u_int32_t;

/**
 * The socket calls. Every buffer, address and length travels as the address of native memory the
 * caller owns (a thread's {@link SocketScratch} or a direct buffer), so the hot calls marshal and
 * allocate nothing. {@code sendto}/{@code recvfrom} are deliberately absent: they take six
 * arguments, a shape jnr-ffi's call stubs get wrong (issue #181), and {@code sendmsg}/{@code
 * recvmsg} do the same job with three.
 */
public interface SocketLib {

    int socket(int domain, int type, int protocol);

    int socketpair(int domain, int type, int protocol, @Out int[] sv);

    int bind(int fd, @intptr_t long addr, int addrlen);

    int listen(int fd, int backlog);

    /** Linux and FreeBSD; macOS has only {@link #accept}. */
    int accept4(int fd, @intptr_t long addr, @intptr_t long addrlen, int flags);

    int accept(int fd, @intptr_t long addr, @intptr_t long addrlen);

    int connect(int fd, @intptr_t long addr, int addrlen);

    int getsockname(int fd, @intptr_t long addr, @intptr_t long addrlen);

    int getpeername(int fd, @intptr_t long addr, @intptr_t long addrlen);

    int getsockopt(int fd, int level, int optname, @intptr_t long optval, @intptr_t long optlen);

    int setsockopt(int fd, int level, int optname, @intptr_t long optval, int optlen);

    @ssize_t
    long send(int fd, @intptr_t long buf, @size_t long len, int flags);

    @ssize_t
    long recv(int fd, @intptr_t long buf, @size_t long len, int flags);

    @ssize_t
    long sendmsg(int fd, @intptr_t long msg, int flags);

    @ssize_t
    long recvmsg(int fd, @intptr_t long msg, int flags);

    int shutdown(int fd, int how);

    @u_int32_t
    int if_nametoindex(String name);

    @intptr_t
    long if_indextoname(int index, @intptr_t long name);

    @intptr_t
    long if_nameindex();

    @IgnoreError
    void if_freenameindex(@intptr_t long ptr);
}
