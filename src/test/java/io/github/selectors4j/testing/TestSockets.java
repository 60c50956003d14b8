package io.github.selectors4j.testing;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.SocketType;
import java.io.IOException;

/**
 * Raw fds of loopback sockets, for tests of the layers below the socket API (selectors, select):
 * each is made with {@link NativeSocket} and detached, so the caller owns and closes the fd.
 */
public final class TestSockets {

    private TestSockets() {
    }

    /** A connected AF_UNIX stream pair, non-blocking and close-on-exec. */
    public static int[] unixStreamPair() throws ErrnoException {
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0);
        return new int[] {pair[0].detach(), pair[1].detach()};
    }

    /** A TCP socket bound to 127.0.0.1 on an ephemeral port and not listening: connects to it are refused. */
    public static int boundNotListening() throws ErrnoException {
        try (NativeSocket socket = NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0)) {
            socket.bind(IPv4SocketAddress.loopback(0));
            return socket.detach();
        }
    }

    /** A TCP socket listening on 127.0.0.1 on an ephemeral port. */
    public static int listening() throws ErrnoException {
        try (NativeSocket socket = NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0)) {
            socket.bind(IPv4SocketAddress.loopback(0));
            socket.listen(16);
            return socket.detach();
        }
    }

    /** The port a socket is bound to. */
    public static int port(int fd) throws ErrnoException {
        return ((IPv4SocketAddress) NativeSocket.fromFd(fd).localAddress()).port();
    }

    /** Starts a non-blocking connect to 127.0.0.1:port; returns the socket, connected or in progress. */
    public static int connectNonBlocking(int port) throws IOException {
        try (NativeSocket socket = NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0)) {
            socket.connect(IPv4SocketAddress.loopback(port));
            return socket.detach();
        }
    }
}
