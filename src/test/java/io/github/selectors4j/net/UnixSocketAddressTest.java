package io.github.selectors4j.net;

import static io.github.selectors4j.net.SockaddrTesting.assertSameBytes;
import static io.github.selectors4j.net.SockaddrTesting.filled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link UnixSocketAddress} against struct sockaddr_un of sys/un.h, with the expected bytes and
 * lengths written by hand from that header and unix(7), and against the kernel's own getsockname.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "the expected bytes are Linux's layout, and abstract names exist only on Linux")
class UnixSocketAddressTest {

    /** AF_UNIX in linux/socket.h. */
    private static final int AF_UNIX = 1;
    private static final int OFFSET = 3;

    /** struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; }: the family, then {@code path} from offset 2. */
    private static ByteBuffer sockaddrUn(byte[] path) {
        ByteBuffer expected = filled(128);
        expected.putShort(OFFSET, (short) AF_UNIX);
        expected.put(OFFSET + 2, path);
        return expected;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aPathIsWrittenWithItsTerminatingNul() {
        ByteBuffer actual = filled(128);
        // unix(7): a pathname address is offsetof(sun_path) + strlen(path) + 1 bytes long.
        assertEquals(2 + 11 + 1, UnixSocketAddress.of("/tmp/x.sock").encode(actual, OFFSET));
        assertSameBytes(sockaddrUn(ascii("/tmp/x.sock\0")), actual);
    }

    @Test
    void anAbstractNameHasALeadingNulAndNoTerminator() {
        ByteBuffer actual = filled(128);
        // unix(7): an abstract address is offsetof(sun_path) + 1 + strlen(name) bytes; nothing follows the name.
        assertEquals(2 + 1 + 4, UnixSocketAddress.abstractName("name").encode(actual, OFFSET));
        assertSameBytes(sockaddrUn(ascii("\0name")), actual);

        ByteBuffer withNul = filled(128);
        assertEquals(2 + 1 + 3, UnixSocketAddress.abstractName(new byte[] {'a', 0, 'b'}).encode(withNul, OFFSET));
        assertSameBytes(sockaddrUn(new byte[] {0, 'a', 0, 'b'}), withNul);
    }

    @Test
    void theUnnamedAddressIsTheFamilyAlone() {
        ByteBuffer actual = filled(128);
        assertEquals(2, UnixSocketAddress.unnamed().encode(actual, OFFSET), "sizeof(sa_family_t)");
        assertSameBytes(sockaddrUn(new byte[0]), actual);
    }

    @Test
    void decodesEachKindFromTheKernelsBytes() {
        ByteBuffer path = sockaddrUn(ascii("/run/a.sock\0"));
        assertEquals(UnixSocketAddress.of("/run/a.sock"), NativeSocketAddress.decode(path, OFFSET, 2 + 12));
        assertEquals(UnixSocketAddress.of("/run/a.sock"), NativeSocketAddress.decode(path, OFFSET, 2 + 11),
                "a path without its terminator (a length that leaves it out) reads the same");
        ByteBuffer abstractName = sockaddrUn(ascii("\0svc\0"));
        assertEquals(UnixSocketAddress.abstractName("svc"), NativeSocketAddress.decode(abstractName, OFFSET, 2 + 1 + 3));
        assertEquals(UnixSocketAddress.abstractName(new byte[] {'s', 'v', 'c', 0}), NativeSocketAddress.decode(abstractName, OFFSET, 2 + 1 + 4),
                "an abstract name is exactly as long as the length says, NULs included");
        assertSame(UnixSocketAddress.unnamed(), NativeSocketAddress.decode(sockaddrUn(new byte[0]), OFFSET, 2));
    }

    @Test
    void printsEachKind() {
        assertEquals("/tmp/x.sock", UnixSocketAddress.of(Path.of("/tmp/x.sock")).toString());
        assertEquals("@name", UnixSocketAddress.abstractName("name").toString());
        assertEquals("@a@b", UnixSocketAddress.abstractName(new byte[] {'a', 0, 'b'}).toString(), "a NUL inside prints as @");
        assertEquals("<unnamed>", UnixSocketAddress.unnamed().toString());
    }

    @Test
    void decodesAnythingOrRefusesIt() {
        SockaddrTesting.fuzz(UnixSocketAddress::decode, AF_UNIX, 112);
    }

    @Test
    void theKernelReportsABoundPathInTheSameLayout(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.sock");
        UnixSocketAddress address = UnixSocketAddress.of(file);
        ByteBuffer encoded = filled(128);
        int length = address.encode(encoded, 0);
        try (SockaddrTesting.LiveSocket socket = SockaddrTesting.LiveSocket.open("AF_UNIX", AF_UNIX, SockaddrTesting.SOCK_DGRAM, 0)) {
            assertEquals("0", socket.bind(address));
            SockaddrTesting.LiveSocket.Name name = socket.getsockname();
            assertEquals(length, name.length(), "the path and its NUL");
            assertEquals(SockaddrTesting.hex(encoded.limit(length)), SockaddrTesting.hex(name.bytes().limit(length)));
            assertEquals(address, name.address());
        }
    }

    @Test
    void theKernelReportsAnAbstractNameInTheSameLayout() throws Exception {
        UnixSocketAddress address = UnixSocketAddress.abstractName("selectors4j-layout-" + ProcessHandle.current().pid());
        try (SockaddrTesting.LiveSocket socket = SockaddrTesting.LiveSocket.open("AF_UNIX", AF_UNIX, SockaddrTesting.SOCK_DGRAM, 0)) {
            assertEquals("0", socket.bind(address));
            SockaddrTesting.LiveSocket.Name name = socket.getsockname();
            assertEquals(2 + 1 + address.nameBytes().length, name.length(), "no terminator counted");
            assertEquals(0, name.bytes().get(2), "the leading NUL");
            assertEquals(address, assertInstanceOf(UnixSocketAddress.class, name.address()));
        }
    }
}
