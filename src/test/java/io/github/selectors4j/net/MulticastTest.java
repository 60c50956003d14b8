package io.github.selectors4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import io.github.selectors4j.testing.Closer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** UDP multicast on the loopback interface: join, send with loop on, receive; leave, hear nothing. */
class MulticastTest {

    private static final String GROUP = "239.255.77.1";
    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    @Test
    void aJoinedGroupReceivesWhatIsSentToItOnLoopback() throws Exception {
        int lo = Interfaces.nameToIndex("lo");
        NativeSocket receiver = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0));
        receiver.setOption(SocketOptions.SO_REUSEADDR, true);
        receiver.bind(IPv4SocketAddress.of(GROUP, 0));
        int port = ((IPv4SocketAddress) receiver.localAddress()).port();
        receiver.setOption(SocketOptions.IP_ADD_MEMBERSHIP, MulticastMembership.of(IPv4SocketAddress.of(GROUP, 0), lo));

        NativeSocket sender = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0));
        sender.setOption(SocketOptions.IP_MULTICAST_IF, lo);
        sender.setOption(SocketOptions.IP_MULTICAST_LOOP, true);
        sender.setOption(SocketOptions.IP_MULTICAST_TTL, 1);
        assertEquals(1, sender.getOption(SocketOptions.IP_MULTICAST_TTL));
        assertEquals(true, sender.getOption(SocketOptions.IP_MULTICAST_LOOP));

        BaseSelector selector = closer.add(DefaultSelector.open());
        selector.register(receiver, BaseSelector.EVENT_READ);
        sender.sendTo(ByteBuffer.wrap("to the group".getBytes(StandardCharsets.UTF_8)), IPv4SocketAddress.of(GROUP, port));
        assertEquals(1, selector.select(Duration.ofSeconds(5)).size(), "the group's datagram arrived");
        ByteBuffer buffer = ByteBuffer.allocate(64);
        receiver.recvFrom(buffer);
        assertEquals("to the group", new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));

        receiver.setOption(SocketOptions.IP_DROP_MEMBERSHIP, MulticastMembership.of(IPv4SocketAddress.of(GROUP, 0), lo));
        sender.sendTo(ByteBuffer.wrap("after leaving".getBytes(StandardCharsets.UTF_8)), IPv4SocketAddress.of(GROUP, port));
        assertEquals(0, selector.select(Duration.ofMillis(200)).size(), "no membership, no datagram");
        assertNull(receiver.recvFrom(ByteBuffer.allocate(64)));
    }
}
