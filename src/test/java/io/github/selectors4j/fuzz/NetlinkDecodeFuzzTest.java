package io.github.selectors4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.selectors4j.net.NetlinkAttribute;
import io.github.selectors4j.net.NetlinkMessage;
import io.github.selectors4j.net.RtAddress;
import io.github.selectors4j.net.RtLink;
import io.github.selectors4j.net.Rtnetlink;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The netlink parsers on whatever a datagram may hold: {@code NetlinkMessage.decodeAll},
 * {@code NetlinkAttribute.decodeAll}, {@code RtLink.decode} and {@code RtAddress.decode}, each
 * straight on the input, and the link and address decoders again on every message decodeAll
 * finds. A decoder returns or refuses with IllegalArgumentException, nothing else; what decodes
 * prints without failing, and encodes back to bytes that decode to the same messages. The
 * accessors of a decoded link or address may refuse a malformed attribute only as documented
 * (IllegalArgumentException).
 */
class NetlinkDecodeFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void decode(byte[] raw) {
        FuzzInput input = FuzzInput.of(raw);
        List<NetlinkMessage> messages = null;
        try {
            messages = NetlinkMessage.decodeAll(input.buffer, input.offset, input.length);
        } catch (IllegalArgumentException refused) {
            // Not a datagram; the other decoders still get the bytes below.
        }
        if (messages != null) {
            roundTrip(messages, input);
            for (NetlinkMessage message : messages) {
                message.toString();
                if (message.type() == NetlinkMessage.NLMSG_ERROR) {
                    message.errorCode();
                }
                byte[] payload = message.payload();
                exerciseLink(ByteBuffer.wrap(payload), 0, payload.length);
                exerciseAddress(ByteBuffer.wrap(payload), 0, payload.length);
            }
        }
        exerciseLink(input.buffer, input.offset, input.length);
        exerciseAddress(input.buffer, input.offset, input.length);
        try {
            List<NetlinkAttribute> attributes = NetlinkAttribute.decodeAll(input.buffer, input.offset, input.length);
            ByteBuffer again = ByteBuffer.allocate(input.length + 4 * attributes.size());
            int at = 0;
            for (NetlinkAttribute attribute : attributes) {
                attribute.toString();
                attribute.asString();
                at += attribute.encode(again, at);
            }
            assertEquals(attributes, NetlinkAttribute.decodeAll(again, 0, at), () -> "attributes of " + input + " re-encode differently");
        } catch (IllegalArgumentException refused) {
            // Not an attribute list.
        }
    }

    private static void roundTrip(List<NetlinkMessage> messages, FuzzInput input) {
        ByteBuffer again = ByteBuffer.allocate(input.length + 4 * messages.size());
        int at = 0;
        for (NetlinkMessage message : messages) {
            at += message.encode(again, at);
        }
        assertEquals(messages, NetlinkMessage.decodeAll(again, 0, at), () -> "messages of " + input + " re-encode differently");
    }

    private static void exerciseLink(ByteBuffer buffer, int offset, int length) {
        RtLink link;
        try {
            link = RtLink.decode(buffer, offset, length);
        } catch (IllegalArgumentException refused) {
            return;
        }
        link.toString();
        link.name();
        link.isUp();
        documentedRefusal(link::mtu);
        documentedRefusal(link::operState);
        link.attribute(Rtnetlink.IFLA_IFNAME);
    }

    private static void exerciseAddress(ByteBuffer buffer, int offset, int length) {
        RtAddress address;
        try {
            address = RtAddress.decode(buffer, offset, length);
        } catch (IllegalArgumentException refused) {
            return;
        }
        address.toString();
        address.label();
        documentedRefusal(address::address);
    }

    /** An accessor that reads a malformed attribute may throw IllegalArgumentException, as its Javadoc says. */
    private static void documentedRefusal(java.util.function.Supplier<?> accessor) {
        try {
            accessor.get();
        } catch (IllegalArgumentException documented) {
            // The attribute has the wrong size for its type.
        }
    }
}
