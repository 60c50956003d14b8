/** The tour: one event loop serving TCP, UDP, AF_UNIX, rtnetlink, a timerfd and an eventfd at once. */

import io.github.selectors4j.Signals;
import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.fd.TimerFd;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.Credentials;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.NativeSocketAddress;
import io.github.selectors4j.net.NetlinkMessage;
import io.github.selectors4j.net.NetlinkSocketAddress;
import io.github.selectors4j.net.Protocol;
import io.github.selectors4j.net.RtLink;
import io.github.selectors4j.net.Rtnetlink;
import io.github.selectors4j.net.SocketOptions;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.reactor.EventLoop;
import io.github.selectors4j.reactor.Server;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The tour: ONE {@link EventLoop}, on one thread, watching six kinds of file descriptor at the same
 * time, each driven by a client so that something happens:
 * <ul>
 *   <li>a TCP echo {@link Server}, and a non-blocking TCP client that connects and sends a line;</li>
 *   <li>a UDP echo socket, and a UDP client;</li>
 *   <li>an AF_UNIX socket pair, whose reader also asks the kernel who the peer is;</li>
 *   <li>a route-netlink socket that dumps the machine's links and then listens for changes;</li>
 *   <li>a timerfd ticking every 100 ms;</li>
 *   <li>an eventfd signalled from another thread.</li>
 * </ul>
 * It prints what each fd delivered, as it happens, and exits by itself when all six are done.
 *
 * <p>Run it with {@code samples/run tour}. Ctrl-C stops it early.
 */
public class Tour {

    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(20);

    private final EventLoop loop;
    private final long start = System.nanoTime();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    private int partsDone;
    private NativeSocket netlinkSocket;

    private Tour(EventLoop loop) {
        this.loop = loop;
    }

    public static void main(String[] args) throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            System.out.println("DefaultSelector chose the " + loop.selector().backend().displayName() + " backend");
            Tour tour = new Tour(loop);
            try {
                tour.tcp();
                tour.udp();
                tour.unix();
                tour.netlink();
                tour.timer();
                tour.eventFd();
                loop.addSignalHandler(Signals.SIGINT, loop::stop);
                loop.callLater(GIVE_UP_AFTER, () -> {
                    System.out.println("gave up after " + GIVE_UP_AFTER.toSeconds() + " s with " + tour.partsDone + " of 6 parts done");
                    loop.stop();
                });
                loop.runUntil(() -> tour.partsDone == 6);
            } finally {
                if (tour.netlinkSocket != null) {
                    loop.removeReader(tour.netlinkSocket);   // the one fd still watched at the end
                }
                tour.closeAll();
            }
            if (tour.partsDone != 6) {
                System.exit(1);
            }
            System.out.println("tour finished in " + tour.elapsedMillis() + " ms");
        }
    }

    /** A TCP echo server, and a client that connects without blocking, sends a line and reads it back. */
    private void tcp() throws IOException {
        Server server = Server.listen(loop, IPv4SocketAddress.loopback(0), () -> (connection, data) -> connection.write(data));
        opened.add(server);
        NativeSocket client = open(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        client.connect(server.address());          // non-blocking: the loop says when it is done
        loop.addWriter(client, () -> {
            loop.removeWriter(client);
            client.finishConnect();
            say("tcp", "connected to the echo server at " + server.address());
            client.send(utf8("hello over TCP"));
        });
        loop.addReader(client, () -> {
            int n = client.recv(buffer.clear());
            if (n > 0) {
                say("tcp", "echoed back: \"" + text(n) + "\"");
                loop.removeReader(client);
                done();
            }
        });
    }

    /** A UDP socket that sends every datagram back to where it came from, and a client. */
    private void udp() throws IOException {
        NativeSocket server = open(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0));
        server.bind(IPv4SocketAddress.loopback(0));
        loop.addReader(server, () -> {
            NativeSocketAddress from = server.recvFrom(buffer.clear());
            if (from != null) {
                server.sendTo(buffer.flip(), from);
            }
        });
        NativeSocket client = open(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0));
        client.sendTo(utf8("hello over UDP"), server.localAddress());
        loop.addReader(client, () -> {
            NativeSocketAddress from = client.recvFrom(buffer.clear());
            say("udp", "datagram back from " + from + ": \"" + text(buffer.position()) + "\"");
            loop.removeReader(client);
            loop.removeReader(server);
            done();
        });
    }

    /** Two connected AF_UNIX sockets; the reader asks the kernel who sent (SO_PEERCRED). */
    private void unix() throws IOException {
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0);
        NativeSocket reader = open(pair[0]);
        NativeSocket writer = open(pair[1]);
        loop.addReader(reader, () -> {
            int n = reader.recv(buffer.clear());
            Credentials peer = reader.getOption(SocketOptions.SO_PEERCRED);
            say("unix", "\"" + text(n) + "\" from pid " + peer.pid() + " uid " + peer.uid());
            loop.removeReader(reader);
            done();
        });
        loop.callSoon(() -> writer.send(utf8("hello over AF_UNIX")));
    }

    /** Route netlink: ask the kernel for every link, and stay subscribed to link changes. */
    private void netlink() throws IOException {
        NativeSocket links = open(NativeSocket.open(AddressFamily.AF_NETLINK, SocketType.SOCK_RAW, Protocol.NETLINK_ROUTE));
        netlinkSocket = links;
        links.bind(NetlinkSocketAddress.groups(Rtnetlink.RTMGRP_LINK | Rtnetlink.RTMGRP_IPV4_IFADDR));
        ByteBuffer request = ByteBuffer.allocateDirect(64);
        int size = Rtnetlink.dumpRequest(Rtnetlink.RTM_GETLINK, 1).encode(request, 0);
        links.sendTo(request.limit(size), NetlinkSocketAddress.kernel());
        loop.addReader(links, () -> {
            int n = links.recv(buffer.clear());
            for (NetlinkMessage message : NetlinkMessage.decodeAll(buffer, 0, Math.max(n, 0))) {
                if (message.type() == Rtnetlink.RTM_NEWLINK || message.type() == Rtnetlink.RTM_DELLINK) {
                    RtLink link = RtLink.decode(message);
                    String what = message.sequence() == 1 ? "link" : message.type() == Rtnetlink.RTM_NEWLINK ? "changed" : "removed";
                    say("netlink", what + " " + link.index() + " " + link.name() + (link.isUp() ? " UP" : " down")
                            + " mtu " + link.mtu());
                } else if (message.type() == NetlinkMessage.NLMSG_DONE && message.sequence() == 1) {
                    say("netlink", "end of the link dump; still listening for changes");
                    done();
                }
            }
        });
    }

    /** A timerfd that fires every 100 ms; three ticks, then it is disarmed. */
    private void timer() throws IOException {
        TimerFd timer = open(TimerFd.open());
        timer.schedule(Duration.ofMillis(100), Duration.ofMillis(100));
        int[] ticks = {0};
        loop.addReader(timer, () -> {
            ticks[0] += (int) timer.read();   // expirations since the last read
            say("timerfd", "tick " + ticks[0]);
            if (ticks[0] >= 3) {
                timer.cancel();
                loop.removeReader(timer);
                done();
            }
        });
    }

    /** An eventfd that another thread adds to; the loop reads the sum. */
    private void eventFd() throws IOException {
        EventFd events = open(EventFd.open());
        long[] total = {0};
        loop.addReader(events, () -> {
            long value = events.read();
            total[0] += value;
            say("eventfd", "read " + value + " (total " + total[0] + ") written by another thread");
            if (total[0] == 6) {
                loop.removeReader(events);
                done();
            }
        });
        Thread producer = new Thread(() -> {
            try {
                for (int i = 1; i <= 3; i++) {
                    Thread.sleep(50);
                    events.write(i);
                }
            } catch (InterruptedException | IOException e) {
                System.err.println("eventfd producer: " + e);
            }
        }, "eventfd-producer");
        producer.setDaemon(true);
        producer.start();
    }

    private void done() {
        partsDone++;
    }

    private void say(String part, String what) {
        System.out.printf("%5d ms  %-8s %s%n", elapsedMillis(), part, what);
    }

    private long elapsedMillis() {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private <T extends AutoCloseable> T open(T resource) {
        opened.add(resource);
        return resource;
    }

    private void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private String text(int length) {
        byte[] bytes = new byte[length];
        buffer.get(0, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
