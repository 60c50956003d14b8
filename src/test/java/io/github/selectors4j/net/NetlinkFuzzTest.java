package io.github.selectors4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A bounded, deterministic fuzz of every netlink decoder: random bytes and mutations of a valid
 * datagram, each in a buffer that ends exactly where the input does, so that a read past the range
 * shows as an IndexOutOfBoundsException. Every input must decode or be refused with
 * IllegalArgumentException, and whatever decodes must survive encode and decode unchanged.
 */
class NetlinkFuzzTest {

    private static final int ROUNDS = 20_000;

    /** A realistic datagram: a link, an address, an error and the end of a dump. */
    private static byte[] validDatagram() {
        ByteBuffer link = RtLinkTest.loopbackPayload(0);
        byte[] linkPayload = new byte[44];
        link.get(0, linkPayload);
        ByteBuffer address = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
        address.put(0, new byte[] {2, 8, 0, (byte) 254, 1, 0, 0, 0});
        NetlinkAttribute.ofInt(Rtnetlink.IFA_LOCAL, 0x0100007f).encode(address, 8);
        NetlinkAttribute.ofString(Rtnetlink.IFA_LABEL, "lo").encode(address, 16);
        List<NetlinkMessage> messages = List.of(
                new NetlinkMessage(Rtnetlink.RTM_NEWLINK, 2, 1, 0, linkPayload),
                new NetlinkMessage(Rtnetlink.RTM_NEWADDR, 2, 1, 0, address.array()),
                new NetlinkMessage(NetlinkMessage.NLMSG_ERROR, 0, 1, 0, new byte[] {-2, -1, -1, -1, 1, 2, 3, 4}),
                new NetlinkMessage(NetlinkMessage.NLMSG_DONE, 2, 1, 0, new byte[4]));
        ByteBuffer datagram = ByteBuffer.allocate(256);
        int at = 0;
        for (NetlinkMessage message : messages) {
            at += message.encode(datagram, at);
        }
        byte[] bytes = new byte[at];
        datagram.get(0, bytes);
        return bytes;
    }

    @Test
    void theValidDatagramDecodes() {
        List<NetlinkMessage> messages = NetlinkMessage.decodeAll(ByteBuffer.wrap(validDatagram()), 0, validDatagram().length);
        assertEquals("lo", RtLink.decode(messages.get(0)).name());
        assertEquals("127.0.0.1", RtAddress.decode(messages.get(1)).address());
        assertEquals(-2, messages.get(2).errorCode());
    }

    @Test
    void randomBytesDecodeOrAreRefused() {
        Random random = new Random(0x4e4c);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = new byte[random.nextInt(96)];
            random.nextBytes(input);
            if (input.length >= 4 && random.nextBoolean()) {
                // A plausible nlmsg_len makes the decoders go deeper than pure noise would.
                ByteBuffer.wrap(input).order(ByteOrder.nativeOrder()).putInt(0, random.nextInt(input.length + 8));
            }
            check(input);
        }
    }

    @Test
    void mutatedDatagramsDecodeOrAreRefused() {
        Random random = new Random(0x6d75);
        byte[] valid = validDatagram();
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = valid.clone();
            int mutations = 1 + random.nextInt(4);
            for (int i = 0; i < mutations && input.length >= 2; i++) {
                switch (random.nextInt(4)) {
                    case 0 -> input[random.nextInt(input.length)] = (byte) random.nextInt();
                    case 1 -> input[random.nextInt(input.length)] ^= (byte) (1 << random.nextInt(8));
                    case 2 -> {
                        // Small values where lengths live: rta_len and nlmsg_len are the fields that matter.
                        int at = random.nextInt(input.length - 1);
                        input[at] = (byte) random.nextInt(64);
                        input[at + 1] = 0;
                    }
                    default -> input = Arrays.copyOf(input, random.nextInt(input.length + 1));
                }
            }
            check(input);
        }
    }

    /** Decodes everything that can be decoded from the input, at a random offset in an exact-size buffer. */
    private static void check(byte[] input) {
        int offset = input.length % 5;
        ByteBuffer buffer = ByteBuffer.allocate(offset + input.length);
        buffer.put(offset, input);
        List<NetlinkMessage> messages;
        try {
            messages = NetlinkMessage.decodeAll(buffer, offset, input.length);
        } catch (IllegalArgumentException refused) {
            return;
        } catch (RuntimeException e) {
            throw new AssertionError("decodeAll of " + HexFormat.of().formatHex(input) + " threw " + e, e);
        }
        try {
            ByteBuffer again = ByteBuffer.allocate(input.length + 3 * messages.size());
            int at = 0;
            for (NetlinkMessage message : messages) {
                at += message.encode(again, at);
                exercise(message);
            }
            assertEquals(messages, NetlinkMessage.decodeAll(again, 0, at), "re-encoded messages decode the same");
        } catch (RuntimeException e) {
            fail("what decodeAll made of " + HexFormat.of().formatHex(input) + " threw " + e, e);
        }
    }

    private static void exercise(NetlinkMessage message) {
        message.toString();
        if (message.type() == NetlinkMessage.NLMSG_ERROR) {
            message.errorCode();
        }
        try {
            if (message.type() == Rtnetlink.RTM_NEWLINK || message.type() == Rtnetlink.RTM_DELLINK) {
                RtLink link = RtLink.decode(message);
                link.name();
                link.mtu();
                link.operState();
                link.isUp();
                link.toString();
            } else if (message.type() == Rtnetlink.RTM_NEWADDR || message.type() == Rtnetlink.RTM_DELADDR) {
                RtAddress address = RtAddress.decode(message);
                address.address();
                address.label();
                address.toString();
            }
        } catch (IllegalArgumentException refused) {
            // Malformed payloads may be refused; only other exceptions are bugs.
        }
        byte[] payload = message.payload();
        for (int start = 0; start <= payload.length; start += 4) {
            try {
                for (NetlinkAttribute attribute : NetlinkAttribute.decodeAll(ByteBuffer.wrap(payload), start, payload.length - start)) {
                    attribute.asString();
                    attribute.toString();
                }
            } catch (IllegalArgumentException refused) {
                // As above.
            }
        }
    }
}
