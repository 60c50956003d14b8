package io.github.selectors4j.net;

import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.testing.Closer;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bad arguments get a clear exception before any native call, and lose nothing: the global
 * FdLeakCheck confirms no fd is left behind by any of these failures.
 */
class SocketBadInputTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    private NativeSocket unixPairEnd() throws Exception {
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0);
        closer.add(pair[0]);
        closer.add(pair[1]);
        return pair[0];
    }

    @Test
    void arrayRangesAreChecked() throws Exception {
        NativeSocket socket = unixPairEnd();
        byte[] bytes = new byte[8];
        assertThrows(IndexOutOfBoundsException.class, () -> socket.send(bytes, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> socket.send(bytes, 0, -2));
        assertThrows(IndexOutOfBoundsException.class, () -> socket.send(bytes, 7, 2), "past the end");
        assertThrows(IndexOutOfBoundsException.class, () -> socket.recv(bytes, 9, 0));
        assertThrows(NullPointerException.class, () -> socket.recv((byte[]) null, 0, 1));
    }

    @Test
    void receivingIntoAReadOnlyBufferIsRefused() throws Exception {
        NativeSocket socket = unixPairEnd();
        ByteBuffer readOnly = ByteBuffer.allocate(8).asReadOnlyBuffer();
        assertThrowsWithMessage(IllegalArgumentException.class, "Read-only buffer", () -> socket.recv(readOnly));
        assertThrowsWithMessage(IllegalArgumentException.class, "Read-only buffer", () -> socket.recvFrom(readOnly));
        assertThrowsWithMessage(IllegalArgumentException.class, "Read-only buffer", () -> socket.recvMsg(readOnly, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> socket.recvMsg(ByteBuffer.allocate(1), -1, 0));
    }

    @Test
    void unknownFamiliesAndAddressesOfTheWrongFamily() throws Exception {
        assertThrowsWithMessage(IllegalArgumentException.class, "not defined", () -> NativeSocket.open(AddressFamily.UNDEFINED, 1, 0));
        ErrnoException unknown = assertThrows(ErrnoException.class, () -> NativeSocket.open(4000, SocketType.SOCK_STREAM, 0));
        assertEquals("EAFNOSUPPORT", unknown.errnoName());
        assertEquals(ErrnoException.NO_FD, unknown.fd());

        NativeSocket inet = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0));
        ErrnoException wrongFamily = assertThrows(ErrnoException.class, () -> inet.bind(IPv6SocketAddress.loopback(0)));
        assertEquals("EAFNOSUPPORT", wrongFamily.errnoName(), "Linux refuses another family's address in bind");
        assertEquals("EINVAL", assertThrows(ErrnoException.class,
                () -> inet.sendTo(ByteBuffer.allocate(1), UnixSocketAddress.abstractName("x"))).errnoName(),
                "a sockaddr shorter than sockaddr_in");
    }

    @Test
    void addressesRefuseBadValues() {
        assertThrowsWithMessage(IllegalArgumentException.class, "port must be 0-65535: 70000", () -> IPv4SocketAddress.of("127.0.0.1", 70000));
        assertThrowsWithMessage(IllegalArgumentException.class, "port must be 0-65535: -1", () -> IPv6SocketAddress.of("::1", -1));
        assertThrowsWithMessage(IllegalArgumentException.class, "cannot resolve host", () -> IPv4SocketAddress.of("no.such.host.invalid", 1));
        assertThrowsWithMessage(IllegalArgumentException.class, "AF_UNIX path too long", () -> UnixSocketAddress.of("/" + "x".repeat(200)));
        assertThrowsWithMessage(IllegalArgumentException.class, "must not contain NUL", () -> UnixSocketAddress.of("a\0b"));
        assertThrowsWithMessage(IllegalArgumentException.class, "no such network interface: nope0", () -> Interfaces.nameToIndex("nope0"));
        assertThrowsWithMessage(IllegalArgumentException.class, "4 bytes", () -> IPv4SocketAddress.of(new byte[5], 1));
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.rights());
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.rights(-3));
    }

    @Test
    void everyCallOnAClosedSocketFailsWithOneException() throws Exception {
        NativeSocket socket = NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0);
        socket.close();
        socket.close();
        List<org.junit.jupiter.api.function.Executable> calls = List.of(
                () -> socket.bind(IPv4SocketAddress.loopback(0)),
                () -> socket.listen(1),
                socket::accept,
                () -> socket.connect(IPv4SocketAddress.loopback(1)),
                () -> socket.send(ByteBuffer.allocate(1)),
                () -> socket.recv(ByteBuffer.allocate(1)),
                () -> socket.sendTo(ByteBuffer.allocate(1), IPv4SocketAddress.loopback(1)),
                () -> socket.recvFrom(ByteBuffer.allocate(1)),
                socket::localAddress,
                () -> socket.getOption(SocketOptions.SO_RCVBUF),
                () -> socket.setOption(SocketOptions.SO_RCVBUF, 1024),
                () -> socket.shutdown(NativeSocket.SHUT_RDWR),
                socket::fileno,
                socket::detach);
        for (org.junit.jupiter.api.function.Executable call : calls) {
            assertEquals("NativeSocket is closed", assertThrows(AlreadyClosedException.class, call).getMessage());
        }
    }

    @Test
    void writeOnlyAndReadOnlyOptionsSaySo() throws Exception {
        NativeSocket socket = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0));
        assertThrowsWithMessage(UnsupportedOperationException.class, "can only be set", () -> socket.getOption(SocketOptions.IP_ADD_MEMBERSHIP));
        NativeSocket unix = unixPairEnd();
        assertThrowsWithMessage(UnsupportedOperationException.class, "can only be read",
                () -> unix.setOption(SocketOptions.SO_PEERCRED, new Credentials(1, 2, 3)));
        assertThrowsWithMessage(IllegalArgumentException.class, "IPv4 group",
                () -> socket.setOption(SocketOptions.IP_ADD_MEMBERSHIP, MulticastMembership.of(IPv6SocketAddress.loopback(0), 0)));
    }
}
