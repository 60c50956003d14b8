package io.github.selectors4j.reactor;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * Captures what one java.util.logging logger prints (the System.Logger backend of this JDK), as
 * text in SimpleFormatter's format, and keeps it off the console meanwhile. Reached through
 * reflection: the tests are compiled into the library's module, which does not read java.logging.
 */
final class LogCapture implements AutoCloseable {

    private final Object logger;
    private final Object handler;
    private final boolean parentHandlers;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Class<?> handlerClass;
    private final Class<?> loggerClass;

    private LogCapture(String name) throws ReflectiveOperationException {
        loggerClass = Class.forName("java.util.logging.Logger");
        handlerClass = Class.forName("java.util.logging.Handler");
        Class<?> formatterClass = Class.forName("java.util.logging.Formatter");
        Object formatter = Class.forName("java.util.logging.SimpleFormatter").getConstructor().newInstance();
        handler = Class.forName("java.util.logging.StreamHandler").getConstructor(OutputStream.class, formatterClass)
                .newInstance(bytes, formatter);
        logger = loggerClass.getMethod("getLogger", String.class).invoke(null, name);
        parentHandlers = (Boolean) loggerClass.getMethod("getUseParentHandlers").invoke(logger);
        loggerClass.getMethod("setUseParentHandlers", boolean.class).invoke(logger, false);
        loggerClass.getMethod("addHandler", handlerClass).invoke(logger, handler);
    }

    static LogCapture of(String loggerName) throws ReflectiveOperationException {
        return new LogCapture(loggerName);
    }

    /** What was logged so far. */
    String text() throws ReflectiveOperationException {
        Method flush = handlerClass.getMethod("flush");
        flush.invoke(handler);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws ReflectiveOperationException {
        loggerClass.getMethod("removeHandler", handlerClass).invoke(logger, handler);
        loggerClass.getMethod("setUseParentHandlers", boolean.class).invoke(logger, parentHandlers);
    }
}
