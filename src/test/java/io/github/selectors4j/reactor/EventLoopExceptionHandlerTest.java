package io.github.selectors4j.reactor;

import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static io.github.selectors4j.testing.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.SocketType;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A callback that throws is reported, with what was running, and the loop goes on. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventLoopExceptionHandlerTest extends LoopTestBase {

    /** The default handler's log, captured from java.util.logging (where System.Logger goes here). */
    private LogCapture log;

    @BeforeEach
    void captureLog() throws Exception {
        log = LogCapture.of(EventLoop.class.getName());
    }

    @AfterEach
    void releaseLog() throws Exception {
        log.close();
    }

    @Test
    void aThrowingCallbackIsReportedWithItsContextAndTheLoopGoesOn() throws Exception {
        List<String> ran = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        loop.callSoon(() -> ran.add("before"));
        loop.callSoon(() -> {
            throw boom;
        });
        loop.callSoon(() -> ran.add("after"));
        loop.runOnce();
        assertEquals(List.of("before", "after"), ran, "the callbacks queued behind the failing one ran");
        List<Reported> reports = takeReports();
        assertEquals(1, reports.size());
        assertSame(boom, reports.get(0).error());
        assertContains("callback", reports.get(0).context());
        assertSame(Thread.currentThread(), reports.get(0).thread(), "reported on the loop's thread");
    }

    @Test
    void failuresOfTimersReadersWritersAndWatchesAreReportedWithWhatRan() throws Exception {
        EventFd readable = closer.add(EventFd.open());
        readable.write(1);
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0);
        closer.add(pair[0]);
        closer.add(pair[1]);
        EventFd watched = closer.add(EventFd.open());
        watched.write(1);

        loop.callLater(Duration.ZERO, () -> {
            throw new IOException("from a timer");
        });
        loop.addReader(readable, () -> {
            loop.removeReader(readable);
            throw new IOException("from a reader");
        });
        loop.addWriter(pair[0], () -> {
            loop.removeWriter(pair[0]);
            throw new IOException("from a writer");
        });
        Watch watch = loop.watch(watched, EVENT_READ, (w, e) -> {
            w.cancel();
            throw new IOException("from a watch");
        });
        boolean[] later = {false};
        loop.callLater(Duration.ofMillis(20), () -> later[0] = true);
        runUntil(() -> later[0] && reported.size() == 4, Duration.ofSeconds(5), "four reports and the loop still running");

        List<Reported> reports = takeReports();
        for (Reported report : reports) {
            String message = report.error().getMessage();
            switch (message) {
                case "from a timer" -> assertContains("timer", report.context());
                case "from a reader" -> assertContains("reader", report.context());
                case "from a writer" -> assertContains("writer", report.context());
                case "from a watch" -> {
                    assertContains("handler of", report.context());
                    assertContains(String.valueOf(watched.fileno()), report.context());
                }
                default -> throw new AssertionError("unexpected report: " + report);
            }
        }
        assertEquals(4, reports.stream().map(r -> r.error().getMessage()).distinct().count(), reports.toString());
        assertTrue(!watch.isActive());
    }

    @Test
    void aCustomHandlerReceivesTheFailuresAndNullRestoresLogging() throws Exception {
        List<String> custom = new ArrayList<>();
        loop.setExceptionHandler((context, error) -> custom.add(error.getMessage()));
        loop.callSoon(() -> {
            throw new IllegalArgumentException("to the custom handler");
        });
        loop.runOnce();
        assertEquals(List.of("to the custom handler"), custom);
        assertEquals("", log.text(), "a custom handler replaces logging");

        loop.setExceptionHandler(null);
        RuntimeException logMe = new RuntimeException("to the log");
        loop.callSoon(() -> {
            throw logMe;
        });
        loop.runOnce();
        assertEquals(List.of("to the custom handler"), custom, "the custom handler was replaced");
        String text = log.text();
        assertContains("SEVERE: exception in event loop callback", text);
        assertContains("java.lang.RuntimeException: to the log", text);
    }

    /** A handler that throws must not end the loop: its failure is logged with the original one. */
    @Test
    void aThrowingHandlerDoesNotEndTheLoop() throws Exception {
        loop.setExceptionHandler((context, error) -> {
            throw new IllegalStateException("the handler itself fails");
        });
        List<String> ran = new ArrayList<>();
        RuntimeException original = new RuntimeException("original");
        loop.callSoon(() -> {
            throw original;
        });
        loop.callSoon(() -> ran.add("next callback"));
        loop.runOnce();
        assertEquals(List.of("next callback"), ran);
        String text = log.text();
        assertContains("SEVERE: exception in event loop exception handler, while handling callback", text);
        assertContains("java.lang.IllegalStateException: the handler itself fails", text);
        assertContains("Suppressed: java.lang.RuntimeException: original", text);
    }
}
