package io.github.selectors4j.select;

import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.Ownership;
import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.KqueueAbi;
import io.github.selectors4j.internal.KqueueLibrary;
import io.github.selectors4j.internal.Platform;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.KernelWaits;
import io.github.selectors4j.testing.Signals;
import io.github.selectors4j.testing.TestIo;
import io.github.selectors4j.testing.TestSockets;
import io.github.selectors4j.testing.Waiters;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Kqueue} against a real kqueue: the kernel's on macOS and the BSDs, libkqueue on Linux
 * (run with {@code -Dselectors4j.libkqueue.path=...}); skipped, with the reason, where neither exists.
 */
class KqueueTest {

    private final Closer closer = new Closer();
    private Kqueue kq;

    @BeforeEach
    void open() throws Exception {
        Assumptions.assumeTrue(Kqueue.isAvailable(), () -> "kqueue tests skipped: " + Kqueue.unavailableReason());
        kq = closer.add(Kqueue.open());
    }

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    private static KEvent add(Object fileobj, int filter) {
        return KEvent.of(fileobj, filter, Kqueue.KQ_EV_ADD);
    }

    @Test
    void readAndWriteFiltersReportReadinessWithTheAmount() throws Exception {
        Pipe pipe = closer.add(Pipe.open());
        kq.control(List.of(add(pipe.readEnd(), Kqueue.KQ_FILTER_READ), add(pipe.writeEnd(), Kqueue.KQ_FILTER_WRITE)), 0, Duration.ZERO);
        List<KEvent> writable = kq.control(List.of(), 4, Duration.ofSeconds(5));
        assertEquals(1, writable.size(), "an empty pipe is writable and not readable: " + writable);
        assertEquals(Kqueue.KQ_FILTER_WRITE, writable.get(0).filter());

        pipe.writeEnd().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        KEvent readable = kq.control(List.of(), 4, Duration.ofSeconds(5)).stream()
                .filter(event -> event.filter() == Kqueue.KQ_FILTER_READ).findFirst().orElseThrow();
        assertEquals(pipe.readEnd().fileno(), readable.ident());
        assertEquals(3, readable.data(), "EVFILT_READ reports the bytes available");
    }

    @Test
    void socketPairsBecomeReadableWithTheAmount() throws Exception {
        int[] pair = closer.addFds(TestSockets.unixStreamPair());
        kq.control(List.of(add(pair[0], Kqueue.KQ_FILTER_READ)), 0, Duration.ZERO);
        assertTrue(kq.control(List.of(), 4, Duration.ZERO).isEmpty(), "nothing sent yet");
        TestIo.send(pair[1], "xy");
        List<KEvent> readable = kq.control(List.of(), 4, Duration.ofSeconds(5));
        assertEquals(1, readable.size(), readable.toString());
        assertEquals(pair[0], readable.get(0).ident());
        assertEquals(Kqueue.KQ_FILTER_READ, readable.get(0).filter());
        assertEquals(2, readable.get(0).data(), "EVFILT_READ reports the bytes available");
        assertEquals("xy", TestIo.receive(pair[0]));
        assertTrue(kq.control(List.of(), 4, Duration.ZERO).isEmpty(), "drained");
    }

    /** libkqueue has no eventfd filter: an eventfd is a plain fd, readable while its counter is non-zero. */
    @Test
    void eventFdsBecomeReadable() throws Exception {
        Assumptions.assumeTrue(Platform.CURRENT.isLinux(), "eventfd is Linux's; kqueue's own counterpart is EVFILT_USER");
        EventFd events = closer.add(EventFd.open());
        kq.control(List.of(add(events, Kqueue.KQ_FILTER_READ)), 0, Duration.ZERO);
        assertTrue(kq.control(List.of(), 4, Duration.ZERO).isEmpty(), "a zero counter is not readable");
        events.write(1);
        List<KEvent> readable = kq.control(List.of(), 4, Duration.ofSeconds(5));
        assertEquals(1, readable.size(), readable.toString());
        assertEquals(events.fileno(), readable.get(0).ident());
        assertEquals(Kqueue.KQ_FILTER_READ, readable.get(0).filter());
        assertEquals(1, events.read());
        assertTrue(kq.control(List.of(), 4, Duration.ZERO).isEmpty(), "read back to zero");
    }

    @Test
    void aPeerThatClosesIsReportedWithEvEof() throws Exception {
        int[] pair = closer.addFds(TestSockets.unixStreamPair());
        kq.control(List.of(add(pair[0], Kqueue.KQ_FILTER_READ)), 0, Duration.ZERO);
        closer.closeFd(pair[1]);
        List<KEvent> events = kq.control(List.of(), 4, Duration.ofSeconds(5));
        assertEquals(1, events.size());
        assertTrue((events.get(0).flags() & Kqueue.KQ_EV_EOF) != 0, "EV_EOF expected: " + events.get(0));
    }

    /**
     * With no room for events kevent(2) applies the changes and returns at once, whatever the
     * timeout, and so does Python; a wait loop that retried "nothing ready" until the deadline
     * would spin there for the whole timeout.
     */
    @Test
    void controlWithoutRoomForEventsAppliesTheChangesAndReturnsAtOnce() throws Exception {
        Pipe pipe = closer.add(Pipe.open());
        pipe.writeEnd().write(ByteBuffer.wrap(new byte[] {1}));
        int fd = pipe.readEnd().fileno();
        try (KernelWaits waits = KernelWaits.record()) {
            long start = System.nanoTime();
            assertEquals(List.of(), kq.control(List.of(add(fd, Kqueue.KQ_FILTER_READ)), 0, Duration.ofSeconds(5)));
            long elapsed = System.nanoTime() - start;
            assertTrue(elapsed < TimeUnit.MILLISECONDS.toNanos(2500), "control(changes, 0, 5 s) took " + elapsed + " ns");
            assertEquals(1, waits.attempts().size(), "one kevent call: " + waits.attempts());
        }
        List<KEvent> events = kq.control(List.of(), 4, Duration.ZERO);
        assertEquals(1, events.size(), "the change was applied: " + events);
        assertEquals(fd, events.get(0).ident());
        assertEquals(Kqueue.KQ_FILTER_READ, events.get(0).filter());

        kq.control(List.of(KEvent.of(fd, Kqueue.KQ_FILTER_READ, Kqueue.KQ_EV_DELETE)), 0, null);   // null: forever
        assertTrue(kq.control(List.of(), 4, Duration.ZERO).isEmpty(), "the delete was applied");
    }

    @Test
    void timersFireAtTheirPeriodAndNotBefore() throws Exception {
        long start = System.nanoTime();
        kq.control(List.of(new KEvent(42, Kqueue.KQ_FILTER_TIMER, Kqueue.KQ_EV_ADD, 0, 50, 7)), 0, Duration.ZERO);
        List<KEvent> fired = kq.control(List.of(), 4, Duration.ofSeconds(5));
        long elapsed = System.nanoTime() - start;
        assertEquals(1, fired.size());
        assertEquals(42, fired.get(0).ident());
        assertEquals(7, fired.get(0).udata(), "udata comes back unchanged");
        assertTrue(fired.get(0).data() >= 1, "data counts the expirations");
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(50), "a 50 ms timer fired after " + elapsed + " ns");
        kq.control(List.of(new KEvent(42, Kqueue.KQ_FILTER_TIMER, Kqueue.KQ_EV_DELETE, 0, 0, 0)), 0, Duration.ZERO);
    }

    @Test
    void aUserEventWakesAWaitFromAnotherThread() throws Exception {
        kq.change(1, Kqueue.KQ_FILTER_USER, Kqueue.KQ_EV_ADD | Kqueue.KQ_EV_CLEAR, 0, 0, 0);
        CompletableFuture<List<KEvent>> woken = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                woken.complete(kq.control(List.of(), 4, null));
            } catch (Throwable e) {
                woken.completeExceptionally(e);
            }
        }, "kqueue-waiter");
        waiter.start();
        Waiters.awaitBlockedInKernelWait(waiter);
        assertThrows(IllegalStateException.class, () -> kq.waitReady(0, 1), "the waiter holds the queue");
        assertFalse(woken.isDone(), "the wait ended before the trigger");
        kq.change(1, Kqueue.KQ_FILTER_USER, 0, Kqueue.KQ_NOTE_TRIGGER, 0, 0);
        List<KEvent> events = woken.get(5, TimeUnit.SECONDS);
        waiter.join(5000);
        assertEquals(1, events.size());
        assertEquals(Kqueue.KQ_FILTER_USER, events.get(0).filter());
        assertTrue(kq.control(List.of(), 4, Duration.ofMillis(20)).isEmpty(), "EV_CLEAR: reported once per trigger");
    }

    @Test
    void oneShotEventsAreReportedOnceAndThenGone() throws Exception {
        Pipe pipe = closer.add(Pipe.open());
        pipe.writeEnd().write(ByteBuffer.wrap(new byte[] {1}));
        kq.control(List.of(KEvent.of(pipe.readEnd(), Kqueue.KQ_FILTER_READ, Kqueue.KQ_EV_ADD | Kqueue.KQ_EV_ONESHOT)), 0, Duration.ZERO);
        assertEquals(1, kq.control(List.of(), 4, Duration.ofSeconds(5)).size());
        assertTrue(kq.control(List.of(), 4, Duration.ofMillis(20)).isEmpty(), "still readable, but the one-shot is spent");
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> kq.change(pipe.readEnd().fileno(), Kqueue.KQ_FILTER_READ, Kqueue.KQ_EV_DELETE, 0, 0, 0));
        assertEquals("ENOENT", e.errnoName(), "a one-shot event deletes itself");
    }

    @Test
    void clearReportsEachChangeOnce() throws Exception {
        Pipe pipe = closer.add(Pipe.open());
        kq.control(List.of(KEvent.of(pipe.readEnd(), Kqueue.KQ_FILTER_READ, Kqueue.KQ_EV_ADD | Kqueue.KQ_EV_CLEAR)), 0, Duration.ZERO);
        pipe.writeEnd().write(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(1, kq.control(List.of(), 4, Duration.ofSeconds(5)).size());
        assertTrue(kq.control(List.of(), 4, Duration.ofMillis(20)).isEmpty(), "EV_CLEAR: no new data, no new event");
        pipe.writeEnd().write(ByteBuffer.wrap(new byte[] {2}));
        assertEquals(1, kq.control(List.of(), 4, Duration.ofSeconds(5)).size());
    }

    @Test
    void deletingAnUnknownEventFailsWithEnoent() throws Exception {
        Pipe pipe = closer.add(Pipe.open());
        KEvent delete = KEvent.of(pipe.readEnd(), Kqueue.KQ_FILTER_READ, Kqueue.KQ_EV_DELETE);
        ErrnoException e = assertThrows(ErrnoException.class, () -> kq.control(List.of(delete), 0, Duration.ZERO));
        assertEquals("ENOENT", e.errnoName());
        assertEquals(pipe.readEnd().fileno(), assertThrows(ErrnoException.class,
                () -> kq.change(pipe.readEnd().fileno(), Kqueue.KQ_FILTER_READ, Kqueue.KQ_EV_DELETE, 0, 0, 0)).fd());
    }

    @Test
    void withRoomForEventsAFailedChangeComesBackAsEvError() throws Exception {
        // libkqueue (2.7) drops the error when the event list has room, where the BSDs and macOS
        // return it as an EV_ERROR event; this part of the kqueue contract can only run on those.
        Assumptions.assumeTrue(KqueueAbi.CURRENT.flavor() != KqueueAbi.Flavor.LIBKQUEUE,
                "libkqueue does not report change errors as EV_ERROR events");
        Pipe pipe = closer.add(Pipe.open());
        List<KEvent> events = kq.control(List.of(KEvent.of(pipe.readEnd(), Kqueue.KQ_FILTER_READ, Kqueue.KQ_EV_DELETE)), 4, Duration.ZERO);
        assertEquals(1, events.size());
        assertTrue((events.get(0).flags() & Kqueue.KQ_EV_ERROR) != 0);
        assertEquals(io.github.selectors4j.internal.Errno.ENOENT, events.get(0).data());
    }

    /**
     * The kernel applies the change list before it waits, so a wait interrupted by a signal must
     * resume without submitting it again. Observable with a timer: adding it again would restart
     * it, and a 300 ms timer restarted by signals during its first 200 ms would miss a 400 ms wait.
     */
    @Test
    void aSignalDuringControlResumesTheWaitWithoutReapplyingTheChanges() throws Exception {
        int before = Signals.handled();
        CompletableFuture<Integer> tid = new CompletableFuture<>();
        CompletableFuture<List<KEvent>> result = CompletableFuture.supplyAsync(() -> {
            tid.complete(Signals.currentTid());
            KEvent timer = new KEvent(77, Kqueue.KQ_FILTER_TIMER, Kqueue.KQ_EV_ADD | Kqueue.KQ_EV_ONESHOT, 0, 300, 0);
            return TestIo.unchecked(() -> kq.control(List.of(timer), 4, Duration.ofMillis(400)));
        });
        int waiting = tid.get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 10; i++) {
            Thread.sleep(20);
            Signals.interrupt(waiting);
        }
        List<KEvent> fired = result.get(10, TimeUnit.SECONDS);
        assertEquals(1, fired.size(), "the timer added once fires at 300 ms, inside the 400 ms wait: " + fired);
        assertEquals(77, fired.get(0).ident());
        assertTrue(Signals.handled() - before >= 10, "the signals were delivered");
    }

    /** kevent takes nanoseconds: a timeout is one call with exactly the time asked for. */
    @Test
    void timeoutsArePassedToTheNanosecondInOneCallNeverEarly() throws Exception {
        for (long nanos : new long[] {1, 999_999, 1_500_001}) {
            try (KernelWaits waits = KernelWaits.record()) {
                long start = System.nanoTime();
                assertEquals(0, kq.waitReady(nanos, 1));
                long elapsed = System.nanoTime() - start;
                assertTrue(elapsed >= nanos, nanos + " ns timeout returned after " + elapsed + " ns");
                assertEquals(List.of(new KernelWaits.Attempt("kevent", nanos)), waits.attempts(), nanos + " ns: one kevent");
            }
        }
    }

    @Test
    void argumentsAreCheckedAndCloseIsFinal() throws Exception {
        assertThrowsWithMessage(IllegalArgumentException.class, "must be 0 or positive", () -> kq.control(List.of(), -1, Duration.ZERO));
        assertThrowsWithMessage(IllegalArgumentException.class, "timeout must not be negative (null waits forever)",
                () -> kq.control(List.of(), 1, Duration.ofMillis(-1)));
        assertThrowsWithMessage(IllegalArgumentException.class, "maxEvents must be greater than 0, got 0", () -> kq.waitReady(0, 0));
        int fd = kq.fileno();
        assertTrue(Fds.isCloseOnExec(fd));
        kq.close();
        kq.close();
        assertTrue(kq.isClosed());
        assertEquals("Kqueue is closed", assertThrows(AlreadyClosedException.class, () -> kq.control(List.of(), 0, Duration.ZERO)).getMessage());
        assertThrows(AlreadyClosedException.class, () -> kq.change(0, Kqueue.KQ_FILTER_READ, Kqueue.KQ_EV_ADD, 0, 0, 0));
        assertThrows(AlreadyClosedException.class, kq::fileno);
        assertThrows(AlreadyClosedException.class, () -> kq.waitReady(0, 1));
        assertEquals("Kqueue[closed]", kq.toString());
    }

    @Test
    void theLastEventsStayReadableAfterClose() throws Exception {
        kq.change(5, Kqueue.KQ_FILTER_USER, Kqueue.KQ_EV_ADD, 0, 0, 99);
        kq.change(5, Kqueue.KQ_FILTER_USER, 0, Kqueue.KQ_NOTE_TRIGGER | Kqueue.KQ_NOTE_FFCOPY | 0x5, 0, 99);
        assertEquals(1, kq.waitReady(TimeUnit.SECONDS.toNanos(5), 4));
        kq.close();
        assertEquals(5, kq.readyIdent(0), "events live in Java memory, not in the released native array");
        assertEquals(Kqueue.KQ_FILTER_USER, kq.readyFilter(0));
        assertEquals(99, kq.readyUdata(0));
        assertEquals(0x5, kq.readyFflags(0) & Kqueue.KQ_NOTE_FFLAGSMASK, "the user flags copied in");
        assertEquals(0, kq.readyFlags(0) & Kqueue.KQ_EV_ERROR);
        assertEquals(0, kq.readyData(0));
        assertThrows(IndexOutOfBoundsException.class, () -> kq.readyIdent(1));
    }

    @Test
    void fromFdBorrowsUnlessToldToOwn() throws Exception {
        Kqueue borrowed = Kqueue.fromFd(kq.fileno());
        borrowed.change(2, Kqueue.KQ_FILTER_USER, Kqueue.KQ_EV_ADD, 0, 0, 0);
        borrowed.close();
        assertTrue(Fds.isOpen(kq.fileno()), "a borrowed fd is never closed by us");
        kq.change(2, Kqueue.KQ_FILTER_USER, Kqueue.KQ_EV_DELETE, 0, 0, 0);   // the borrower added it to kq itself

        int fd = KqueueLibrary.get().kqueue();   // a kqueue no wrapper owns yet
        assertTrue(fd >= 0, "kqueue() failed");
        Kqueue adopted = closer.add(Kqueue.fromFd(fd, Ownership.OWNED));
        adopted.change(3, Kqueue.KQ_FILTER_USER, Kqueue.KQ_EV_ADD, 0, 0, 0);
        adopted.change(3, Kqueue.KQ_FILTER_USER, 0, Kqueue.KQ_NOTE_TRIGGER, 0, 0);
        assertEquals(1, adopted.waitReady(TimeUnit.SECONDS.toNanos(5), 4), "the adopted fd is a working kqueue");
        adopted.close();
        assertFalse(Fds.isOpen(fd), "an owned fd is closed with its wrapper");

        assertThrows(IllegalArgumentException.class, () -> Kqueue.fromFd(-1, Ownership.OWNED));
        assertThrows(NullPointerException.class, () -> Kqueue.fromFd(kq.fileno(), null));
    }

    @Test
    void eventsAreReadInPlaceWithoutAllocation() throws Exception {
        kq.change(9, Kqueue.KQ_FILTER_USER, Kqueue.KQ_EV_ADD, 0, 0, 0x1234);
        kq.change(9, Kqueue.KQ_FILTER_USER, 0, Kqueue.KQ_NOTE_TRIGGER, 0, 0x1234);   // a change sets udata too
        assertEquals(1, kq.waitReady(TimeUnit.SECONDS.toNanos(5), 8));
        assertEquals(9, kq.readyIdent(0));
        assertEquals(Kqueue.KQ_FILTER_USER, kq.readyFilter(0));
        assertEquals(0x1234, kq.readyUdata(0));
        assertThrows(IndexOutOfBoundsException.class, () -> kq.readyIdent(1));
    }
}
