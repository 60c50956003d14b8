package io.github.selectors4j.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import io.github.selectors4j.selectors.ReadyKey;
import io.github.selectors4j.testing.Closer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A raw ICMP socket pings 127.0.0.1: the echo request is built and checksummed here (RFC 792,
 * RFC 1071), the reply is read with its IPv4 header, as raw IPv4 sockets receive it.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "raw socket behaviour differs between systems; checked on Linux")
class RawIcmpTest {

    private static final int ECHO_REPLY = 0;
    private static final int ECHO_REQUEST = 8;

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    /** The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words. */
    static int internetChecksum(byte[] bytes, int offset, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((bytes[offset + i] & 0xff) << 8) | (bytes[offset + i + 1] & 0xff);
        }
        if ((length & 1) != 0) {
            sum += (bytes[offset + length - 1] & 0xff) << 8;   // an odd last byte is padded with a zero byte
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    @Test
    void checksumMatchesRfc1071sExample() {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (with end-around carry).
        byte[] words = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(~0xddf2 & 0xffff, internetChecksum(words, 0, words.length));
        assertEquals(~0x0100 & 0xffff, internetChecksum(new byte[] {1}, 0, 1), "odd length: padded on the right");
    }

    /** type 8, code 0, checksum, identifier, sequence (all big-endian), then the payload. */
    private static byte[] echoRequest(int identifier, int sequence, byte[] payload) {
        byte[] message = new byte[8 + payload.length];
        ByteBuffer icmp = ByteBuffer.wrap(message).order(ByteOrder.BIG_ENDIAN);
        icmp.put(0, (byte) ECHO_REQUEST);
        icmp.put(1, (byte) 0);
        icmp.putShort(4, (short) identifier);
        icmp.putShort(6, (short) sequence);
        icmp.put(8, payload);
        icmp.putShort(2, (short) internetChecksum(message, 0, message.length));
        return message;
    }

    @Test
    void aRawIcmpEchoToLoopbackIsAnswered() throws Exception {
        NativeSocket icmp;
        try {
            icmp = closer.add(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_RAW, Protocol.IPPROTO_ICMP));
        } catch (ErrnoException e) {
            Assumptions.assumeFalse(e.errnoName().equals("EPERM") || e.errnoName().equals("EACCES"),
                    () -> "raw sockets need CAP_NET_RAW: " + e.getMessage());
            throw e;
        }
        BaseSelector selector = closer.add(DefaultSelector.open());
        selector.register(icmp, BaseSelector.EVENT_READ);

        // Other processes may ping loopback meanwhile: match identifier, sequence and a payload unique to this run.
        int identifier = (int) (ProcessHandle.current().pid() & 0xffff);
        int sequence = (int) (System.nanoTime() & 0xffff);
        byte[] payload = ("selectors4j raw ping " + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        byte[] request = echoRequest(identifier, sequence, payload);
        assertEquals(0, internetChecksum(request, 0, request.length), "a checksummed message sums to zero");
        assertEquals(request.length, icmp.sendTo(ByteBuffer.wrap(request), IPv4SocketAddress.loopback(0)));

        int requestsSeen = 0;
        ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (ReadyKey ready : selector.select(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                NativeSocketAddress from;
                while ((from = icmp.recvFrom(buffer.clear())) != null) {
                    byte[] packet = new byte[buffer.position()];
                    buffer.get(0, packet);
                    // A raw IPv4 socket receives the IP header too: IHL 32-bit words of it.
                    assertEquals(4, (packet[0] & 0xff) >>> 4, "IPv4");
                    assertEquals(Protocol.IPPROTO_ICMP, packet[9] & 0xff);
                    int ihl = (packet[0] & 0x0f) * 4;
                    ByteBuffer message = ByteBuffer.wrap(packet, ihl, packet.length - ihl).slice().order(ByteOrder.BIG_ENDIAN);
                    boolean ours = message.remaining() == request.length
                            && Short.toUnsignedInt(message.getShort(4)) == identifier
                            && Short.toUnsignedInt(message.getShort(6)) == sequence
                            && Arrays.equals(payload, Arrays.copyOfRange(packet, ihl + 8, packet.length));
                    if (!ours) {
                        continue;
                    }
                    int type = message.get(0) & 0xff;
                    if (type == ECHO_REQUEST) {
                        requestsSeen++;        // loopback delivers our own request to every raw ICMP socket too
                        continue;
                    }
                    assertEquals(ECHO_REPLY, type);
                    assertEquals(0, message.get(1), "code 0");
                    assertEquals(0, internetChecksum(packet, ihl, packet.length - ihl), "the reply's checksum is valid");
                    assertEquals("127.0.0.1", assertInstanceOf(IPv4SocketAddress.class, from).host());
                    assertArrayEquals(new byte[] {127, 0, 0, 1}, Arrays.copyOfRange(packet, 12, 16), "IP source");
                    assertEquals(1, requestsSeen, "our own echo request came first, once");
                    return;
                }
            }
        }
        fail("no echo reply within 10 s (requests seen: " + requestsSeen + ")");
    }
}
