package io.github.selectors4j.fd;

import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link InotifyEvent#decodeAll}: the layout the kernel writes, and every malformed shape refused. */
class InotifyEventTest {

    @Test
    void decodesRecordsWithPaddedAndMissingNames() {
        ByteBuffer bytes = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
        bytes.position(8);   // records start at the position
        int length = record(bytes, 1, Inotify.IN_CREATE, 0, "a.txt", 16)
                + record(bytes, 1, Inotify.IN_MOVED_FROM, 99, "x", 0)
                + record(bytes, 2, Inotify.IN_IGNORED, 0, null, 0)
                + record(bytes, -1, Inotify.IN_Q_OVERFLOW, 0, null, 0);
        bytes.position(8);
        bytes.order(ByteOrder.BIG_ENDIAN == ByteOrder.nativeOrder() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        assertEquals(List.of(
                new InotifyEvent(1, Inotify.IN_CREATE, 0, "a.txt"),
                new InotifyEvent(1, Inotify.IN_MOVED_FROM, 99, "x"),
                new InotifyEvent(2, Inotify.IN_IGNORED, 0, null),
                new InotifyEvent(-1, Inotify.IN_Q_OVERFLOW, 0, null)), InotifyEvent.decodeAll(bytes, length),
                "native order whatever the buffer's order");
        assertEquals(8, bytes.position(), "the position is not moved");
        assertTrue(InotifyEvent.decodeAll(bytes, 0).isEmpty());
    }

    @Test
    void malformedInputIsRefusedWithoutReadingPastTheLength() {
        ByteBuffer one = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        int length = record(one, 1, Inotify.IN_CREATE, 0, "name", 4);   // 16 + 5 + 4 = 25
        one.flip();
        assertThrowsWithMessage(IllegalArgumentException.class, "outside the buffer", () -> InotifyEvent.decodeAll(one, -1));
        assertThrowsWithMessage(IllegalArgumentException.class, "outside the buffer", () -> InotifyEvent.decodeAll(one, length + 1));
        assertThrowsWithMessage(IllegalArgumentException.class, "truncated inotify_event at byte 0: 10 bytes left",
                () -> InotifyEvent.decodeAll(one, 10));
        assertThrowsWithMessage(IllegalArgumentException.class, "has a name of 9 bytes but only 8 follow",
                () -> InotifyEvent.decodeAll(one, 24));

        ByteBuffer huge = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putInt(12, -1);
        assertThrowsWithMessage(IllegalArgumentException.class, "has a name of 4294967295 bytes", () -> InotifyEvent.decodeAll(huge, 16));

        ByteBuffer unterminated = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder()).putInt(12, 4);
        unterminated.put(16, "abcd".getBytes(StandardCharsets.US_ASCII));
        assertThrowsWithMessage(IllegalArgumentException.class, "no terminating NUL", () -> InotifyEvent.decodeAll(unterminated, 20));

        ByteBuffer secondTruncated = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        int first = record(secondTruncated, 1, Inotify.IN_OPEN, 0, null, 0);
        assertThrowsWithMessage(IllegalArgumentException.class, "truncated inotify_event at byte 16",
                () -> InotifyEvent.decodeAll(secondTruncated.position(0), first + 15));
    }

    @Test
    void randomBytesEitherDecodeOrAreRefusedWithIllegalArgument() {
        Random random = new Random(20240611);
        for (int i = 0; i < 20_000; i++) {
            byte[] data = new byte[random.nextInt(80)];
            random.nextBytes(data);
            if (data.length >= 16 && random.nextBoolean()) {
                // Plausible lengths reach the name checks more often than random ones.
                ByteBuffer.wrap(data).order(ByteOrder.nativeOrder()).putInt(12, random.nextInt(data.length - 15));
            }
            ByteBuffer exact = ByteBuffer.wrap(data);   // limit == length: a read past it would throw IndexOutOfBounds
            try {
                List<InotifyEvent> events = InotifyEvent.decodeAll(exact, data.length);
                assertTrue(events.size() <= data.length / InotifyEvent.HEADER_SIZE);
            } catch (IllegalArgumentException refused) {
                // The only acceptable failure.
            }
        }
    }

    /** Appends one record at the buffer's position, as the kernel lays it out; returns its size. */
    private static int record(ByteBuffer buffer, int wd, int mask, int cookie, String name, int padding) {
        byte[] bytes = name == null ? new byte[0] : name.getBytes(StandardCharsets.UTF_8);
        int nameLength = name == null ? 0 : bytes.length + 1 + padding;
        buffer.putInt(wd).putInt(mask).putInt(cookie).putInt(nameLength);
        if (name != null) {
            buffer.put(bytes).put(new byte[1 + padding]);
        }
        return 16 + nameLength;
    }
}
