package io.github.selectors4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One 64-byte round trip over a TCP loopback connection whose both ends live on one event loop
 * (see {@link PingPong}): our {@code EventLoop}, a JDK {@code Selector} loop, and Netty's native
 * epoll transport.
 *
 * <p>Each invocation runs {@value #BATCH} round trips on the loop thread and the benchmark thread
 * waits for the whole batch, so the one hand-off between the benchmark thread and the loop is
 * spread over the batch; JMH divides by {@value #BATCH}, so an operation is one round trip (two
 * echoed messages, one each way). The GC profiler counts every thread, so its figure per operation
 * includes the loop thread's allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dio.netty.leakDetection.level=disabled"})
@State(Scope.Benchmark)
public class PingPongBenchmark {

    /** Round trips per invocation. */
    public static final int BATCH = 1000;

    /** The parameter value of our event loop. */
    public static final String EVENT_LOOP = "selectors4j";
    /** The parameter value of the JDK's selector loop. */
    public static final String JDK_NIO = "jdk-nio";
    /** The parameter value of Netty's epoll transport. */
    public static final String NETTY = "netty-epoll";

    /** Which loop carries the connection. */
    @Param({EVENT_LOOP, JDK_NIO, NETTY})
    public String impl;

    private PingPong pingPong;

    /**
     * Opens the loop and the connection and bounces one batch, so that a broken exchange fails
     * here rather than being measured.
     *
     * @throws Exception if the loop or the connection cannot be opened
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        PingPong opened = switch (impl) {
            case EVENT_LOOP -> new EventLoopPingPong();
            case JDK_NIO -> new NioPingPong();
            case NETTY -> new NettyPingPong();
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        };
        try {
            opened.bounce(BATCH);
        } catch (Exception e) {
            opened.close();
            throw e;
        }
        pingPong = opened;
    }

    /**
     * Stops the loop and closes the connection.
     *
     * @throws Exception if closing fails
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (pingPong != null) {
            pingPong.close();
        }
    }

    /**
     * {@value #BATCH} round trips.
     *
     * @throws Exception if the exchange breaks
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void roundTrip() throws Exception {
        pingPong.bounce(BATCH);
    }
}
