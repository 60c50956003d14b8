/** The reactor's clock and signals: a timerfd, one-shot, repeating and cancelled timers, SIGUSR1 and SIGHUP. */

import io.github.selectors4j.Signals;
import io.github.selectors4j.fd.TimerFd;
import io.github.selectors4j.reactor.EventLoop;
import io.github.selectors4j.reactor.Handle;
import java.time.Duration;

/**
 * Time and signals on one {@link EventLoop}, printing what fires and when (milliseconds since start):
 * <ul>
 *   <li>a kernel timer, a {@link TimerFd} ticking every {@code --tick-ms}, watched like any other fd;</li>
 *   <li>{@code callLater} one-shots at 300 ms and 1000 ms; the second cancels a timer due at
 *       1500 ms, which therefore never fires;</li>
 *   <li>a {@code callEvery} heartbeat each second;</li>
 *   <li>signal handlers, run as ordinary loop callbacks: SIGUSR1 prints, SIGHUP "reloads",
 *       SIGINT (Ctrl-C) and SIGTERM stop.</li>
 * </ul>
 * It stops by itself after {@code --seconds}.
 *
 * <p>Try it: {@code samples/run timers-and-signals --seconds 30}, then from another terminal
 * {@code kill -USR1 PID} and {@code kill -HUP PID} with the pid it prints, and Ctrl-C.
 */
public class TimersAndSignals {

    private static final String USAGE = "usage: samples/run timers-and-signals [--seconds N] [--tick-ms N]";

    private long start;
    private long ticks;
    private int heartbeats;
    private int usr1;
    private int reloads;

    public static void main(String[] args) throws Exception {
        long seconds = 10;
        long tickMillis = 500;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--seconds" -> seconds = positive(args[++i]);
                    case "--tick-ms" -> tickMillis = positive(args[++i]);
                    default -> throw new IllegalArgumentException(args[i]);
                }
            }
        } catch (RuntimeException badArguments) {   // an unknown option, a missing or bad number
            System.err.println(USAGE);
            System.exit(2);
        }
        new TimersAndSignals().run(Duration.ofSeconds(seconds), Duration.ofMillis(tickMillis));
    }

    private void run(Duration duration, Duration tick) throws Exception {
        try (EventLoop loop = EventLoop.open(); TimerFd ticker = TimerFd.open()) {
            start = System.nanoTime();   // every timer below counts from here
            // A timerfd is a kernel timer with an fd: readable when it expired, read() says how
            // many times since the last read (more than 1 if the loop fell behind).
            ticker.schedule(tick, tick);
            loop.addReader(ticker, () -> {
                long expirations = ticker.read();
                ticks += expirations;
                say("timerfd", "tick " + ticks + (expirations > 1 ? " (" + expirations + " expirations at once)" : ""));
            });

            loop.callLater(Duration.ofMillis(300), () -> say("callLater", "300 ms one-shot"));
            Handle doomed = loop.callLater(Duration.ofMillis(1500), () -> say("cancelled", "this timer was cancelled: it must never fire"));
            loop.callLater(Duration.ofMillis(1000), () -> {
                doomed.cancel();
                say("callLater", "1000 ms one-shot; cancelled the timer due at 1500 ms");
            });
            loop.callEvery(Duration.ofSeconds(1), () -> say("callEvery", "heartbeat " + ++heartbeats));

            // Handlers run on the loop's thread like any callback, never inside a signal handler.
            loop.addSignalHandler(Signals.SIGUSR1, () -> say("SIGUSR1", "received, " + ++usr1 + " so far"));
            loop.addSignalHandler(Signals.SIGHUP, () -> say("SIGHUP", "reload #" + ++reloads + " (re-read the configuration here)"));
            loop.addSignalHandler(Signals.SIGINT, () -> {
                say("SIGINT", "stopping");
                loop.stop();
            });
            loop.addSignalHandler(Signals.SIGTERM, () -> {
                say("SIGTERM", "stopping");
                loop.stop();
            });
            loop.callLater(duration, () -> {
                say("finished", duration.toSeconds() + " s are up");
                loop.stop();
            });

            long pid = ProcessHandle.current().pid();
            System.out.println("started pid " + pid + ", running " + duration.toSeconds() + " s: try kill -USR1 " + pid
                    + ", kill -HUP " + pid + ", or Ctrl-C");
            loop.runForever();
            loop.removeReader(ticker);
        }
        System.out.println("stopped after " + elapsedMillis() + " ms");
    }

    /** One line per event: what fired, when (ms since start), and what it says. */
    private void say(String what, String text) {
        System.out.printf("%-9s %5d ms  %s%n", what, elapsedMillis(), text);
    }

    private long elapsedMillis() {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static long positive(String text) {
        long value = Long.parseLong(text);
        if (value <= 0) {
            throw new IllegalArgumentException("not positive: " + text);
        }
        return value;
    }
}
