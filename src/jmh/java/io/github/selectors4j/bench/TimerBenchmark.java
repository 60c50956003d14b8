package io.github.selectors4j.bench;

import io.github.selectors4j.reactor.Callback;
import io.github.selectors4j.reactor.EventLoop;
import io.netty.channel.epoll.EpollEventLoopGroup;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 * Scheduling {@value #TIMERS} timers at random deadlines within the next millisecond and waiting
 * until all have fired; one operation is one timer (insert, then fire). Our {@link EventLoop}'s
 * {@code callAt} and Netty's event loop {@code schedule} both insert from a task on their own loop
 * thread; the JDK's {@link ScheduledThreadPoolExecutor} (one thread) is fed from the benchmark
 * thread, as it is used.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dio.netty.leakDetection.level=disabled"})
@State(Scope.Benchmark)
public class TimerBenchmark {

    /** Timers per invocation. */
    public static final int TIMERS = 1_000_000;
    /** Deadlines fall within this many nanoseconds after the batch starts. */
    private static final long SPREAD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Our event loop. */
    public static final String EVENT_LOOP = "selectors4j";
    /** Netty's epoll event loop. */
    public static final String NETTY = "netty-epoll";
    /** The JDK's scheduled executor. */
    public static final String JDK = "jdk-scheduled-executor";

    /** Which timer implementation. */
    @Param({EVENT_LOOP, NETTY, JDK})
    public String impl;

    private final long[] offsets = new long[TIMERS];
    private final BatchCompletion completion = new BatchCompletion();
    private int fired;
    private volatile int firedOnPool;
    private EventLoop loop;
    private Thread loopThread;
    private EpollEventLoopGroup netty;
    private ScheduledThreadPoolExecutor executor;
    private final Callback fireOurs = this::fire;
    private final Runnable fireNetty = this::fire;
    private final Runnable fireJdk = this::fireOnPool;
    private final Callback scheduleOurs = this::scheduleOurs;
    private final Runnable scheduleNetty = this::scheduleNetty;

    /**
     * Starts the implementation's thread and draws the deadlines (the same for every
     * implementation: a fixed seed).
     *
     * @throws IOException if the event loop cannot be opened
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < TIMERS; i++) {
            offsets[i] = random.nextLong(SPREAD_NANOS);
        }
        switch (impl) {
            case EVENT_LOOP -> {
                loop = EventLoop.open();
                loop.setExceptionHandler((context, error) -> completion.fail(new IllegalStateException(context, error)));
                loopThread = new Thread(() -> {
                    try {
                        loop.runForever();
                    } catch (IOException e) {
                        completion.fail(e);
                    }
                }, "timers-eventloop");
                loopThread.setDaemon(true);
                loopThread.start();
            }
            case NETTY -> netty = new EpollEventLoopGroup(1);
            case JDK -> executor = new ScheduledThreadPoolExecutor(1);
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        }
    }

    /**
     * Stops the thread.
     *
     * @throws InterruptedException if interrupted while waiting for it
     */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        if (loop != null) {
            loop.stop();
            loopThread.join(10_000);
            loop.close();
        }
        if (netty != null) {
            netty.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Schedules {@value #TIMERS} timers and waits until every one has fired.
     *
     * @throws Exception if the loop failed or the batch timed out
     */
    @Benchmark
    @OperationsPerInvocation(TIMERS)
    public void scheduleAndFire() throws Exception {
        completion.arm();
        switch (impl) {
            case EVENT_LOOP -> loop.callSoonThreadsafe(scheduleOurs);
            case NETTY -> netty.next().execute(scheduleNetty);
            default -> scheduleJdk();
        }
        completion.await();
    }

    private void scheduleOurs() {
        fired = 0;
        long base = loop.time();
        for (int i = 0; i < TIMERS; i++) {
            loop.callAt(base + offsets[i], fireOurs);
        }
    }

    private void scheduleNetty() {
        fired = 0;
        io.netty.channel.EventLoop eventLoop = netty.next();
        for (int i = 0; i < TIMERS; i++) {
            eventLoop.schedule(fireNetty, offsets[i], TimeUnit.NANOSECONDS);
        }
    }

    private void scheduleJdk() {
        firedOnPool = 0;
        for (int i = 0; i < TIMERS; i++) {
            executor.schedule(fireJdk, offsets[i], TimeUnit.NANOSECONDS);
        }
    }

    private void fire() {
        if (++fired == TIMERS) {
            completion.complete();
        }
    }

    private void fireOnPool() {
        // One pool thread runs every task, so the non-atomic increment is safe; volatile makes the
        // count visible to the next batch's reset on the benchmark thread.
        int count = firedOnPool + 1;
        firedOnPool = count;
        if (count == TIMERS) {
            completion.complete();
        }
    }
}
