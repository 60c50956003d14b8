package io.github.selectors4j.bench;

import io.github.selectors4j.reactor.EventLoop;
import io.netty.channel.epoll.EpollEventLoopGroup;
import java.io.IOException;
import java.nio.channels.Selector;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
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
 * From submitting a task on another thread to seeing it run on an idle event loop: our
 * {@link EventLoop#execute}, a JDK {@code Selector} loop woken by {@link Selector#wakeup()} after
 * queueing the task, and Netty's epoll event loop's {@code execute}.
 *
 * <p>One operation submits one task and parks until the task has counted itself and unparked the
 * submitter, as a caller waiting for a result would: queueing, waking the loop's thread out of its
 * wait, the loop's dispatch, and waking the submitter. The loop has nothing else to do.
 * (Spinning instead of parking made the result depend on whether the scheduler put both threads
 * on one CPU, by a factor of ten from run to run on the 2-CPU machine.)
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dio.netty.leakDetection.level=disabled"})
@State(Scope.Benchmark)
public class CrossThreadBenchmark {

    /** The parameter value of our event loop. */
    public static final String EVENT_LOOP = "selectors4j";
    /** The parameter value of the JDK's selector loop. */
    public static final String JDK_NIO = "jdk-nio";
    /** The parameter value of Netty's epoll event loop. */
    public static final String NETTY = "netty-epoll";

    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** The parameter value that pins the submitter and the loop thread to one CPU. */
    public static final String SAME_CPU = "same-cpu";
    /** The parameter value that leaves thread placement to the scheduler. */
    public static final String ANY_CPU = "any-cpu";

    /** Which loop runs the task. */
    @Param({EVENT_LOOP, JDK_NIO, NETTY})
    public String impl;

    /**
     * Where the threads run. On one CPU a wakeup is a context switch on that CPU; across CPUs it
     * also takes an interrupt to the other CPU, which on a virtual machine can cost tens of
     * microseconds and hide everything else, and the scheduler's placement may change from run to
     * run.
     */
    @Param({SAME_CPU, ANY_CPU})
    public String placement;

    private volatile long completed;
    private volatile Thread waiter;
    private long submitted;
    private final Runnable task = this::runTask;
    private Loop loop;

    /**
     * Starts the loop thread and checks that a submitted task runs.
     *
     * @throws Exception if the loop cannot start or the task does not run
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (SAME_CPU.equals(placement)) {
            // Before the loop thread exists, so that it inherits the mask. JMH runs trial setup
            // on the benchmark thread.
            CpuAffinity.pinCurrentThread(0);
        }
        Loop started = switch (impl) {
            case EVENT_LOOP -> new OurLoop();
            case JDK_NIO -> new NioLoop();
            case NETTY -> new NettyLoop();
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        };
        loop = started;
        submitAndWait();
    }

    /**
     * Stops the loop thread.
     *
     * @throws Exception if it does not stop
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (loop != null) {
            loop.close();
        }
    }

    /**
     * Submits one task and waits (parked) until it ran.
     *
     * @return the number of tasks run so far
     * @throws TimeoutException if the task never ran: a lost wakeup
     */
    @Benchmark
    public long submitAndWait() throws TimeoutException {
        long target = ++submitted;
        waiter = Thread.currentThread();
        loop.submit(task);
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (completed < target) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException(impl + ": task " + target + " did not run within 30 s");
            }
            LockSupport.parkNanos(this, left);
        }
        return target;
    }

    private void runTask() {
        completed++;
        LockSupport.unpark(waiter);
    }

    /** A loop thread that runs tasks submitted from other threads. */
    private interface Loop {
        void submit(Runnable task);

        /** Stops the thread and frees the loop. */
        void close() throws Exception;
    }

    /** Our {@link EventLoop} on its own thread. */
    private static final class OurLoop implements Loop {
        private final EventLoop loop = EventLoop.open();
        private final Thread thread = new Thread(this::run, "cross-thread-eventloop");

        OurLoop() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try {
                loop.runForever();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void submit(Runnable task) {
            loop.execute(task);
        }

        @Override
        public void close() throws InterruptedException {
            loop.stop();
            thread.join(10_000);
            loop.close();
        }
    }

    /** A JDK {@link Selector} loop: a task queue drained after every select, woken by {@code wakeup()}. */
    private static final class NioLoop implements Loop {
        private final Selector selector = Selector.open();
        private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final Thread thread = new Thread(this::run, "cross-thread-nio");
        private volatile boolean stopping;

        NioLoop() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try {
                while (!stopping) {
                    selector.select();
                    for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                        task.run();
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void submit(Runnable task) {
            tasks.add(task);
            selector.wakeup();
        }

        @Override
        public void close() throws Exception {
            stopping = true;
            selector.wakeup();
            thread.join(10_000);
            selector.close();
        }
    }

    /** Netty's epoll event loop, one thread. */
    private static final class NettyLoop implements Loop {
        private final EpollEventLoopGroup group = new EpollEventLoopGroup(1);
        private final io.netty.channel.EventLoop loop = group.next();

        @Override
        public void submit(Runnable task) {
            loop.execute(task);
        }

        @Override
        public void close() throws InterruptedException {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }
}
