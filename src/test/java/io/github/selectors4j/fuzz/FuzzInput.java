package io.github.selectors4j.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * How the byte-array fuzz targets turn one input into a decoder call: the first byte chooses the
 * layout, the rest is the encoded structure. The structure is placed in a buffer that ends exactly
 * where it does (or where a few trailing bytes do), after up to 7 bytes of junk, so that a decoder
 * that reads one byte past its range or ignores the offset fails with an exception instead of
 * reading a neighbour's bytes; the first byte also chooses a heap or a direct buffer, since the two
 * take different paths through {@code ByteBuffer}.
 */
final class FuzzInput {

    /** Where the structure starts in {@link #buffer}. */
    final int offset;
    /** The structure's length, as a kernel would report it. */
    final int length;
    /** Native order, position 0, limit = offset + length + trailing bytes. */
    final ByteBuffer buffer;
    private final byte[] raw;

    private FuzzInput(byte[] raw) {
        this.raw = raw;
        int layout = raw.length == 0 ? 0 : raw[0] & 0xff;
        byte[] body = raw.length == 0 ? raw : java.util.Arrays.copyOfRange(raw, 1, raw.length);
        this.offset = layout & 7;
        int trailing = (layout >>> 3) & 3;
        boolean direct = (layout & 0x20) != 0;
        int size = offset + body.length + trailing;
        ByteBuffer made = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        made.order(ByteOrder.nativeOrder());
        for (int i = 0; i < offset; i++) {
            made.put(i, (byte) 0xa5);
        }
        made.put(offset, body);
        this.length = body.length;
        this.buffer = made;
    }

    /** Lays out a fuzzer input. */
    static FuzzInput of(byte[] raw) {
        return new FuzzInput(raw);
    }

    /** The input in hex, for failure messages: paste it into a file to make a regression seed. */
    @Override
    public String toString() {
        return HexFormat.of().formatHex(raw);
    }
}
