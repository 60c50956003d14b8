/** Hand an open file to another process over AF_UNIX (SCM_RIGHTS); the receiver reads it without its name. */

import io.github.selectors4j.Ownership;
import io.github.selectors4j.Signals;
import io.github.selectors4j.fd.OpenFile;
import io.github.selectors4j.net.Accepted;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.ControlMessage;
import io.github.selectors4j.net.Credentials;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.ReceivedMessage;
import io.github.selectors4j.net.SocketOptions;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.net.UnixSocketAddress;
import io.github.selectors4j.reactor.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * File descriptor passing: a process sends an open file, not its name, to another process over an
 * AF_UNIX socket, as ancillary data ({@code SCM_RIGHTS}, {@link ControlMessage#rights}). The kernel
 * gives the receiver a new fd for the same open file: the receiver can read it even if it could
 * not have opened it (no permission, or the file was deleted since).
 * <ul>
 *   <li>{@code serve SOCKETPATH FILE}: opens FILE read-only, listens on SOCKETPATH and sends the
 *       fd to each client that connects, until Ctrl-C;</li>
 *   <li>{@code receive SOCKETPATH}: connects, receives the fd, says which file it is (from
 *       {@code /proc/self/fd}) and prints its first line.</li>
 * </ul>
 *
 * <p>Try it: {@code samples/run unix-fd-passing serve /tmp/fd.sock /etc/hostname} in one terminal,
 * then {@code samples/run unix-fd-passing receive /tmp/fd.sock} in another. {@link OpenFile} wraps
 * the fd on both sides: the sender opens the file with it, the receiver reads and closes the fd it
 * was given.
 */
public class UnixFdPassing {

    private static final String USAGE = "usage: samples/run unix-fd-passing serve SOCKETPATH FILE | receive SOCKETPATH";

    public static void main(String[] args) throws Exception {
        try {
            if (args.length == 3 && args[0].equals("serve")) {
                serve(Path.of(args[1]), Path.of(args[2]));
            } else if (args.length == 2 && args[0].equals("receive")) {
                receive(Path.of(args[1]));
            } else {
                System.err.println(USAGE);
                System.exit(2);
            }
        } catch (IOException e) {   // no such file, nobody serving on the socket, a timeout...
            System.err.println("unix-fd-passing: " + e);
            System.exit(1);
        }
    }

    // ------------------------------------------------------------------ the sender

    private static void serve(Path socketPath, Path file) throws Exception {
        try (OpenFile opened = OpenFile.open(file, OpenFile.O_RDONLY);
             EventLoop loop = EventLoop.open();
             NativeSocket listener = NativeSocket.open(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0)) {
            int fd = opened.fileno();
            listener.bind(UnixSocketAddress.of(socketPath));
            try {
                listener.listen(16);
                System.out.println("serving fd " + fd + " (" + file.toRealPath() + ") on " + socketPath);
                int[] clients = {0};
                loop.addReader(listener, () -> {
                    Accepted accepted;
                    while ((accepted = listener.accept()) != null) {
                        try (NativeSocket client = accepted.socket()) {
                            Credentials peer = client.getOption(SocketOptions.SO_PEERCRED);
                            // The data byte carries the message; the fd travels beside it. A fresh
                            // connection's send buffer is empty, so this send does not block.
                            client.sendMsg(ByteBuffer.wrap(new byte[] {'F'}), List.of(ControlMessage.rights(fd)), 0, null);
                            System.out.println("sent fd " + fd + " to client " + ++clients[0] + " (pid " + peer.pid() + ")");
                        }
                    }
                });
                loop.addSignalHandler(Signals.SIGINT, loop::stop);
                loop.addSignalHandler(Signals.SIGTERM, loop::stop);
                loop.runForever();
                loop.removeReader(listener);
            } finally {
                Files.deleteIfExists(socketPath);   // a socket file outlives its socket
            }
        }
        System.out.println("stopped");
    }

    // ------------------------------------------------------------------ the receiver

    private static void receive(Path socketPath) throws Exception {
        try (NativeSocket socket = NativeSocket.open(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0)) {
            // A one-shot client needs no event loop: timeout mode makes each call wait, at most 10 s.
            socket.setTimeout(Duration.ofSeconds(10));
            socket.connect(UnixSocketAddress.of(socketPath));
            System.out.println("receiver pid " + ProcessHandle.current().pid() + " connected to " + socketPath);
            // 64 bytes of room for ancillary data: one SCM_RIGHTS message with a few fds fits.
            ReceivedMessage message = socket.recvMsg(ByteBuffer.allocate(1), 64, 0);
            int[] fds = message.controls().stream()
                    .filter(c -> c.level() == ControlMessage.SOL_SOCKET && c.type() == ControlMessage.SCM_RIGHTS)
                    .findFirst().orElseThrow(() -> new IOException("no fd came with the message: " + message))
                    .fds();
            int fd = fds[0];
            Credentials sender = socket.getOption(SocketOptions.SO_PEERCRED);
            System.out.println("received fd " + fd + " from pid " + sender.pid());

            // /proc/self/fd/N names the open file behind fd N (Linux), "(deleted)" or not; we only
            // print it. The reading goes through the fd itself: this process was never given a name.
            System.out.println("fd " + fd + " is " + Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd))));
            try (OpenFile passed = OpenFile.fromFd(fd, Ownership.OWNED)) {   // received fds are ours to close
                ByteBuffer buffer = ByteBuffer.allocate(4096);
                // At position 0, without moving the offset: it belongs to the one open file that the
                // sender and every receiver share.
                int n = passed.read(buffer, 0);
                String text = n > 0 ? new String(buffer.array(), 0, n, StandardCharsets.UTF_8) : "";
                System.out.println("first line: " + text.lines().findFirst().orElse(""));
            }
            System.out.println("this process never opened that file: pid " + sender.pid() + " did and passed it over "
                    + socketPath);
        }
    }
}
