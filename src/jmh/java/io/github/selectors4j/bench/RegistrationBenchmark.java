package io.github.selectors4j.bench;

import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.ReadyHandler;
import io.github.selectors4j.selectors.SelectorBackend;
import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The cost of changing what a selector watches, each change followed by the zero-timeout select
 * that makes it count. The JDK applies registrations, interest changes and cancellations lazily,
 * at its next select, so the select belongs to the operation on both sides.
 *
 * <ul>
 *   <li>{@link #registerUnregister()}: ours {@code register}, {@code unregister}, {@code select};
 *       the JDK {@code register}, {@code cancel}, {@code selectNow} (a cancelled key is only
 *       deregistered by the next select).</li>
 *   <li>{@link #modify()}: ours {@code modify} between READ and READ|WRITE, then {@code select};
 *       the JDK {@code interestOps} the same way, then {@code selectNow}.</li>
 * </ul>
 * Ours watch an eventfd, the JDK an unbound {@link DatagramChannel}: one fd each, writable, never
 * readable.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class RegistrationBenchmark {

    /** The JMH parameter value of the JDK's selector. */
    public static final String JDK_NIO = "jdk-nio";

    /** Which selector: {@code epoll}, {@code poll}, {@code select} (ours) or {@value #JDK_NIO}. */
    @Param({"epoll", "poll", "select", JDK_NIO})
    public String impl;

    private BaseSelector ours;
    private EventFd eventFd;
    private final ReadyHandler handler = (key, events) -> lastEvents = events;
    private Selector jdk;
    private DatagramChannel channel;
    private SelectionKey jdkKey;
    private final Consumer<SelectionKey> consumer = key -> lastEvents = key.readyOps();
    private int lastEvents;
    private boolean both;

    /**
     * Opens the selector and the fd; for {@link #modify()}, registers it.
     *
     * @param params which benchmark method this fork runs
     * @throws IOException if something cannot be opened
     */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws IOException {
        boolean register = params.getBenchmark().endsWith(".modify");
        if (JDK_NIO.equals(impl)) {
            jdk = Selector.open();
            channel = DatagramChannel.open();
            channel.configureBlocking(false);
            if (register) {
                jdkKey = channel.register(jdk, SelectionKey.OP_READ);
                jdk.selectNow();
            }
        } else {
            ours = SelectorBackend.byName(impl).open();
            eventFd = EventFd.open();
            if (register) {
                ours.register(eventFd, BaseSelector.EVENT_READ);
            }
        }
    }

    /**
     * Closes everything.
     *
     * @throws IOException if the JDK fails to close
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (jdk != null) {
            jdk.close();
            channel.close();
        } else {
            ours.close();
            eventFd.close();
        }
    }

    /**
     * Registers the fd and removes it again, then selects.
     *
     * @return the events of the last ready key, to keep the work observable
     * @throws IOException if the selector refuses
     */
    @Benchmark
    public int registerUnregister() throws IOException {
        if (jdk != null) {
            SelectionKey key = channel.register(jdk, SelectionKey.OP_READ);
            key.cancel();
            jdk.selectNow(consumer);
        } else {
            ours.register(eventFd, BaseSelector.EVENT_READ);
            ours.unregister(eventFd);
            ours.select(Duration.ZERO, handler);
        }
        return lastEvents;
    }

    /**
     * Switches the interest between READ and READ|WRITE, then selects.
     *
     * @return the number of ready keys: 1 when WRITE is wanted (the fd is writable), else 0
     * @throws IOException if the selector refuses
     */
    @Benchmark
    public int modify() throws IOException {
        both = !both;
        if (jdk != null) {
            jdkKey.interestOps(both ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            return jdk.selectNow(consumer);
        }
        ours.modify(eventFd, both ? BaseSelector.EVENT_READ | BaseSelector.EVENT_WRITE : BaseSelector.EVENT_READ);
        return ours.select(Duration.ZERO, handler);
    }
}
