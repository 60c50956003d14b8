package io.github.selectors4j.fd;

import io.github.selectors4j.internal.NativePaths;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One event read from an {@link Inotify}: Linux's {@code struct inotify_event}.
 *
 * <pre>{@code
 * for (InotifyEvent event : inotify.read()) {
 *     if (event.is(Inotify.IN_CREATE)) {
 *         System.out.println("created " + event.name() + (event.is(Inotify.IN_ISDIR) ? "/" : ""));
 *     }
 * }
 * }</pre>
 *
 * @param wd     the watch descriptor {@link Inotify#addWatch} returned; -1 for {@link Inotify#IN_Q_OVERFLOW}
 * @param mask   what happened: {@code IN_*} bits, with {@link Inotify#IN_ISDIR} for a directory
 * @param cookie links the {@link Inotify#IN_MOVED_FROM} and {@link Inotify#IN_MOVED_TO} halves of one
 *               rename; 0 otherwise
 * @param name   the name of the file inside a watched directory that the event is about; null when
 *               the event is about the watched object itself
 */
public record InotifyEvent(int wd, int mask, int cookie, String name) {

    /** {@code sizeof(struct inotify_event)} without its name: {@code int wd; u32 mask, cookie, len}. */
    public static final int HEADER_SIZE = 16;

    /**
     * Whether any of the given bits is set in {@link #mask()}.
     *
     * @param bits {@code IN_*} bits
     * @return true if {@code mask & bits} is not zero
     */
    public boolean is(int bits) {
        return (mask & bits) != 0;
    }

    /**
     * Decodes the records that one {@code read(2)} of an inotify fd returned: each a 16-byte
     * header ({@code wd}, {@code mask}, {@code cookie}, {@code len}) followed by {@code len} bytes
     * of NUL-terminated, NUL-padded name. Fields are in native byte order, whatever the buffer's
     * order.
     *
     * <p>Every length is checked before it is used, and nothing beyond {@code length} bytes is read:
     * this is the one place where bytes from the kernel (or a fuzzer) become objects.
     *
     * @param buffer the bytes, starting at the buffer's position; neither the position nor the
     *               contents are changed
     * @param length how many bytes the read returned
     * @return the events, in order; empty for a length of 0
     * @throws IllegalArgumentException if {@code length} is negative or exceeds the buffer's
     *                                  remaining bytes, a record is cut short, a name runs past the
     *                                  end, or a name has no terminating NUL
     */
    public static List<InotifyEvent> decodeAll(ByteBuffer buffer, int length) {
        Objects.requireNonNull(buffer, "buffer");
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("inotify read length " + length + " is outside the buffer's "
                    + buffer.remaining() + " remaining bytes");
        }
        ByteBuffer b = buffer.duplicate().order(ByteOrder.nativeOrder());
        int base = buffer.position();
        List<InotifyEvent> events = new ArrayList<>();
        int offset = 0;
        while (offset < length) {
            int left = length - offset;
            if (left < HEADER_SIZE) {
                throw new IllegalArgumentException("truncated inotify_event at byte " + offset + ": " + left
                        + " bytes left, the header needs " + HEADER_SIZE);
            }
            int at = base + offset;
            int wd = b.getInt(at);
            int mask = b.getInt(at + 4);
            int cookie = b.getInt(at + 8);
            long nameLength = Integer.toUnsignedLong(b.getInt(at + 12));
            if (nameLength > left - HEADER_SIZE) {
                throw new IllegalArgumentException("inotify_event at byte " + offset + " has a name of " + nameLength
                        + " bytes but only " + (left - HEADER_SIZE) + " follow");
            }
            String name = nameLength == 0 ? null : name(b, at + HEADER_SIZE, (int) nameLength, offset);
            events.add(new InotifyEvent(wd, mask, cookie, name));
            offset += HEADER_SIZE + (int) nameLength;
        }
        return events;
    }

    /** The name up to its first NUL; the kernel pads names with NULs to keep records aligned. */
    private static String name(ByteBuffer b, int start, int length, int recordOffset) {
        byte[] bytes = new byte[length];
        b.get(start, bytes);
        int end = 0;
        while (end < length && bytes[end] != 0) {
            end++;
        }
        if (end == length) {
            throw new IllegalArgumentException("inotify_event at byte " + recordOffset + " has a name of " + length
                    + " bytes with no terminating NUL");
        }
        return end == 0 ? null : NativePaths.decode(bytes, 0, end);
    }
}
