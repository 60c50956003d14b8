package io.github.selectors4j.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.SelectableChannel;

/**
 * The fd of a JDK {@link SelectableChannel} ({@code SocketChannel}, {@code ServerSocketChannel},
 * {@code DatagramChannel}, {@code Pipe.SourceChannel}/{@code SinkChannel}), so that it can be
 * registered in a selectors4j selector.
 *
 * <p>The JDK keeps the number behind {@code sun.nio.ch.SelChImpl.getFDVal()}, in a package it does
 * not export. We call it only when the application exports that package to us on the command line
 * ({@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}, or {@code =io.github.selectors4j} on the
 * module path); without the flag the error names it. Nothing is reached reflectively behind the
 * user's back.
 */
public final class JdkChannels {

    private static final String PACKAGE = "sun.nio.ch";

    private JdkChannels() {
    }

    /**
     * Returns the channel's fd.
     *
     * @param channel a JDK selectable channel
     * @return its fd, or -1 once the channel is closed
     * @throws UnsupportedOperationException if {@code sun.nio.ch} is not exported to selectors4j,
     *                                       naming the flag, or the channel is not one of the JDK's
     */
    public static int fdOf(SelectableChannel channel) {
        if (Holder.GET_FD_VAL == null) {
            throw new UnsupportedOperationException("Registering a JDK channel needs the JVM flag --add-exports java.base/"
                    + PACKAGE + "=" + flagTarget() + " (it exposes the channel's fd); alternatively pass the fd number");
        }
        if (!channel.isOpen()) {
            return FileObjects.NO_FD;
        }
        if (!Holder.SEL_CH_IMPL.isInstance(channel)) {
            throw new UnsupportedOperationException("not a JDK channel implementation: " + channel.getClass().getName());
        }
        try {
            return (int) Holder.GET_FD_VAL.invoke(channel);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("sun.nio.ch.SelChImpl.getFDVal() failed", e);
        }
    }

    private static String flagTarget() {
        Module ours = JdkChannels.class.getModule();
        return ours.isNamed() ? ours.getName() : "ALL-UNNAMED";
    }

    /** Looked up on first use, only if the package is exported to us. */
    private static final class Holder {
        static final Class<?> SEL_CH_IMPL;
        static final MethodHandle GET_FD_VAL;

        static {
            Class<?> type = null;
            MethodHandle getter = null;
            if (Object.class.getModule().isExported(PACKAGE, JdkChannels.class.getModule())) {
                try {
                    type = Class.forName(PACKAGE + ".SelChImpl");
                    // Our own lookup: the package is exported to us, not to everyone.
                    getter = MethodHandles.lookup().findVirtual(type, "getFDVal", MethodType.methodType(int.class));
                } catch (ReflectiveOperationException e) {
                    throw new ExceptionInInitializerError(e);
                }
            }
            SEL_CH_IMPL = type;
            GET_FD_VAL = getter;
        }
    }
}
