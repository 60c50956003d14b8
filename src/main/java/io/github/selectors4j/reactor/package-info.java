/**
 * A small reactor over the selectors: {@link io.github.selectors4j.reactor.EventLoop} runs one
 * thread that waits on a selector and calls back on readiness ({@code addReader},
 * {@code addWriter}, {@code watch}), on timers ({@code callLater}, {@code callAt},
 * {@code callEvery}) and on work queued from other threads ({@code execute}), so that sockets of
 * any family, pipes, timerfds and signals share one loop. On top of it,
 * {@link io.github.selectors4j.reactor.Server} accepts connections and hands each, as a
 * {@link io.github.selectors4j.reactor.Connection} with buffered writes and back-pressure, to a
 * {@link io.github.selectors4j.reactor.ConnectionHandler};
 * {@link io.github.selectors4j.reactor.EventLoopGroup} serves one address from several loops on
 * several threads.
 *
 * <p>Each type says which of its methods other threads may call; the rest are for the loop's own
 * thread.
 */
package io.github.selectors4j.reactor;
