package io.github.selectors4j.fd;

import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static io.github.selectors4j.selectors.BaseSelector.EVENT_WRITE;
import static io.github.selectors4j.testing.ThreadSignals.SIGUSR1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import io.github.selectors4j.selectors.ReadyKey;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.TestIo;
import io.github.selectors4j.testing.TestSockets;
import io.github.selectors4j.testing.ThreadSignals;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of fd the library knows, in one default selector, each made ready and each seen in
 * the same select loop: the proof that they all speak the same readiness language.
 */
class AllFdKindsTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    @Test
    void everyKindBecomesReadyInOneSelectLoop(@TempDir Path dir) throws Exception {
        int handledBefore = ThreadSignals.usr1Handled();
        SignalFd.blockInCurrentThread(SIGUSR1);
        Process child = null;
        try {
            BaseSelector selector = closer.add(DefaultSelector.open());
            Map<String, Integer> expected = new TreeMap<>();

            Pipe pipe = closer.add(Pipe.open());
            selector.register(pipe.readEnd(), EVENT_READ, "pipe");
            expected.put("pipe", EVENT_READ);

            EventFd eventFd = closer.add(EventFd.open());
            selector.register(eventFd, EVENT_READ, "eventfd");
            expected.put("eventfd", EVENT_READ);

            TimerFd timer = closer.add(TimerFd.open());
            selector.register(timer, EVENT_READ, "timerfd");
            expected.put("timerfd", EVENT_READ);

            SignalFd signals = closer.add(SignalFd.open(SIGUSR1));
            selector.register(signals, EVENT_READ, "signalfd");
            expected.put("signalfd", EVENT_READ);

            Inotify inotify = closer.add(Inotify.open());
            inotify.addWatch(dir, Inotify.IN_CREATE);
            selector.register(inotify, EVENT_READ, "inotify");
            expected.put("inotify", EVENT_READ);

            // cat exits when its stdin closes, so it cannot exit (and be reaped) before the pidfd is open.
            child = new ProcessBuilder("cat").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            PidFd pidFd = closer.add(PidFd.of(child));
            selector.register(pidFd, EVENT_READ, "pidfd");
            expected.put("pidfd", EVENT_READ);

            int[] unix = closer.addFds(TestSockets.unixStreamPair());
            selector.register(unix[0], EVENT_READ, "unix stream socket");
            expected.put("unix stream socket", EVENT_READ);

            int listener = closer.addFd(TestSockets.listening());
            selector.register(listener, EVENT_READ, "tcp listener");
            expected.put("tcp listener", EVENT_READ);
            int client = closer.addFd(TestSockets.connectNonBlocking(TestSockets.port(listener)));
            selector.register(client, EVENT_WRITE, "tcp client");
            expected.put("tcp client", EVENT_WRITE);

            assertTrue(selector.select(Duration.ZERO).stream().allMatch(ready -> ready.key().data().equals("tcp client")
                            || ready.key().data().equals("tcp listener")),
                    "before anything is done, at most the loopback connection is ready");

            // Make every one of them ready.
            pipe.writeEnd().write(ByteBuffer.wrap(new byte[] {1}));
            eventFd.write(1);
            timer.schedule(Duration.ofMillis(20));
            ThreadSignals.sendToCurrentThread(SIGUSR1);
            Files.createFile(dir.resolve("created"));
            child.getOutputStream().close();
            TestIo.send(unix[1], "hello");

            Map<String, Integer> seen = new TreeMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.size() < expected.size() && System.nanoTime() < deadline) {
                for (ReadyKey ready : selector.select(Duration.ofSeconds(1))) {
                    seen.put((String) ready.key().data(), ready.events());
                    selector.unregister(ready.key().fileobj());   // level-triggered: once seen, out of the way
                }
            }
            assertEquals(expected, seen, "each kind, with the event it was ready for");

            assertEquals(SIGUSR1, signals.read().signo());
            assertEquals(1, timer.read());
            assertEquals(1, eventFd.read());
            assertEquals("created", inotify.read().get(0).name());
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        } finally {
            if (child != null) {
                child.getOutputStream().close();
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            ThreadSignals.drainAndUnblock(SIGUSR1);
        }
        assertEquals(handledBefore, ThreadSignals.usr1Handled(), "no SIGUSR1 left to reach the JVM handler");
    }
}
