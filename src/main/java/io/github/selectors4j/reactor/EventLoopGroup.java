package io.github.selectors4j.reactor;

import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.NativeSocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * N event loops on N threads, and a way to serve one address on all of them.
 *
 * <pre>{@code
 * try (EventLoopGroup group = EventLoopGroup.start(Runtime.getRuntime().availableProcessors())) {
 *     group.serve(IPv4SocketAddress.any(7000), () -> (connection, data) -> connection.write(data));
 *     Thread.sleep(Long.MAX_VALUE);
 * }
 * }</pre>
 *
 * <p>{@link #serve} opens one listening socket per loop with {@code SO_REUSEPORT}, so the kernel
 * spreads connections over the loops. Where the platform refuses {@code SO_REUSEPORT} (the option
 * itself: {@code ENOPROTOOPT}, {@code EINVAL}, {@code EOPNOTSUPP}), and for addresses that have no
 * such option (AF_UNIX), one loop accepts and hands each connection to the next loop in turn. Any
 * other failure to listen is thrown, after closing the listeners opened so far.
 */
public final class EventLoopGroup implements AutoCloseable {

    private final List<EventLoop> loops;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<EventLoop, ByteBuffer> readBuffers = new IdentityHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final ThreadLocal<EventLoop> current = new ThreadLocal<>();
    private final List<Server> servers = new ArrayList<>();

    private EventLoopGroup(List<EventLoop> loops) {
        this.loops = List.copyOf(loops);
        for (EventLoop loop : loops) {
            readBuffers.put(loop, ByteBuffer.allocateDirect(64 * 1024));
        }
    }

    /**
     * Opens {@code count} loops and starts each on its own thread ({@code selectors4j-loop-N}).
     *
     * @param count how many loops, at least 1
     * @return the running group
     * @throws IOException if a selector cannot be opened (the loops opened so far are closed)
     */
    public static EventLoopGroup start(int count) throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("a group needs at least one loop: " + count);
        }
        List<EventLoop> loops = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                loops.add(EventLoop.open());
            }
        } catch (IOException | RuntimeException e) {
            loops.forEach(EventLoop::close);
            throw e;
        }
        EventLoopGroup group = new EventLoopGroup(loops);
        for (int i = 0; i < count; i++) {
            EventLoop loop = loops.get(i);
            Thread thread = new Thread(() -> group.run(loop), "selectors4j-loop-" + i);
            thread.setDaemon(true);
            group.threads.add(thread);
            thread.start();
        }
        return group;
    }

    private void run(EventLoop loop) {
        current.set(loop);
        try {
            loop.runForever();
        } catch (IOException e) {
            loop.report("event loop of the group", e);
        }
    }

    /**
     * The loops.
     *
     * @return the loops, in order
     */
    public List<EventLoop> loops() {
        return loops;
    }

    /**
     * The next loop in turn, for spreading work. Thread-safe.
     *
     * @return a loop
     */
    public EventLoop next() {
        return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }

    /** The loop running on the calling thread. */
    EventLoop current() {
        EventLoop loop = current.get();
        if (loop == null) {
            throw new IllegalStateException("not on a thread of this group");
        }
        return loop;
    }

    ByteBuffer readBuffer(EventLoop loop) {
        return readBuffers.get(loop);
    }

    /**
     * Serves one address on every loop.
     *
     * @param address  where to listen; port 0 picks one free port for all loops
     * @param handlers makes one handler per connection (called on the connection's loop)
     * @return the servers, one per loop with {@code SO_REUSEPORT}, or one in all
     * @throws IOException if listening fails for another reason than a refused {@code SO_REUSEPORT}
     *                     (nothing is left listening then)
     */
    public List<Server> serve(NativeSocketAddress address, Supplier<ConnectionHandler> handlers) throws IOException {
        return serve(address, handlers, Server::listeningSocket);
    }

    /** Opens listening sockets for {@link #serve}: {@link Server#listeningSocket}, or a stand-in in tests. */
    interface Listeners {
        NativeSocket open(NativeSocketAddress address, boolean reusePort) throws IOException;
    }

    /**
     * {@link #serve} with the listening sockets made by {@code listeners}, so that a test can play a
     * platform that refuses {@code SO_REUSEPORT}, or a listener that fails for another reason.
     * Addresses other than IP ones (AF_UNIX) have no {@code SO_REUSEPORT} and are handed off at once.
     */
    List<Server> serve(NativeSocketAddress address, Supplier<ConnectionHandler> handlers, Listeners listeners) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(handlers, "handlers");
        List<Server> started = new ArrayList<>();
        try {
            if (Server.isIp(address)) {
                try {
                    Server first = on(loops.get(0), () -> listen(loops.get(0), listeners, address, true, handlers, null));
                    started.add(first);
                    NativeSocketAddress bound = first.address();
                    for (EventLoop loop : loops.subList(1, loops.size())) {
                        started.add(on(loop, () -> listen(loop, listeners, bound, true, handlers, null)));
                    }
                } catch (Server.ReusePortRefused refused) {
                    // Only a refusal of the option itself means "hand off instead": any other failure
                    // (EMFILE on the second listener, say) must not silently degrade to one acceptor.
                    started.forEach(Server::close);
                    started.clear();
                }
            }
            if (started.isEmpty()) {
                EventLoop acceptor = loops.get(0);
                started.add(on(acceptor, () -> listen(acceptor, listeners, address, false, handlers, this)));
            }
        } catch (IOException | RuntimeException e) {
            started.forEach(Server::close);
            throw e;
        }
        synchronized (servers) {
            servers.addAll(started);
        }
        return started;
    }

    /** A server over a new listener, which is closed again if the server cannot be made. */
    private static Server listen(EventLoop loop, Listeners listeners, NativeSocketAddress address, boolean reusePort,
            Supplier<ConnectionHandler> handlers, EventLoopGroup handOff) throws IOException {
        NativeSocket listener = listeners.open(address, reusePort);
        try {
            return new Server(loop, listener, handlers, handOff);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /** Something to make on a loop's thread. */
    private interface OnLoop<T> {
        T make() throws IOException;
    }

    private static <T> T on(EventLoop loop, OnLoop<T> action) throws IOException {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(action.make());
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new UncheckedIOException(new IOException(e.getCause()));
        }
    }

    /**
     * Stops every loop and waits for its thread, then closes the servers (and so their connections)
     * and the loops. Stopping first means the closing runs here, on stopped loops, instead of being
     * queued to loops that may already have stopped.
     */
    @Override
    public void close() {
        loops.forEach(EventLoop::stop);
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        synchronized (servers) {
            servers.forEach(Server::close);
            servers.clear();
        }
        loops.forEach(EventLoop::close);
    }

    @Override
    public String toString() {
        return "EventLoopGroup[" + loops.size() + " loops]";
    }
}
