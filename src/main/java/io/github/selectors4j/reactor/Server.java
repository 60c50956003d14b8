package io.github.selectors4j.reactor;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.Native;
import io.github.selectors4j.internal.Platform;
import io.github.selectors4j.net.Accepted;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.NativeSocketAddress;
import io.github.selectors4j.net.SocketOptions;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.selectors.BaseSelector;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * A listening socket on an {@link EventLoop} that accepts connections and gives each a
 * {@link ConnectionHandler}: enough to write an echo or a RESP server in a page.
 *
 * <pre>{@code
 * try (EventLoop loop = EventLoop.open()) {
 *     Server server = Server.listen(loop, IPv4SocketAddress.loopback(7000),
 *             () -> (connection, data) -> connection.write(data));       // echo
 *     loop.runForever();
 * }
 * }</pre>
 *
 * <h2>Overload</h2>
 * When the process runs out of fds ({@code EMFILE}) or the system does ({@code ENFILE}), a server
 * that keeps trying to accept would spin at full CPU, since the pending connection keeps the
 * listening socket readable. This one keeps one fd in reserve: it gives it up, accepts the waiting
 * connection and closes it at once (the client sees the connection refused rather than hanging),
 * takes the reserve back, and stops accepting for a while — 10 ms, doubling up to one second while
 * the shortage lasts. Connections already accepted are served throughout, and accepting resumes
 * by itself when fds free up.
 *
 * <p>Methods are for the loop's thread, except {@link #close()}.
 */
public final class Server implements AutoCloseable {

    private static final int READ = BaseSelector.EVENT_READ;
    private static final int ACCEPTS_PER_WAKEUP = 64;
    private static final long FIRST_BACKOFF = Duration.ofMillis(10).toNanos();
    private static final long LAST_BACKOFF = Duration.ofSeconds(1).toNanos();
    private static final int READ_BUFFER_SIZE = 64 * 1024;

    private final EventLoop loop;
    private final NativeSocket listener;
    private final Supplier<ConnectionHandler> handlers;
    private final EventLoopGroup group;
    private final Watch watch;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private int reserveFd;
    private long backoff = FIRST_BACKOFF;
    private long shedConnections;
    private volatile boolean closed;

    Server(EventLoop loop, NativeSocket listener, Supplier<ConnectionHandler> handlers, EventLoopGroup group) throws IOException {
        this.loop = loop;
        this.listener = listener;
        this.handlers = Objects.requireNonNull(handlers, "handlers");
        this.group = group;
        this.reserveFd = openReserve();
        try {
            this.watch = loop.watch(listener, READ, (w, events) -> acceptWaiting());
        } catch (IOException | RuntimeException e) {
            closeReserve();
            throw e;
        }
    }

    /**
     * Listens on {@code address} (with {@code SO_REUSEADDR}, a backlog of 1024) and serves each
     * connection with a new handler from {@code handlers}.
     *
     * @param loop     the loop, called on its thread or before it runs
     * @param address  where to listen; port 0 picks a free one ({@link #address()} tells which)
     * @param handlers makes one handler per connection
     * @return the server
     * @throws IOException e.g. {@code EADDRINUSE}
     */
    public static Server listen(EventLoop loop, NativeSocketAddress address, Supplier<ConnectionHandler> handlers) throws IOException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(handlers, "handlers");
        NativeSocket listener = listeningSocket(address, false);
        try {
            return new Server(loop, listener, handlers, null);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /**
     * Serves connections accepted from a socket that already listens; the server then owns it.
     *
     * @param loop     the loop
     * @param listener a listening socket
     * @param handlers makes one handler per connection
     * @return the server
     * @throws IOException if the loop cannot watch the socket
     */
    public static Server listen(EventLoop loop, NativeSocket listener, Supplier<ConnectionHandler> handlers) throws IOException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(handlers, "handlers");
        return new Server(loop, listener, handlers, null);
    }

    /**
     * Opens a listening socket; with {@code reusePort}, one that shares its port with the other
     * listeners of a group (an IP address is required then).
     *
     * @throws ReusePortRefused if the platform refuses {@code SO_REUSEPORT} itself
     */
    static NativeSocket listeningSocket(NativeSocketAddress address, boolean reusePort) throws IOException {
        boolean ip = isIp(address);
        if (reusePort && !ip) {
            throw new IllegalArgumentException("SO_REUSEPORT is for IP addresses: " + address);
        }
        NativeSocket socket = NativeSocket.open(address.family(), SocketType.SOCK_STREAM, 0);
        try {
            if (ip) {
                socket.setOption(SocketOptions.SO_REUSEADDR, true);
                if (reusePort) {
                    setReusePort(socket);
                }
            }
            socket.bind(address);
            socket.listen(1024);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    static boolean isIp(NativeSocketAddress address) {
        return address.family() == AddressFamily.AF_INET || address.family() == AddressFamily.AF_INET6;
    }

    private static void setReusePort(NativeSocket socket) throws IOException {
        try {
            socket.setOption(SocketOptions.SO_REUSEPORT, true);
        } catch (ErrnoException e) {
            // What a kernel without the option (or without it for this socket) answers; anything
            // else (EBADF, ENOMEM...) is a failure of its own and is not hidden behind a fallback.
            int errno = e.errno();
            if (errno == Errno.ENOPROTOOPT || errno == Errno.EINVAL || errno == Errno.EOPNOTSUPP) {
                throw new ReusePortRefused(e);
            }
            throw e;
        }
    }

    /** The platform refused {@code SO_REUSEPORT}: the one failure a group answers by handing off accepted connections. */
    static final class ReusePortRefused extends IOException {
        private static final long serialVersionUID = 1L;

        ReusePortRefused(ErrnoException cause) {
            super("SO_REUSEPORT refused: " + cause.getMessage(), cause);
        }
    }

    /** Accepts what is waiting, a bounded number at a time so that one busy listener cannot hog the loop. */
    private void acceptWaiting() {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP && !closed; i++) {
            Accepted accepted;
            try {
                accepted = listener.accept();
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EMFILE || e.errno() == Errno.ENFILE) {
                    shedLoad();
                    return;
                }
                loop.report("accept on " + listener, e);
                return;
            } catch (IOException e) {
                loop.report("accept on " + listener, e);
                return;
            }
            if (accepted == null) {
                return;
            }
            backoff = FIRST_BACKOFF;
            if (reserveFd < 0) {
                // Lost to another thread during the last shortage; fds are back, so take it again.
                reserveFd = openReserve();
            }
            EventLoop target = group == null ? loop : group.next();
            if (target == loop) {
                adopt(accepted.socket());
            } else {
                NativeSocket socket = accepted.socket();
                try {
                    target.execute(() -> adopt(socket));
                } catch (RejectedExecutionException closedLoop) {
                    // The group is closing: nobody will adopt the socket, so it is ours to close.
                    socket.close();
                }
            }
        }
    }

    /** Out of fds: refuse the waiting connection with the reserve fd, then stop accepting for a while. */
    private void shedLoad() {
        if (reserveFd >= 0) {
            closeReserve();
            try {
                Accepted victim = listener.accept();
                if (victim != null) {
                    victim.socket().close();
                    shedConnections++;
                }
            } catch (ErrnoException e) {
                if (!isExpectedWhileShedding(e.errno())) {
                    loop.report("accept on " + listener + ", refusing a connection while out of fds", e);
                }
            } catch (IOException e) {
                loop.report("accept on " + listener + ", refusing a connection while out of fds", e);
            }
            reserveFd = openReserve();
        }
        watch.setInterest(0);
        loop.callLater(Duration.ofNanos(backoff), () -> {
            if (!closed && watch.isActive()) {
                watch.setInterest(READ);
            }
        });
        backoff = Math.min(backoff * 2, LAST_BACKOFF);
    }

    /**
     * Whether an accept made to refuse a connection while out of fds may fail with {@code errno}
     * unreported: still out of fds (another thread took the freed one first; the pause still
     * applies), or the waiting connection was aborted by its peer before it could be accepted, which
     * leaves nothing to refuse. Anything else is a failure of the listener and is reported.
     */
    static boolean isExpectedWhileShedding(int errno) {
        return errno == Errno.EMFILE || errno == Errno.ENFILE || errno == Errno.ECONNABORTED;
    }

    /** Makes a connection of an accepted socket, on the calling (target) loop. */
    private void adopt(NativeSocket socket) {
        EventLoop here = group == null ? loop : group.current();
        if (closed) {
            socket.close();
            return;
        }
        Connection connection;
        ConnectionHandler handler;
        try {
            if (socket.family() != AddressFamily.AF_UNIX) {
                socket.setOption(SocketOptions.TCP_NODELAY, true);
            }
            handler = Objects.requireNonNull(handlers.get(), "the handler supplier returned null");
            connection = new Connection(here, socket, handler, this, readBufferFor(here));
        } catch (IOException | RuntimeException e) {
            socket.close();
            here.report("accepting a connection on " + listener, e);
            return;
        }
        connections.add(connection);
        try {
            handler.onOpen(connection);
        } catch (Exception e) {
            here.report("onOpen of " + socket, e);
            connection.abort();
        }
    }

    /** The read buffer of the loop a connection lives on: connections of one loop take turns with it. */
    private ByteBuffer readBufferFor(EventLoop here) {
        return here == loop ? readBuffer : group.readBuffer(here);
    }

    void closed(Connection connection) {
        connections.remove(connection);
    }

    /**
     * The address the server listens on.
     *
     * @return the local address (with the port chosen if 0 was asked)
     * @throws IOException if the socket was closed
     */
    public NativeSocketAddress address() throws IOException {
        return listener.localAddress();
    }

    /** The loop the listening socket is watched on. */
    EventLoop loop() {
        return loop;
    }

    /**
     * Connections open now.
     *
     * @return the count
     */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * Connections refused because the process was out of fds.
     *
     * @return the count since the server started
     */
    public long shedConnections() {
        return shedConnections;
    }

    /**
     * Whether the server is accepting: false while it backs off after running out of fds, and after
     * {@link #close()}.
     *
     * @return true if the listening socket is watched
     */
    public boolean isAccepting() {
        return !closed && watch.isActive() && watch.interest() != 0;
    }

    /**
     * Stops listening and aborts every connection (each on its own loop). Safe from any thread: on a
     * running loop the work is queued to it; on a loop that is not running it is done at once on the
     * calling thread, and a run of that loop started meanwhile waits until it is done. Idempotent.
     */
    @Override
    public void close() {
        stop(false);
    }

    /**
     * Stops gracefully: stops accepting now, and closes each connection in order, as
     * {@link Connection#close()} does — it reads no more, sends what is buffered, then closes.
     * Safe from any thread, as {@link #close()}. Idempotent; a later {@code close()} does nothing.
     */
    public void shutdown() {
        stop(true);
    }

    private void stop(boolean graceful) {
        if (closed) {
            return;
        }
        closed = true;
        Runnable stop = () -> {
            watch.cancel();
            listener.close();
            closeReserve();
        };
        loop.runAsOwner(stop);
        for (Connection connection : connections) {
            connection.loop().runAsOwner(graceful ? connection::close : connection::abort);
        }
    }

    /** The spare fd given up when the process runs out: /dev/null, read-only, close-on-exec from birth. */
    private static int openReserve() {
        return Native.POSIX.open("/dev/null", Platform.CURRENT.oCloexec(), 0);
    }

    private void closeReserve() {
        if (reserveFd >= 0) {
            Fds.closeOwned(reserveFd);
            reserveFd = -1;
        }
    }

    @Override
    public String toString() {
        return "Server[" + listener + ", " + connections.size() + " connections" + (closed ? ", closed" : "") + "]";
    }
}
