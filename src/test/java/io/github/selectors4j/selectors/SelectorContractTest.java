package io.github.selectors4j.selectors;

import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static io.github.selectors4j.selectors.BaseSelector.EVENT_WRITE;
import static io.github.selectors4j.testing.Asserts.assertSameElements;
import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.AlreadyRegisteredException;
import io.github.selectors4j.FileDescriptorLike;
import io.github.selectors4j.NotRegisteredException;
import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.KqueueAbi;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.Signals;
import io.github.selectors4j.testing.TestIo;
import io.github.selectors4j.testing.TestSockets;
import io.github.selectors4j.testing.Waiters;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every selector backend shares, checked against each backend on real kernel fds.
 * Backend-specific behaviour (what the kernel refuses at registration, what select does with a
 * closed fd) lives in the per-backend suites.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.github.selectors4j.selectors.Backends#available")
class SelectorContractTest {

    @Parameter
    SelectorBackend backend;

    private BaseSelector selector;
    private final Closer resources = new Closer();

    @BeforeEach
    void open() throws IOException {
        Backends.assumeAvailable(backend);
        selector = backend.open();
    }

    @AfterEach
    void close() throws Exception {
        if (selector != null) {
            selector.close();
        }
        resources.close();
    }

    private Pipe pipe() throws IOException {
        return resources.add(Pipe.open());
    }

    /**
     * Starts {@code select()} without a timeout on another thread, and returns once that thread is
     * blocked in the kernel: what wakes it then wakes a blocked select, not one yet to begin.
     */
    private CompletableFuture<List<ReadyKey>> blockedSelect() {
        CompletableFuture<List<ReadyKey>> result = new CompletableFuture<>();
        Thread selecting = new Thread(() -> {
            try {
                result.complete(selector.select());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "blocked-select");
        selecting.start();
        Waiters.awaitBlockedInKernelWait(selecting);
        return result;
    }

    private EventFd eventFd() throws IOException {
        return resources.add(EventFd.open());
    }

    private int[] socketPair() throws IOException {
        return resources.addFds(TestSockets.unixStreamPair());
    }

    private static void write(Pipe pipe, String text) throws IOException {
        pipe.writeEnd().write(ByteBuffer.wrap(text.getBytes()));
    }

    // ------------------------------------------------------------------ registration

    @Test
    void registerReturnsTheKeyAndGetKeyFindsItByAnyFileObject() throws IOException {
        Pipe pipe = pipe();
        SelectorKey key = selector.register(pipe.readEnd(), EVENT_READ, "data");

        assertEquals(new SelectorKey(pipe.readEnd(), pipe.readEnd().fileno(), EVENT_READ, "data"), key);
        assertSame(key, selector.getKey(pipe.readEnd()));
        assertSame(key, selector.getKey(pipe.readEnd().fileno()));
        assertEquals(backend, selector.backend());
    }

    @Test
    void invalidEventMasksAreRefusedAndLeaveNoKey() throws IOException {
        Pipe pipe = pipe();
        for (int events : new int[] {0, 4, EVENT_READ | 4, -1}) {
            assertThrowsWithMessage(IllegalArgumentException.class, "Invalid events: " + events,
                    () -> selector.register(pipe.readEnd(), events));
        }
        assertTrue(selector.getMap().isEmpty());
    }

    @Test
    void objectsWithoutAValidFdAreRefused() throws IOException {
        assertThrowsWithMessage(IllegalArgumentException.class, "Invalid file descriptor: -1", () -> selector.register(-1, EVENT_READ));
        assertThrowsWithMessage(IllegalArgumentException.class, "Invalid file object", () -> selector.register(new Object(), EVENT_READ));
        assertThrowsWithMessage(IllegalArgumentException.class, "Invalid file object", () -> selector.register("3", EVENT_READ));
        assertThrowsWithMessage(IllegalArgumentException.class, "Invalid file object: null", () -> selector.register(null, EVENT_READ));
        FileDescriptorLike closed = () -> -1;
        assertThrows(IllegalArgumentException.class, () -> selector.register(closed, EVENT_READ));
        assertTrue(selector.getMap().isEmpty());
    }

    @Test
    void anFdIsRegisteredOnceWhateverObjectItComesThrough() throws IOException {
        Pipe pipe = pipe();
        int fd = pipe.readEnd().fileno();
        SelectorKey key = selector.register(fd, EVENT_READ);

        AlreadyRegisteredException same = assertThrows(AlreadyRegisteredException.class, () -> selector.register(fd, EVENT_READ));
        assertEquals(fd, same.fd());
        FileDescriptorLike other = () -> fd;
        assertThrowsWithMessage(AlreadyRegisteredException.class, "(fd " + fd + ") is already registered",
                () -> selector.register(other, EVENT_WRITE, "other"));
        assertSame(key, selector.getKey(fd));
    }

    @Test
    void unknownObjectsAreNotRegistered() throws IOException {
        Pipe pipe = pipe();
        assertThrowsWithMessage(NotRegisteredException.class, "is not registered", () -> selector.unregister(pipe.readEnd()));
        assertThrows(NotRegisteredException.class, () -> selector.modify(pipe.readEnd(), EVENT_READ));
        assertThrows(NotRegisteredException.class, () -> selector.getKey(pipe.readEnd()));
        assertEquals("fd 12345 is not registered", assertThrows(NotRegisteredException.class, () -> selector.getKey(12345)).getMessage());
    }

    @Test
    void unregisterReturnsTheKeyAndTheFdIsNoLongerReported() throws IOException {
        Pipe pipe = pipe();
        SelectorKey key = selector.register(pipe.readEnd(), EVENT_READ);
        write(pipe, "x");

        assertSame(key, selector.unregister(pipe.readEnd()));
        assertTrue(selector.select(Duration.ZERO).isEmpty());
        assertThrows(NotRegisteredException.class, () -> selector.getKey(pipe.readEnd()));
    }

    @Test
    void unregisterWorksAfterTheFdWasClosed() throws IOException {
        Pipe intFdPipe = pipe();
        int fd = intFdPipe.readEnd().fileno();
        selector.register(fd, EVENT_READ);
        intFdPipe.readEnd().close();
        assertEquals(fd, selector.unregister(fd).fd());

        // An object that can no longer tell its fd is found by identity, as in Python.
        Pipe objectPipe = pipe();
        SelectorKey key = selector.register(objectPipe.readEnd(), EVENT_READ);
        objectPipe.readEnd().close();
        assertSame(key, selector.unregister(objectPipe.readEnd()));
        assertTrue(selector.getMap().isEmpty());
    }

    @Test
    void unregisterWorksAfterTheFdNumberWasReusedByDup2() throws IOException {
        Pipe registered = pipe();
        Pipe replacement = pipe();
        int fd = registered.readEnd().fileno();
        selector.register(fd, EVENT_READ, "old");

        Fds.dup2(replacement.readEnd().fileno(), fd);   // fd now names replacement's read end
        assertEquals("old", selector.unregister(fd).data());

        // The number can be registered again, now for the new file, and reports its readiness.
        selector.register(fd, EVENT_READ, "new");
        write(replacement, "x");
        List<ReadyKey> ready = selector.select(Duration.ofSeconds(5));
        assertEquals(1, ready.size());
        assertEquals("new", ready.get(0).key().data());
        selector.unregister(fd);
    }

    @Test
    void modifyWithOnlyNewDataDoesNotTouchTheKernel() throws IOException {
        Pipe pipe = pipe();
        int fd = pipe.readEnd().fileno();
        SelectorKey key = selector.register(fd, EVENT_READ, "before");
        pipe.readEnd().close();   // any kernel call about fd would fail now

        SelectorKey modified = selector.modify(fd, EVENT_READ, "after");
        assertEquals(new SelectorKey(fd, fd, EVENT_READ, "after"), modified);
        assertSame(modified, selector.getKey(fd));
        assertSame(modified, selector.modify(fd, EVENT_READ, "after"), "nothing changed: same key");
        assertEquals("before", key.data(), "keys are immutable");
        selector.unregister(fd);
    }

    @Test
    void modifyChangesInterestAndKeepsTheOriginalFileObject() throws IOException {
        int[] pair = socketPair();
        FileDescriptorLike end = () -> pair[0];
        selector.register(end, EVENT_READ, "data");

        // A connected socket is writable but has nothing to read.
        assertTrue(selector.select(Duration.ZERO).isEmpty());
        SelectorKey modified = selector.modify(pair[0], EVENT_READ | EVENT_WRITE, "new");
        assertSame(end, modified.fileobj());
        List<ReadyKey> ready = selector.select(Duration.ofSeconds(5));
        assertEquals(List.of(new ReadyKey(modified, EVENT_WRITE)), ready);

        SelectorKey dataCleared = selector.modify(pair[0], EVENT_WRITE);
        assertNull(dataCleared.data(), "modify(fileobj, events) sets data to null, as Python");
    }

    @Test
    void modifyWithAnInvalidMaskFailsAndKeepsTheKey() throws IOException {
        Pipe pipe = pipe();
        SelectorKey key = selector.register(pipe.readEnd(), EVENT_READ, "kept");
        assertThrows(IllegalArgumentException.class, () -> selector.modify(pipe.readEnd(), 0));
        assertThrows(IllegalArgumentException.class, () -> selector.modify(pipe.readEnd(), 8, "lost?"));
        assertSame(key, selector.getKey(pipe.readEnd()));

        write(pipe, "still watched");
        assertEquals(List.of(new ReadyKey(key, EVENT_READ)), selector.select(Duration.ofSeconds(5)));
    }

    // ------------------------------------------------------------------ readiness

    @Test
    void readinessIsFilteredByTheKeysInterest() throws IOException {
        int[] pair = socketPair();
        SelectorKey both = selector.register(pair[0], EVENT_READ | EVENT_WRITE);
        SelectorKey writeOnly = selector.register(pair[1], EVENT_WRITE);

        // pair[1] sends: pair[0] becomes readable as well as writable.
        TestIo.send(pair[1], "hello");
        List<ReadyKey> ready = selector.select(Duration.ofSeconds(5));
        assertSameElements(List.of(new ReadyKey(both, EVENT_READ | EVENT_WRITE), new ReadyKey(writeOnly, EVENT_WRITE)), ready);
    }

    @Test
    void aPeerThatClosedMakesReadersReadableAndWritersWritable() throws IOException {
        int[] pair = socketPair();
        int[] otherPair = socketPair();
        SelectorKey reader = selector.register(pair[0], EVENT_READ);
        SelectorKey writer = selector.register(otherPair[0], EVENT_WRITE);
        resources.closeFd(pair[1]);
        resources.closeFd(otherPair[1]);

        List<ReadyKey> ready = selector.select(Duration.ofSeconds(5));
        assertSameElements(List.of(new ReadyKey(reader, EVENT_READ), new ReadyKey(writer, EVENT_WRITE)), ready);
    }

    @Test
    void aPipeWhoseWriterClosedIsReadable() throws IOException {
        Pipe pipe = pipe();
        SelectorKey key = selector.register(pipe.readEnd(), EVENT_READ);
        assertTrue(selector.select(Duration.ZERO).isEmpty());
        pipe.writeEnd().close();
        assertEquals(List.of(new ReadyKey(key, EVENT_READ)), selector.select(Duration.ofSeconds(5)));
        assertEquals(-1, pipe.readEnd().read(ByteBuffer.allocate(1)), "end of stream");
    }

    @Test
    void aFullPipeWhoseReaderClosedReportsTheErrorAsWhatEachKeyWatches() throws IOException {
        // A full pipe with no reader is in error and not writable: the kernel reports EPOLLERR /
        // POLLERR without OUT or IN, so only CPython's mapping (an error is readiness for both
        // events, filtered by the key) reports it at all.
        Pipe watchedForWrite = pipe();
        Pipe watchedForRead = pipe();
        fill(watchedForWrite.writeEnd());
        fill(watchedForRead.writeEnd());
        SelectorKey writer = selector.register(watchedForWrite.writeEnd(), EVENT_WRITE);
        SelectorKey reader = selector.register(watchedForRead.writeEnd(), EVENT_READ);
        assertTrue(selector.select(Duration.ZERO).isEmpty(), "full pipes are not writable");

        watchedForWrite.readEnd().close();
        watchedForRead.readEnd().close();
        List<ReadyKey> ready = collectEachOnce(2);
        assertSameElements(List.of(new ReadyKey(writer, EVENT_WRITE), new ReadyKey(reader, EVENT_READ)), ready);
    }

    /**
     * Selects until {@code count} keys were reported (or 5 s passed), unregistering each as it is
     * reported: the kernel may report them in different waits, and a key must count once.
     */
    private List<ReadyKey> collectEachOnce(int count) throws IOException {
        List<ReadyKey> ready = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ready.size() < count && System.nanoTime() < deadline) {
            for (ReadyKey key : selector.select(Duration.ofSeconds(1))) {
                ready.add(key);
                selector.unregister(key.key().fd());
            }
        }
        return ready;
    }

    private static void fill(Pipe.End writeEnd) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(65536);
        while (writeEnd.write(chunk.clear()) > 0) {
            // until the kernel's pipe buffer is full
        }
    }

    @Test
    void aRefusedNonBlockingConnectIsReportedToBothReadersAndWriters() throws IOException {
        int port = TestSockets.port(resources.addFd(TestSockets.boundNotListening()));
        int writerSocket = resources.addFd(TestSockets.connectNonBlocking(port));
        int readerSocket = resources.addFd(TestSockets.connectNonBlocking(port));

        SelectorKey writer = selector.register(writerSocket, EVENT_WRITE);
        SelectorKey reader = selector.register(readerSocket, EVENT_READ);
        List<ReadyKey> ready = collectEachOnce(2);
        assertSameElements(List.of(new ReadyKey(writer, EVENT_WRITE), new ReadyKey(reader, EVENT_READ)), ready);
        if (!(backend == SelectorBackend.KQUEUE && KqueueAbi.CURRENT.flavor() == KqueueAbi.Flavor.LIBKQUEUE)) {
            // libkqueue reads SO_ERROR itself to report the error in the kevent's fflags, which
            // consumes it; a kernel kqueue, epoll, poll and select leave it for the application.
            assertEquals("ECONNREFUSED", TestIo.socketError(writerSocket));
        }
    }

    // ------------------------------------------------------------------ waiting

    @Test
    void anEmptySelectorHonoursItsTimeout() throws IOException {
        for (Duration timeout : List.of(Duration.ofMillis(30), Duration.ofNanos(1_500_000), Duration.ofNanos(10_001))) {
            long start = System.nanoTime();
            assertTrue(selector.select(timeout).isEmpty());
            long elapsed = System.nanoTime() - start;
            assertTrue(elapsed >= timeout.toNanos(), "select(" + timeout + ") returned early, after " + elapsed + " ns");
        }
    }

    @Test
    void signalsInterruptingTheWaitNeitherFailNorShortenIt() throws Exception {
        int before = Signals.handled();
        CompletableFuture<Integer> tid = new CompletableFuture<>();
        CompletableFuture<Long> elapsed = CompletableFuture.supplyAsync(() -> {
            tid.complete(Signals.currentTid());
            long start = System.nanoTime();
            assertTrue(TestIo.unchecked(() -> selector.select(Duration.ofMillis(400))).isEmpty());
            return System.nanoTime() - start;
        });
        int selectingThread = tid.get(5, TimeUnit.SECONDS);
        // Spread over most of the wait, so that a retry with the whole timeout instead of the
        // remaining time would end near 750 ms, well past the upper bound below.
        for (int i = 0; i < 10; i++) {
            Thread.sleep(35);
            Signals.interrupt(selectingThread);
        }
        long waited = elapsed.get(10, TimeUnit.SECONDS);
        assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(400), "EINTR shortened the wait: " + waited + " ns");
        assertTrue(waited < TimeUnit.MILLISECONDS.toNanos(650), "EINTR was retried with more than the remaining time: " + waited + " ns");
        assertTrue(Signals.handled() - before >= 10, "the signals were delivered: " + (Signals.handled() - before));
    }

    @Test
    void zeroAndNegativeTimeoutsDoNotWait() throws IOException {
        Pipe pipe = pipe();
        selector.register(pipe.readEnd(), EVENT_READ);
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            assertTrue(selector.select(Duration.ZERO).isEmpty());
            assertTrue(selector.select(Duration.ofSeconds(-1)).isEmpty());
        }
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "200 non-blocking selects took seconds");
    }

    @Test
    void selectWithoutTimeoutBlocksUntilAnFdIsReady() throws Exception {
        Pipe pipe = pipe();
        SelectorKey key = selector.register(pipe.readEnd(), EVENT_READ);
        CompletableFuture<List<ReadyKey>> result = blockedSelect();
        assertFalse(result.isDone(), "select() returned before anything was ready");
        write(pipe, "now");
        assertEquals(List.of(new ReadyKey(key, EVENT_READ)), result.get(5, TimeUnit.SECONDS));
    }

    @Test
    void wakeupEndsABlockedSelectFromAnotherThread() throws Exception {
        selector.register(pipe().readEnd(), EVENT_READ);
        CompletableFuture<List<ReadyKey>> result = blockedSelect();
        assertFalse(result.isDone());
        selector.wakeup();
        assertTrue(result.get(5, TimeUnit.SECONDS).isEmpty());

        // The wakeup was consumed: the next select waits again.
        assertTrue(selector.select(Duration.ofMillis(20)).isEmpty());
    }

    @Test
    void aWakeupBeforeSelectMakesTheNextSelectReturnAtOnceAndManyCoalesce() throws IOException {
        for (int i = 0; i < 1000; i++) {
            selector.wakeup();
        }
        long start = System.nanoTime();
        assertTrue(selector.select(Duration.ofSeconds(10)).isEmpty());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "the pending wakeup did not end the select");
        long again = System.nanoTime();
        assertTrue(selector.select(Duration.ofMillis(50)).isEmpty());
        assertTrue(System.nanoTime() - again >= TimeUnit.MILLISECONDS.toNanos(50), "one wakeup only, however many calls");
    }

    @Test
    void noWakeupIsLostWhenEachRacesWithTheSelectItIsMeantToEnd() throws Exception {
        // One wakeup per round from another thread, sent as the selecting thread enters select:
        // sometimes before the wait starts, sometimes during it. Every round must end by the
        // wakeup; a lost one would leave the select waiting for its whole (long) timeout.
        int rounds = 3000;
        java.util.concurrent.atomic.AtomicInteger requested = new java.util.concurrent.atomic.AtomicInteger();
        Thread waker = new Thread(() -> {
            for (int sent = 0; sent < rounds; ) {
                if (requested.get() > sent) {
                    sent++;
                    selector.wakeup();
                } else {
                    Thread.onSpinWait();
                }
            }
        }, "waker");
        waker.setDaemon(true);
        waker.start();
        try {
            for (int round = 1; round <= rounds; round++) {
                requested.set(round);
                long start = System.nanoTime();
                assertTrue(selector.select(Duration.ofSeconds(20)).isEmpty());
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "wakeup " + round + " was lost");
            }
        } finally {
            waker.join(TimeUnit.SECONDS.toMillis(20));
        }
        assertFalse(waker.isAlive());
    }

    @Test
    void theCallbackFormReportsTheSameReadiness() throws IOException {
        EventFd first = eventFd();
        EventFd second = eventFd();
        SelectorKey firstKey = selector.register(first, EVENT_READ, "first");
        SelectorKey secondKey = selector.register(second, EVENT_READ, "second");
        first.write(1);
        second.write(1);
        List<ReadyKey> seen = new ArrayList<>();
        int delivered = selector.select(Duration.ofSeconds(5), (key, events) -> seen.add(new ReadyKey(key, events)));
        assertEquals(2, delivered);
        assertSameElements(List.of(new ReadyKey(firstKey, EVENT_READ), new ReadyKey(secondKey, EVENT_READ)), seen);
    }

    @Test
    void anFdUnregisteredByAnEarlierHandlerIsNotReportedLaterInTheBatch() throws IOException {
        EventFd a = eventFd();
        EventFd b = eventFd();
        selector.register(a, EVENT_READ, a);
        selector.register(b, EVENT_READ, b);
        a.write(1);
        b.write(1);
        List<Object> handled = new ArrayList<>();
        selector.select(Duration.ofSeconds(5), (key, events) -> {
            handled.add(key.data());
            EventFd other = key.data() == a ? b : a;
            selector.unregister(other);
        });
        assertEquals(1, handled.size(), "the second fd was unregistered before its turn");
    }

    @Test
    void anFdNumberReRegisteredDuringTheBatchIsNotReportedForTheOldReadiness() throws IOException {
        EventFd a = eventFd();
        int[] pair = socketPair();
        selector.register(a, EVENT_READ, "a");
        selector.register(pair[0], EVENT_READ, "old owner");
        a.write(1);
        TestIo.send(pair[1], "x");
        int reused = pair[0];
        List<Object> handled = new ArrayList<>();
        selector.select(Duration.ofSeconds(5), (key, events) -> {
            handled.add(key.data());
            if ("a".equals(key.data())) {
                // Give the other fd's number to a new, idle file and register it.
                selector.unregister(reused);
                EventFd idle = resources.add(EventFd.open());
                Fds.dup2(idle.fileno(), reused);
                selector.register(reused, EVENT_READ, "new owner");
            }
        });
        assertEquals(List.of("a"), handled, "the old owner's readiness must not reach the new owner");
        // And in the next batch the new, idle owner is (correctly) not ready either.
        assertTrue(selector.select(Duration.ZERO).stream().noneMatch(ready -> "new owner".equals(ready.key().data())));
    }

    @Test
    void pollAndEpollHandleThousandsOfFds() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(backend != SelectorBackend.SELECT,
                "select is limited to fds below FD_SETSIZE; SelectSelectorTest covers that limit");
        List<EventFd> fds = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            EventFd fd = eventFd();
            fds.add(fd);
            selector.register(fd, EVENT_READ, i);
        }
        assertTrue(fds.get(fds.size() - 1).fileno() > 4000);
        for (int i = 0; i < 4000; i += 400) {
            fds.get(i).write(1);
        }
        List<Object> ready = new ArrayList<>();
        for (ReadyKey key : selector.select(Duration.ofSeconds(5))) {
            ready.add(key.key().data());
        }
        assertSameElements(List.of(0, 400, 800, 1200, 1600, 2000, 2400, 2800, 3200, 3600), ready);
        assertEquals(4000, selector.getMap().size());
    }

    // ------------------------------------------------------------------ the map view

    @Test
    void getMapIsALiveReadOnlyViewInFdOrder() throws IOException {
        Map<Integer, SelectorKey> map = selector.getMap();
        Pipe first = pipe();
        Pipe second = pipe();
        SelectorKey secondKey = selector.register(second.readEnd(), EVENT_READ);
        SelectorKey firstKey = selector.register(first.readEnd(), EVENT_READ);

        assertEquals(2, map.size());
        // Sorted, whatever numbers the kernel handed out: another thread may free a lower fd between
        // the two pipe() calls, so the second pipe's number is not always the larger.
        List<Integer> inFdOrder = new ArrayList<>(List.of(first.readEnd().fileno(), second.readEnd().fileno()));
        inFdOrder.sort(null);
        assertEquals(inFdOrder, new ArrayList<>(map.keySet()));
        assertSame(firstKey, map.get(first.readEnd().fileno()));
        assertSame(secondKey, map.get(second.readEnd()), "any file object works as a lookup key");
        assertFalse(map.containsKey("not a file object"));
        assertThrows(UnsupportedOperationException.class, () -> map.put(99, firstKey));
        assertThrows(UnsupportedOperationException.class, () -> map.remove(first.readEnd().fileno()));

        selector.unregister(second.readEnd());
        assertEquals(Map.of(first.readEnd().fileno(), firstKey), map);
    }

    @Test
    void javaIoFileDescriptorsAreFileObjects(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        try (FileInputStream stream = new FileInputStream(file.toFile())) {
            FileDescriptor descriptor = stream.getFD();
            // A regular file is always ready for poll and select, and refused by epoll.
            if (backend == SelectorBackend.EPOLL) {
                assertThrows(IOException.class, () -> selector.register(descriptor, EVENT_READ));
            } else {
                SelectorKey key = selector.register(descriptor, EVENT_READ);
                assertTrue(key.fd() > 2);
                assertThrows(AlreadyRegisteredException.class, () -> selector.register(key.fd(), EVENT_READ));
                selector.unregister(descriptor);
            }
        }
        assertEquals(1, selector.register(FileDescriptor.out, EVENT_WRITE).fd());
        selector.unregister(FileDescriptor.out);
    }

    // ------------------------------------------------------------------ closing

    @Test
    void afterCloseEveryOperationFailsWithOneExceptionAndCloseIsIdempotent() throws IOException {
        Pipe pipe = pipe();
        selector.register(pipe.readEnd(), EVENT_READ);
        selector.close();
        selector.close();

        assertTrue(selector.isClosed());
        List<org.junit.jupiter.api.function.Executable> operations = List.of(
                () -> selector.register(pipe.writeEnd(), EVENT_WRITE),
                () -> selector.register(pipe.writeEnd(), 0),
                () -> selector.unregister(pipe.readEnd()),
                () -> selector.modify(pipe.readEnd(), EVENT_WRITE),
                () -> selector.getKey(pipe.readEnd()),
                selector::getMap,
                () -> selector.select(Duration.ZERO),
                () -> selector.select(null, (key, events) -> { }));
        for (org.junit.jupiter.api.function.Executable operation : operations) {
            AlreadyClosedException e = assertThrows(AlreadyClosedException.class, operation);
            assertEquals(selector.getClass().getSimpleName() + " is closed", e.getMessage());
        }
        selector.wakeup(); // documented no-op
        assertEquals(backend, selector.backend(), "backend() still names what the selector was");
    }

    @Test
    void closingFromAnotherThreadEndsABlockedSelect() throws Exception {
        selector.register(pipe().readEnd(), EVENT_READ);
        CompletableFuture<List<ReadyKey>> result = blockedSelect();
        assertFalse(result.isDone());
        selector.close();
        assertTrue(result.get(5, TimeUnit.SECONDS).isEmpty());
        assertTrue(selector.isClosed());
    }
}
