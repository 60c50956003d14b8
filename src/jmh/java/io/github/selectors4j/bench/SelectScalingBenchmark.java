package io.github.selectors4j.bench;

import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.ReadyHandler;
import io.github.selectors4j.selectors.SelectorBackend;
import io.github.selectors4j.selectors.SelectorKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@code select} that finds one ready fd among {@code idle} registered fds that are never
 * ready: how each backend scales with the number of registrations. epoll (and the JDK's selector,
 * itself epoll) should stay flat; poll and select scan every registered fd on every call.
 *
 * <p>Ours: {@code idle} eventfds that are never written, plus one pipe made readable once, all
 * registered for reading, selected in the allocation-free callback form with a zero timeout. The
 * JDK: {@code idle} unbound {@link DatagramChannel}s (one fd each; nothing can arrive) plus one
 * readable {@link java.nio.channels.Pipe}, with {@code selectNow(Consumer)}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class SelectScalingBenchmark {

    /** The JMH parameter value of the JDK's selector. */
    public static final String JDK_NIO = "jdk-nio";

    /** Which selector: {@code epoll}, {@code poll}, {@code select} (ours) or {@value #JDK_NIO}. */
    @Param({"epoll", "poll", "select", JDK_NIO})
    public String impl;

    /** Registered fds that are never ready, besides the one ready pipe. */
    @Param({"1", "100", "1000", "10000", "50000"})
    public int idle;

    private Target target;

    /**
     * Raises the fd limit if needed, opens and registers everything, and checks that one select
     * reports exactly one ready fd.
     *
     * @throws IOException if an fd cannot be opened or registered (for select: beyond FD_SETSIZE)
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        FdLimit.atLeast(idle + 1000L);
        Target opened = JDK_NIO.equals(impl) ? new JdkTarget(idle) : new OurTarget(SelectorBackend.byName(impl), idle);
        try {
            int ready = opened.select();
            if (ready != 1) {
                throw new IllegalStateException(impl + " with " + idle + " idle fds reported " + ready + " ready, expected 1");
            }
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
        target = opened;
    }

    /**
     * Closes every fd.
     *
     * @throws IOException if the JDK fails to close a channel
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (target != null) {
            target.close();
        }
    }

    /**
     * One select with a zero timeout.
     *
     * @return the number of ready keys (1)
     * @throws IOException if the select fails
     */
    @Benchmark
    public int select() throws IOException {
        return target.select();
    }

    private interface Target {
        int select() throws IOException;

        void close() throws IOException;
    }

    /** One of our backends: idle eventfds and one readable pipe. */
    private static final class OurTarget implements Target, ReadyHandler {
        private final BaseSelector selector;
        private final List<EventFd> idle = new ArrayList<>();
        private final Pipe pipe;
        private SelectorKey last;

        OurTarget(SelectorBackend backend, int idleCount) throws IOException {
            selector = backend.open();
            Pipe opened = null;
            try {
                for (int i = 0; i < idleCount; i++) {
                    EventFd fd = EventFd.open();
                    idle.add(fd);
                    selector.register(fd, BaseSelector.EVENT_READ);
                }
                opened = Pipe.open();
                selector.register(opened.readEnd(), BaseSelector.EVENT_READ);
                opened.writeEnd().write(ByteBuffer.wrap(new byte[] {1}));
            } catch (IOException | RuntimeException e) {
                closeAll(opened);
                throw e;
            }
            pipe = opened;
        }

        @Override
        public int select() throws IOException {
            return selector.select(Duration.ZERO, this);
        }

        @Override
        public void ready(SelectorKey key, int events) {
            last = key;
        }

        @Override
        public void close() {
            closeAll(pipe);
        }

        private void closeAll(Pipe opened) {
            selector.close();
            idle.forEach(EventFd::close);
            if (opened != null) {
                opened.close();
            }
        }
    }

    /** The JDK's selector: idle datagram channels and one readable pipe. */
    private static final class JdkTarget implements Target, Consumer<SelectionKey> {
        private final Selector selector = Selector.open();
        private final List<DatagramChannel> idle = new ArrayList<>();
        private final java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
        private SelectionKey last;

        JdkTarget(int idleCount) throws IOException {
            try {
                for (int i = 0; i < idleCount; i++) {
                    DatagramChannel channel = DatagramChannel.open();
                    idle.add(channel);
                    channel.configureBlocking(false);
                    channel.register(selector, SelectionKey.OP_READ);
                }
                pipe.source().configureBlocking(false);
                pipe.source().register(selector, SelectionKey.OP_READ);
                pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public int select() throws IOException {
            return selector.selectNow(this);
        }

        @Override
        public void accept(SelectionKey key) {
            last = key;
        }

        @Override
        public void close() throws IOException {
            selector.close();
            for (DatagramChannel channel : idle) {
                channel.close();
            }
            pipe.source().close();
            pipe.sink().close();
        }
    }
}
