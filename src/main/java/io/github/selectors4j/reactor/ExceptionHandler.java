package io.github.selectors4j.reactor;

/**
 * Reports what a callback threw: asyncio's exception handler. The loop keeps running after calling
 * it.
 *
 * <pre>{@code
 * loop.setExceptionHandler((context, error) -> log.warn("callback failed: " + context, error));
 * }</pre>
 */
@FunctionalInterface
public interface ExceptionHandler {

    /**
     * Called on the loop's thread.
     *
     * @param context what was running, e.g. {@code "reader of NativeSocket[fd=7]"}
     * @param error   what it threw
     */
    void handle(String context, Throwable error);
}
