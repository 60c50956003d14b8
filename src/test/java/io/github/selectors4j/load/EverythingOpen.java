package io.github.selectors4j.load;

import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.fd.Inotify;
import io.github.selectors4j.fd.OpenFile;
import io.github.selectors4j.fd.PidFd;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.fd.SignalFd;
import io.github.selectors4j.fd.TimerFd;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.ControlMessage;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.IPv6SocketAddress;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.NativeSocketAddress;
import io.github.selectors4j.net.NetlinkSocketAddress;
import io.github.selectors4j.net.Protocol;
import io.github.selectors4j.net.ReceivedMessage;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.reactor.EventLoop;
import io.github.selectors4j.reactor.EventLoopGroup;
import io.github.selectors4j.reactor.Server;
import io.github.selectors4j.select.Epoll;
import io.github.selectors4j.select.Kqueue;
import io.github.selectors4j.selectors.DefaultSelector;
import io.github.selectors4j.selectors.EpollSelector;
import io.github.selectors4j.selectors.KqueueSelector;
import io.github.selectors4j.selectors.PollSelector;
import io.github.selectors4j.selectors.SelectSelector;
import io.github.selectors4j.testing.Closer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens one of everything selectors4j makes an fd for, into a {@link Closer}: a selector of each
 * backend, Epoll and Kqueue, an EventLoop with a signal handler, a Server and an EventLoopGroup
 * serving with a connection accepted on each, sockets of every family the machine has, an fd
 * received with SCM_RIGHTS, and each pollable fd type. Families or facilities the kernel lacks
 * are left out and named in {@link #missing}.
 */
final class EverythingOpen {

    final List<String> missing = new ArrayList<>();

    /** Opens everything; closing the closer closes it all. */
    void open(Closer closer) throws Exception {
        closer.add(EpollSelector.open());
        closer.add(PollSelector.open());
        closer.add(SelectSelector.open());
        closer.add(DefaultSelector.open());
        closer.add(Epoll.open());
        if (Kqueue.isAvailable()) {
            closer.add(KqueueSelector.open());
            closer.add(Kqueue.open());
        } else {
            missing.add("kqueue: " + Kqueue.unavailableReason());
        }

        EventLoop loop = closer.add(EventLoop.open());
        loop.addSignalHandler(io.github.selectors4j.Signals.SIGWINCH, () -> { });
        Server server = closer.add(Server.listen(loop, IPv4SocketAddress.loopback(0), () -> (connection, data) -> { }));
        NativeSocket toServer = connect(closer, server.address());
        loop.runUntil(() -> server.connectionCount() == 1);
        EventLoopGroup group = closer.add(EventLoopGroup.start(2));
        List<Server> servers = group.serve(IPv6SocketAddress.loopback(0), () -> (connection, data) -> { });
        connect(closer, servers.get(0).address());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> servers.stream().mapToInt(Server::connectionCount).sum() == 1);
        toServer.send(ByteBuffer.wrap(new byte[] {1}));

        for (int type : new int[] {SocketType.SOCK_STREAM, SocketType.SOCK_DGRAM, SocketType.SOCK_SEQPACKET}) {
            for (NativeSocket end : NativeSocket.pair(AddressFamily.AF_UNIX, type, 0)) {
                closer.add(end);
            }
        }
        NativeSocket udp = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0));
        udp.bind(IPv4SocketAddress.loopback(0));
        closer.add(NativeSocket.open(AddressFamily.AF_INET6, SocketType.SOCK_DGRAM, 0));
        NativeSocket netlink = closer.add(NativeSocket.open(AddressFamily.AF_NETLINK, SocketType.SOCK_RAW, Protocol.NETLINK_ROUTE));
        netlink.bind(NetlinkSocketAddress.kernel());
        optional(closer, "AF_PACKET", AddressFamily.AF_PACKET, SocketType.SOCK_RAW, Protocol.htons(Protocol.ETH_P_ALL));
        optional(closer, "AF_VSOCK", AddressFamily.AF_VSOCK, SocketType.SOCK_STREAM, 0);
        optional(closer, "UDP-Lite", AddressFamily.AF_INET, SocketType.SOCK_DGRAM, Protocol.IPPROTO_UDPLITE);
        optional(closer, "raw ICMP", AddressFamily.AF_INET, SocketType.SOCK_RAW, Protocol.IPPROTO_ICMP);

        Pipe pipe = closer.add(Pipe.open());
        NativeSocket[] passing = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_DGRAM, 0);
        closer.add(passing[0]);
        closer.add(passing[1]);
        passing[0].sendMsg(ByteBuffer.wrap(new byte[] {1}), List.of(ControlMessage.rights(pipe.readEnd().fileno())), 0, null);
        ReceivedMessage received = passing[1].recvMsg(ByteBuffer.allocate(8), 64, 0);
        closer.add(OpenFile.fromFd(received.controls().get(0).fds()[0], io.github.selectors4j.Ownership.OWNED));

        closer.add(EventFd.open());
        closer.add(TimerFd.open());
        closer.add(Inotify.open());
        closer.add(PidFd.open(ProcessHandle.current().pid()));
        closer.add(OpenFile.open(Path.of("/dev/null"), OpenFile.O_RDONLY));
        SignalFd signals = SignalFd.open(io.github.selectors4j.Signals.SIGWINCH);
        closer.add(() -> {
            signals.close();
            SignalFd.unblockInCurrentThread(io.github.selectors4j.Signals.SIGWINCH);
        });
    }

    private static NativeSocket connect(Closer closer, NativeSocketAddress address) throws IOException {
        NativeSocket client = closer.add(NativeSocket.open(address.family(), SocketType.SOCK_STREAM, 0));
        client.setBlocking(true);
        client.connect(address);
        return client;
    }

    private void optional(Closer closer, String what, int family, int type, int protocol) {
        try {
            closer.add(NativeSocket.open(family, type, protocol));
        } catch (io.github.selectors4j.ErrnoException unsupported) {
            missing.add(what + ": " + unsupported.getMessage());
        }
    }
}
