package io.github.selectors4j.reactor;

import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static io.github.selectors4j.selectors.BaseSelector.EVENT_WRITE;
import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.selectors.SelectorKey;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** watch(), Watch and the reader/writer slots: batched interest changes, pausing, cancelling. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventLoopWatchTest extends AllBackendsLoopTest {

    private NativeSocket[] socketPair() throws Exception {
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0);
        closer.add(pair[0]);
        closer.add(pair[1]);
        return pair;
    }

    /**
     * WRITE turned on and off again within one callback never reaches the selector: the key the
     * selector holds is the very object it held before (a modify replaces it), with READ alone, and
     * the (always writable) socket's handler never hears WRITE.
     */
    @Test
    void interestTurnedOnAndOffWithinOneIterationCausesNoSelectorChange() throws Exception {
        NativeSocket[] pair = socketPair();
        List<Integer> events = new ArrayList<>();
        Watch watch = loop.watch(pair[0], EVENT_READ, (w, e) -> events.add(e));
        SelectorKey before = loop.selector().getKey(pair[0]);
        assertEquals(EVENT_READ, before.events());

        loop.callSoon(() -> {
            watch.setInterest(EVENT_READ | EVENT_WRITE);
            assertEquals(EVENT_READ | EVENT_WRITE, watch.interest());
            watch.setInterest(EVENT_READ);
        });
        runFor(Duration.ofMillis(50));
        assertEquals(List.of(), events, "the writable socket's WRITE was reported although WRITE was turned off again");
        SelectorKey after = loop.selector().getKey(pair[0]);
        assertEquals(EVENT_READ, after.events());
        assertSame(before, after, "the selector's key was modified (and modified back)");
        watch.cancel();
    }

    @Test
    void interestChangesAreAppliedBeforeTheNextSelect() throws Exception {
        NativeSocket[] pair = socketPair();
        List<Integer> events = new ArrayList<>();
        Watch watch = loop.watch(pair[0], EVENT_READ, (w, e) -> {
            events.add(e);
            w.setInterest(EVENT_READ);   // the write is done
        });
        loop.callSoon(() -> watch.setInterest(EVENT_READ | EVENT_WRITE));
        runUntil(() -> !events.isEmpty(), Duration.ofSeconds(5), "WRITE");
        assertEquals(List.of(EVENT_WRITE), events);
        runFor(Duration.ofMillis(30));
        assertEquals(List.of(EVENT_WRITE), events, "WRITE turned off inside the handler is not reported again");
        assertEquals(EVENT_READ, loop.selector().getKey(pair[0]).events());
        watch.cancel();
    }

    /** Both fds ready in one batch; whichever handler runs first pauses the other, whose event is then dropped. */
    @Test
    void pausingAWatchInsideAnotherCallbackSuppressesItsPendingEvent() throws Exception {
        EventFd a = closer.add(EventFd.open());
        EventFd b = closer.add(EventFd.open());
        a.write(1);
        b.write(1);
        List<String> ran = new ArrayList<>();
        Watch[] watches = new Watch[2];
        watches[0] = loop.watch(a, EVENT_READ, (w, e) -> {
            ran.add("a");
            watches[1].setInterest(0);
        });
        watches[1] = loop.watch(b, EVENT_READ, (w, e) -> {
            ran.add("b");
            watches[0].setInterest(0);
        });
        loop.runOnce();
        assertEquals(1, ran.size(), ran.toString());
        watches[0].cancel();
        watches[1].cancel();
    }

    @Test
    void zeroInterestPausesAndReadResumes() throws Exception {
        NativeSocket[] pair = socketPair();
        pair[1].send(ByteBuffer.wrap(new byte[] {42}));   // stays readable until read
        int[] calls = {0};
        Watch watch = loop.watch(pair[0], EVENT_READ, (w, e) -> calls[0]++);
        watch.setInterest(0);
        runFor(Duration.ofMillis(50));
        assertEquals(0, calls[0], "a paused watch reports nothing");
        assertTrue(watch.isActive());
        assertEquals(0, watch.interest());
        assertFalse(loop.selector().getMap().containsKey(pair[0].fileno()), "paused: not registered");
        assertEquals(1, loop.counts()[0], "but still watched");

        watch.setInterest(EVENT_READ);
        runUntil(() -> calls[0] > 0, Duration.ofSeconds(5), "the resumed watch");
        assertEquals(EVENT_READ, loop.selector().getKey(pair[0]).events());
        watch.cancel();
    }

    @Test
    void aWatchMayStartPaused() throws Exception {
        EventFd fd = closer.add(EventFd.open());
        fd.write(1);
        int[] calls = {0};
        Watch watch = loop.watch(fd, 0, (w, e) -> calls[0]++);
        assertTrue(loop.selector().getMap().isEmpty());
        runFor(Duration.ofMillis(20));
        assertEquals(0, calls[0]);
        watch.setInterest(EVENT_READ);
        runUntil(() -> calls[0] > 0, Duration.ofSeconds(5), "the watch");
        watch.cancel();
    }

    @Test
    void cancelRemovesTheRegistrationAtOnce() throws Exception {
        EventFd fd = closer.add(EventFd.open());
        fd.write(1);
        int[] calls = {0};
        Watch watch = loop.watch(fd, EVENT_READ, (w, e) -> calls[0]++);
        assertTrue(loop.selector().getMap().containsKey(fd.fileno()));
        watch.cancel();
        assertFalse(loop.selector().getMap().containsKey(fd.fileno()), "unregistered by cancel() itself");
        assertFalse(watch.isActive());
        assertEquals(0, loop.counts()[0]);
        watch.cancel();   // idempotent
        assertThrowsWithMessage(IllegalStateException.class, "cancelled", () -> watch.setInterest(EVENT_READ));
        runFor(Duration.ofMillis(20));
        assertEquals(0, calls[0]);

        // The fd can be watched again at once.
        Watch again = loop.watch(fd, EVENT_READ, (w, e) -> calls[0]++);
        runUntil(() -> calls[0] > 0, Duration.ofSeconds(5), "the new watch");
        again.cancel();
    }

    @Test
    void aHandlerMayCancelItsOwnWatch() throws Exception {
        EventFd fd = closer.add(EventFd.open());
        fd.write(1);
        int[] calls = {0};
        loop.watch(fd, EVENT_READ, (w, e) -> {
            calls[0]++;
            w.cancel();
        });
        runFor(Duration.ofMillis(20));
        assertEquals(1, calls[0]);
    }

    @Test
    void theHandlerReceivesBothDirectionsFilteredByInterest() throws Exception {
        NativeSocket[] pair = socketPair();
        pair[1].send(ByteBuffer.wrap(new byte[] {1}));
        List<Integer> events = new ArrayList<>();
        Watch watch = loop.watch(pair[0], EVENT_READ | EVENT_WRITE, (w, e) -> {
            events.add(e);
            w.cancel();
        });
        runUntil(() -> !events.isEmpty(), Duration.ofSeconds(5), "the watch");
        assertEquals(List.of(EVENT_READ | EVENT_WRITE), events);
        assertSame(pair[0], watch.fileobj());
        assertSame(loop, watch.loop());
    }

    @Test
    void readerAndWriterShareOneRegistration() throws Exception {
        NativeSocket[] pair = socketPair();
        List<String> ran = new ArrayList<>();
        loop.addReader(pair[0], () -> {
            ran.add("reader");
            pair[0].recv(ByteBuffer.allocate(16));
        });
        loop.addWriter(pair[0], () -> {
            ran.add("writer");
            loop.removeWriter(pair[0]);
        });
        assertEquals(1, loop.counts()[0]);
        loop.runOnce();   // applies READ|WRITE; the writer runs
        assertEquals(List.of("writer"), ran);
        assertEquals(EVENT_READ | EVENT_WRITE, loop.selector().getKey(pair[0]).events());
        pair[1].send(ByteBuffer.wrap(new byte[] {1}));
        runUntil(() -> ran.contains("reader"), Duration.ofSeconds(5), "the reader");
        assertEquals(EVENT_READ, loop.selector().getKey(pair[0]).events(), "the writer's removal was applied");
        assertFalse(loop.removeWriter(pair[0]), "no writer any more");
        assertTrue(loop.removeReader(pair[0]));
        assertTrue(loop.selector().getMap().isEmpty(), "removing the last slot unregisters at once");
        assertFalse(loop.removeReader(pair[0]));
    }

    @Test
    void addReaderReplacesThePreviousReader() throws Exception {
        EventFd fd = closer.add(EventFd.open());
        fd.write(1);
        List<String> ran = new ArrayList<>();
        loop.addReader(fd, () -> ran.add("first"));
        loop.addReader(fd, () -> {
            ran.add("second");
            fd.read();
        });
        runUntil(() -> !ran.isEmpty(), Duration.ofSeconds(5), "a reader");
        assertEquals(List.of("second"), ran);
        loop.removeReader(fd);
    }

    @Test
    void misuseIsRefused() throws Exception {
        EventFd fd = closer.add(EventFd.open());
        assertThrowsWithMessage(IllegalArgumentException.class, "Invalid events: 4", () -> loop.watch(fd, 4, (w, e) -> {
        }));
        Watch watch = loop.watch(fd, EVENT_READ, (w, e) -> {
        });
        assertThrowsWithMessage(IllegalArgumentException.class, "Invalid events: 7", () -> watch.setInterest(7));
        assertThrowsWithMessage(IllegalStateException.class, "already watched", () -> loop.watch(fd, EVENT_READ, (w, e) -> {
        }));
        assertThrowsWithMessage(IllegalStateException.class, "cancel it first", () -> loop.addReader(fd, () -> {
        }));
        assertFalse(loop.removeReader(fd), "a Watch is not a reader slot");
        watch.cancel();

        loop.addReader(fd, () -> {
        });
        assertThrowsWithMessage(IllegalStateException.class, "already watched", () -> loop.watch(fd, EVENT_READ, (w, e) -> {
        }));
        loop.removeReader(fd);
    }
}
