package io.github.selectors4j.net;

import static io.github.selectors4j.net.SockaddrTesting.assertInvalid;
import static io.github.selectors4j.net.SockaddrTesting.assertRefused;
import static io.github.selectors4j.net.SockaddrTesting.assertSameBytes;
import static io.github.selectors4j.net.SockaddrTesting.filled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.selectors4j.net.TipcSocketAddress.Kind;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@link TipcSocketAddress}: struct sockaddr_tipc of linux/tipc.h in its three forms, and the kernel's view. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "the AF_TIPC layout tested is Linux's")
class TipcSocketAddressTest {

    /** AF_TIPC in linux/socket.h. */
    private static final int AF_TIPC = 30;
    private static final int OFFSET = 6;

    /** struct sockaddr_tipc { u16 family; u8 addrtype; s8 scope; union { 3 x u32 } addr; } */
    private static ByteBuffer expected(int addrtype, int scope, int word0, int word1, int word2) {
        ByteBuffer expected = filled(32);
        expected.putShort(OFFSET, (short) AF_TIPC);
        expected.put(OFFSET + 2, (byte) addrtype);
        expected.put(OFFSET + 3, (byte) scope);
        expected.putInt(OFFSET + 4, word0);
        expected.putInt(OFFSET + 8, word1);
        expected.putInt(OFFSET + 12, word2);
        return expected;
    }

    @Test
    void encodesAServiceRange() {
        ByteBuffer actual = filled(32);
        assertEquals(16, TipcSocketAddress.serviceRange(18888, 1, -1, TipcSocketAddress.TIPC_CLUSTER_SCOPE).encode(actual, OFFSET));
        // nameseq { type; lower; upper; } with addrtype TIPC_SERVICE_RANGE (1)
        assertSameBytes(expected(1, 2, 18888, 1, -1), actual);
    }

    @Test
    void encodesAServiceWithItsDomain() {
        ByteBuffer actual = filled(32);
        assertEquals(16, TipcSocketAddress.service(18888, 5, 0x0100_1001, -3).encode(actual, OFFSET));
        // name { name { type; instance; } domain; } with addrtype TIPC_SERVICE_ADDR (2); scope is signed
        assertSameBytes(expected(2, -3, 18888, 5, 0x0100_1001), actual);
    }

    @Test
    void encodesASocketWithTheLastWordZero() {
        ByteBuffer actual = filled(32);
        assertEquals(16, TipcSocketAddress.socket(0x8000_1234, 0x0100_1001, TipcSocketAddress.TIPC_NODE_SCOPE).encode(actual, OFFSET));
        // id { ref; node; } with addrtype TIPC_SOCKET_ADDR (3); the union's last word is zero
        assertSameBytes(expected(3, 3, 0x8000_1234, 0x0100_1001, 0), actual);
    }

    @Test
    void roundTripsEveryForm() {
        for (TipcSocketAddress address : new TipcSocketAddress[] {
                TipcSocketAddress.serviceRange(18888, 1, 10, TipcSocketAddress.TIPC_ZONE_SCOPE),
                TipcSocketAddress.serviceRange(-1, -1, -1, 127),
                TipcSocketAddress.service(TipcSocketAddress.TIPC_TOP_SRV, TipcSocketAddress.TIPC_TOP_SRV, 0),
                TipcSocketAddress.service(64, 9, 0x0100_1001, -128),
                TipcSocketAddress.socket(12345, 0x0100_1001, 0)}) {
            ByteBuffer buffer = filled(32);
            int length = address.encode(buffer, OFFSET);
            assertEquals(address, TipcSocketAddress.decode(buffer, OFFSET, length));
            assertEquals(address, NativeSocketAddress.decode(buffer, OFFSET, length), "through the family dispatch");
            assertEquals(address.hashCode(), NativeSocketAddress.decode(buffer, OFFSET, length).hashCode());
        }
    }

    @Test
    void exposesTheFieldsOfItsFormOnly() {
        TipcSocketAddress range = TipcSocketAddress.serviceRange(18888, 1, 10, 2);
        assertEquals(Kind.SERVICE_RANGE, range.kind());
        assertEquals(1, range.kind().addressType());
        assertEquals(18888, range.type());
        assertEquals(1, range.lower());
        assertEquals(10, range.upper());
        assertEquals(2, range.scope());
        assertThrows(IllegalStateException.class, range::instance);
        TipcSocketAddress service = TipcSocketAddress.service(18888, 5, 3);
        assertEquals(5, service.instance());
        assertEquals(0, service.domain());
        assertThrows(IllegalStateException.class, service::ref);
        TipcSocketAddress socket = TipcSocketAddress.socket(7, 8, 0);
        assertEquals(7, socket.ref());
        assertEquals(8, socket.node());
        IllegalStateException e = assertThrows(IllegalStateException.class, socket::type);
        assertEquals("a SOCKET TIPC address has no type: tipc[socket ref=7, node=0x8, scope=0]", e.getMessage());
    }

    @Test
    void decodesTheSenderOfAGroupMessagesSockaddrPair() {
        // tipc_sk_set_orig_addr: struct sockaddr_pair { struct sockaddr_tipc sock, member; }, 32 bytes.
        ByteBuffer pair = filled(48);
        TipcSocketAddress.socket(77, 0x0100_1001, 0).encode(pair, OFFSET);
        TipcSocketAddress.service(18888, 3, 0).encode(pair, OFFSET + 16);
        assertEquals(TipcSocketAddress.socket(77, 0x0100_1001, 0), NativeSocketAddress.decode(pair, OFFSET, 32));
    }

    @Test
    void refusesShortForeignUnknownOrOutOfBoundsSockaddrs() {
        ByteBuffer buffer = filled(32);
        TipcSocketAddress.socket(1, 2, 0).encode(buffer, OFFSET);
        assertRefused(TipcSocketAddress::decode, buffer, OFFSET, 15, "at least 16 bytes, got 15");
        assertRefused(TipcSocketAddress::decode, buffer, 20, 16, "does not fit");
        buffer.put(OFFSET + 2, (byte) 4);
        assertRefused(TipcSocketAddress::decode, buffer, OFFSET, 16, "unknown addrtype 4");
        buffer.put(OFFSET + 2, (byte) 0);
        assertRefused(TipcSocketAddress::decode, buffer, OFFSET, 16, "unknown addrtype 0");
        TipcSocketAddress.serviceRange(1, 5, 6, 0).encode(buffer, OFFSET);
        buffer.putInt(OFFSET + 12, 4);
        assertRefused(TipcSocketAddress::decode, buffer, OFFSET, 16, "upper 4 is below lower 5");
        buffer.putShort(OFFSET, (short) AddressFamily.AF_CAN);
        assertRefused(TipcSocketAddress::decode, buffer, OFFSET, 16, "family " + AddressFamily.AF_CAN);
    }

    @Test
    void decodesAnythingOrRefusesIt() {
        SockaddrTesting.fuzz(TipcSocketAddress::decode, AF_TIPC, 24);
    }

    @Test
    void validatesScopeAndRange() {
        assertInvalid("TIPC scope is a signed byte, -128 to 127: 128", () -> TipcSocketAddress.service(1, 1, 128));
        assertInvalid("TIPC scope is a signed byte, -128 to 127: -129", () -> TipcSocketAddress.socket(1, 1, -129));
        assertInvalid("TIPC service range upper 4 is below lower 5", () -> TipcSocketAddress.serviceRange(1, 5, 4, 2));
        assertInvalid("upper 1 is below lower 4294967295", () -> TipcSocketAddress.serviceRange(1, -1, 1, 2));
    }

    @Test
    void printsReadably() {
        assertEquals("tipc[service-range type=18888, lower=1, upper=4294967295, scope=CLUSTER]",
                TipcSocketAddress.serviceRange(18888, 1, -1, 2).toString());
        assertEquals("tipc[service type=18888, instance=5, scope=NODE]", TipcSocketAddress.service(18888, 5, 3).toString());
        assertEquals("tipc[service type=18888, instance=5, domain=0x1001001, scope=-3]",
                TipcSocketAddress.service(18888, 5, 0x0100_1001, -3).toString());
        assertEquals("tipc[socket ref=3021993, node=0x1001001, scope=ZONE]", TipcSocketAddress.socket(3021993, 0x0100_1001, 1).toString());
    }

    @Test
    void theKernelReportsTheSocketFormBeforeAndAfterBind() throws Exception {
        try (SockaddrTesting.LiveSocket socket = SockaddrTesting.LiveSocket.open("AF_TIPC", AF_TIPC, SockaddrTesting.SOCK_RDM, 0)) {
            SockaddrTesting.LiveSocket.Name before = socket.getsockname();
            assertEquals(16, before.length(), "sizeof(struct sockaddr_tipc)");
            TipcSocketAddress own = assertInstanceOf(TipcSocketAddress.class, before.address());
            assertEquals(Kind.SOCKET, own.kind());
            assertEquals(0, own.scope());
            assertEquals(before.bytes().getInt(4), own.ref());

            assertEquals("0", socket.bind(TipcSocketAddress.serviceRange(18888, 1, 10, TipcSocketAddress.TIPC_NODE_SCOPE)),
                    "bind publishes the range");
            assertEquals(own, socket.getsockname().address(), "getsockname names the socket, not what it published");
        }
    }
}
