package io.github.selectors4j.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.Io;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import io.github.selectors4j.testing.Closer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AF_UNIX: stream, datagram and seqpacket; paths and the abstract namespace; fds and credentials. */
class UnixSocketTest {

    private final Closer closer = new Closer();
    private BaseSelector selector;

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    private BaseSelector selector() throws Exception {
        if (selector == null) {
            selector = closer.add(DefaultSelector.open());
        }
        return selector;
    }

    /** Waits in the selector until the socket is readable, then receives everything available. */
    private String receive(NativeSocket socket) throws Exception {
        selector().register(socket, BaseSelector.EVENT_READ);
        try {
            assertEquals(1, selector().select(Duration.ofSeconds(5)).size(), "the message arrived");
            ByteBuffer buffer = ByteBuffer.allocate(1024);
            socket.recv(buffer);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        } finally {
            selector().unregister(socket);
        }
    }

    private static ByteBuffer text(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void streamOverAFilesystemPath(@TempDir Path dir) throws Exception {
        UnixSocketAddress path = UnixSocketAddress.of(dir.resolve("server.sock"));
        NativeSocket server = closer.add(NativeSocket.open(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0));
        server.bind(path);
        server.listen(4);
        assertTrue(Files.exists(dir.resolve("server.sock")), "binding a path creates the socket file");
        assertEquals(path, server.localAddress());

        NativeSocket client = closer.add(NativeSocket.open(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0));
        assertTrue(client.connect(path), "a UNIX connect completes at once");
        NativeSocket connection = closer.add(server.accept().socket());
        assertNull(server.accept(), "one connection only: the next accept would block");
        connection.send(text("over a path"));
        assertEquals("over a path", receive(client));
        assertEquals(path, client.remoteAddress());
    }

    @Test
    void streamInTheAbstractNamespace() throws Exception {
        UnixSocketAddress name = UnixSocketAddress.abstractName("selectors4j-test-" + ProcessHandle.current().pid());
        NativeSocket server = closer.add(NativeSocket.open(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0));
        server.bind(name);
        server.listen(4);
        assertEquals(name, server.localAddress());
        assertTrue(name.toString().startsWith("@selectors4j-test-"));

        NativeSocket client = closer.add(NativeSocket.open(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0));
        client.connect(name);
        selector().register(server, BaseSelector.EVENT_READ);
        assertEquals(1, selector().select(Duration.ofSeconds(5)).size());
        selector().unregister(server);
        Accepted accepted = server.accept();
        NativeSocket connection = closer.add(accepted.socket());
        assertEquals(UnixSocketAddress.unnamed(), accepted.address(), "an unbound client is unnamed");
        assertEquals(name, client.remoteAddress());

        client.send(text("over the abstract namespace"));
        assertEquals("over the abstract namespace", receive(connection));
    }

    @Test
    void datagramsBetweenBoundSockets(@TempDir Path dir) throws Exception {
        NativeSocket a = closer.add(NativeSocket.open(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM, 0));
        NativeSocket b = closer.add(NativeSocket.open(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM, 0));
        UnixSocketAddress aAddress = UnixSocketAddress.of(dir.resolve("a"));
        UnixSocketAddress bAddress = UnixSocketAddress.abstractName("selectors4j-dgram-" + ProcessHandle.current().pid());
        a.bind(aAddress);
        b.bind(bAddress);
        a.sendTo(text("from a"), bAddress);
        selector().register(b, BaseSelector.EVENT_READ);
        assertEquals(1, selector().select(Duration.ofSeconds(5)).size());
        ByteBuffer buffer = ByteBuffer.allocateDirect(64);
        assertEquals(aAddress, b.recvFrom(buffer), "the datagram names its bound sender");
        assertEquals("from a", StandardCharsets.UTF_8.decode(buffer.flip()).toString());
    }

    @Test
    void seqpacketKeepsMessageBoundaries() throws Exception {
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET, 0);
        closer.add(pair[0]);
        closer.add(pair[1]);
        assertEquals(SocketType.SOCK_SEQPACKET, pair[0].type());
        pair[0].send(text("first"));
        pair[0].send(text("second message"));
        ByteBuffer buffer = ByteBuffer.allocate(100);
        assertEquals(5, pair[1].recv(buffer), "one message per recv, however much room there is");
        buffer.clear();
        assertEquals(14, pair[1].recv(buffer));
        buffer.clear();
        assertEquals(0, pair[1].recv(buffer), "nothing left: 0 in non-blocking mode");
        pair[0].close();
        assertEquals(-1, pair[1].recv(buffer), "peer closed: end of stream");
    }

    @Test
    void aPipeEndPassedOverAUnixSocketReadsWhatIsWrittenToThePipe() throws Exception {
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0);
        closer.add(pair[0]);
        closer.add(pair[1]);
        Pipe pipe = closer.add(Pipe.open());
        assertEquals(1, pair[0].sendMsg(text("x"), List.of(ControlMessage.rights(pipe.readEnd().fileno())), 0, null));

        selector().register(pair[1], BaseSelector.EVENT_READ);
        assertEquals(1, selector().select(Duration.ofSeconds(5)).size());
        ReceivedMessage message = pair[1].recvMsg(ByteBuffer.allocate(8), 64, 0);
        assertNotNull(message);
        assertEquals(1, message.bytes());
        int[] fds = message.controls().get(0).fds();
        assertEquals(1, fds.length);
        int received = closer.addFd(fds[0]);
        assertTrue(received != pipe.readEnd().fileno(), "the receiver gets a new fd for the same pipe");
        assertTrue(Fds.isCloseOnExec(received), "received fds are close-on-exec (MSG_CMSG_CLOEXEC)");

        pipe.writeEnd().write(text("through the passed fd"));
        ByteBuffer buffer = ByteBuffer.allocate(64);
        Io.read(received, buffer);
        assertEquals("through the passed fd", new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
    }

    @Test
    void aFilePassedOverAUnixSocketIsReadableOnTheOtherSide(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("passed.txt"), "the file's content");
        int fileFd = closer.addFd(io.github.selectors4j.internal.Native.POSIX.open(file.toString(), 0, 0));
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM, 0);
        closer.add(pair[0]);
        closer.add(pair[1]);
        pair[0].sendMsg(text("f"), List.of(ControlMessage.rights(fileFd)), 0, null);
        ReceivedMessage message = pair[1].recvMsg(ByteBuffer.allocateDirect(8), 64, 0);
        int received = closer.addFd(message.controls().get(0).fds()[0]);
        ByteBuffer content = ByteBuffer.allocate(64);
        Io.read(received, content);
        assertArrayEquals("the file's content".getBytes(), java.util.Arrays.copyOf(content.array(), content.position()));
    }

    @Test
    void peerCredentialsAndPassedCredentials() throws Exception {
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0);
        closer.add(pair[0]);
        closer.add(pair[1]);
        Credentials peer = pair[0].getOption(SocketOptions.SO_PEERCRED);
        int pid = (int) ProcessHandle.current().pid();
        assertEquals(pid, peer.pid(), "SO_PEERCRED names this process");
        assertEquals(io.github.selectors4j.internal.Native.POSIX.getuid(), peer.uid());

        pair[1].setOption(SocketOptions.SO_PASSCRED, true);
        Credentials mine = new Credentials(pid, peer.uid(), peer.gid());
        pair[0].sendMsg(text("c"), List.of(ControlMessage.credentials(mine)), 0, null);
        ReceivedMessage message = pair[1].recvMsg(ByteBuffer.allocate(8), 64, 0);
        assertEquals(List.of(ControlMessage.credentials(mine)), message.controls());
        assertEquals(mine, message.controls().get(0).credentials());
    }
}
