package io.github.selectors4j.net;

import static io.github.selectors4j.net.SockaddrTesting.assertInvalid;
import static io.github.selectors4j.net.SockaddrTesting.assertRefused;
import static io.github.selectors4j.net.SockaddrTesting.assertSameBytes;
import static io.github.selectors4j.net.SockaddrTesting.filled;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@link PacketSocketAddress}: struct sockaddr_ll of linux/if_packet.h, and the kernel's view of it. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "AF_PACKET exists only on Linux")
class PacketSocketAddressTest {

    /** AF_PACKET in linux/socket.h. */
    private static final int AF_PACKET = 17;
    private static final int OFFSET = 7;
    private static final byte[] MAC = {0x02, 0x11, 0x22, 0x33, 0x44, (byte) 0xee};

    @Test
    void encodesSockaddrLlWithTheProtocolInNetworkOrder() {
        ByteBuffer actual = filled(40);
        int length = PacketSocketAddress.of(3, Protocol.ETH_P_IPV6, PacketSocketAddress.PACKET_OTHERHOST,
                PacketSocketAddress.ARPHRD_ETHER, MAC).encode(actual, OFFSET);
        assertEquals(20, length);

        // struct sockaddr_ll { u16 sll_family; __be16 sll_protocol; int sll_ifindex; u16 sll_hatype;
        //                      u8 sll_pkttype; u8 sll_halen; u8 sll_addr[8]; }
        ByteBuffer expected = filled(40);
        expected.putShort(OFFSET, (short) AF_PACKET);
        expected.put(OFFSET + 2, (byte) 0x86);       // 0x86DD, most significant byte first
        expected.put(OFFSET + 3, (byte) 0xdd);
        expected.putInt(OFFSET + 4, 3);
        expected.putShort(OFFSET + 8, (short) 1);
        expected.put(OFFSET + 10, (byte) 3);
        expected.put(OFFSET + 11, (byte) 6);
        expected.put(OFFSET + 12, MAC);
        expected.put(OFFSET + 18, (byte) 0);         // sll_addr[6..7]: zero
        expected.put(OFFSET + 19, (byte) 0);
        assertSameBytes(expected, actual);
    }

    @Test
    void aHardwareAddressLongerThanSllAddrRunsOnPastTheStruct() {
        byte[] infiniband = new byte[20];
        for (int i = 0; i < infiniband.length; i++) {
            infiniband[i] = (byte) (i + 1);
        }
        PacketSocketAddress address = PacketSocketAddress.of(4, Protocol.ETH_P_IP, 0, 32, infiniband);
        ByteBuffer actual = filled(48);
        assertEquals(32, address.encode(actual, OFFSET), "12 + sll_halen, as packet_getname reports");
        assertEquals(20, actual.get(OFFSET + 11));
        byte[] written = new byte[20];
        actual.get(OFFSET + 12, written);
        assertArrayEquals(infiniband, written);
        assertEquals(SockaddrTesting.SENTINEL, actual.get(OFFSET + 32));
        assertEquals(address, PacketSocketAddress.decode(actual, OFFSET, 32));
    }

    @Test
    void roundTrips() {
        int lo = Interfaces.nameToIndex("lo");
        for (PacketSocketAddress address : new PacketSocketAddress[] {
                PacketSocketAddress.of("lo", Protocol.ETH_P_ALL), PacketSocketAddress.of(0, 0),
                PacketSocketAddress.of(lo, 0xffff, 255, 0xffff, new byte[8]),
                PacketSocketAddress.of(lo, Protocol.ETH_P_ARP, PacketSocketAddress.PACKET_BROADCAST, 1, MAC)}) {
            ByteBuffer buffer = filled(64);
            int length = address.encode(buffer, OFFSET);
            assertEquals(address, PacketSocketAddress.decode(buffer, OFFSET, length));
            assertEquals(address, NativeSocketAddress.decode(buffer, OFFSET, length), "through the family dispatch");
            assertEquals(address.hashCode(), NativeSocketAddress.decode(buffer, OFFSET, length).hashCode());
        }
    }

    @Test
    void decodesTheShortFormsTheKernelReports() {
        // packet_getname returns offsetof(sll_addr) + sll_halen: 18 bytes for Ethernet, 12 when unbound.
        ByteBuffer buffer = filled(40);
        PacketSocketAddress.of(2, Protocol.ETH_P_IP, 0, 1, MAC).encode(buffer, OFFSET);
        PacketSocketAddress eighteen = PacketSocketAddress.decode(buffer, OFFSET, 18);
        assertArrayEquals(MAC, eighteen.hardwareAddress());
        PacketSocketAddress.of(0, Protocol.ETH_P_IP).encode(buffer, OFFSET);
        assertEquals(PacketSocketAddress.of(0, Protocol.ETH_P_IP), PacketSocketAddress.decode(buffer, OFFSET, 12));
    }

    @Test
    void refusesShortInconsistentForeignOrOutOfBoundsSockaddrs() {
        ByteBuffer buffer = filled(40);
        PacketSocketAddress.of(2, Protocol.ETH_P_IP, 0, 1, MAC).encode(buffer, OFFSET);
        assertRefused(PacketSocketAddress::decode, buffer, OFFSET, 11, "at least 12 bytes, got 11");
        assertRefused(PacketSocketAddress::decode, buffer, OFFSET, 17, "sll_halen 6 but only 5 address bytes");
        assertRefused(PacketSocketAddress::decode, buffer, 30, 20, "does not fit");
        buffer.putShort(OFFSET, (short) AddressFamily.AF_INET6);
        assertRefused(PacketSocketAddress::decode, buffer, OFFSET, 20, "family " + AddressFamily.AF_INET6);
        buffer.putShort(OFFSET, (short) AF_PACKET);
        buffer.putInt(OFFSET + 4, -2);
        assertRefused(PacketSocketAddress::decode, buffer, OFFSET, 20, "sll_ifindex must not be negative: -2");
    }

    @Test
    void decodesAnythingOrRefusesIt() {
        SockaddrTesting.fuzz(PacketSocketAddress::decode, AF_PACKET, 48);
    }

    @Test
    void validatesEveryField() {
        assertInvalid("sll_ifindex must not be negative: -1", () -> PacketSocketAddress.of(-1, 0));
        assertInvalid("sll_protocol must be 0-0xffff: 65536", () -> PacketSocketAddress.of(1, 0x10000));
        assertInvalid("sll_protocol must be 0-0xffff: -1", () -> PacketSocketAddress.of(1, -1));
        assertInvalid("sll_pkttype must be 0-255: 256", () -> PacketSocketAddress.of(1, 3, 256, 0, new byte[0]));
        assertInvalid("sll_hatype must be 0-65535: 65536", () -> PacketSocketAddress.of(1, 3, 0, 65536, new byte[0]));
        assertInvalid("hardware address too long: 33 bytes", () -> PacketSocketAddress.of(1, 3, 0, 1, new byte[33]));
        assertInvalid("no such network interface: nosuchif0", () -> PacketSocketAddress.of("nosuchif0", 3));
    }

    @Test
    void copiesTheHardwareAddressBothWays() {
        byte[] mac = MAC.clone();
        PacketSocketAddress address = PacketSocketAddress.of(1, 3, 0, 1, mac);
        mac[0] = 9;
        address.hardwareAddress()[1] = 9;
        assertArrayEquals(MAC, address.hardwareAddress());
    }

    @Test
    void printsReadably() {
        int lo = Interfaces.nameToIndex("lo");
        assertEquals("packet[lo, proto=0x0003, pkttype=OUTGOING, hatype=772, addr=00:00:00:00:00:00]",
                PacketSocketAddress.of(lo, Protocol.ETH_P_ALL, PacketSocketAddress.PACKET_OUTGOING,
                        PacketSocketAddress.ARPHRD_LOOPBACK, new byte[6]).toString());
        assertEquals("packet[any, proto=0x0800, pkttype=HOST, hatype=0]", PacketSocketAddress.of(0, Protocol.ETH_P_IP).toString());
        assertEquals("packet[if999999, proto=0x86dd, pkttype=200, hatype=1, addr=02:11:22:33:44:ee]",
                PacketSocketAddress.of(999_999, Protocol.ETH_P_IPV6, 200, 1, MAC).toString());
        assertEquals("lo", PacketSocketAddress.of(lo, 0).interfaceName());
        assertEquals("", PacketSocketAddress.of(0, 0).interfaceName());
    }

    @Test
    void theKernelReportsTheProtocolInterfaceAndHardwareOfABoundSocket() throws Exception {
        int lo = Interfaces.nameToIndex("lo");
        int socketProtocol = SockaddrTesting.htons(Protocol.ETH_P_IP);
        try (SockaddrTesting.LiveSocket socket = SockaddrTesting.LiveSocket.open("AF_PACKET", AF_PACKET, SockaddrTesting.SOCK_DGRAM, socketProtocol)) {
            // Unbound: no device, so no address bytes; the protocol is the socket()'s, in network order.
            SockaddrTesting.LiveSocket.Name unbound = socket.getsockname();
            assertEquals(12, unbound.length(), "offsetof(struct sockaddr_ll, sll_addr) + sll_halen 0");
            assertEquals(0x08, unbound.bytes().get(2), "sll_protocol is big-endian in memory");
            assertEquals(0x00, unbound.bytes().get(3));
            assertEquals(PacketSocketAddress.of(0, Protocol.ETH_P_IP), unbound.address());

            assertEquals("0", socket.bind(PacketSocketAddress.of("lo", Protocol.ETH_P_ALL)));
            SockaddrTesting.LiveSocket.Name bound = socket.getsockname();
            assertEquals(18, bound.length(), "12 + lo's 6-byte hardware address, not sizeof(struct sockaddr_ll)");
            PacketSocketAddress local = assertInstanceOf(PacketSocketAddress.class, bound.address());
            assertEquals(lo, local.ifindex());
            assertEquals(lo, bound.bytes().getInt(4));
            assertEquals("lo", local.interfaceName());
            assertEquals(Protocol.ETH_P_ALL, local.protocol());
            assertEquals(PacketSocketAddress.ARPHRD_LOOPBACK, local.hardwareType());
            assertEquals(PacketSocketAddress.PACKET_HOST, local.packetType());
            assertArrayEquals(new byte[6], local.hardwareAddress());
            assertEquals(PacketSocketAddress.of(lo, Protocol.ETH_P_ALL, 0, 772, new byte[6]), local);
            assertNotEquals(SockaddrTesting.SENTINEL, bound.bytes().get(17));
            assertEquals(SockaddrTesting.SENTINEL, bound.bytes().get(18), "the kernel wrote 18 bytes, no more");
        }
    }
}
