package io.github.selectors4j.net;

import static io.github.selectors4j.net.SockaddrTesting.assertInvalid;
import static io.github.selectors4j.net.SockaddrTesting.assertRefused;
import static io.github.selectors4j.net.SockaddrTesting.assertSameBytes;
import static io.github.selectors4j.net.SockaddrTesting.filled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@link VsockSocketAddress}: struct sockaddr_vm of linux/vm_sockets.h, and the kernel's view of it. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "the AF_VSOCK layout tested is Linux's")
class VsockSocketAddressTest {

    /** AF_VSOCK in linux/socket.h. */
    private static final int AF_VSOCK = 40;
    private static final int OFFSET = 9;

    @Test
    void encodesSockaddrVm() {
        ByteBuffer actual = filled(32);
        assertEquals(16, new VsockSocketAddress(0xfedc_ba98L, 0x8000_0001L, VsockSocketAddress.VMADDR_FLAG_TO_HOST).encode(actual, OFFSET));

        // struct sockaddr_vm { sa_family_t svm_family; u16 svm_reserved1; u32 svm_port; u32 svm_cid;
        //                      u8 svm_flags; u8 svm_zero[3]; }
        ByteBuffer expected = filled(32);
        expected.putShort(OFFSET, (short) AF_VSOCK);
        expected.putShort(OFFSET + 2, (short) 0);
        expected.putInt(OFFSET + 4, 0x8000_0001);
        expected.putInt(OFFSET + 8, 0xfedc_ba98);
        expected.put(OFFSET + 12, (byte) 1);
        SockaddrTesting.zero(expected, OFFSET + 13, 3);
        assertSameBytes(expected, actual);
    }

    @Test
    void roundTrips() {
        for (VsockSocketAddress address : new VsockSocketAddress[] {
                new VsockSocketAddress(VsockSocketAddress.VMADDR_CID_ANY, VsockSocketAddress.VMADDR_PORT_ANY),
                new VsockSocketAddress(VsockSocketAddress.VMADDR_CID_HOST, 1234),
                new VsockSocketAddress(0, 0, 255)}) {
            ByteBuffer buffer = filled(40);
            int length = address.encode(buffer, OFFSET);
            assertEquals(address, VsockSocketAddress.decode(buffer, OFFSET, length));
            assertEquals(address, NativeSocketAddress.decode(buffer, OFFSET, length), "through the family dispatch");
        }
        assertEquals(new VsockSocketAddress(3, 4, 0), new VsockSocketAddress(3, 4));
        assertEquals(new VsockSocketAddress(3, 4, 0).hashCode(), new VsockSocketAddress(3, 4).hashCode());
    }

    @Test
    void refusesShortForeignOrOutOfBoundsSockaddrs() {
        ByteBuffer buffer = filled(40);
        new VsockSocketAddress(3, 4).encode(buffer, OFFSET);
        assertRefused(VsockSocketAddress::decode, buffer, OFFSET, 15, "at least 16 bytes, got 15");
        assertRefused(VsockSocketAddress::decode, buffer, 30, 16, "does not fit");
        buffer.putShort(OFFSET, (short) AddressFamily.AF_UNIX);
        assertRefused(VsockSocketAddress::decode, buffer, OFFSET, 16, "family " + AddressFamily.AF_UNIX);
    }

    @Test
    void decodesAnythingOrRefusesIt() {
        SockaddrTesting.fuzz(VsockSocketAddress::decode, AF_VSOCK, 24);
    }

    @Test
    void validatesUnsignedRanges() {
        assertInvalid("svm_cid must be 0-0xffffffff: -1", () -> new VsockSocketAddress(-1, 0));
        assertInvalid("svm_cid must be 0-0xffffffff: 4294967296", () -> new VsockSocketAddress(0x1_0000_0000L, 0));
        assertInvalid("svm_port must be 0-0xffffffff: 4294967296", () -> new VsockSocketAddress(2, 0x1_0000_0000L));
        assertInvalid("svm_port must be 0-0xffffffff: -5", () -> new VsockSocketAddress(2, -5));
        assertInvalid("svm_flags must be 0-255: 256", () -> new VsockSocketAddress(2, 1, 256));
    }

    @Test
    void printsReadably() {
        assertEquals("vsock[cid=any, port=any]",
                new VsockSocketAddress(VsockSocketAddress.VMADDR_CID_ANY, VsockSocketAddress.VMADDR_PORT_ANY).toString());
        assertEquals("vsock[cid=host(2), port=1234]", new VsockSocketAddress(2, 1234).toString());
        assertEquals("vsock[cid=77, port=5, flags=TO_HOST]", new VsockSocketAddress(77, 5, 1).toString());
    }

    @Test
    void theKernelAssignsAPortOnBind() throws Exception {
        try (SockaddrTesting.LiveSocket socket = SockaddrTesting.LiveSocket.open("AF_VSOCK", AF_VSOCK, SockaddrTesting.SOCK_STREAM, 0)) {
            String bind = socket.bind(new VsockSocketAddress(VsockSocketAddress.VMADDR_CID_ANY, VsockSocketAddress.VMADDR_PORT_ANY));
            Assumptions.assumeTrue(bind.equals("0"), "AF_VSOCK bind(VMADDR_CID_ANY, VMADDR_PORT_ANY) failed with " + bind
                    + ": no vsock transport is loaded in this kernel");
            SockaddrTesting.LiveSocket.Name name = socket.getsockname();
            assertEquals(16, name.length(), "sizeof(struct sockaddr_vm)");
            VsockSocketAddress local = assertInstanceOf(VsockSocketAddress.class, name.address());
            assertEquals(VsockSocketAddress.VMADDR_CID_ANY, local.cid());
            assertNotEquals(VsockSocketAddress.VMADDR_PORT_ANY, local.port(), "the kernel picked a port");
            assertEquals(Integer.toUnsignedLong(name.bytes().getInt(4)), local.port());
            assertEquals(0, local.flags());
            assertEquals(0, name.bytes().getShort(2), "svm_reserved1");
        }
    }
}
