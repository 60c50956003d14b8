package io.github.selectors4j.net;

import static io.github.selectors4j.net.NetlinkAttributeTest.rtattr;
import static io.github.selectors4j.net.NetlinkMessageTest.filled;
import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RtLink}: struct ifinfomsg of linux/rtnetlink.h and IFLA_* attributes of linux/if_link.h, built by hand. */
class RtLinkTest {

    /**
     * The payload of an RTM_NEWLINK for lo as the kernel sends it, cut down to three attributes:
     * struct ifinfomsg { u8 family; u8 pad; u16 type; i32 index; u32 flags; u32 change; }.
     */
    static ByteBuffer loopbackPayload(int at) {
        ByteBuffer buffer = filled(at + 44);
        buffer.put(at, (byte) 0);                      // ifi_family AF_UNSPEC
        buffer.put(at + 1, (byte) 0);                  // __ifi_pad
        buffer.putShort(at + 2, (short) 772);          // ifi_type ARPHRD_LOOPBACK
        buffer.putInt(at + 4, 1);                      // ifi_index
        buffer.putInt(at + 8, 0x10049);                // IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP
        buffer.putInt(at + 12, 0);                     // ifi_change
        rtattr(buffer, at + 16, 7, 3);                 // IFLA_IFNAME "lo"
        buffer.put(at + 20, new byte[] {'l', 'o', 0, 0});
        rtattr(buffer, at + 24, 8, 4);                 // IFLA_MTU
        buffer.putInt(at + 28, 65536);
        rtattr(buffer, at + 32, 5, 16);                // IFLA_OPERSTATE IF_OPER_UNKNOWN
        buffer.put(at + 36, new byte[] {0, 0, 0, 0});
        rtattr(buffer, at + 40, 4, 0x8000 | 26);       // an empty nested IFLA_AF_SPEC
        return buffer;
    }

    @Test
    void decodesIfinfomsgAndItsAttributes() {
        RtLink link = RtLink.decode(loopbackPayload(3), 3, 44);
        assertEquals(0, link.family());
        assertEquals(772, link.type());
        assertEquals(1, link.index());
        assertEquals(0x10049, link.flags());
        assertEquals(0, link.change());
        assertEquals("lo", link.name());
        assertEquals(65536, link.mtu());
        assertEquals(Rtnetlink.IF_OPER_UNKNOWN, link.operState());
        assertTrue(link.isUp());
        assertEquals(4, link.attributes().size());
        assertEquals(0x801a, link.attributes().get(3).type());
        assertEquals(NetlinkAttribute.ofInt(4, 65536), link.attribute(Rtnetlink.IFLA_MTU));
        assertNull(link.attribute(Rtnetlink.IFLA_ADDRESS));
        assertEquals("RtLink[index=1, name=lo, type=772, flags=0x10049, mtu=65536, operState=0, 4 attributes]", link.toString());
    }

    @Test
    void decodesFromAMessageOfTheRightType() {
        ByteBuffer payload = loopbackPayload(0);
        byte[] bytes = new byte[44];
        payload.get(0, bytes);
        RtLink link = RtLink.decode(new NetlinkMessage(Rtnetlink.RTM_DELLINK, 0, 0, 0, bytes));
        assertEquals("lo", link.name());
        assertThrowsWithMessage(IllegalArgumentException.class, "not an RTM_NEWLINK (16) or RTM_DELLINK (17) message but type 20",
                () -> RtLink.decode(new NetlinkMessage(Rtnetlink.RTM_NEWADDR, 0, 0, 0, bytes)));
    }

    @Test
    void aLinkWithoutAttributesHasNoNameMtuOrState() {
        ByteBuffer buffer = filled(16);
        buffer.putInt(4, 7);
        buffer.putInt(8, 0);
        buffer.putShort(2, (short) 1);
        RtLink link = RtLink.decode(buffer, 0, 16);
        assertNull(link.name());
        assertEquals(-1, link.mtu());
        assertEquals(-1, link.operState());
        assertFalse(link.isUp());
        assertEquals(List.of(), link.attributes());
    }

    @Test
    void refusesAPayloadShorterThanIfinfomsg() {
        for (int length = 0; length < 16; length++) {
            int cut = length;
            assertThrowsWithMessage(IllegalArgumentException.class, "link message payload of " + cut + " bytes is shorter than the 16-byte struct ifinfomsg",
                    () -> RtLink.decode(loopbackPayload(0), 0, cut));
        }
    }

    @Test
    void refusesTruncatedAttributes() {
        for (int length = 17; length < 44; length++) {
            int cut = length;
            // Attributes end at 23 (padded to 24), 32, 37 (padded to 40) and 44; padding may be cut.
            boolean endsOnAnAttribute = cut == 23 || cut == 24 || cut == 32 || (cut >= 37 && cut <= 40);
            if (endsOnAnAttribute) {
                RtLink.decode(loopbackPayload(0), 0, cut);
            } else {
                assertThrows(IllegalArgumentException.class, () -> RtLink.decode(loopbackPayload(0), 0, cut), "cut at " + cut);
            }
        }
    }

    @Test
    void refusesKnownAttributesOfTheWrongSize() {
        ByteBuffer buffer = loopbackPayload(0);
        rtattr(buffer, 24, 6, 4);      // IFLA_MTU of 2 bytes
        rtattr(buffer, 28, 4, 1);      // what is left of the old value: an empty attribute
        assertThrowsWithMessage(IllegalArgumentException.class, "attribute 4 has 2 bytes, not the 4 of a 32-bit integer",
                () -> RtLink.decode(buffer, 0, 44));
        ByteBuffer state = loopbackPayload(0);
        rtattr(state, 32, 8, 16);      // IFLA_OPERSTATE of 4 bytes
        assertThrowsWithMessage(IllegalArgumentException.class, "attribute 16 has 4 bytes, not the 1 of an 8-bit integer",
                () -> RtLink.decode(state, 0, 44));
    }

    @Test
    void refusesRangesOutsideTheBuffer() {
        assertThrowsWithMessage(IllegalArgumentException.class, "does not fit", () -> RtLink.decode(loopbackPayload(0), 1, 44));
        assertThrows(IllegalArgumentException.class, () -> RtLink.decode(loopbackPayload(0), -1, 16));
    }

    @Test
    void constructorChecksRanges() {
        assertThrowsWithMessage(IllegalArgumentException.class, "ifi_family must be 0-255: 256", () -> new RtLink(256, 0, 1, 0, 0, List.of()));
        assertThrowsWithMessage(IllegalArgumentException.class, "ifi_type must be 0-0xffff: -1", () -> new RtLink(0, -1, 1, 0, 0, List.of()));
        assertThrows(NullPointerException.class, () -> new RtLink(0, 0, 1, 0, 0, null));
    }
}
