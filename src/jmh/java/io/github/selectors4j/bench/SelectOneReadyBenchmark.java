package io.github.selectors4j.bench;

import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.ReadyHandler;
import io.github.selectors4j.selectors.ReadyKey;
import io.github.selectors4j.selectors.SelectorBackend;
import io.github.selectors4j.selectors.SelectorKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of one {@code select} that finds exactly one ready fd, for each of our selector
 * backends and for the JDK's {@link Selector}.
 *
 * <p>Each selector watches one pipe's read end for reading. One byte is written into the pipe in
 * setup and never read, so the fd stays ready (level-triggered) and every call reports it. The
 * timeout is zero, so no call ever blocks: what is measured is the system call plus the Java code
 * around it.
 *
 * <ul>
 *   <li>{@link #callback()}: the allocation-free forms, {@code select(Duration.ZERO, handler)} for
 *       ours and {@code selectNow(Consumer)} for the JDK, with the handler created once;</li>
 *   <li>{@link #collection(Blackhole)}: the forms most code writes, {@code select(Duration.ZERO)}
 *       returning a Python-style list for ours, {@code selectNow()} then iterating and clearing
 *       {@code selectedKeys()} for the JDK.</li>
 * </ul>
 *
 * <p>Run it with {@code ./mvnw -B -Pbench verify}, which goes through {@link BenchmarkReport}; the
 * annotations below are the settings for a direct JMH run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class SelectOneReadyBenchmark {

    /** The JMH parameter value for the JDK's selector, the baseline. */
    public static final String JDK_NIO = "jdk-nio";

    /**
     * Which selector: {@code epoll}, {@code poll} and {@code select} are ours (named as
     * {@link SelectorBackend#displayName()}), {@value #JDK_NIO} is {@link Selector#open()}.
     */
    @Param({"epoll", "poll", "select", JDK_NIO})
    public String impl;

    private Target target;

    /**
     * Opens the selector and the pipe, makes the pipe readable, and checks that both measured
     * forms really report one ready fd (a benchmark that silently measured "nothing ready" would
     * look fast and mean nothing).
     *
     * @throws IOException if a selector or pipe cannot be opened
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Target opened = JDK_NIO.equals(impl) ? new JdkTarget() : new OurTarget(SelectorBackend.byName(impl));
        try {
            int viaCallback = opened.selectCallback();
            int viaCollection = opened.selectCollection(null);
            if (viaCallback != 1 || viaCollection != 1) {
                throw new IllegalStateException(impl + ": expected exactly one ready fd, the callback form reported "
                        + viaCallback + " and the collection form " + viaCollection);
            }
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
        target = opened;
    }

    /**
     * Closes the selector and both ends of the pipe.
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
     * One select in the allocation-free callback form.
     *
     * @return the number of ready keys handed to the callback (1)
     * @throws IOException if the select fails
     */
    @Benchmark
    public int callback() throws IOException {
        return target.selectCallback();
    }

    /**
     * One select in the collection form: a fresh list for ours, the selected-key set for the JDK.
     *
     * @param blackhole consumes each ready key, as a caller would use it
     * @return the number of ready keys (1)
     * @throws IOException if the select fails
     */
    @Benchmark
    public int collection(Blackhole blackhole) throws IOException {
        return target.selectCollection(blackhole);
    }

    /**
     * One selector with one ready fd. Each JMH fork creates exactly one kind of target, so the call
     * from the benchmark methods stays monomorphic and is inlined.
     */
    private abstract static class Target {

        /** Selects in the callback form; returns how many keys the callback saw. */
        abstract int selectCallback() throws IOException;

        /** Selects in the collection form, consuming each key into {@code blackhole} if not null. */
        abstract int selectCollection(Blackhole blackhole) throws IOException;

        /** Closes every fd the target opened. */
        abstract void close() throws IOException;
    }

    /** One of our backends with a {@link Pipe}. */
    private static final class OurTarget extends Target {
        private final BaseSelector selector;
        private final Pipe pipe;
        private final LastKey handler = new LastKey();

        OurTarget(SelectorBackend backend) throws IOException {
            BaseSelector opened = backend.open();
            Pipe openedPipe = null;
            try {
                openedPipe = Pipe.open();
                opened.register(openedPipe.readEnd(), BaseSelector.EVENT_READ);
                if (openedPipe.writeEnd().write(ByteBuffer.wrap(new byte[] {1})) != 1) {
                    throw new IOException("could not write the byte that makes the pipe readable");
                }
            } catch (IOException | RuntimeException e) {
                opened.close();
                if (openedPipe != null) {
                    openedPipe.close();
                }
                throw e;
            }
            this.selector = opened;
            this.pipe = openedPipe;
        }

        @Override
        int selectCallback() throws IOException {
            return selector.select(Duration.ZERO, handler);
        }

        @Override
        int selectCollection(Blackhole blackhole) throws IOException {
            List<ReadyKey> ready = selector.select(Duration.ZERO);
            if (blackhole != null) {
                for (ReadyKey key : ready) {
                    blackhole.consume(key.key());
                    blackhole.consume(key.events());
                }
            }
            return ready.size();
        }

        @Override
        void close() {
            try {
                selector.close();
            } finally {
                pipe.close();
            }
        }
    }

    /**
     * The handler of the callback form: one object for the whole trial, not a capturing lambda.
     * Storing into fields keeps the JIT from discarding the delivered key.
     */
    private static final class LastKey implements ReadyHandler {
        SelectorKey key;
        int events;

        @Override
        public void ready(SelectorKey readyKey, int readyEvents) {
            key = readyKey;
            events = readyEvents;
        }
    }

    /** The JDK's default selector (epoll-based on Linux) with a {@link java.nio.channels.Pipe}. */
    private static final class JdkTarget extends Target {
        private final Selector selector;
        private final java.nio.channels.Pipe pipe;
        private final LastSelectionKey consumer = new LastSelectionKey();

        JdkTarget() throws IOException {
            Selector opened = Selector.open();
            java.nio.channels.Pipe openedPipe = null;
            try {
                openedPipe = java.nio.channels.Pipe.open();
                openedPipe.source().configureBlocking(false);
                openedPipe.source().register(opened, SelectionKey.OP_READ);
                if (openedPipe.sink().write(ByteBuffer.wrap(new byte[] {1})) != 1) {
                    throw new IOException("could not write the byte that makes the pipe readable");
                }
            } catch (IOException | RuntimeException e) {
                opened.close();
                if (openedPipe != null) {
                    closePipe(openedPipe);
                }
                throw e;
            }
            this.selector = opened;
            this.pipe = openedPipe;
        }

        @Override
        int selectCallback() throws IOException {
            return selector.selectNow(consumer);
        }

        @Override
        int selectCollection(Blackhole blackhole) throws IOException {
            selector.selectNow();
            // The selected-key set is the JDK's result list; it must be cleared by the caller,
            // otherwise the next selectNow() does not count the key again.
            Set<SelectionKey> selected = selector.selectedKeys();
            int count = 0;
            for (Iterator<SelectionKey> it = selected.iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                if (blackhole != null) {
                    blackhole.consume(key);
                    blackhole.consume(key.readyOps());
                }
                it.remove();
                count++;
            }
            return count;
        }

        @Override
        void close() throws IOException {
            try {
                selector.close();
            } finally {
                closePipe(pipe);
            }
        }

        private static void closePipe(java.nio.channels.Pipe pipe) throws IOException {
            try {
                pipe.source().close();
            } finally {
                pipe.sink().close();
            }
        }
    }

    /** The consumer of the JDK's callback form, created once like {@link LastKey}. */
    private static final class LastSelectionKey implements Consumer<SelectionKey> {
        SelectionKey key;
        int readyOps;

        @Override
        public void accept(SelectionKey selected) {
            key = selected;
            readyOps = selected.readyOps();
        }
    }
}
