package io.github.selectors4j.net;

import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.TestIo;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Non-blocking, blocking and timeout modes, as Python's settimeout defines them. */
class SocketModesTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    private NativeSocket[] pair() throws Exception {
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0);
        closer.add(pair[0]);
        closer.add(pair[1]);
        return pair;
    }

    @Test
    void socketsStartNonBlockingAndCloseOnExec() throws Exception {
        NativeSocket socket = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        assertFalse(socket.isBlocking());
        assertEquals(Duration.ZERO, socket.getTimeout());
        assertTrue(Fds.isNonBlocking(socket.fileno()));
        assertTrue(Fds.isCloseOnExec(socket.fileno()));
        assertEquals(AddressFamily.AF_INET, socket.family());
        assertEquals("EINVAL", assertThrows(ErrnoException.class, socket::accept).errnoName(), "accept on a socket that does not listen");
    }

    @Test
    void nonBlockingCallsReportWouldBlockAsValues() throws Exception {
        NativeSocket[] pair = pair();
        assertEquals(0, pair[0].recv(ByteBuffer.allocate(4)));
        assertNull(pair[0].recvMsg(ByteBuffer.allocate(4), 0, 0));
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 16);
        int sent;
        while ((sent = pair[0].send(chunk.clear())) > 0) {
            // Fill the socket buffer.
        }
        assertEquals(0, sent, "a full socket buffer: 0 bytes sent, not an exception");
        NativeSocket listener = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        listener.bind(IPv4SocketAddress.loopback(0));
        listener.listen(1);
        assertNull(listener.accept(), "no connection waiting: null");
    }

    @Test
    void timeoutModeWaitsThenThrowsSocketTimeoutException() throws Exception {
        NativeSocket[] pair = pair();
        pair[0].setTimeout(Duration.ofMillis(150));
        assertEquals(Duration.ofMillis(150), pair[0].getTimeout());
        assertTrue(pair[0].isBlocking());
        assertTrue(Fds.isNonBlocking(pair[0].fileno()), "timeout mode waits with poll on a non-blocking fd");
        long start = System.nanoTime();
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> pair[0].recv(ByteBuffer.allocate(4)));
        assertEquals("timed out", e.getMessage());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150), "not before the timeout");

        // The sender waits until this thread is inside the timed wait, so the byte arrives during it
        // rather than before the call; the timeout is long so that a slow sender cannot lose the race.
        pair[0].setTimeout(Duration.ofSeconds(30));
        Thread reader = Thread.currentThread();
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            try {
                Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(1))
                        .until(() -> isWaitingForReadiness(reader));
                pair[1].send(ByteBuffer.wrap(new byte[] {7}));
            } catch (Exception failure) {
                throw new IllegalStateException(failure);
            }
        });
        ByteBuffer one = ByteBuffer.allocate(1);
        assertEquals(1, pair[0].recv(one), "data arriving within the timeout is received");
        assertEquals(7, one.get(0));
        sender.get(5, TimeUnit.SECONDS);
    }

    /**
     * Whether {@code thread} is in a timeout-mode socket call's wait for readiness. Its
     * {@link Thread.State} cannot tell: a thread in a native call ({@code poll} here) is RUNNABLE.
     * Its stack can: the wait is {@code NativeSocket.awaitReady}, which only calls {@code poll}.
     */
    private static boolean isWaitingForReadiness(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals(NativeSocket.class.getName()) && frame.getMethodName().equals("awaitReady")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void blockingModeBlocksAndCloseFromAnotherThreadWakesIt() throws Exception {
        NativeSocket[] pair = pair();
        pair[0].setBlocking(true);
        assertNull(pair[0].getTimeout());
        assertFalse(Fds.isNonBlocking(pair[0].fileno()));
        CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(() -> TestIo.unchecked(() -> pair[0].recv(ByteBuffer.allocate(4))));
        Thread.sleep(100);
        assertFalse(blocked.isDone(), "a blocking recv waits");
        pair[0].close();
        assertEquals(-1, blocked.get(5, TimeUnit.SECONDS), "close shut the socket down, which ended the recv");
        assertTrue(pair[0].isClosed());
    }

    @Test
    void connectOutcomesInEachMode() throws Exception {
        NativeSocketAddress refused = refusingAddress();

        NativeSocket timeoutMode = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        timeoutMode.setTimeout(Duration.ofSeconds(5));
        assertEquals("ECONNREFUSED", assertThrows(ErrnoException.class, () -> timeoutMode.connect(refused)).errnoName());

        NativeSocket nonBlocking = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        ErrnoException failure = null;
        try {
            assertFalse(nonBlocking.connect(refused), "nothing listens: the connect cannot have succeeded");
        } catch (ErrnoException refusedAtOnce) {
            failure = refusedAtOnce;   // The kernel may also refuse inside connect() itself.
        }
        if (failure == null) {
            // Completion is awaited as an event loop would, in a selector, bounded: a refused connect
            // makes the socket writable, and then finishConnect must report the refusal.
            BaseSelector selector = closer.add(DefaultSelector.open());
            selector.register(nonBlocking, BaseSelector.EVENT_WRITE);
            assertEquals(1, selector.select(Duration.ofSeconds(10)).size(), "the refused connect completed within 10 s");
            failure = assertThrows(ErrnoException.class, nonBlocking::finishConnect, "a writable, refused socket reports the refusal");
        }
        assertEquals("ECONNREFUSED", failure.errnoName());
        assertThrowsWithMessage(IllegalArgumentException.class, "must not be negative", () -> nonBlocking.setTimeout(Duration.ofMillis(-1)));
    }

    /** A loopback address nothing listens on: a TCP socket bound there but not listening, so that connects to it are refused. */
    private NativeSocketAddress refusingAddress() throws Exception {
        NativeSocket closedPort = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        closedPort.bind(IPv4SocketAddress.loopback(0));
        return closedPort.localAddress();
    }

    /**
     * A refused non-blocking connect, completed the way an event loop does it: register for WRITE,
     * select (bounded), then finishConnect throws ECONNREFUSED, and again on a second call, where
     * it once returned false ("still in progress") because the first call had cleared SO_ERROR.
     */
    @Test
    void aRefusedNonBlockingConnectFailsThroughASelectorOnEveryFinishConnect() throws Exception {
        NativeSocketAddress refused = refusingAddress();
        NativeSocket socket = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        boolean connected;
        try {
            connected = socket.connect(refused);
        } catch (ErrnoException e) {
            assertEquals("ECONNREFUSED", e.errnoName());
            Assumptions.abort("the kernel refused the connect inside connect() itself, so there was no completion to wait for");
            return;
        }
        assertFalse(connected, "nothing listens: the connect cannot have succeeded");
        BaseSelector selector = closer.add(DefaultSelector.open());
        selector.register(socket, BaseSelector.EVENT_WRITE);
        assertEquals(1, selector.select(Duration.ofSeconds(10)).size(), "a refused connect makes the socket writable");

        ErrnoException first = assertThrows(ErrnoException.class, socket::finishConnect);
        assertEquals("ECONNREFUSED", first.errnoName());
        assertEquals(0, socket.getOption(SocketOptions.SO_ERROR), "reading SO_ERROR cleared it in the kernel");
        ErrnoException second = assertThrows(ErrnoException.class, socket::finishConnect,
                "a second finishConnect reports the failure again, not \"still in progress\"");
        assertEquals("ECONNREFUSED", second.errnoName());
        assertEquals(first.getMessage(), second.getMessage());
    }
}
