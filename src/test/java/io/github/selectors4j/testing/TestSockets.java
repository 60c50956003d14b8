package io.github.selectors4j.testing;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.Native;
import io.github.selectors4j.internal.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Raw IPv4 loopback sockets for tests that need a TCP peer the selector layer does not create:
 * built directly on the internal bindings, Linux layout.
 */
public final class TestSockets {

    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = Platform.CURRENT.oNonBlock();
    public static final int SOCK_CLOEXEC = Platform.CURRENT.oCloexec();

    private TestSockets() {
    }

    /** A connected AF_UNIX stream pair, non-blocking and close-on-exec. */
    public static int[] unixStreamPair() throws ErrnoException {
        return Fds.socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    }

    /** A TCP socket bound to 127.0.0.1 on an ephemeral port and not listening: connects to it are refused. */
    public static int boundNotListening() throws ErrnoException {
        int fd = tcpSocket();
        try {
            check(Native.LIBC.bind(fd, loopback(0), 16), "bind", fd);
            return fd;
        } catch (ErrnoException e) {
            Fds.closeAfterFailure(fd, e);
            throw e;
        }
    }

    /** A TCP socket listening on 127.0.0.1 on an ephemeral port. */
    public static int listening() throws ErrnoException {
        int fd = boundNotListening();
        try {
            check(Native.LIBC.listen(fd, 16), "listen", fd);
            return fd;
        } catch (ErrnoException e) {
            Fds.closeAfterFailure(fd, e);
            throw e;
        }
    }

    /** The port a socket is bound to. */
    public static int port(int fd) throws ErrnoException {
        ByteBuffer address = ByteBuffer.allocate(16);
        int[] length = {16};
        check(Native.LIBC.getsockname(fd, address, length), "getsockname", fd);
        return address.order(ByteOrder.BIG_ENDIAN).getShort(2) & 0xffff;
    }

    /** Starts a non-blocking connect to 127.0.0.1:port; returns the socket, connected or in progress. */
    public static int connectNonBlocking(int port) throws ErrnoException {
        int fd = tcpSocket();
        if (Native.LIBC.connect(fd, loopback(port), 16) < 0) {
            int errno = Native.lastErrno();
            if (errno != jnr.constants.platform.Errno.EINPROGRESS.intValue()) {
                ErrnoException e = Errno.exception("connect", errno, fd);
                Fds.closeAfterFailure(fd, e);
                throw e;
            }
        }
        return fd;
    }

    private static int tcpSocket() throws ErrnoException {
        int fd = Native.LIBC.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw Errno.last("socket", ErrnoException.NO_FD);
        }
        return fd;
    }

    /** struct sockaddr_in for 127.0.0.1:port (Linux: no sin_len, family in host order). */
    private static ByteBuffer loopback(int port) {
        ByteBuffer address = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        address.putShort(0, (short) AF_INET);
        address.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) port).put(4, (byte) 127).put(7, (byte) 1);
        return address;
    }

    private static void check(int result, String call, int fd) throws ErrnoException {
        if (result < 0) {
            throw Errno.last(call, fd);
        }
    }
}
