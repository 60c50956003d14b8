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
 *
 * <p>Each method is the C function of the same name; its manual page is the full contract. Every
 * call that can fail returns -1 and leaves the error in {@link Native#lastErrno()}. An
 * {@code addrlen} passed by address is a {@code socklen_t} the caller sets to the room it has and
 * the kernel overwrites with the address's real length.
 */
public interface SocketLib {

    /**
     * {@code socket(2)}.
     *
     * @param domain   the address family, e.g. {@code AF_INET}
     * @param type     the socket type, optionally or-ed with {@code SOCK_NONBLOCK | SOCK_CLOEXEC}
     * @param protocol the protocol, 0 for the family's default
     * @return the new fd, or -1
     */
    int socket(int domain, int type, int protocol);

    /**
     * {@code socketpair(2)}.
     *
     * @param domain   the address family, in practice {@code AF_UNIX}
     * @param type     the socket type, with the same optional flags as {@link #socket}
     * @param protocol the protocol, usually 0
     * @param sv       receives the two connected fds
     * @return 0, or -1
     */
    int socketpair(int domain, int type, int protocol, @Out int[] sv);

    /**
     * {@code bind(2)}.
     *
     * @param fd      the socket
     * @param addr    the address of an encoded {@code sockaddr}
     * @param addrlen its length in bytes
     * @return 0, or -1
     */
    int bind(int fd, @intptr_t long addr, int addrlen);

    /**
     * {@code listen(2)}.
     *
     * @param fd      the socket
     * @param backlog the queue length, capped by the kernel at {@code somaxconn}
     * @return 0, or -1
     */
    int listen(int fd, int backlog);

    /**
     * {@code accept4(2)}: Linux and FreeBSD; macOS has only {@link #accept}.
     *
     * @param fd      the listening socket
     * @param addr    the address of room for the peer's {@code sockaddr}
     * @param addrlen the address of a {@code socklen_t}: the room in, the peer's length out
     * @param flags   {@code SOCK_NONBLOCK}, {@code SOCK_CLOEXEC}, or 0
     * @return the new connection's fd, or -1 (e.g. {@code EAGAIN} when none is waiting)
     */
    int accept4(int fd, @intptr_t long addr, @intptr_t long addrlen, int flags);

    /**
     * {@code accept(2)}, for systems without {@link #accept4}; the caller sets the flags after.
     *
     * @param fd      the listening socket
     * @param addr    the address of room for the peer's {@code sockaddr}
     * @param addrlen the address of a {@code socklen_t}: the room in, the peer's length out
     * @return the new connection's fd, or -1
     */
    int accept(int fd, @intptr_t long addr, @intptr_t long addrlen);

    /**
     * {@code connect(2)}.
     *
     * @param fd      the socket
     * @param addr    the address of an encoded {@code sockaddr}
     * @param addrlen its length in bytes
     * @return 0, or -1 ({@code EINPROGRESS} for a non-blocking stream socket still connecting)
     */
    int connect(int fd, @intptr_t long addr, int addrlen);

    /**
     * {@code getsockname(2)}.
     *
     * @param fd      the socket
     * @param addr    the address of room for the {@code sockaddr}
     * @param addrlen the address of a {@code socklen_t}: the room in, the real length out
     * @return 0, or -1
     */
    int getsockname(int fd, @intptr_t long addr, @intptr_t long addrlen);

    /**
     * {@code getpeername(2)}.
     *
     * @param fd      the socket
     * @param addr    the address of room for the {@code sockaddr}
     * @param addrlen the address of a {@code socklen_t}: the room in, the real length out
     * @return 0, or -1 ({@code ENOTCONN} if not connected)
     */
    int getpeername(int fd, @intptr_t long addr, @intptr_t long addrlen);

    /**
     * {@code getsockopt(2)}.
     *
     * @param fd      the socket
     * @param level   the option's level, e.g. {@code SOL_SOCKET}
     * @param optname the option's number
     * @param optval  the address of room for the value
     * @param optlen  the address of a {@code socklen_t}: the room in, the value's length out
     * @return 0, or -1
     */
    int getsockopt(int fd, int level, int optname, @intptr_t long optval, @intptr_t long optlen);

    /**
     * {@code setsockopt(2)}.
     *
     * @param fd      the socket
     * @param level   the option's level, e.g. {@code SOL_SOCKET}
     * @param optname the option's number
     * @param optval  the address of the encoded value
     * @param optlen  its length in bytes
     * @return 0, or -1
     */
    int setsockopt(int fd, int level, int optname, @intptr_t long optval, int optlen);

    /**
     * {@code send(2)}.
     *
     * @param fd    the socket
     * @param buf   the address of the bytes
     * @param len   how many to send
     * @param flags {@code MSG_*} flags
     * @return bytes sent, or -1
     */
    @ssize_t
    long send(int fd, @intptr_t long buf, @size_t long len, int flags);

    /**
     * {@code recv(2)}.
     *
     * @param fd    the socket
     * @param buf   the address of room for the bytes
     * @param len   the room in bytes
     * @param flags {@code MSG_*} flags
     * @return bytes received, 0 at end of stream (or for an empty datagram), or -1
     */
    @ssize_t
    long recv(int fd, @intptr_t long buf, @size_t long len, int flags);

    /**
     * {@code sendmsg(2)}.
     *
     * @param fd    the socket
     * @param msg   the address of a {@code struct msghdr} (layout: {@link Platform#msghdrOffsets()})
     * @param flags {@code MSG_*} flags
     * @return bytes sent, or -1
     */
    @ssize_t
    long sendmsg(int fd, @intptr_t long msg, int flags);

    /**
     * {@code recvmsg(2)}.
     *
     * @param fd    the socket
     * @param msg   the address of a {@code struct msghdr}; the kernel fills its name and control
     *              lengths and its flags
     * @param flags {@code MSG_*} flags
     * @return bytes received, or -1
     */
    @ssize_t
    long recvmsg(int fd, @intptr_t long msg, int flags);

    /**
     * {@code shutdown(2)}.
     *
     * @param fd  the socket
     * @param how {@code SHUT_RD}, {@code SHUT_WR} or {@code SHUT_RDWR}
     * @return 0, or -1
     */
    int shutdown(int fd, int how);

    /**
     * {@code if_nametoindex(3)}.
     *
     * @param name an interface name, e.g. {@code "lo"}
     * @return its index, or 0 if there is none (errno tells why)
     */
    @u_int32_t
    int if_nametoindex(String name);

    /**
     * {@code if_indextoname(3)}.
     *
     * @param index an interface index
     * @param name  the address of at least {@code IF_NAMESIZE} bytes for the NUL-terminated name
     * @return {@code name}, or 0 if there is no such interface
     */
    @intptr_t
    long if_indextoname(int index, @intptr_t long name);

    /**
     * {@code if_nameindex(3)}.
     *
     * @return the address of an array of {@code struct if_nameindex} ended by a zero entry, to be
     *         released with {@link #if_freenameindex}; 0 on failure
     */
    @intptr_t
    long if_nameindex();

    /**
     * {@code if_freenameindex(3)}.
     *
     * @param ptr what {@link #if_nameindex()} returned
     */
    @IgnoreError
    void if_freenameindex(@intptr_t long ptr);
}
