package io.github.selectors4j.fd;

import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static io.github.selectors4j.selectors.BaseSelector.EVENT_WRITE;
import static io.github.selectors4j.testing.ThreadSignals.SIGUSR1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.net.Accepted;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.NetlinkMessage;
import io.github.selectors4j.net.NetlinkSocketAddress;
import io.github.selectors4j.net.PacketSocketAddress;
import io.github.selectors4j.net.Protocol;
import io.github.selectors4j.net.ReceivedMessage;
import io.github.selectors4j.net.Rtnetlink;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import io.github.selectors4j.selectors.ReadyKey;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.NetNamespace;
import io.github.selectors4j.testing.ThreadSignals;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of fd the library knows, in one default selector, each made ready and each seen in
 * the same select loop: the proof that they all speak the same readiness language. Sockets are
 * registered as {@link NativeSocket} objects, as an application registers them: AF_UNIX, TCP on
 * loopback, a netlink route socket answering a dump request and, where a network namespace of the
 * test's own can be made, a packet socket on that namespace's loopback.
 */
class AllFdKindsTest {

    /** The link dump request's sequence number, which the kernel's answer carries back. */
    private static final int DUMP_SEQUENCE = 0x5344_4b31;

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    /**
     * A cooked packet socket for every protocol, bound to the current namespace's loopback; aborts
     * the test, saying why, where the kernel or the privileges allow none.
     */
    private static NativeSocket packetSocketOnLoopback() throws Exception {
        NativeSocket packet;
        try {
            packet = NativeSocket.open(AddressFamily.AF_PACKET, SocketType.SOCK_DGRAM, Protocol.htons(Protocol.ETH_P_ALL));
        } catch (ErrnoException e) {
            Assumptions.assumeFalse(e.errnoName().equals("EPERM") || e.errnoName().equals("EACCES"),
                    () -> "packet sockets need CAP_NET_RAW: " + e.getMessage());
            Assumptions.assumeFalse(e.errnoName().equals("EAFNOSUPPORT"), () -> "no AF_PACKET in this kernel: " + e.getMessage());
            throw e;
        }
        try {
            packet.bind(PacketSocketAddress.of("lo", Protocol.ETH_P_ALL));
            return packet;
        } catch (ErrnoException | RuntimeException e) {
            packet.close();
            throw e;
        }
    }

    @Test
    void everyKindBecomesReadyInOneSelectLoop(@TempDir Path dir) throws Exception {
        everyKindInOneSelectLoop(dir, null);
    }

    /**
     * The same with a packet socket too, in a namespace of the test's own so that it hears nothing
     * but the datagram the test sends there; aborted, with the reason, where no namespace can be
     * made or no packet socket opened (no root or CAP_NET_RAW).
     */
    @Test
    void everyKindWithAPacketSocketBecomesReadyInOneSelectLoop(@TempDir Path dir) throws Exception {
        NetNamespace namespace = closer.add(NetNamespace.create());
        namespace.ip("link", "set", "lo", "up");
        everyKindInOneSelectLoop(dir, namespace);
    }

    private void everyKindInOneSelectLoop(Path dir, NetNamespace namespace) throws Exception {
        int handledBefore = ThreadSignals.usr1Handled();
        SignalFd.blockInCurrentThread(SIGUSR1);
        Process child = null;
        try {
            BaseSelector selector = closer.add(DefaultSelector.open());
            Map<String, Integer> expected = new TreeMap<>();

            Pipe pipe = closer.add(Pipe.open());
            selector.register(pipe.readEnd(), EVENT_READ, "pipe");
            expected.put("pipe", EVENT_READ);

            EventFd eventFd = closer.add(EventFd.open());
            selector.register(eventFd, EVENT_READ, "eventfd");
            expected.put("eventfd", EVENT_READ);

            TimerFd timer = closer.add(TimerFd.open());
            selector.register(timer, EVENT_READ, "timerfd");
            expected.put("timerfd", EVENT_READ);

            SignalFd signals = closer.add(SignalFd.open(SIGUSR1));
            selector.register(signals, EVENT_READ, "signalfd");
            expected.put("signalfd", EVENT_READ);

            Inotify inotify = closer.add(Inotify.open());
            inotify.addWatch(dir, Inotify.IN_CREATE);
            selector.register(inotify, EVENT_READ, "inotify");
            expected.put("inotify", EVENT_READ);

            // cat exits when its stdin closes, so it cannot exit (and be reaped) before the pidfd is open.
            child = new ProcessBuilder("cat").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            PidFd pidFd = closer.add(PidFd.of(child));
            selector.register(pidFd, EVENT_READ, "pidfd");
            expected.put("pidfd", EVENT_READ);

            NativeSocket[] unix = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0);
            closer.add(unix[0]);
            closer.add(unix[1]);
            selector.register(unix[0], EVENT_READ, "unix stream socket");
            expected.put("unix stream socket", EVENT_READ);

            NativeSocket listener = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
            listener.bind(IPv4SocketAddress.loopback(0));
            listener.listen(4);
            selector.register(listener, EVENT_READ, "tcp listener");
            expected.put("tcp listener", EVENT_READ);
            NativeSocket client = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
            boolean connectedAtOnce = client.connect(listener.localAddress());
            selector.register(client, EVENT_WRITE, "tcp client");
            expected.put("tcp client", EVENT_WRITE);

            NativeSocket netlink = closer.add(NativeSocket.open(AddressFamily.AF_NETLINK, SocketType.SOCK_RAW, Protocol.NETLINK_ROUTE));
            netlink.bind(NetlinkSocketAddress.kernel());
            selector.register(netlink, EVENT_READ, "netlink socket");
            expected.put("netlink socket", EVENT_READ);

            NativeSocket packet = null;
            NativeSocket udpReceiver = null;
            if (namespace != null) {
                packet = closer.add(namespace.inside(AllFdKindsTest::packetSocketOnLoopback));
                selector.register(packet, EVENT_READ, "packet socket");
                expected.put("packet socket", EVENT_READ);
                udpReceiver = closer.add(namespace.inside(() -> NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0)));
                udpReceiver.bind(IPv4SocketAddress.loopback(0));
            }

            assertTrue(selector.select(Duration.ZERO).stream().allMatch(ready -> ready.key().data().equals("tcp client")
                            || ready.key().data().equals("tcp listener")),
                    "before anything is done, at most the loopback connection is ready");

            // Make every one of them ready.
            pipe.writeEnd().write(ByteBuffer.wrap(new byte[] {1}));
            eventFd.write(1);
            timer.schedule(Duration.ofMillis(20));
            ThreadSignals.sendToCurrentThread(SIGUSR1);
            Files.createFile(dir.resolve("created"));
            child.getOutputStream().close();
            assertEquals(5, unix[1].send(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII))));
            NetlinkMessage dump = Rtnetlink.dumpRequest(Rtnetlink.RTM_GETLINK, DUMP_SEQUENCE);
            ByteBuffer request = ByteBuffer.allocateDirect(dump.encodedSize());
            dump.encode(request, 0);
            assertEquals(dump.encodedSize(), netlink.sendTo(request, NetlinkSocketAddress.kernel()));
            if (namespace != null) {
                NativeSocket sender = closer.add(namespace.inside(() -> NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0)));
                assertEquals(4, sender.sendTo(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), udpReceiver.localAddress()));
            }

            Map<String, Integer> seen = new TreeMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.size() < expected.size() && System.nanoTime() < deadline) {
                for (ReadyKey ready : selector.select(Duration.ofSeconds(1))) {
                    seen.put((String) ready.key().data(), ready.events());
                    selector.unregister(ready.key().fileobj());   // level-triggered: once seen, out of the way
                }
            }
            assertEquals(expected, seen, "each kind, with the event it was ready for");

            assertEquals(SIGUSR1, signals.read().signo());
            assertEquals(1, timer.read());
            assertEquals(1, eventFd.read());
            assertEquals("created", inotify.read().get(0).name());
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            ByteBuffer hello = ByteBuffer.allocate(8);
            assertEquals(5, unix[0].recv(hello));
            Accepted accepted = listener.accept();
            assertNotNull(accepted, "the connection is waiting");
            closer.add(accepted.socket());
            assertTrue(connectedAtOnce || client.finishConnect(), "the client is connected");
            ByteBuffer reply = ByteBuffer.allocateDirect(64 * 1024);
            ReceivedMessage answer = netlink.recvMsg(reply, 0, 0);
            assertNotNull(answer);
            NetlinkMessage first = NetlinkMessage.decodeAll(reply, 0, answer.bytes()).get(0);
            assertEquals(Rtnetlink.RTM_NEWLINK, first.type(), "the kernel answered the link dump");
            assertEquals(DUMP_SEQUENCE, first.sequence());
            if (packet != null) {
                assertInstanceOf(PacketSocketAddress.class, packet.recvFrom(ByteBuffer.allocate(2048)), "a frame, from lo");
            }
        } finally {
            if (child != null) {
                child.getOutputStream().close();
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            ThreadSignals.drainAndUnblock(SIGUSR1);
        }
        assertEquals(handledBefore, ThreadSignals.usr1Handled(), "no SIGUSR1 left to reach the JVM handler");
    }
}
