package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.internal.FileObjects;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.selectors.BaseSelector;
import java.io.FileInputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rule 4 of the house, at the reactor's level: readiness reported by the kernel before a callback
 * removed, closed or replaced a watcher never reaches that watcher, nor a new one of the same fd number.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventLoopStaleEventsTest extends AllBackendsLoopTest {

    @Test
    void removingAReaderInsideAnotherCallbackSuppressesItsPendingEvent() throws Exception {
        EventFd a = closer.add(EventFd.open());
        EventFd b = closer.add(EventFd.open());
        a.write(1);
        b.write(1);   // both ready before the select: one batch
        List<String> ran = new ArrayList<>();
        loop.addReader(a, () -> {
            ran.add("a");
            a.read();
            loop.removeReader(b);
        });
        loop.addReader(b, () -> {
            ran.add("b");
            b.read();
            loop.removeReader(a);
        });
        loop.runOnce();
        assertEquals(1, ran.size(), "whichever reader runs first removes the other, whose event is then dropped: " + ran);
        assertEquals(1, loop.counts()[0]);
        loop.removeReader(ran.get(0).equals("a") ? a : b);
    }

    @Test
    void removingAWriterInsideTheReaderOfTheSameFdSuppressesIt() throws Exception {
        NativeSocket[] pair = socketPair();
        pair[1].send(ByteBuffer.wrap(new byte[] {1}));   // pair[0] readable and writable
        List<String> ran = new ArrayList<>();
        loop.addReader(pair[0], () -> {
            ran.add("reader");
            pair[0].recv(ByteBuffer.allocate(10));
            loop.removeWriter(pair[0]);
        });
        loop.addWriter(pair[0], () -> ran.add("writer"));
        loop.runOnce();
        assertEquals(List.of("reader"), ran);
        loop.removeReader(pair[0]);
    }

    @Test
    void closingAnEventFdInsideAnotherCallbackSuppressesItsEventAndDropsTheWatcher() throws Exception {
        EventFd a = closer.add(EventFd.open());
        EventFd b = closer.add(EventFd.open());
        a.write(1);
        b.write(1);
        List<String> ran = new ArrayList<>();
        loop.addReader(a, () -> {
            ran.add("a");
            b.close();   // without removing its reader
        });
        loop.addReader(b, () -> {
            ran.add("b");
            a.close();
        });
        loop.runOnce();
        assertEquals(1, ran.size(), ran.toString());
        EventFd survivor = ran.get(0).equals("a") ? a : b;
        survivor.read();
        assertEquals(1, loop.counts()[0], "the loop dropped the watcher of the closed eventfd");
        assertEquals(1, loop.selector().getMap().size(), "and its registration: " + loop.selector().getMap());
        assertTrue(loop.removeReader(survivor));
    }

    @Test
    void closingASocketInsideAnotherCallbackSuppressesItsEventAndDropsTheWatcher() throws Exception {
        NativeSocket[] first = socketPair();
        NativeSocket[] second = socketPair();
        first[1].send(ByteBuffer.wrap(new byte[] {1}));
        second[1].send(ByteBuffer.wrap(new byte[] {1}));
        List<String> ran = new ArrayList<>();
        loop.addReader(first[0], () -> {
            ran.add("first");
            second[0].close();
        });
        loop.addReader(second[0], () -> {
            ran.add("second");
            first[0].close();
        });
        loop.runOnce();
        assertEquals(1, ran.size(), ran.toString());
        assertEquals(1, loop.counts()[0]);
        assertEquals(1, loop.selector().getMap().size());
        assertTrue(loop.removeReader(ran.get(0).equals("first") ? first[0] : second[0]));
        assertFalse(loop.removeReader(ran.get(0).equals("first") ? second[0] : first[0]), "the closed one is gone already");
    }

    /**
     * The same for JDK channels, which say they are closed through {@code isOpen()}: each reader
     * closes the other pipe's source, so whichever runs first must suppress the other.
     */
    @Test
    void closingAJdkChannelInsideAnotherCallbackSuppressesItsEventAndDropsTheWatcher() throws Exception {
        java.nio.channels.Pipe first = jdkPipe();
        java.nio.channels.Pipe second = jdkPipe();
        first.sink().write(ByteBuffer.wrap(new byte[] {1}));
        second.sink().write(ByteBuffer.wrap(new byte[] {1}));
        List<String> ran = new ArrayList<>();
        loop.addReader(first.source(), () -> {
            ran.add("first");
            second.source().close();   // without removing its reader
        });
        loop.addReader(second.source(), () -> {
            ran.add("second");
            first.source().close();
        });
        loop.runOnce();
        assertEquals(1, ran.size(), "the closed channel's reader must not run: " + ran);
        assertEquals(1, loop.counts()[0], "the loop dropped the watcher of the closed channel");
        assertEquals(1, loop.selector().getMap().size(), "and its registration: " + loop.selector().getMap());
        assertTrue(loop.removeReader(ran.get(0).equals("first") ? first.source() : second.source()));
    }

    /** The same for a {@code java.io.FileDescriptor}, which says it is closed through {@code valid()}. */
    @Test
    void closingAFileDescriptorInsideAnotherCallbackSuppressesItsEventAndDropsTheWatcher() throws Exception {
        Pipe first = closer.add(Pipe.open());
        Pipe second = closer.add(Pipe.open());
        // A FileInputStream over /proc/self/fd/N opens the pipe again: a FileDescriptor of its own.
        FileInputStream firstIn = closer.add(new FileInputStream("/proc/self/fd/" + first.readEnd().fileno()));
        FileInputStream secondIn = closer.add(new FileInputStream("/proc/self/fd/" + second.readEnd().fileno()));
        first.writeEnd().write(ByteBuffer.wrap(new byte[] {1}));
        second.writeEnd().write(ByteBuffer.wrap(new byte[] {1}));
        List<String> ran = new ArrayList<>();
        loop.addReader(firstIn.getFD(), () -> {
            ran.add("first");
            secondIn.close();   // without removing its reader
        });
        loop.addReader(secondIn.getFD(), () -> {
            ran.add("second");
            firstIn.close();
        });
        loop.runOnce();
        assertEquals(1, ran.size(), "the closed descriptor's reader must not run: " + ran);
        assertEquals(1, loop.counts()[0], "the loop dropped the watcher of the closed descriptor");
        assertEquals(1, loop.selector().getMap().size(), "and its registration: " + loop.selector().getMap());
        assertTrue(loop.removeReader(ran.get(0).equals("first") ? firstIn.getFD() : secondIn.getFD()));
    }

    /**
     * Inside one batch: a callback closes fd B (ready, reader still set) and opens a new eventfd
     * under B's number, watched by a new reader. B's pending readiness must reach neither the old
     * reader nor the new one; the new one runs only when the new eventfd is written.
     */
    @Test
    void aReusedFdNumberNeverReceivesTheOldWatchersReadinessInTheSameBatch() throws Exception {
        EventFd a = closer.add(EventFd.open());
        EventFd b = closer.add(EventFd.open());
        int number = b.fileno();
        a.write(1);
        b.write(1);
        List<String> ran = new ArrayList<>();
        EventFd[] replacement = new EventFd[1];
        Callback reuse = () -> {
            b.close();
            replacement[0] = closer.add(EventFd.open());
            Object fileobj = sameNumber(replacement[0], number);
            loop.addReader(fileobj, () -> {
                ran.add("new reader");
                replacement[0].read();
            });
        };
        loop.addReader(a, () -> {
            ran.add("a");
            a.read();
            if (replacement[0] == null) {
                reuse.run();
            }
        });
        loop.addReader(b, () -> {
            ran.add("old reader of b");
            if (replacement[0] == null) {
                reuse.run();   // b ran first: a is the one left ready; let a's turn come
            }
        });
        loop.runOnce();
        assertFalse(ran.contains("new reader"), "the new reader got the old fd's readiness: " + ran);
        if (ran.contains("old reader of b")) {
            System.out.println("b's reader ran before a's in this batch; the new reader is still checked below");
        }
        ran.clear();
        runFor(Duration.ofMillis(30));
        assertFalse(ran.contains("new reader"), "the new reader ran while its eventfd was not ready: " + ran);
        assertFalse(ran.contains("old reader of b"));

        replacement[0].write(1);
        runUntil(() -> ran.contains("new reader"), Duration.ofSeconds(5), "the new reader, once its eventfd is written");
        assertFalse(ran.contains("old reader of b"));
        loop.removeReader(a);
        assertTrue(loop.removeReader(number));
    }

    /**
     * Across iterations: an fd closed with its reader still set, and not ready (so no batch tells
     * the loop it was closed); later a new eventfd gets the same number and a reader. The new
     * reader must be registered for real, and run when its eventfd is written.
     */
    @Test
    void aReusedFdNumberGetsAWorkingWatcherAfterTheOldFdWasClosedUnnoticed() throws Exception {
        EventFd old = closer.add(EventFd.open());
        int number = old.fileno();
        List<String> ran = new ArrayList<>();
        loop.addReader(old, () -> ran.add("old reader"));
        boolean[] closed = {false};
        loop.callSoon(() -> {
            old.close();   // closed in a callback, its reader left behind
            closed[0] = true;
        });
        runUntil(() -> closed[0], Duration.ofSeconds(5), "the close");

        EventFd fresh = closer.add(EventFd.open());
        Object fileobj = sameNumber(fresh, number);
        loop.addReader(fileobj, () -> {
            ran.add("new reader");
            fresh.read();
        });
        runFor(Duration.ofMillis(20));
        assertEquals(List.of(), ran, "nothing is ready yet");
        fresh.write(1);
        runUntil(() -> ran.contains("new reader"), Duration.ofSeconds(5), "the new reader, once its eventfd is written");
        assertEquals(List.of("new reader"), ran);
        assertEquals(1, loop.counts()[0]);
        assertTrue(loop.removeReader(fileobj));
    }

    /**
     * The same with JDK channels: a pipe's source closed with its reader still set; a new pipe's
     * source gets the same number and a reader, which must run when that pipe is written.
     */
    @Test
    void aReusedFdNumberOfAJdkChannelGetsAWorkingWatcherAfterTheOldOneWasClosedUnnoticed() throws Exception {
        java.nio.channels.Pipe old = jdkPipe();
        int number = FileObjects.fd(old.source());
        List<String> ran = new ArrayList<>();
        loop.addReader(old.source(), () -> ran.add("old reader"));
        loop.callSoon(() -> { });
        loop.runOnce();   // a queued callback makes it poll: the reader is in the kernel's set before the close
        old.source().close();
        old.sink().close();

        java.nio.channels.Pipe fresh = jdkPipe();
        Assumptions.assumeTrue(FileObjects.fd(fresh.source()) == number, () -> "the new pipe's source got fd "
                + FileObjects.fd(fresh.source()) + ", not the freed " + number + " (another thread took it)");
        loop.addReader(fresh.source(), () -> {
            ran.add("new reader");
            fresh.source().read(ByteBuffer.allocate(8));
        });
        runFor(Duration.ofMillis(20));
        assertEquals(List.of(), ran, "nothing is ready yet");
        fresh.sink().write(ByteBuffer.wrap(new byte[] {1}));
        runUntil(() -> ran.contains("new reader"), Duration.ofSeconds(5), "the new reader, once its pipe is written");
        assertEquals(List.of("new reader"), ran);
        assertEquals(1, loop.counts()[0]);
        assertTrue(loop.removeReader(fresh.source()));
    }

    /** The same for watch(): an fd number reused after an unnoticed close can be watched again. */
    @Test
    void aReusedFdNumberCanBeWatchedAfterTheOldFdWasClosedUnnoticed() throws Exception {
        EventFd old = closer.add(EventFd.open());
        int number = old.fileno();
        Watch stale = loop.watch(old, BaseSelector.EVENT_READ, (w, events) -> {
            throw new AssertionError("the old watch ran");
        });
        old.close();
        EventFd fresh = closer.add(EventFd.open());
        Object fileobj = sameNumber(fresh, number);
        int[] events = {0};
        Watch watch = loop.watch(fileobj, BaseSelector.EVENT_READ, (w, e) -> {
            events[0] |= e;
            fresh.read();
        });
        assertFalse(stale.isActive(), "the stale watch was dropped");
        fresh.write(1);
        runUntil(() -> events[0] != 0, Duration.ofSeconds(5), "the new watch");
        watch.cancel();
    }

    /**
     * Returns a file object with the fd number {@code number} for {@code fd}: the eventfd itself
     * when the kernel gave it that (lowest free) number, else a dup2 of it onto that number, which
     * the closer closes.
     */
    private Object sameNumber(EventFd fd, int number) throws Exception {
        if (fd.fileno() == number) {
            return fd;
        }
        System.out.println("the new eventfd got fd " + fd.fileno() + ", not " + number + ": dup2 onto " + number);
        Fds.dup2(fd.fileno(), number);
        closer.addFd(number);
        return number;
    }

    /** A JDK pipe, non-blocking as registration requires, closed by the closer. */
    private java.nio.channels.Pipe jdkPipe() throws Exception {
        java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
        closer.add(pipe.source());
        closer.add(pipe.sink());
        pipe.source().configureBlocking(false);
        return pipe;
    }

    private NativeSocket[] socketPair() throws Exception {
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0);
        closer.add(pair[0]);
        closer.add(pair[1]);
        return pair;
    }
}
