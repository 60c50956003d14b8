package io.github.selectors4j.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import io.github.selectors4j.selectors.ReadyKey;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.NetNamespace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * AF_PACKET on a real kernel: capturing our own UDP datagram on the loopback device, cooked
 * (SOCK_DGRAM) and raw (SOCK_RAW), and a frame sent and received over a veth pair in a network
 * namespace.
 *
 * <p>Other processes may use the loopback device while these tests run, so captured frames are
 * matched by port and a payload unique to the test, and everything else is ignored.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "AF_PACKET exists only on Linux")
class PacketSocketTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** An EtherType from the range IEEE 802 keeps for local experiments: nothing else sends it. */
    private static final int ETH_P_LOCAL_EXPERIMENTAL = 0x88B5;
    private static final int ETHERNET_HEADER = 14;

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    /**
     * A network namespace of the test's own with its loopback up. The loopback tests capture there:
     * on the machine's own {@code lo}, any heavy traffic from other programs can overflow the packet
     * socket's queue and drop the frames the test looks for.
     */
    private NetNamespace privateLoopback() throws Exception {
        NetNamespace namespace = closer.add(NetNamespace.create());
        namespace.ip("link", "set", "lo", "up");
        return namespace;
    }

    /** Opens a packet socket, or aborts the test if the kernel or the privileges do not allow one. */
    private NativeSocket packetSocket(int type, int protocol) throws Exception {
        try {
            return closer.add(NativeSocket.open(AddressFamily.AF_PACKET, type, Protocol.htons(protocol)));
        } catch (ErrnoException e) {
            Assumptions.assumeFalse(e.errnoName().equals("EPERM") || e.errnoName().equals("EACCES"),
                    () -> "packet sockets need CAP_NET_RAW: " + e.getMessage());
            Assumptions.assumeFalse(e.errnoName().equals("EAFNOSUPPORT"), () -> "no AF_PACKET in this kernel: " + e.getMessage());
            throw e;
        }
    }

    /** One captured frame: where the kernel says it came from, and its bytes. */
    private record Capture(PacketSocketAddress from, byte[] bytes) {
    }

    /** Reads frames through the selector until {@code done} holds for those kept (per {@code keep}), or fails at the deadline. */
    private static List<Capture> capture(NativeSocket socket, BaseSelector selector, Predicate<Capture> keep,
                                         Predicate<List<Capture>> done, String what) throws Exception {
        List<Capture> kept = new ArrayList<>();
        ByteBuffer frame = ByteBuffer.allocateDirect(64 * 1024);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.test(kept)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("timed out waiting for " + what + "; kept " + kept);
            }
            for (ReadyKey ready : selector.select(Duration.ofNanos(left))) {
                assertTrue(ready.isReadable(), "the selector reports READ readiness");
                NativeSocketAddress from;
                while ((from = socket.recvFrom(frame.clear())) != null) {
                    byte[] bytes = new byte[frame.position()];
                    frame.get(0, bytes);
                    Capture capture = new Capture(assertInstanceOf(PacketSocketAddress.class, from), bytes);
                    if (keep.test(capture)) {
                        kept.add(capture);
                    }
                }
            }
        }
        return kept;
    }

    /** Whether {@code packet}, from {@code at}, is an IPv4 UDP datagram to {@code port} carrying exactly {@code payload}. */
    private static boolean isOurUdp(byte[] packet, int at, int port, byte[] payload) {
        if (packet.length < at + 20) {
            return false;
        }
        ByteBuffer ip = ByteBuffer.wrap(packet).order(ByteOrder.BIG_ENDIAN);
        int version = (packet[at] & 0xff) >>> 4;
        int headerLength = (packet[at] & 0x0f) * 4;
        int protocol = packet[at + 9] & 0xff;
        int udp = at + headerLength;
        if (version != 4 || protocol != Protocol.IPPROTO_UDP || packet.length < udp + 8) {
            return false;
        }
        int destinationPort = Short.toUnsignedInt(ip.getShort(udp + 2));
        int udpLength = Short.toUnsignedInt(ip.getShort(udp + 4));
        return destinationPort == port && udpLength == 8 + payload.length && packet.length >= udp + udpLength
                && Arrays.equals(payload, Arrays.copyOfRange(packet, udp + 8, udp + udpLength));
    }

    /** A UDP receiver on 127.0.0.1 and a sender; returns the receiver's port after sending {@code payload} to it. */
    private int sendUdpOverLoopback(byte[] payload) throws Exception {
        NativeSocket receiver = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0));
        receiver.bind(IPv4SocketAddress.loopback(0));
        int port = ((IPv4SocketAddress) receiver.localAddress()).port();
        NativeSocket sender = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0));
        assertEquals(payload.length, sender.sendTo(ByteBuffer.wrap(payload), IPv4SocketAddress.loopback(port)));
        return port;
    }

    private static byte[] uniquePayload(String test) {
        return ("selectors4j " + test + " " + ProcessHandle.current().pid() + " " + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A cooked socket for IPv4 sees the datagram once, as it is received (PACKET_HOST), with the
     * link-layer header removed: sockets bound to one protocol hear only the receive path; the
     * transmit path feeds only ETH_P_ALL sockets.
     */
    @Test
    void aCookedIpv4SocketOnLoopbackCapturesOurUdpDatagramOnce() throws Exception {
        NetNamespace namespace = privateLoopback();
        NativeSocket packet = namespace.inside(() -> packetSocket(SocketType.SOCK_DGRAM, Protocol.ETH_P_IP));
        namespace.inside(() -> {
            packet.bind(PacketSocketAddress.of("lo", Protocol.ETH_P_IP));
            return null;
        });
        int lo = namespace.inside(() -> Interfaces.nameToIndex("lo"));
        BaseSelector selector = closer.add(DefaultSelector.open());
        selector.register(packet, BaseSelector.EVENT_READ);

        byte[] payload = uniquePayload("cooked");
        int port = namespace.inside(() -> sendUdpOverLoopback(payload));
        List<Capture> ours = capture(packet, selector, capture -> isOurUdp(capture.bytes(), 0, port, payload),
                kept -> !kept.isEmpty(), "the UDP datagram to port " + port);

        assertEquals(1, ours.size(), () -> "one copy: " + ours);
        PacketSocketAddress from = ours.get(0).from();
        assertEquals(lo, from.ifindex());
        assertEquals(Protocol.ETH_P_IP, from.protocol());
        assertEquals(PacketSocketAddress.PACKET_HOST, from.packetType());
        assertEquals(PacketSocketAddress.ARPHRD_LOOPBACK, from.hardwareType());
        assertArrayEquals(new byte[6], from.hardwareAddress(), "lo's all-zero source MAC");
        // An outgoing copy, had there been one, would have been queued before the received one, so
        // capture() would have read it by now.
    }

    /**
     * A raw ETH_P_ALL socket sees the frame twice on loopback: as it is sent (PACKET_OUTGOING) and
     * as it is received (PACKET_HOST), each with lo's 14-byte Ethernet header of zero MACs.
     */
    @Test
    void aRawEthPAllSocketOnLoopbackSeesEachFrameGoingOutAndComingIn() throws Exception {
        NetNamespace namespace = privateLoopback();
        NativeSocket packet = namespace.inside(() -> packetSocket(SocketType.SOCK_RAW, Protocol.ETH_P_ALL));
        namespace.inside(() -> {
            packet.bind(PacketSocketAddress.of("lo", Protocol.ETH_P_ALL));
            return null;
        });
        int lo = namespace.inside(() -> Interfaces.nameToIndex("lo"));
        BaseSelector selector = closer.add(DefaultSelector.open());
        selector.register(packet, BaseSelector.EVENT_READ);

        byte[] payload = uniquePayload("raw");
        int port = namespace.inside(() -> sendUdpOverLoopback(payload));
        List<Capture> ours = capture(packet, selector, capture -> isOurUdp(capture.bytes(), ETHERNET_HEADER, port, payload),
                kept -> kept.size() >= 2, "both copies of the UDP datagram to port " + port);

        assertEquals(List.of(PacketSocketAddress.PACKET_OUTGOING, PacketSocketAddress.PACKET_HOST),
                ours.stream().map(capture -> capture.from().packetType()).toList(), "sent, then received");
        for (Capture capture : ours) {
            assertEquals(lo, capture.from().ifindex());
            assertEquals(Protocol.ETH_P_IP, capture.from().protocol(), "the frame's EtherType, not the ETH_P_ALL bound to");
            byte[] ethernet = Arrays.copyOf(capture.bytes(), ETHERNET_HEADER);
            assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00}, ethernet,
                    "destination and source MAC 0, EtherType 0x0800");
        }
        assertArrayEquals(ours.get(0).bytes(), ours.get(1).bytes(), "the same bytes both ways");
    }

    /**
     * A frame of an experimental EtherType, sent by a cooked packet socket on one end of a veth
     * pair, arrives at a packet socket on the other end: no IP involved, and nothing leaves the
     * namespace.
     */
    @Test
    void aFrameSentOnOneEndOfAVethPairArrivesAtTheOther() throws Exception {
        NetNamespace namespace = closer.add(NetNamespace.create());
        byte[] mac0 = {0x02, 0, 0, 0, 0x77, 0x01};
        byte[] mac1 = {0x02, 0, 0, 0, 0x77, 0x02};
        namespace.ip("link", "add", "s4j0", "address", "02:00:00:00:77:01", "type", "veth",
                "peer", "name", "s4j1", "address", "02:00:00:00:77:02");
        namespace.ip("link", "set", "s4j0", "up");
        namespace.ip("link", "set", "s4j1", "up");
        int s4j0 = namespace.inside(() -> Interfaces.nameToIndex("s4j0"));
        int s4j1 = namespace.inside(() -> Interfaces.nameToIndex("s4j1"));

        NativeSocket receiver = namespace.inside(() -> packetSocket(SocketType.SOCK_DGRAM, ETH_P_LOCAL_EXPERIMENTAL));
        receiver.bind(PacketSocketAddress.of(s4j0, ETH_P_LOCAL_EXPERIMENTAL));
        // Protocol 0: a socket that only sends, and hears nothing.
        NativeSocket sender = closer.add(namespace.socket(AddressFamily.AF_PACKET, SocketType.SOCK_DGRAM, 0));
        BaseSelector selector = closer.add(DefaultSelector.open());
        selector.register(receiver, BaseSelector.EVENT_READ);

        byte[] payload = Arrays.copyOf(uniquePayload("veth"), 64);
        PacketSocketAddress to = PacketSocketAddress.of(s4j1, ETH_P_LOCAL_EXPERIMENTAL, PacketSocketAddress.PACKET_HOST,
                PacketSocketAddress.ARPHRD_ETHER, mac0);
        assertEquals(payload.length, sender.sendTo(ByteBuffer.wrap(payload), to));

        List<Capture> frames = capture(receiver, selector, capture -> true, kept -> !kept.isEmpty(), "the frame on s4j0");
        assertArrayEquals(payload, frames.get(0).bytes(), "the payload, the Ethernet header removed");
        PacketSocketAddress from = frames.get(0).from();
        assertEquals(s4j0, from.ifindex());
        assertEquals(ETH_P_LOCAL_EXPERIMENTAL, from.protocol());
        assertEquals(PacketSocketAddress.PACKET_HOST, from.packetType(), "addressed to s4j0's MAC");
        assertEquals(PacketSocketAddress.ARPHRD_ETHER, from.hardwareType());
        assertArrayEquals(mac1, from.hardwareAddress(), "the source MAC is s4j1's");
    }
}
