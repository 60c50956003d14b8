/**
 * The analogue of Python's {@code selectors} module: high-level, efficient I/O multiplexing over any
 * file descriptor.
 *
 * <pre>{@code
 * try (BaseSelector selector = DefaultSelector.open()) {
 *     selector.register(fd, BaseSelector.EVENT_READ, "my data");
 *     for (ReadyKey ready : selector.select(Duration.ofSeconds(1))) {
 *         ... ready.key().data() ...
 *     }
 * }
 * }</pre>
 *
 * <p>{@link io.github.selectors4j.selectors.DefaultSelector} picks the best
 * {@link io.github.selectors4j.selectors.SelectorBackend}; every backend shares the semantics
 * documented on {@link io.github.selectors4j.selectors.BaseSelector}.
 */
package io.github.selectors4j.selectors;
