package io.github.selectors4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.Ownership;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.testing.Closer;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a socket answers after close, and who closes the fd of a socket made from one. */
class SocketLifecycleTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    /** As Python's socket.family, .type and .proto, which stay readable after close(). */
    @Test
    void familyTypeAndProtocolStayReadableAfterClose() throws Exception {
        NativeSocket udp = NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0);
        udp.close();
        assertEquals(AddressFamily.AF_INET, udp.family());
        assertEquals(SocketType.SOCK_DGRAM, udp.type());
        assertEquals(0, udp.protocol(), "the protocol as given to open");
        assertThrows(AlreadyClosedException.class, () -> udp.send(ByteBuffer.allocate(1)), "anything else throws");
        assertThrows(AlreadyClosedException.class, udp::fileno);

        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET, 0);
        pair[0].close();
        pair[1].close();
        assertEquals(AddressFamily.AF_UNIX, pair[0].family());
        assertEquals(SocketType.SOCK_SEQPACKET, pair[1].type());
    }

    /** A socket from fromFd learns them from the kernel on first asking; asked first after close, there is no kernel to ask. */
    @Test
    void aBorrowedSocketAnswersAfterCloseWhatItWasAskedBefore() throws Exception {
        NativeSocket owner = closer.add(NativeSocket.open(AddressFamily.AF_INET6, SocketType.SOCK_STREAM, 0));
        NativeSocket asked = NativeSocket.fromFd(owner.fileno());
        assertEquals(AddressFamily.AF_INET6, asked.family());
        assertEquals(SocketType.SOCK_STREAM, asked.type());
        assertEquals(Protocol.IPPROTO_TCP, asked.protocol(), "the kernel's answer, SO_PROTOCOL");
        asked.close();
        assertEquals(AddressFamily.AF_INET6, asked.family());
        assertEquals(SocketType.SOCK_STREAM, asked.type());
        assertEquals(Protocol.IPPROTO_TCP, asked.protocol());

        NativeSocket neverAsked = NativeSocket.fromFd(owner.fileno());
        neverAsked.close();
        assertThrows(AlreadyClosedException.class, neverAsked::family);
        assertThrows(AlreadyClosedException.class, neverAsked::type);
        assertThrows(AlreadyClosedException.class, neverAsked::protocol);
    }

    /** Sends one byte from {@code from} and asserts {@code to} receives it: both ends work. */
    private static void assertCarries(NativeSocket from, NativeSocket to, int value) throws Exception {
        assertEquals(1, from.send(ByteBuffer.wrap(new byte[] {(byte) value})));
        ByteBuffer in = ByteBuffer.allocate(4);
        assertEquals(1, to.recv(in));
        assertEquals(value, in.get(0));
    }

    @Test
    void closingABorrowedSocketLeavesItsFdOpenAndUsable() throws Exception {
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM, 0);
        closer.add(pair[0]);
        closer.add(pair[1]);
        int fd = pair[0].fileno();
        NativeSocket borrowed = NativeSocket.fromFd(fd);
        assertFalse(borrowed.isBlocking(), "the mode is read from the fd");
        assertCarries(borrowed, pair[1], 1);
        borrowed.close();
        assertTrue(borrowed.isClosed());
        assertThrows(AlreadyClosedException.class, borrowed::fileno);
        assertTrue(Fds.isOpen(fd), "the borrowed fd is still open");
        assertCarries(pair[0], pair[1], 2);
        assertCarries(pair[1], pair[0], 3);
    }

    @Test
    void closingAnOwnedSocketClosesItsFd() throws Exception {
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM, 0);
        closer.add(pair[1]);
        int fd = pair[0].detach();
        NativeSocket owned = NativeSocket.fromFd(fd, Ownership.OWNED);
        assertCarries(owned, pair[1], 4);
        owned.close();
        assertFalse(Fds.isOpen(fd), "the owned fd was closed");
        owned.close();   // idempotent
    }
}
