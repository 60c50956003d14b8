package io.github.selectors4j.net;

import static io.github.selectors4j.net.SockaddrTesting.assertInvalid;
import static io.github.selectors4j.net.SockaddrTesting.assertRefused;
import static io.github.selectors4j.net.SockaddrTesting.assertSameBytes;
import static io.github.selectors4j.net.SockaddrTesting.filled;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.Native;
import io.github.selectors4j.internal.NativeBuffer;
import io.github.selectors4j.internal.Platform;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@link AlgSocketAddress}: struct sockaddr_alg of linux/if_alg.h, and the kernel's use of it. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "AF_ALG exists only on Linux")
class AlgSocketAddressTest {

    /** AF_ALG in linux/socket.h. */
    private static final int AF_ALG = 38;
    private static final int OFFSET = 3;

    @Test
    void encodesSockaddrAlg() {
        ByteBuffer actual = filled(100);
        assertEquals(88, new AlgSocketAddress("skcipher", "cbc(aes)", 0x10, 0x8000_0010).encode(actual, OFFSET));

        // struct sockaddr_alg { u16 salg_family; u8 salg_type[14]; u32 salg_feat; u32 salg_mask; u8 salg_name[64]; }
        ByteBuffer expected = filled(100);
        SockaddrTesting.zero(expected, OFFSET, 88);
        expected.putShort(OFFSET, (short) AF_ALG);
        expected.put(OFFSET + 2, "skcipher".getBytes(StandardCharsets.US_ASCII));
        expected.putInt(OFFSET + 16, 0x10);
        expected.putInt(OFFSET + 20, 0x8000_0010);
        expected.put(OFFSET + 24, "cbc(aes)".getBytes(StandardCharsets.US_ASCII));
        assertSameBytes(expected, actual);
    }

    @Test
    void fillsBothFieldsToTheirLastByteButTheNul() {
        String type = "t".repeat(13);
        String name = "n".repeat(63);
        ByteBuffer actual = filled(88);
        new AlgSocketAddress(type, name).encode(actual, 0);
        assertEquals('t', actual.get(14));
        assertEquals(0, actual.get(15), "salg_type's terminator");
        assertEquals('n', actual.get(86));
        assertEquals(0, actual.get(87), "salg_name's terminator");
        assertEquals(new AlgSocketAddress(type, name), AlgSocketAddress.decode(actual, 0, 88));
    }

    @Test
    void roundTrips() {
        for (AlgSocketAddress address : new AlgSocketAddress[] {
                new AlgSocketAddress("hash", "sha256"), new AlgSocketAddress("aead", "gcm(aes)", -1, -1),
                new AlgSocketAddress("", "")}) {
            ByteBuffer buffer = filled(100);
            int length = address.encode(buffer, OFFSET);
            assertEquals(address, AlgSocketAddress.decode(buffer, OFFSET, length));
            assertEquals(address, NativeSocketAddress.decode(buffer, OFFSET, length), "through the family dispatch");
        }
    }

    @Test
    void decodesTheVariableLengthForm() {
        // struct sockaddr_alg_new: the name runs to the given length, ending in its NUL.
        ByteBuffer buffer = filled(100);
        new AlgSocketAddress("hash", "sha1").encode(buffer, OFFSET);
        assertEquals(new AlgSocketAddress("hash", "sha1"), AlgSocketAddress.decode(buffer, OFFSET, 24 + 5));
        assertRefused(AlgSocketAddress::decode, buffer, OFFSET, 24 + 4, "salg_name is not NUL-terminated within its 4 bytes");
    }

    @Test
    void refusesShortUnterminatedForeignOrOutOfBoundsSockaddrs() {
        ByteBuffer buffer = filled(100);
        new AlgSocketAddress("hash", "sha256").encode(buffer, OFFSET);
        assertRefused(AlgSocketAddress::decode, buffer, OFFSET, 24, "at least 25 bytes, got 24");
        assertRefused(AlgSocketAddress::decode, buffer, 20, 88, "does not fit");
        for (int i = 2; i < 16; i++) {
            buffer.put(OFFSET + i, (byte) 'x');
        }
        assertRefused(AlgSocketAddress::decode, buffer, OFFSET, 88, "salg_type is not NUL-terminated within its 14 bytes");
        new AlgSocketAddress("hash", "sha256").encode(buffer, OFFSET);
        buffer.put(OFFSET + 24, (byte) 0xff);
        assertRefused(AlgSocketAddress::decode, buffer, OFFSET, 88, "salg_name is not UTF-8");
        buffer.putShort(OFFSET, (short) AddressFamily.AF_INET);
        assertRefused(AlgSocketAddress::decode, buffer, OFFSET, 88, "family " + AddressFamily.AF_INET);
    }

    @Test
    void decodesAnythingOrRefusesIt() {
        SockaddrTesting.fuzz(AlgSocketAddress::decode, AF_ALG, 96);
    }

    @Test
    void validatesLengthsAndNuls() {
        assertInvalid("salg_type too long: \"abcdefghijklmn\" is 14 bytes (at most 13)", () -> new AlgSocketAddress("abcdefghijklmn", "x"));
        assertInvalid("salg_name too long: \"" + "n".repeat(64) + "\" is 64 bytes (at most 63)", () -> new AlgSocketAddress("hash", "n".repeat(64)));
        assertInvalid("is 14 bytes", () -> new AlgSocketAddress("hh\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", "x"));
        assertInvalid("salg_type must not contain NUL: \"ha\\0sh\"", () -> new AlgSocketAddress("ha\0sh", "sha256"));
        assertInvalid("salg_name must not contain NUL: \"sha\\0256\"", () -> new AlgSocketAddress("hash", "sha" + '\0' + "256"));
    }

    @Test
    void printsReadably() {
        assertEquals("alg[hash, sha256]", new AlgSocketAddress("hash", "sha256").toString());
        assertEquals("alg[skcipher, cbc(aes), feat=0x0, mask=0x80000000]", new AlgSocketAddress("skcipher", "cbc(aes)", 0, 0x8000_0000).toString());
    }

    @Test
    void theKernelHashesWithTheAlgorithmTheAddressNames() throws Exception {
        try (SockaddrTesting.LiveSocket socket = SockaddrTesting.LiveSocket.open("AF_ALG", AF_ALG, SockaddrTesting.SOCK_SEQPACKET, 0)) {
            try (SockaddrTesting.LiveSocket unknown = SockaddrTesting.LiveSocket.open("AF_ALG", AF_ALG, SockaddrTesting.SOCK_SEQPACKET, 0)) {
                assertEquals("ENOENT", unknown.bind(new AlgSocketAddress("hash", "no-such-digest")), "the kernel read our salg_name");
            }
            assertEquals("0", socket.bind(new AlgSocketAddress("hash", "sha256")));
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest("abc".getBytes(StandardCharsets.US_ASCII)), digest(socket.fd, "abc"),
                    "the operation socket hashes with sha256");
            // alg_proto_ops has no getname: the address goes only to the kernel, never back.
            try {
                SockaddrTesting.LiveSocket.Name name = socket.getsockname();
                assertEquals(new AlgSocketAddress("hash", "sha256"), name.address());
            } catch (ErrnoException e) {
                assertEquals("EOPNOTSUPP", e.errnoName());
            }
        }
    }

    private static byte[] digest(int fd, String text) throws ErrnoException {
        int operation = Native.SOCKETS.accept4(fd, 0, 0, Platform.CURRENT.oCloexec());
        assertTrue(operation >= 0, "accept4 on the AF_ALG socket");
        // The operation fd is closed whatever fails from here on, the buffer's allocation included.
        try {
            NativeBuffer data = new NativeBuffer(64);
            try {
                byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
                data.asByteBuffer().put(0, bytes);
                assertEquals(bytes.length, Native.SOCKETS.send(operation, data.address(), bytes.length, 0));
                assertEquals(32, Native.SOCKETS.recv(operation, data.address(), 64, 0));
                byte[] digest = new byte[32];
                data.asByteBuffer().get(0, digest);
                return digest;
            } finally {
                data.free();
            }
        } finally {
            Fds.close(operation);
        }
    }
}
