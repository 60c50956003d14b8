package io.github.selectors4j.net;

import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import io.github.selectors4j.testing.Closer;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}), which the JDK parses as IPv4: they must make
 * 16-byte IPv6 addresses, print in mixed notation, and round-trip through {@link
 * IPv6SocketAddress#host()}, including the peer address a dual-stack socket reports for an IPv4
 * client.
 */
class IPv6MappedAddressTest {

    private static final byte[] MAPPED_LOOPBACK = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1};

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    @Test
    void aMappedLiteralMakesTheSixteenMappedBytes() {
        IPv6SocketAddress address = IPv6SocketAddress.of("::ffff:127.0.0.1", 80);
        assertArrayEquals(MAPPED_LOOPBACK, address.address());
        assertEquals(80, address.port());
        assertEquals("::ffff:127.0.0.1", address.host(), "RFC 5952 mixed notation");
        assertEquals(address, IPv6SocketAddress.of("::ffff:7f00:1", 80), "the same address in hex groups");
        assertEquals(address, IPv6SocketAddress.of("0:0:0:0:0:ffff:127.0.0.1", 80));
        assertEquals(address, IPv6SocketAddress.of("[::ffff:127.0.0.1]", 80), "brackets, as in a URL");
        assertEquals(address, IPv6SocketAddress.of(address.host(), 80), "host() round-trips");
        assertEquals("[::ffff:127.0.0.1]:80", address.toString());
    }

    @Test
    void otherAddressesKeepTheirPlainForm() {
        assertEquals("::1", IPv6SocketAddress.of("::1", 0).host(), "loopback is not mapped");
        assertEquals("::", IPv6SocketAddress.of("", 0).host());
        assertEquals("::7f00:1", IPv6SocketAddress.of("::7f00:1", 0).host(), "IPv4-compatible (deprecated) is not mapped");
        assertEquals("::fffe:7f00:1", IPv6SocketAddress.of("::fffe:7f00:1", 0).host());
        assertEquals("1::ffff:7f00:1", IPv6SocketAddress.of("1::ffff:7f00:1", 0).host(), "a non-zero prefix is not mapped");
    }

    @Test
    void aPlainIpv4LiteralIsStillRefused() {
        assertThrowsWithMessage(IllegalArgumentException.class, "host has no IPv6 address: 127.0.0.1",
                () -> IPv6SocketAddress.of("127.0.0.1", 80));
        assertThrowsWithMessage(IllegalArgumentException.class, "::ffff:127.0.0.1",
                () -> IPv6SocketAddress.of("127.0.0.1", 80));
    }

    /**
     * A dual-stack listener (IPV6_V6ONLY off) bound to {@code ::ffff:127.0.0.1}, so that it listens
     * on IPv4 loopback only; an IPv4 client connects to 127.0.0.1, and the peer address accept
     * reports is the client's, mapped, and rebuilds from its own host().
     */
    @Test
    void aDualStackPeerAddressRoundTrips() throws Exception {
        NativeSocket listener = closer.add(NativeSocket.open(AddressFamily.AF_INET6, SocketType.SOCK_STREAM, 0));
        listener.setOption(SocketOptions.IPV6_V6ONLY, false);
        listener.bind(IPv6SocketAddress.of("::ffff:127.0.0.1", 0));
        listener.listen(1);
        IPv6SocketAddress bound = assertInstanceOf(IPv6SocketAddress.class, listener.localAddress());
        assertEquals("::ffff:127.0.0.1", bound.host());

        NativeSocket client = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        client.connect(IPv4SocketAddress.loopback(bound.port()));
        BaseSelector selector = closer.add(DefaultSelector.open());
        selector.register(listener, BaseSelector.EVENT_READ);
        assertEquals(1, selector.select(Duration.ofSeconds(10)).size(), "the IPv4 connection reached the IPv6 listener");
        Accepted accepted = listener.accept();
        assertNotNull(accepted);
        closer.add(accepted.socket());

        IPv6SocketAddress peer = assertInstanceOf(IPv6SocketAddress.class, accepted.address());
        IPv4SocketAddress clientAddress = (IPv4SocketAddress) client.localAddress();
        assertEquals("::ffff:" + clientAddress.host(), peer.host());
        assertEquals(clientAddress.port(), peer.port());
        IPv6SocketAddress rebuilt = IPv6SocketAddress.of(peer.host(), peer.port(), peer.flowInfo(), peer.scopeId());
        assertEquals(peer, rebuilt, "the peer address rebuilds from its own host()");
    }

    /** The same with UDP, where the rebuilt address is then used: a reply sent to it reaches the IPv4 sender. */
    @Test
    void aReplyToARebuiltDualStackSenderArrives() throws Exception {
        NativeSocket server = closer.add(NativeSocket.open(AddressFamily.AF_INET6, SocketType.SOCK_DGRAM, 0));
        server.setOption(SocketOptions.IPV6_V6ONLY, false);
        server.bind(IPv6SocketAddress.of("::ffff:127.0.0.1", 0));
        int port = ((IPv6SocketAddress) server.localAddress()).port();
        NativeSocket client = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0));
        client.bind(IPv4SocketAddress.loopback(0));
        BaseSelector selector = closer.add(DefaultSelector.open());

        assertEquals(4, client.sendTo(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), IPv4SocketAddress.loopback(port)));
        selector.register(server, BaseSelector.EVENT_READ);
        assertEquals(1, selector.select(Duration.ofSeconds(10)).size());
        ByteBuffer in = ByteBuffer.allocate(16);
        IPv6SocketAddress sender = assertInstanceOf(IPv6SocketAddress.class, server.recvFrom(in));
        IPv6SocketAddress rebuilt = IPv6SocketAddress.of(sender.host(), sender.port());
        assertEquals(sender, rebuilt);

        assertEquals(4, server.sendTo(in.flip(), rebuilt));
        selector.unregister(server);
        selector.register(client, BaseSelector.EVENT_READ);
        assertEquals(1, selector.select(Duration.ofSeconds(10)).size(), "the reply reached the IPv4 client");
        ByteBuffer reply = ByteBuffer.allocate(16);
        assertEquals(IPv4SocketAddress.loopback(port), client.recvFrom(reply), "from the server, as IPv4");
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), reply.flip());
    }
}
