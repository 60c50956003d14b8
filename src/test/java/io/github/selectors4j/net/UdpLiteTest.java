package io.github.selectors4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import io.github.selectors4j.testing.Closer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** UDP-Lite (RFC 3828) over IPv4 loopback: partial checksum coverage, set, read back and enforced. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "UDP-Lite sockets are a Linux facility")
class UdpLiteTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    /** A UDP-Lite socket bound to 127.0.0.1, or an aborted test if the kernel has no UDP-Lite. */
    private NativeSocket udpLite() throws Exception {
        NativeSocket socket;
        try {
            socket = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, Protocol.IPPROTO_UDPLITE));
        } catch (ErrnoException e) {
            Assumptions.assumeFalse(e.errnoName().equals("EPROTONOSUPPORT"), () -> "no UDP-Lite in this kernel: " + e.getMessage());
            throw e;
        }
        socket.bind(IPv4SocketAddress.loopback(0));
        return socket;
    }

    private static ByteBuffer text(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Waits up to {@code wait} for a datagram; returns its text, or null if none came. */
    private static String receive(NativeSocket socket, BaseSelector selector, Duration wait) throws Exception {
        if (selector.select(wait).isEmpty()) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.allocate(256);
        NativeSocketAddress from = socket.recvFrom(buffer);
        return from == null ? null : new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
    }

    @Test
    void aDatagramWithHeaderOnlyCoverageCrossesLoopback() throws Exception {
        NativeSocket receiver = udpLite();
        NativeSocket sender = udpLite();
        assertEquals(Protocol.IPPROTO_UDPLITE, sender.protocol());
        sender.setOption(SocketOptions.UDPLITE_SEND_CSCOV, 8);
        receiver.setOption(SocketOptions.UDPLITE_RECV_CSCOV, 8);
        assertEquals(8, sender.getOption(SocketOptions.UDPLITE_SEND_CSCOV), "the checksum covers the 8-byte header only");
        assertEquals(8, receiver.getOption(SocketOptions.UDPLITE_RECV_CSCOV));
        assertEquals(0, receiver.getOption(SocketOptions.UDPLITE_SEND_CSCOV), "0: full coverage, the default");

        BaseSelector selector = closer.add(DefaultSelector.open());
        selector.register(receiver, BaseSelector.EVENT_READ);
        sender.sendTo(text("partly checksummed"), receiver.localAddress());
        assertEquals("partly checksummed", receive(receiver, selector, Duration.ofSeconds(5)));

        // And back, with the default full coverage, which every receiver accepts.
        selector.register(sender, BaseSelector.EVENT_READ);
        selector.unregister(receiver);
        receiver.sendTo(text("fully checksummed"), sender.localAddress());
        assertEquals("fully checksummed", receive(sender, selector, Duration.ofSeconds(5)));
    }

    @Test
    void theKernelDropsDatagramsCoveredLessThanTheReceiverDemands() throws Exception {
        NativeSocket receiver = udpLite();
        NativeSocket sender = udpLite();
        receiver.setOption(SocketOptions.UDPLITE_RECV_CSCOV, 20);
        sender.setOption(SocketOptions.UDPLITE_SEND_CSCOV, 8);
        BaseSelector selector = closer.add(DefaultSelector.open());
        selector.register(receiver, BaseSelector.EVENT_READ);

        sender.sendTo(text("covered by 8 bytes only"), receiver.localAddress());
        // The drop happens as loopback delivers it, before the sender's call returns; the wait is slack.
        assertNull(receive(receiver, selector, Duration.ofMillis(200)), "8 < 20: dropped");

        sender.setOption(SocketOptions.UDPLITE_SEND_CSCOV, 0);
        sender.sendTo(text("covered whole"), receiver.localAddress());
        assertEquals("covered whole", receive(receiver, selector, Duration.ofSeconds(5)), "full coverage always passes");
    }

    @Test
    void coverageBelowTheHeaderIsRaisedToIt() throws Exception {
        NativeSocket socket = udpLite();
        socket.setOption(SocketOptions.UDPLITE_SEND_CSCOV, 3);
        assertEquals(8, socket.getOption(SocketOptions.UDPLITE_SEND_CSCOV), "RFC 3828: coverage 1-7 is illegal; Linux uses 8");
    }
}
