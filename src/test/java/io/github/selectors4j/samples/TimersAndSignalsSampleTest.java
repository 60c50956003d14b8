package io.github.selectors4j.samples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.testing.BackgroundProcess;
import io.github.selectors4j.testing.ChildJvm;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code samples/run timers-and-signals}: timers fire, never early; the cancelled one never; signal
 * handlers run when {@code kill} sends their signal; it stops on SIGINT and by itself.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimersAndSignalsSampleTest {

    /** An event line: what fired, at how many ms, and its text. */
    private record Event(String what, long millis, String text) {
    }

    private static final Pattern EVENT = Pattern.compile("^(\\S+) +(\\d+) ms  (.*)$");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void signalHandlersRunAndCtrlCStopsCleanly() throws Exception {
        try (BackgroundProcess sample = Samples.start("timers-and-signals", "--seconds", "60", "--tick-ms", "200")) {
            String started = sample.awaitLine("started", WAIT);
            assertTrue(started.startsWith("pid " + sample.pid() + ", running 60 s"), started);

            kill(sample, "USR1");
            awaitEvent(sample, "SIGUSR1", "received, 1 so far");
            kill(sample, "USR1");
            awaitEvent(sample, "SIGUSR1", "received, 2 so far");
            kill(sample, "HUP");
            awaitEvent(sample, "SIGHUP", "reload #1 (re-read the configuration here)");
            // Heartbeat 2 comes at 2 s, after the cancelled timer's 1.5 s deadline has passed.
            awaitEvent(sample, "callEvery", "heartbeat 2");

            Samples.interrupt(sample);
            assertEquals(0, sample.waitFor(WAIT), sample.output());
            List<Event> events = events(sample.stdout());
            assertTrue(events.contains(new Event("SIGINT", at(events, "SIGINT"), "stopping")), sample.output());
            assertTrue(events.stream().anyMatch(e -> e.what().equals("callLater")
                    && e.text().equals("1000 ms one-shot; cancelled the timer due at 1500 ms")), sample.output());
            assertTrue(events.stream().noneMatch(e -> e.what().equals("cancelled")), "the cancelled timer fired:\n" + sample.output());
            assertTrue(lastLine(sample.stdout()).matches("stopped after \\d+ ms"), sample.output());
            assertEquals("", sample.stderr(), sample.output());
        }
    }

    @Test
    void runsToItsEndWithEveryTimerOnTimeAndTheCancelledOneNever() throws Exception {
        ChildJvm.Result result = Samples.run("timers-and-signals", Duration.ofSeconds(45), "--seconds", "2", "--tick-ms", "250");
        assertEquals(0, result.exitCode(), result.output());
        List<Event> events = events(result.stdout());

        // Never early: each callback's time since start is at least its due time.
        assertTrue(at(events, "callLater", "300 ms one-shot") >= 300, result.output());
        assertTrue(at(events, "callLater", "1000 ms one-shot; cancelled the timer due at 1500 ms") >= 1000, result.output());
        assertTrue(at(events, "callEvery", "heartbeat 1") >= 1000, result.output());
        long finished = at(events, "finished", "2 s are up");
        assertTrue(finished >= 2000, result.output());
        long ticks = 0;
        for (Event event : events) {
            if (event.what().equals("timerfd")) {
                Matcher tick = Pattern.compile("tick (\\d+)( \\(\\d+ expirations at once\\))?").matcher(event.text());
                assertTrue(tick.matches(), event.toString());
                ticks = Long.parseLong(tick.group(1));
                assertTrue(event.millis() >= ticks * 250, "tick " + ticks + " came early:\n" + result.output());
            }
        }
        // 250 ms ticks for 2 s: at least 7 were read before the end (the 8th races it), and no
        // more than the time at the end allows (a busy machine may deliver the end late).
        assertTrue(ticks >= 7 && ticks * 250 <= finished, "ticks: " + ticks + "\n" + result.output());
        assertTrue(events.stream().noneMatch(e -> e.what().equals("cancelled")), "the cancelled timer fired:\n" + result.output());
        assertTrue(lastLine(result.stdout()).matches("stopped after \\d+ ms"), result.output());
    }

    @Test
    void badArgumentsPrintTheUsage() throws Exception {
        for (List<String> args : List.of(List.of("--seconds"), List.of("--seconds", "0"), List.of("--tick-ms", "x"), List.of("--loud"))) {
            ChildJvm.Result result = Samples.run("timers-and-signals", Duration.ofSeconds(45), args.toArray(String[]::new));
            assertEquals(2, result.exitCode(), args + ": " + result.output());
            assertEquals("usage: samples/run timers-and-signals [--seconds N] [--tick-ms N]\n", result.stderr(), result.output());
        }
    }

    private static void kill(BackgroundProcess sample, String signal) throws Exception {
        ChildJvm.Result kill = ChildJvm.exec(List.of("kill", "-" + signal, Long.toString(sample.pid())), 10);
        assertEquals(0, kill.exitCode(), kill.output());
    }

    private static void awaitEvent(BackgroundProcess sample, String what, String text) throws Exception {
        await(what + " " + text).atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> hasEvent(sample, what, text) || !sample.isAlive());
        assertTrue(hasEvent(sample, what, text), "no \"" + what + " ... " + text + "\" line:\n" + sample.output());
    }

    private static boolean hasEvent(BackgroundProcess sample, String what, String text) throws Exception {
        return events(sample.stdout()).stream().anyMatch(e -> e.what().equals(what) && e.text().equals(text));
    }

    private static List<Event> events(String stdout) {
        return stdout.lines().map(EVENT::matcher).filter(Matcher::matches)
                .map(m -> new Event(m.group(1), Long.parseLong(m.group(2)), m.group(3))).toList();
    }

    private static long at(List<Event> events, String what) {
        return events.stream().filter(e -> e.what().equals(what)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + what + " line in " + events)).millis();
    }

    private static long at(List<Event> events, String what, String text) {
        return events.stream().filter(e -> e.what().equals(what) && e.text().equals(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no \"" + what + " ... " + text + "\" line in " + events)).millis();
    }

    private static String lastLine(String stdout) {
        List<String> lines = stdout.lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
