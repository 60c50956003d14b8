/**
 * selectors4j: Python's {@code selectors} and {@code select} modules for the JVM.
 *
 * <p>Exported packages, from the top of the stack down:
 * <ul>
 *   <li>{@link io.github.selectors4j.reactor} — {@code EventLoop}: callbacks on readiness, timers
 *       and queued work, and a small TCP server helper;</li>
 *   <li>{@link io.github.selectors4j.selectors} — {@code DefaultSelector}, {@code SelectorKey} and the
 *       epoll, poll and select backends, with Python's {@code selectors} semantics;</li>
 *   <li>{@link io.github.selectors4j.select} — thin wrappers of one kernel facility each
 *       ({@code Select}, {@code Poll}, {@code Epoll}), with Python's {@code select} semantics;</li>
 *   <li>{@link io.github.selectors4j.net} — sockets of every family ({@code NativeSocket}) and their
 *       addresses;</li>
 *   <li>{@link io.github.selectors4j.fd} — pollable Linux file descriptors the JDK cannot create;</li>
 *   <li>{@link io.github.selectors4j} — the vocabulary shared by every layer (file objects, errors).</li>
 * </ul>
 * The jnr-ffi bindings live in {@code io.github.selectors4j.internal}, which is not exported.
 */
module io.github.selectors4j {
    requires org.jnrproject.ffi;
    requires org.jnrproject.posix;
    requires org.jnrproject.constants;
    requires org.jnrproject.jffi;
    // sun.misc.Signal: the JVM's supported way to observe signals (EventLoop.addSignalHandler).
    requires jdk.unsupported;

    exports io.github.selectors4j;
    exports io.github.selectors4j.fd;
    exports io.github.selectors4j.net;
    exports io.github.selectors4j.reactor;
    exports io.github.selectors4j.select;
    exports io.github.selectors4j.selectors;
}
