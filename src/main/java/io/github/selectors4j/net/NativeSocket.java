package io.github.selectors4j.net;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.FileDescriptorLike;
import io.github.selectors4j.Ownership;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.FileObjects;
import io.github.selectors4j.internal.Native;
import io.github.selectors4j.internal.NetConstants;
import io.github.selectors4j.internal.Platform;
import io.github.selectors4j.internal.ResourceGuard;
import io.github.selectors4j.internal.SocketScratch;
import io.github.selectors4j.internal.Timeouts;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A socket of any family the kernel has: Python's {@code socket.socket}, as a
 * {@link FileDescriptorLike} that registers directly in any selector.
 *
 * <pre>{@code
 * try (NativeSocket server = NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0)) {
 *     server.setOption(SocketOptions.SO_REUSEADDR, true);
 *     server.bind(IPv4SocketAddress.loopback(0));
 *     server.listen(128);
 *     selector.register(server, BaseSelector.EVENT_READ);
 *     ...
 *     Accepted client = server.accept();          // null if none is waiting
 * }
 * }</pre>
 *
 * <h2>Modes</h2>
 * A socket is made non-blocking and close-on-exec unless other flags are given. As in Python,
 * {@link #setTimeout(Duration)} chooses between three modes: non-blocking ({@code Duration.ZERO}),
 * blocking ({@code null}) and timeout (a positive duration: each call waits at most that long, then
 * throws {@link SocketTimeoutException}). {@link #setBlocking(boolean)} is shorthand for the first
 * two.
 *
 * <h2>Results in non-blocking mode</h2>
 * "Would block" ({@code EAGAIN}) is a return value, never an exception, following the JDK's channel
 * conventions: {@code recv} returns 0, and -1 at end of stream (stream and seqpacket sockets);
 * {@code send} returns 0;
 * {@code accept}, {@code recvFrom} and {@code recvMsg} return null; {@code connect} returns false and
 * the connection completes when the socket becomes writable ({@link #finishConnect()}). A zero-length
 * datagram also reads as 0: use {@code recvFrom} where that matters.
 *
 * <h2>Buffers</h2>
 * Data moves through {@link ByteBuffer}s (direct ones without copying; heap ones through a
 * per-thread direct buffer) and through {@code byte[]} ranges, which are checked before any native
 * call. Reading into a read-only buffer is an {@link IllegalArgumentException}.
 *
 * <p>Heap buffers and arrays behave exactly as direct buffers on a message-oriented socket (every
 * type but {@code SOCK_STREAM}: datagram, seqpacket, raw, RDM, packet...): a datagram is sent whole
 * and received whole, whatever its size, because the per-thread buffer grows to cover the caller's
 * whole range. It keeps its largest size for reuse, so a thread that once moved a 1 MiB datagram
 * through a heap buffer holds 1 MiB of native memory until it ends; use direct buffers to avoid the
 * copy and the memory. On a stream socket a heap transfer moves at most 64 KiB per call, which a
 * stream's contract allows: {@code send} and {@code recv} report the bytes actually moved.
 *
 * <h2>Threads and closing</h2>
 * Calls may come from several threads (one reader and one writer, say). {@link #close()} is
 * idempotent; if a blocking call is in progress in another thread, the socket is shut down to wake
 * it and the fd is closed when it returns. A socket made by {@link #fromFd(int)} borrows its fd and
 * never closes it.
 */
public final class NativeSocket implements FileDescriptorLike, AutoCloseable {

    /** Peek at data without consuming it. */
    public static final int MSG_PEEK = NetConstants.value("MSG_PEEK", 2);
    /** Out-of-band data. */
    public static final int MSG_OOB = NetConstants.value("MSG_OOB", 1);
    /** Wait for the full amount (stream sockets). */
    public static final int MSG_WAITALL = NetConstants.value("MSG_WAITALL", 0x100);
    /** Do not block this one call. */
    public static final int MSG_DONTWAIT = NetConstants.value("MSG_DONTWAIT", 0x40);
    /** Result flag: a datagram was longer than the buffer. */
    public static final int MSG_TRUNC = NetConstants.value("MSG_TRUNC", 0x20);
    /** Result flag: ancillary data did not fit. */
    public static final int MSG_CTRUNC = NetConstants.value("MSG_CTRUNC", 0x8);
    /** Do not raise SIGPIPE (Linux; the JVM ignores SIGPIPE anyway). */
    public static final int MSG_NOSIGNAL = NetConstants.value("MSG_NOSIGNAL", 0);

    /** Shut down reading. */
    public static final int SHUT_RD = NetConstants.value("SHUT_RD", 0);
    /** Shut down writing: the peer reads end of stream. */
    public static final int SHUT_WR = NetConstants.value("SHUT_WR", 1);
    /** Shut down both. */
    public static final int SHUT_RDWR = NetConstants.value("SHUT_RDWR", 2);

    private static final String NAME = "NativeSocket";
    private static final int O_NONBLOCK = Platform.CURRENT.oNonBlock();
    private static final int POLLIN = 0x1;
    private static final int POLLOUT = 0x4;
    private static final int POLLHUP = 0x10;
    private static final int POLLRDHUP = Platform.CURRENT.pollRdHup();
    private static final boolean FLAGS_IN_TYPE = Platform.CURRENT.isLinux();

    private enum Mode { BLOCKING, NON_BLOCKING, TIMEOUT }

    private final int fd;
    private final Ownership ownership;
    private final ResourceGuard guard = new ResourceGuard(NAME, this::release);
    private volatile Mode mode;
    private volatile long timeoutNanos;
    private volatile boolean detached;
    /**
     * The errno of the last connect, once {@link #finishConnect()} has read it from
     * {@code SO_ERROR}; reading clears it in the kernel, so it is kept here to report again.
     */
    private volatile int connectError;
    private int family;
    private int type;
    private int protocol;

    private NativeSocket(int fd, Ownership ownership, Mode mode, int family, int type, int protocol) {
        this.fd = fd;
        this.ownership = ownership;
        this.mode = mode;
        this.family = family;
        this.type = type;
        this.protocol = protocol;
    }

    // ------------------------------------------------------------------ creation

    /**
     * Creates a non-blocking, close-on-exec socket.
     *
     * @param family   an {@code AF_*} family
     * @param type     a {@code SOCK_*} type
     * @param protocol a protocol, 0 for the default (for {@code AF_PACKET}, in network order:
     *                 {@code Protocol.htons(Protocol.ETH_P_ALL)})
     * @return the socket
     * @throws ErrnoException e.g. {@code EAFNOSUPPORT} for a family the kernel lacks,
     *                        {@code EPERM} for raw sockets without privilege
     */
    public static NativeSocket open(int family, int type, int protocol) throws ErrnoException {
        return open(family, type, protocol, SocketType.SOCK_NONBLOCK | SocketType.SOCK_CLOEXEC);
    }

    /**
     * Creates a socket with exactly these creation flags.
     *
     * @param family   an {@code AF_*} family
     * @param type     a {@code SOCK_*} type
     * @param protocol a protocol, 0 for the default
     * @param flags    {@link SocketType#SOCK_NONBLOCK} and/or {@link SocketType#SOCK_CLOEXEC}, used as given
     * @return the socket
     * @throws ErrnoException if the kernel refuses
     */
    public static NativeSocket open(int family, int type, int protocol, int flags) throws ErrnoException {
        checkFamily(family);
        int fd = Native.SOCKETS.socket(family, FLAGS_IN_TYPE ? type | flags : type, protocol);
        if (fd < 0) {
            throw Errno.last("socket(" + AddressFamily.name(family) + ", " + SocketType.name(type) + ", " + protocol + ")",
                    ErrnoException.NO_FD);
        }
        return adoptNew(fd, flags, family, type, protocol);
    }

    /**
     * Creates a connected pair of non-blocking, close-on-exec sockets: Python's {@code socketpair}.
     *
     * @param family   usually {@link AddressFamily#AF_UNIX}
     * @param type     {@code SOCK_STREAM}, {@code SOCK_DGRAM} or {@code SOCK_SEQPACKET}
     * @param protocol 0
     * @return the two ends
     * @throws ErrnoException if the kernel refuses
     */
    public static NativeSocket[] pair(int family, int type, int protocol) throws ErrnoException {
        checkFamily(family);
        int flags = SocketType.SOCK_NONBLOCK | SocketType.SOCK_CLOEXEC;
        int[] fds = Fds.socketpair(family, FLAGS_IN_TYPE ? type | flags : type, protocol);
        NativeSocket first = adoptNew(fds[0], flags, family, type, protocol);
        try {
            return new NativeSocket[] {first, adoptNew(fds[1], flags, family, type, protocol)};
        } catch (ErrnoException | RuntimeException e) {
            first.close();
            throw e;
        }
    }

    private static NativeSocket adoptNew(int fd, int flags, int family, int type, int protocol) throws ErrnoException {
        boolean nonBlocking = (flags & SocketType.SOCK_NONBLOCK) != 0;
        if (!FLAGS_IN_TYPE) {
            try {
                Fds.setNonBlocking(fd, nonBlocking);
                Fds.setCloseOnExec(fd, (flags & SocketType.SOCK_CLOEXEC) != 0);
            } catch (ErrnoException e) {
                Fds.closeAfterFailure(fd, e);
                throw e;
            }
        }
        return new NativeSocket(fd, Ownership.OWNED, nonBlocking ? Mode.NON_BLOCKING : Mode.BLOCKING, family, type, protocol);
    }

    /**
     * Wraps a socket fd someone else owns; {@link #close()} leaves it open. Its mode is read from
     * the fd.
     *
     * @param fd a socket fd
     * @return the wrapper
     * @throws ErrnoException if the fd is not open
     */
    public static NativeSocket fromFd(int fd) throws ErrnoException {
        return fromFd(fd, Ownership.BORROWED);
    }

    /**
     * Wraps a socket fd.
     *
     * @param fd        a socket fd
     * @param ownership whether {@link #close()} closes it
     * @return the wrapper
     * @throws ErrnoException if the fd is not open
     */
    public static NativeSocket fromFd(int fd, Ownership ownership) throws ErrnoException {
        FileObjects.checkFd(fd);
        Mode mode = Fds.isNonBlocking(fd) ? Mode.NON_BLOCKING : Mode.BLOCKING;
        return new NativeSocket(fd, Objects.requireNonNull(ownership, "ownership"), mode, -1, -1, -1);
    }

    private static void checkFamily(int family) {
        if (family == AddressFamily.UNDEFINED) {
            throw new IllegalArgumentException("address family not defined on this platform: " + family + " (AddressFamily.UNDEFINED)");
        }
    }

    // ------------------------------------------------------------------ identity

    /**
     * The address family.
     *
     * <p>Like Python's {@code socket.family}, this keeps answering after {@link #close()}, as do
     * {@link #type()} and {@link #protocol()}: a socket made by {@code open}, {@code pair} or
     * {@code accept} knows all three from its creation, and a socket made by {@code fromFd} asks the
     * kernel on the first call and remembers the answer. Only a first call after close, on a socket
     * from {@code fromFd}, fails, with {@link io.github.selectors4j.AlreadyClosedException}.
     *
     * @return an {@code AF_*} value
     * @throws ErrnoException if it must be asked of the kernel and that fails
     */
    public int family() throws ErrnoException {
        if (family < 0) {
            family = getOption(SocketOptions.SO_DOMAIN);
        }
        return family;
    }

    /**
     * The socket type, without creation flags. Keeps answering after {@link #close()} once known,
     * as {@link #family()} explains.
     *
     * @return a {@code SOCK_*} value
     * @throws ErrnoException if it must be asked of the kernel and that fails
     */
    public int type() throws ErrnoException {
        if (type < 0) {
            type = getOption(SocketOptions.SO_TYPE);
        }
        return type & ~(SocketType.SOCK_NONBLOCK | SocketType.SOCK_CLOEXEC);
    }

    /**
     * The protocol. Keeps answering after {@link #close()} once known, as {@link #family()}
     * explains.
     *
     * @return the protocol number
     * @throws ErrnoException if it must be asked of the kernel and that fails
     */
    public int protocol() throws ErrnoException {
        if (protocol < 0) {
            protocol = getOption(SocketOptions.SO_PROTOCOL);
        }
        return protocol;
    }

    @Override
    public int fileno() {
        guard.checkOpen();
        return fd;
    }

    // ------------------------------------------------------------------ modes

    /**
     * Chooses blocking ({@code true}) or non-blocking ({@code false}) mode, as Python's
     * {@code setblocking}; it ends timeout mode.
     *
     * @param blocking the mode
     * @throws ErrnoException if {@code fcntl} fails
     */
    public void setBlocking(boolean blocking) throws ErrnoException {
        setTimeout(blocking ? null : Duration.ZERO);
    }

    /**
     * Whether calls block (blocking or timeout mode).
     *
     * @return false in non-blocking mode
     */
    public boolean isBlocking() {
        return mode != Mode.NON_BLOCKING;
    }

    /**
     * Chooses the mode, as Python's {@code settimeout}: null blocks, zero never waits, a positive
     * duration waits at most that long per call and then throws {@link SocketTimeoutException}.
     * Timeout mode keeps the fd non-blocking and waits with {@code poll}.
     *
     * @param timeout null, zero or positive
     * @throws ErrnoException           if {@code fcntl} fails
     * @throws IllegalArgumentException for a negative duration
     */
    public void setTimeout(Duration timeout) throws ErrnoException {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        guard.enter();
        try {
            Mode wanted = timeout == null ? Mode.BLOCKING : timeout.isZero() ? Mode.NON_BLOCKING : Mode.TIMEOUT;
            Fds.setNonBlocking(fd, wanted != Mode.BLOCKING);
            timeoutNanos = timeout == null ? Timeouts.FOREVER : Timeouts.toNanos(timeout);
            mode = wanted;
        } finally {
            guard.exit();
        }
    }

    /**
     * The timeout, as Python's {@code gettimeout}.
     *
     * @return null in blocking mode, zero in non-blocking mode, else the timeout
     */
    public Duration getTimeout() {
        return switch (mode) {
            case BLOCKING -> null;
            case NON_BLOCKING -> Duration.ZERO;
            case TIMEOUT -> Duration.ofNanos(timeoutNanos);
        };
    }

    // ------------------------------------------------------------------ addresses and connections

    /**
     * Binds the socket to an address.
     *
     * @param address an address of the socket's family
     * @throws ErrnoException e.g. {@code EADDRINUSE}, {@code EACCES}, {@code EINVAL} for another family
     */
    public void bind(NativeSocketAddress address) throws ErrnoException {
        Objects.requireNonNull(address, "address");
        guard.enter();
        try {
            SocketScratch scratch = SocketScratch.get();
            int length = address.encode(scratch.fixed(), scratch.addressOffset());
            if (Native.SOCKETS.bind(fd, scratch.address(), length) < 0) {
                throw Errno.last("bind(" + address + ")", fd);
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Listens for connections.
     *
     * @param backlog the queue length the kernel may keep (capped by {@code somaxconn})
     * @throws ErrnoException e.g. {@code EOPNOTSUPP} for a datagram socket (named {@code ENOTSUP} in the
     *                        exception: on Linux the two are one number, 95)
     */
    public void listen(int backlog) throws ErrnoException {
        guard.enter();
        try {
            if (Native.SOCKETS.listen(fd, backlog) < 0) {
                throw Errno.last("listen", fd);
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Accepts a connection; the new socket is non-blocking and close-on-exec.
     *
     * @return the connection and its peer's address; null in non-blocking mode when none is waiting
     * @throws IOException            e.g. {@code EMFILE}; {@link SocketTimeoutException} in timeout mode
     */
    public Accepted accept() throws IOException {
        return accept(SocketType.SOCK_NONBLOCK | SocketType.SOCK_CLOEXEC);
    }

    /**
     * Accepts a connection with the given flags for the new socket.
     *
     * @param flags {@link SocketType#SOCK_NONBLOCK} and/or {@link SocketType#SOCK_CLOEXEC}, used as given
     * @return the connection, or null in non-blocking mode when none is waiting
     * @throws IOException e.g. {@code EMFILE}, {@code EINVAL} if the socket is not listening
     */
    public Accepted accept(int flags) throws IOException {
        guard.enter();
        try {
            long deadline = deadline();
            for (;;) {
                SocketScratch scratch = SocketScratch.get();
                scratch.setAddressLength(SocketScratch.ADDRESS_SIZE);
                int client = FLAGS_IN_TYPE ? Native.SOCKETS.accept4(fd, scratch.address(), scratch.addressLength(), flags)
                        : Native.SOCKETS.accept(fd, scratch.address(), scratch.addressLength());
                if (client >= 0) {
                    int length = Math.min(scratch.getAddressLength(), SocketScratch.ADDRESS_SIZE);
                    NativeSocketAddress peer = NativeSocketAddress.decode(scratch.fixed(), scratch.addressOffset(), length);
                    return new Accepted(adoptNew(client, flags, family, type, protocol), peer);
                }
                if (!mustWait(Native.lastErrno(), FLAGS_IN_TYPE ? "accept4" : "accept", POLLIN, deadline)) {
                    return null;
                }
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Connects. In non-blocking mode a TCP connect usually starts and returns false; the socket
     * becomes writable when it completes, and {@link #finishConnect()} tells how it went.
     *
     * @param address the peer
     * @return true if connected; false if the connection is in progress (non-blocking mode)
     * @throws IOException e.g. {@code ECONNREFUSED}; {@link SocketTimeoutException} in timeout mode
     */
    public boolean connect(NativeSocketAddress address) throws IOException {
        Objects.requireNonNull(address, "address");
        guard.enter();
        try {
            long deadline = deadline();
            connectError = 0;
            SocketScratch scratch = SocketScratch.get();
            int length = address.encode(scratch.fixed(), scratch.addressOffset());
            if (Native.SOCKETS.connect(fd, scratch.address(), length) == 0) {
                return true;
            }
            int errno = Native.lastErrno();
            // EINTR leaves the connection going on in the background, like EINPROGRESS (PEP 475).
            if (errno != Errno.EINPROGRESS && errno != Errno.EINTR && !Errno.wouldBlock(errno)) {
                throw Errno.exception("connect(" + address + ")", errno, fd);
            }
            if (mode == Mode.NON_BLOCKING) {
                return false;
            }
            awaitReady(POLLOUT, deadline);
            int error = getOption(SocketOptions.SO_ERROR);
            if (error != 0) {
                throw Errno.exception("connect(" + address + ")", error, fd);
            }
            return true;
        } finally {
            guard.exit();
        }
    }

    /**
     * Completes a non-blocking connect once the socket became writable.
     *
     * <p>A failed connect is reported by every call, not only the first: the kernel hands the error
     * out once (reading {@code SO_ERROR} clears it), and the socket remembers it, so a later call
     * throws the same error again rather than returning false as if the connect were still in
     * progress. The next {@link #connect} forgets it.
     *
     * @return true if connected, false if still in progress
     * @throws ErrnoException the connect's failure, e.g. {@code ECONNREFUSED} or {@code ETIMEDOUT},
     *                        on this and every later call
     */
    public boolean finishConnect() throws ErrnoException {
        guard.enter();
        try {
            int error = connectError;
            if (error == 0) {
                error = getOption(SocketOptions.SO_ERROR);
                connectError = error;
            }
            if (error != 0) {
                throw Errno.exception("connect", error, fd);
            }
            SocketScratch scratch = SocketScratch.get();
            scratch.setAddressLength(SocketScratch.ADDRESS_SIZE);
            if (Native.SOCKETS.getpeername(fd, scratch.address(), scratch.addressLength()) == 0) {
                return true;
            }
            int errno = Native.lastErrno();
            if (errno == Errno.ENOTCONN) {
                return false;
            }
            throw Errno.exception("getpeername", errno, fd);
        } finally {
            guard.exit();
        }
    }

    /**
     * The address the socket is bound to.
     *
     * @return the local address
     * @throws ErrnoException if {@code getsockname} fails
     */
    public NativeSocketAddress localAddress() throws ErrnoException {
        return address(false);
    }

    /**
     * The address of the connected peer.
     *
     * @return the peer's address
     * @throws ErrnoException {@code ENOTCONN} if not connected
     */
    public NativeSocketAddress remoteAddress() throws ErrnoException {
        return address(true);
    }

    private NativeSocketAddress address(boolean peer) throws ErrnoException {
        guard.enter();
        try {
            SocketScratch scratch = SocketScratch.get();
            scratch.setAddressLength(SocketScratch.ADDRESS_SIZE);
            int result = peer ? Native.SOCKETS.getpeername(fd, scratch.address(), scratch.addressLength())
                    : Native.SOCKETS.getsockname(fd, scratch.address(), scratch.addressLength());
            if (result < 0) {
                throw Errno.last(peer ? "getpeername" : "getsockname", fd);
            }
            int length = Math.min(scratch.getAddressLength(), SocketScratch.ADDRESS_SIZE);
            return NativeSocketAddress.decode(scratch.fixed(), scratch.addressOffset(), length);
        } finally {
            guard.exit();
        }
    }

    /**
     * Shuts down one or both directions.
     *
     * @param how {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}
     * @throws ErrnoException e.g. {@code ENOTCONN}
     */
    public void shutdown(int how) throws ErrnoException {
        guard.enter();
        try {
            if (Native.SOCKETS.shutdown(fd, how) < 0) {
                throw Errno.last("shutdown(" + how + ")", fd);
            }
        } finally {
            guard.exit();
        }
    }

    // ------------------------------------------------------------------ data

    /**
     * Sends the buffer's remaining bytes, or as many as fit.
     *
     * @param src the bytes; its position advances by the bytes sent
     * @return bytes sent; 0 if the socket would block (non-blocking mode)
     * @throws IOException e.g. {@code EPIPE}, {@code ECONNRESET}; {@link SocketTimeoutException}
     */
    public int send(ByteBuffer src) throws IOException {
        return send(src, 0);
    }

    /**
     * Sends with {@code MSG_*} flags.
     *
     * @param src   the bytes
     * @param flags e.g. {@link #MSG_DONTWAIT}
     * @return bytes sent; 0 if the socket would block
     * @throws IOException on failure
     */
    public int send(ByteBuffer src, int flags) throws IOException {
        Objects.requireNonNull(src, "src");
        guard.enter();
        try {
            long deadline = deadline();
            ByteBuffer direct = src.isDirect() ? src : copyToScratch(src);
            for (;;) {
                long n = Native.SOCKETS.send(fd, SocketScratch.addressOf(direct) + direct.position(), direct.remaining(), flags);
                if (n >= 0) {
                    src.position(src.position() + (int) n);
                    return (int) n;
                }
                if (!mustWait(Native.lastErrno(), "send", POLLOUT, deadline)) {
                    return 0;
                }
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Sends a range of an array.
     *
     * @param bytes  the array
     * @param offset where the range starts
     * @param length how many bytes
     * @return bytes sent; 0 if the socket would block
     * @throws IOException               on failure
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public int send(byte[] bytes, int offset, int length) throws IOException {
        return send(wrap(bytes, offset, length), 0);
    }

    /**
     * Receives into the buffer's remaining space.
     *
     * @param dst a writable buffer; its position advances by the bytes received
     * @return bytes received; 0 if nothing is available (non-blocking mode) or an empty datagram or
     *         seqpacket record arrived; -1 at end of stream
     * @throws IOException e.g. {@code ECONNRESET}; {@link SocketTimeoutException}
     */
    public int recv(ByteBuffer dst) throws IOException {
        return recv(dst, 0);
    }

    /**
     * Receives with {@code MSG_*} flags.
     *
     * <p>With {@link #MSG_TRUNC} a datagram socket reports the datagram's real length, which can
     * exceed the room in {@code dst} (Python's {@code recv_into} does the same): the position then
     * advances only by the bytes stored, {@code min(result, dst.remaining())}.
     *
     * @param dst   a writable buffer
     * @param flags e.g. {@link #MSG_PEEK}
     * @return bytes received, 0 if nothing is available, -1 at end of stream
     * @throws IOException on failure
     */
    public int recv(ByteBuffer dst, int flags) throws IOException {
        checkWritable(dst);
        guard.enter();
        try {
            long deadline = deadline();
            ByteBuffer direct = dst.isDirect() ? dst : bounce(dst.remaining());
            for (;;) {
                long n = Native.SOCKETS.recv(fd, SocketScratch.addressOf(direct) + direct.position(), direct.remaining(), flags);
                if (n > 0) {
                    // MSG_TRUNC makes a datagram socket return the datagram's length, not what fit.
                    advance(dst, direct, (int) Math.min(n, direct.remaining()));
                    return (int) n;
                }
                if (n == 0) {
                    return dst.hasRemaining() && isEndOfStream() ? -1 : 0;
                }
                if (!mustWait(Native.lastErrno(), "recv", POLLIN, deadline)) {
                    return 0;
                }
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Receives into a range of an array.
     *
     * @param bytes  the array
     * @param offset where the range starts
     * @param length how many bytes at most
     * @return bytes received, 0 if nothing is available, -1 at end of stream
     * @throws IOException               on failure
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public int recv(byte[] bytes, int offset, int length) throws IOException {
        return recv(wrap(bytes, offset, length), 0);
    }

    /**
     * Sends a datagram to an address (or on a connected socket, ignoring it where the family does).
     *
     * @param src     the bytes
     * @param address the destination
     * @return bytes sent; 0 if the socket would block
     * @throws IOException e.g. {@code EMSGSIZE}; {@code EINVAL} (Linux) or {@code EAFNOSUPPORT} for an
     *                     address of another family
     */
    public int sendTo(ByteBuffer src, NativeSocketAddress address) throws IOException {
        return sendMsg(src, List.of(), 0, Objects.requireNonNull(address, "address"));
    }

    /**
     * Receives a datagram and its sender's address: Python's {@code recvfrom}.
     *
     * <p>Where the kernel reports no address, an {@code AF_UNIX} socket gets
     * {@link UnixSocketAddress#unnamed()} (the sender was never bound, such as either end of a
     * socket pair), and a socket of any other family gets null, as Python's {@code recvfrom} gives
     * {@code None}: a connected TCP socket, for one. On such a socket null also means "nothing
     * available"; tell the two apart by {@code dst}'s position, or use {@link #recvMsg}, whose null
     * means only that.
     *
     * @param dst a writable buffer; a datagram longer than its room is truncated
     * @return the sender's address; the unnamed address for an unbound AF_UNIX sender; null if the
     *         kernel reported none on a socket of another family, or if nothing is available
     *         (non-blocking mode)
     * @throws IOException on failure
     */
    public NativeSocketAddress recvFrom(ByteBuffer dst) throws IOException {
        ReceivedMessage message = recvMsg(dst, 0, 0);
        if (message == null || message.address() != null) {
            return message == null ? null : message.address();
        }
        // Linux reports an unbound AF_UNIX sender with no address at all (msg_namelen 0); only that
        // family has an "unnamed" address to stand for it.
        return family() == AddressFamily.AF_UNIX ? UnixSocketAddress.unnamed() : null;
    }

    /**
     * Sends data with ancillary data: Python's {@code sendmsg}.
     *
     * @param src      the bytes
     * @param controls ancillary data, e.g. {@link ControlMessage#rights(int...)}
     * @param flags    {@code MSG_*} flags
     * @param address  the destination, or null on a connected socket
     * @return bytes sent; 0 if the socket would block
     * @throws IOException on failure
     */
    public int sendMsg(ByteBuffer src, List<ControlMessage> controls, int flags, NativeSocketAddress address) throws IOException {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(controls, "controls");
        guard.enter();
        try {
            long deadline = deadline();
            ByteBuffer direct = src.isDirect() ? src : copyToScratch(src);
            for (;;) {
                long n = MessageIo.send(fd, direct, controls, flags, address);
                if (n >= 0) {
                    src.position(src.position() + (int) n);
                    return (int) n;
                }
                if (!mustWait(Native.lastErrno(), "sendmsg", POLLOUT, deadline)) {
                    return 0;
                }
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Receives data with ancillary data: Python's {@code recvmsg}. File descriptors received with
     * {@code SCM_RIGHTS} belong to the caller, who must close them; they are close-on-exec.
     * With {@link #MSG_TRUNC} in {@code flags} the result still counts the bytes stored, and
     * {@link ReceivedMessage#isTruncated()} tells whether the datagram was longer.
     *
     * @param dst         a writable buffer
     * @param controlSize room for ancillary data, in bytes (e.g. 64 for a few fds)
     * @param flags       {@code MSG_*} flags
     * @return the message; null if nothing is available (non-blocking mode)
     * @throws IOException on failure
     */
    public ReceivedMessage recvMsg(ByteBuffer dst, int controlSize, int flags) throws IOException {
        checkWritable(dst);
        if (controlSize < 0 || controlSize > 65536) {
            throw new IllegalArgumentException("controlSize must be 0-65536: " + controlSize);
        }
        guard.enter();
        try {
            long deadline = deadline();
            ByteBuffer direct = dst.isDirect() ? dst : bounce(dst.remaining());
            int start = direct.position();
            boolean unix = controlSize > 0 && family() == AddressFamily.AF_UNIX;
            for (;;) {
                long n = MessageIo.receive(fd, direct, controlSize, flags, unix);
                if (n >= 0) {
                    if (direct != dst) {
                        dst.put(direct.flip().position(start));
                    }
                    return MessageIo.received((int) n, controlSize);
                }
                if (!mustWait(Native.lastErrno(), "recvmsg", POLLIN, deadline)) {
                    return null;
                }
            }
        } finally {
            guard.exit();
        }
    }

    // ------------------------------------------------------------------ options

    /**
     * Sets an option.
     *
     * @param option the option, e.g. {@link SocketOptions#SO_REUSEADDR}
     * @param value  its value
     * @param <T>    its type
     * @throws ErrnoException e.g. {@code ENOPROTOOPT} where the platform lacks it, {@code EINVAL}
     */
    public <T> void setOption(SocketOption<T> option, T value) throws ErrnoException {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(value, "value");
        if (!option.codec().writable()) {
            throw new UnsupportedOperationException(option + " can only be read");
        }
        guard.enter();
        try {
            SocketScratch scratch = SocketScratch.get();
            int length = option.codec().encode(value, scratch.fixed(), scratch.optionOffset());
            if (Native.SOCKETS.setsockopt(fd, option.level(), option.option(), scratch.option(), length) < 0) {
                throw Errno.last("setsockopt(" + option + ")", fd);
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Reads an option.
     *
     * @param option the option, e.g. {@link SocketOptions#SO_RCVBUF}
     * @param <T>    its type
     * @return its value
     * @throws ErrnoException e.g. {@code ENOPROTOOPT}
     */
    public <T> T getOption(SocketOption<T> option) throws ErrnoException {
        Objects.requireNonNull(option, "option");
        if (!option.codec().readable()) {
            throw new UnsupportedOperationException(option + " can only be set");
        }
        guard.enter();
        try {
            SocketScratch scratch = SocketScratch.get();
            int room = Math.min(option.codec().maxLength(), SocketScratch.OPTION_SIZE);
            scratch.setOptionLength(room);
            if (Native.SOCKETS.getsockopt(fd, option.level(), option.option(), scratch.option(), scratch.optionLength()) < 0) {
                throw Errno.last("getsockopt(" + option + ")", fd);
            }
            return option.codec().decode(scratch.fixed(), scratch.optionOffset(), Math.min(scratch.getOptionLength(), room));
        } finally {
            guard.exit();
        }
    }

    /**
     * Sets an {@code int} option by number: the escape hatch for options selectors4j does not name.
     *
     * @param level  the level
     * @param option the number
     * @param value  the value
     * @throws ErrnoException if the kernel refuses
     */
    public void setIntOption(int level, int option, int value) throws ErrnoException {
        setOption(SocketOption.ofInt("option " + level + "/" + option, level, option), value);
    }

    /**
     * Reads an {@code int} option by number.
     *
     * @param level  the level
     * @param option the number
     * @return the value
     * @throws ErrnoException if the kernel refuses
     */
    public int getIntOption(int level, int option) throws ErrnoException {
        return getOption(SocketOption.ofInt("option " + level + "/" + option, level, option));
    }

    /**
     * Sets an option from raw bytes.
     *
     * @param level  the level
     * @param option the number
     * @param value  the bytes, at most 256
     * @throws ErrnoException if the kernel refuses
     */
    public void setBytesOption(int level, int option, byte[] value) throws ErrnoException {
        Objects.requireNonNull(value, "value");
        if (value.length > SocketScratch.OPTION_SIZE) {
            throw new IllegalArgumentException("option value longer than " + SocketScratch.OPTION_SIZE + " bytes: " + value.length);
        }
        setOption(SocketOption.ofBytes("option " + level + "/" + option, level, option, value.length), value);
    }

    /**
     * Reads an option as raw bytes.
     *
     * @param level     the level
     * @param option    the number
     * @param maxLength the room given to the kernel, at most 256
     * @return the bytes the kernel wrote
     * @throws ErrnoException if the kernel refuses
     */
    public byte[] getBytesOption(int level, int option, int maxLength) throws ErrnoException {
        if (maxLength < 0 || maxLength > SocketScratch.OPTION_SIZE) {
            throw new IllegalArgumentException("maxLength must be 0-" + SocketScratch.OPTION_SIZE + ": " + maxLength);
        }
        return getOption(SocketOption.ofBytes("option " + level + "/" + option, level, option, maxLength));
    }

    // ------------------------------------------------------------------ closing

    /**
     * Whether {@link #close()} or {@link #detach()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return guard.isClosed();
    }

    /**
     * Closes the socket (its fd only if owned). Idempotent. A blocking call in another thread is
     * woken by shutting the socket down first.
     */
    @Override
    public void close() {
        if (ownership == Ownership.OWNED && guard.inUse() && !guard.isClosed()) {
            // close() alone does not wake a thread blocked in recv or accept on Linux.
            Native.SOCKETS.shutdown(fd, SHUT_RDWR);
        }
        guard.close();
    }

    /**
     * Marks the socket closed without closing its fd, and returns the fd: Python's {@code detach}.
     *
     * @return the fd, now the caller's
     */
    public int detach() {
        guard.checkOpen();
        detached = true;
        guard.close();
        return fd;
    }

    private void release() {
        if (ownership == Ownership.OWNED && !detached) {
            Fds.closeOwned(fd);
        }
    }

    @Override
    public String toString() {
        if (guard.isClosed()) {
            return "NativeSocket[closed]";
        }
        return "NativeSocket[fd=" + fd + (family >= 0 ? ", " + AddressFamily.name(family) : "") + "]";
    }

    // ------------------------------------------------------------------ helpers

    /** The deadline of a call in timeout mode, from now. */
    private long deadline() {
        return mode == Mode.TIMEOUT ? System.nanoTime() + timeoutNanos : 0;
    }

    /**
     * Decides what to do after a call failed with {@code errno}: true to try again (after waiting
     * for readiness in timeout mode), false to report "would block"; throws anything else.
     */
    private boolean mustWait(int errno, String call, int pollEvents, long deadline) throws IOException {
        if (errno == Errno.EINTR) {
            return true;
        }
        if (!Errno.wouldBlock(errno)) {
            throw Errno.exception(call, errno, fd);
        }
        if (mode != Mode.TIMEOUT) {
            return false;
        }
        awaitReady(pollEvents, deadline);
        return true;
    }

    /** Waits with poll until the fd is ready for {@code events}, or the deadline (timeout mode only) passes. */
    private void awaitReady(int events, long deadline) throws IOException {
        SocketScratch scratch = SocketScratch.get();
        ByteBuffer fixed = scratch.fixed();
        for (;;) {
            long remaining = mode == Mode.TIMEOUT ? deadline - System.nanoTime() : Timeouts.FOREVER;
            if (mode == Mode.TIMEOUT && remaining <= 0) {
                throw new SocketTimeoutException("timed out");
            }
            fixed.putInt(scratch.pollfdOffset(), fd);
            fixed.putShort(scratch.pollfdOffset() + 4, (short) events);
            fixed.putShort(scratch.pollfdOffset() + 6, (short) 0);
            int n = Native.LIBC.poll(scratch.pollfd(), 1, Timeouts.toMillisRoundedUp(remaining));
            if (n > 0) {
                return;
            }
            if (n < 0 && Native.lastErrno() != Errno.EINTR) {
                throw Errno.last("poll", fd);
            }
        }
    }

    /**
     * Whether a receive that returned 0 bytes into room for more means end of stream. A stream
     * socket returns 0 only then; a datagram socket also for an empty datagram; a seqpacket socket
     * also for an empty record, so there the peer's shutdown is asked of poll ({@code POLLRDHUP}),
     * where the platform has it.
     */
    private boolean isEndOfStream() throws ErrnoException {
        int kind = type >= 0 ? type & ~(SocketType.SOCK_NONBLOCK | SocketType.SOCK_CLOEXEC) : getTypeQuietly();
        if (kind == SocketType.SOCK_STREAM) {
            return true;
        }
        if (kind != SocketType.SOCK_SEQPACKET) {
            return false;
        }
        if (POLLRDHUP == 0) {
            return true;
        }
        SocketScratch scratch = SocketScratch.get();
        ByteBuffer fixed = scratch.fixed();
        fixed.putInt(scratch.pollfdOffset(), fd);
        fixed.putShort(scratch.pollfdOffset() + 4, (short) POLLRDHUP);
        fixed.putShort(scratch.pollfdOffset() + 6, (short) 0);
        for (;;) {
            int n = Native.LIBC.poll(scratch.pollfd(), 1, 0);
            if (n >= 0) {
                return n > 0 && (fixed.getShort(scratch.pollfdOffset() + 6) & (POLLRDHUP | POLLHUP)) != 0;
            }
            if (Native.lastErrno() != Errno.EINTR) {
                throw Errno.last("poll", fd);
            }
        }
    }

    private int getTypeQuietly() {
        try {
            return type();
        } catch (ErrnoException e) {
            return -1;
        }
    }

    /**
     * The calling thread's direct buffer for a heap transfer of {@code size} bytes: the whole range
     * on a message-oriented socket, where a shorter one would cut the datagram; at most
     * {@link SocketScratch#MAX_DATA} on a stream socket, where a partial transfer is in the contract.
     */
    private ByteBuffer bounce(int size) {
        return isMessageOriented() ? SocketScratch.get().message(size) : SocketScratch.get().data(size);
    }

    /** Whether the socket moves whole messages (any type but SOCK_STREAM); an unknown type counts as one, the safe side. */
    private boolean isMessageOriented() {
        int kind = type >= 0 ? type & ~(SocketType.SOCK_NONBLOCK | SocketType.SOCK_CLOEXEC) : getTypeQuietly();
        return kind != SocketType.SOCK_STREAM;
    }

    private ByteBuffer copyToScratch(ByteBuffer src) {
        ByteBuffer direct = bounce(src.remaining());
        direct.put(src.duplicate().limit(src.position() + direct.remaining()));
        return direct.flip();
    }

    private static void advance(ByteBuffer dst, ByteBuffer direct, int n) {
        if (direct == dst) {
            dst.position(dst.position() + n);
        } else {
            dst.put(direct.limit(n).position(0));
        }
    }

    private static void checkWritable(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
    }

    private static ByteBuffer wrap(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(bytes, "bytes").length);
        return ByteBuffer.wrap(bytes, offset, length);
    }
}
