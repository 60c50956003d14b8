package io.github.selectors4j.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.internal.KqueueAbi.Flavor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code struct kevent} of every supported system, encoded and decoded against the byte layout of
 * that system's {@code sys/event.h} (LP64). The expected bytes are written field by field at the
 * offsets the headers give, independently of the code under test.
 */
class KqueueAbiTest {

    private static final long IDENT = 0x0102_0304_0506_0708L;
    private static final int FILTER = -11;
    private static final int FLAGS = 0x8031;
    private static final int FFLAGS = 0x0100_0002;
    private static final long DATA = -5_000_000_000L;
    private static final long UDATA = 0xcafe_f00d_1234_5678L;

    /**
     * Offsets from the headers: ident, filter (size), flags (size), fflags, data, udata, sizeof.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // flavor,   filter@,size, flags@,size, fflags@, data@, udata@, sizeof
        "DARWIN,     8, 2, 10, 2, 12, 16, 24, 32",   // xnu bsd/sys/event.h, #pragma pack(4)
        "FREEBSD_11, 8, 2, 10, 2, 12, 16, 24, 32",   // intptr_t data
        "FREEBSD,    8, 2, 10, 2, 12, 16, 24, 64",   // int64_t data, uint64_t ext[4] at 32
        "OPENBSD,    8, 2, 10, 2, 12, 16, 24, 32",   // int64_t data
        "NETBSD_10,  8, 4, 12, 4, 16, 24, 32, 40",   // uint32_t filter and flags
        "NETBSD_11,  8, 4, 12, 4, 16, 24, 32, 72",   // plus uint64_t ext[4] at 40
        "DRAGONFLY,  8, 2, 10, 2, 12, 16, 24, 32",
        "LIBKQUEUE,  8, 2, 10, 2, 12, 16, 24, 32",
    })
    void layoutsMatchEachHeader(Flavor flavor, int filterAt, int filterSize, int flagsAt, int flagsSize,
                                int fflagsAt, int dataAt, int udataAt, int size) {
        KqueueAbi abi = KqueueAbi.of(flavor, 8, ByteOrder.LITTLE_ENDIAN);
        assertEquals(size, abi.keventSize());
        assertEquals(16, abi.timespecSize());

        int filter = filterSize == 2 ? FILTER : 8;   // NetBSD filters are unsigned
        ByteBuffer expected = ByteBuffer.allocate(size + 8).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(4, IDENT);
        put(expected, 4 + filterAt, filterSize, filter);
        put(expected, 4 + flagsAt, flagsSize, FLAGS);
        expected.putInt(4 + fflagsAt, FFLAGS);
        expected.putLong(4 + dataAt, DATA);
        expected.putLong(4 + udataAt, UDATA);

        ByteBuffer actual = ByteBuffer.allocate(size + 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < actual.capacity(); i++) {
            actual.put(i, (byte) 0x5a);   // ext words must come out zeroed, the margins untouched
        }
        for (int i = 0; i < 4; i++) {
            expected.put(i, (byte) 0x5a);
            expected.put(4 + size + i, (byte) 0x5a);
        }
        abi.encode(actual, 4, IDENT, filter, FLAGS, FFLAGS, DATA, UDATA);
        assertArrayEquals(expected.array(), actual.array(), flavor + " encodes at the header's offsets");

        assertEquals(IDENT, abi.ident(actual, 4));
        assertEquals(filter, abi.filter(actual, 4));
        assertEquals(FLAGS, abi.flags(actual, 4));
        assertEquals(FFLAGS, abi.fflags(actual, 4));
        assertEquals(DATA, abi.data(actual, 4));
        assertEquals(UDATA, abi.udata(actual, 4));
    }

    @Test
    void bigEndianSystemsWriteEachFieldMostSignificantByteFirst() {
        KqueueAbi abi = KqueueAbi.of(Flavor.FREEBSD, 8, ByteOrder.BIG_ENDIAN);   // e.g. FreeBSD/powerpc64
        ByteBuffer buffer = ByteBuffer.allocate(64).order(ByteOrder.BIG_ENDIAN);
        abi.encode(buffer, 0, 5, -1, 0x0011, 0, 1, 0);
        assertEquals(5, buffer.get(7), "ident's low byte is its last");
        assertEquals((byte) 0xff, buffer.get(8));
        assertEquals((byte) 0xff, buffer.get(9));
        assertEquals(0x11, buffer.get(11), "flags' low byte is its second");
        assertEquals(1, buffer.get(23), "data's low byte is its last");
        assertEquals(-1, abi.filter(buffer, 0));
    }

    @Test
    void thirtyTwoBitLayoutsUsePointerSizedFields() {
        // i386 libkqueue: uintptr_t, short, u_short, u_int, intptr_t, void* with 4-byte words.
        KqueueAbi abi = KqueueAbi.of(Flavor.LIBKQUEUE, 4, ByteOrder.LITTLE_ENDIAN);
        assertEquals(20, abi.keventSize());
        assertEquals(8, abi.timespecSize());
        ByteBuffer buffer = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        abi.encode(buffer, 0, 0xffff_fff0L, -1, 1, 2, -3, 0x8000_0000L);
        assertEquals(0xffff_fff0L, abi.ident(buffer, 0), "ident is unsigned");
        assertEquals(-1, buffer.getShort(4));
        assertEquals(2, buffer.getInt(8));
        assertEquals(-3, buffer.getInt(12));
        assertEquals(0x8000_0000L, abi.udata(buffer, 0));
    }

    @Test
    void constantsThatDifferBetweenSystems() {
        assertEquals(-10, value(Flavor.DARWIN, "EVFILT_USER"));
        assertEquals(-11, value(Flavor.FREEBSD, "EVFILT_USER"));
        assertEquals(-10, value(Flavor.OPENBSD, "EVFILT_USER"));
        assertEquals(8, value(Flavor.NETBSD_10, "EVFILT_USER"));
        assertEquals(-9, value(Flavor.DRAGONFLY, "EVFILT_USER"));
        assertEquals(-11, value(Flavor.LIBKQUEUE, "EVFILT_USER"));
        assertEquals(0, value(Flavor.NETBSD_11, "EVFILT_READ"));

        assertEquals(0x2, value(Flavor.DARWIN, "NOTE_USECONDS"));
        assertEquals(0x4, value(Flavor.FREEBSD, "NOTE_USECONDS"));
        assertEquals(0x3, value(Flavor.OPENBSD, "NOTE_NSECONDS"));
        assertEquals(0xF800, value(Flavor.OPENBSD, "EV_SYSFLAGS"));
        assertEquals(0xfff0_0000, value(Flavor.DARWIN, "NOTE_PCTRLMASK"));

        assertFalse(KqueueAbi.of(Flavor.LIBKQUEUE, 8, ByteOrder.LITTLE_ENDIAN).find("NOTE_REVOKE").isPresent(),
                "libkqueue #undefs NOTE_REVOKE");
        assertFalse(KqueueAbi.of(Flavor.DRAGONFLY, 8, ByteOrder.LITTLE_ENDIAN).find("NOTE_SECONDS").isPresent());
        assertTrue(KqueueAbi.of(Flavor.FREEBSD, 8, ByteOrder.LITTLE_ENDIAN).find("EVFILT_EMPTY").isPresent());
    }

    @Test
    void symbolsAndNames() {
        assertEquals("__kevent50", KqueueAbi.of(Flavor.NETBSD_10, 8, ByteOrder.LITTLE_ENDIAN).keventSymbol());
        assertEquals("__kevent100", KqueueAbi.of(Flavor.NETBSD_11, 8, ByteOrder.LITTLE_ENDIAN).keventSymbol());
        assertEquals("kevent", KqueueAbi.of(Flavor.DARWIN, 8, ByteOrder.LITTLE_ENDIAN).keventSymbol());

        KqueueAbi freebsd = KqueueAbi.of(Flavor.FREEBSD, 8, ByteOrder.LITTLE_ENDIAN);
        assertEquals("USER", freebsd.filterName(-11));
        assertEquals("-99", freebsd.filterName(-99));
        assertEquals("ADD|CLEAR|EOF", freebsd.flagNames(0x8021));
        assertEquals("ONESHOT|0x800", freebsd.flagNames(0x0810));
        assertEquals("0", freebsd.flagNames(0));
        assertEquals("READ", KqueueAbi.of(Flavor.NETBSD_10, 8, ByteOrder.LITTLE_ENDIAN).filterName(0));
    }

    @Test
    void timespecsSplitSecondsAndNanoseconds() {
        KqueueAbi abi = KqueueAbi.of(Flavor.LIBKQUEUE, 8, ByteOrder.LITTLE_ENDIAN);
        ByteBuffer buffer = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        abi.encodeTimespec(buffer, 0, 2_500_000_001L);
        assertEquals(2, buffer.getLong(0));
        assertEquals(500_000_001, buffer.getLong(8));
    }

    private static int value(Flavor flavor, String name) {
        return KqueueAbi.of(flavor, 8, ByteOrder.LITTLE_ENDIAN).find(name).orElseThrow();
    }

    private static void put(ByteBuffer buffer, int at, int size, int value) {
        if (size == 2) {
            buffer.putShort(at, (short) value);
        } else {
            buffer.putInt(at, value);
        }
    }
}
