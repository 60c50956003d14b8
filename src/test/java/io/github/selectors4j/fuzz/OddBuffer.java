package io.github.selectors4j.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A ByteBuffer of a shape the fuzzer picks (heap or direct, whole, sliced out of a larger buffer,
 * or wrapped around part of an array; read-only or not; any capacity up to past the 64 KiB the
 * library copies heap buffers through; any position and limit), over a parent whose every byte is
 * known. After a call, {@link #changedOutside} tells whether anything outside the window the call
 * was allowed to write was touched: a native call given a wrong address or length writes there.
 */
final class OddBuffer {

    /** The largest capacity tried: past SocketScratch.MAX_DATA, the heap-copy chunk. */
    static final int MAX_CAPACITY = 70_000;

    final ByteBuffer buffer;
    final String shape;
    /** Where the buffer's index 0 is in the parent. */
    private final int base;
    private final byte[] heapParent;
    private final ByteBuffer directParent;
    private final byte[] before;

    private OddBuffer(ByteBuffer buffer, String shape, int base, byte[] heapParent, ByteBuffer directParent) {
        this.buffer = buffer;
        this.shape = shape;
        this.base = base;
        this.heapParent = heapParent;
        this.directParent = directParent;
        this.before = parentBytes();
    }

    static OddBuffer make(FuzzedDataProvider data) {
        int capacity = data.consumeBoolean() ? data.consumeInt(0, 64) : data.consumeInt(0, MAX_CAPACITY);
        int kind = data.consumeInt(0, 3);
        boolean direct = data.consumeBoolean();
        boolean readOnly = data.consumeInt(0, 7) == 0;
        int slack = kind == 0 ? 0 : data.consumeInt(0, 32);
        int lead = slack == 0 ? 0 : data.consumeInt(0, slack);
        int parentSize = capacity + slack;
        byte[] heapParent = direct ? null : new byte[parentSize];
        ByteBuffer directParent = direct ? ByteBuffer.allocateDirect(parentSize) : null;
        for (int i = 0; i < parentSize; i++) {
            byte value = pattern(i);
            if (direct) {
                directParent.put(i, value);
            } else {
                heapParent[i] = value;
            }
        }
        ByteBuffer parent = direct ? directParent : ByteBuffer.wrap(heapParent);
        ByteBuffer buffer;
        int base;
        String shape;
        switch (kind) {
            case 0 -> {
                // The buffer itself; the parent reference reads it through a cleared duplicate.
                buffer = parent;
                base = 0;
                shape = "whole";
            }
            case 1 -> {
                buffer = parent.duplicate().position(lead).limit(lead + capacity).slice();
                base = lead;
                shape = "slice at " + lead;
            }
            case 2 -> {
                // Not a slice: a duplicate whose index 0 is the parent's, with the window inside.
                buffer = parent.duplicate();
                base = 0;
                shape = "duplicate";
            }
            default -> {
                buffer = direct ? parent.duplicate().position(lead).limit(lead + capacity).slice() : ByteBuffer.wrap(heapParent, lead, capacity).slice();
                base = lead;
                shape = direct ? "slice at " + lead : "wrapped slice at " + lead;
            }
        }
        int limit = data.consumeInt(0, buffer.capacity());
        int position = data.consumeInt(0, limit);
        buffer.limit(limit).position(position);
        if (readOnly) {
            buffer = buffer.asReadOnlyBuffer();
        }
        String description = (direct ? "direct " : "heap ") + (readOnly ? "read-only " : "") + shape
                + " [pos=" + position + ", lim=" + limit + ", cap=" + buffer.capacity() + "]";
        return new OddBuffer(buffer, description, base, heapParent, directParent);
    }

    /** The known content of parent byte {@code i}. */
    static byte pattern(int i) {
        return (byte) (i * 31 + 7);
    }

    /** The parent's index of the buffer's index {@code i}. */
    int parentIndex(int i) {
        return base + i;
    }

    private byte[] parentBytes() {
        if (heapParent != null) {
            return heapParent.clone();
        }
        byte[] copy = new byte[directParent.capacity()];
        directParent.duplicate().clear().get(0, copy);
        return copy;
    }

    /**
     * The first parent index outside buffer indexes [from, to) whose byte changed, or -1.
     *
     * @param from first buffer index the call could write
     * @param to   end of that window
     */
    int changedOutside(int from, int to) {
        byte[] now = parentBytes();
        for (int i = 0; i < now.length; i++) {
            boolean inside = i >= parentIndex(from) && i < parentIndex(to);
            if (!inside && now[i] != before[i]) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the buffer's bytes [from, to) equal {@code expected}. */
    boolean holds(int from, byte[] expected) {
        byte[] now = parentBytes();
        return Arrays.equals(now, parentIndex(from), parentIndex(from) + expected.length, expected, 0, expected.length);
    }

    /** The bytes [from, to) of the buffer as they were before the call. */
    byte[] originalBytes(int from, int to) {
        return Arrays.copyOfRange(before, parentIndex(from), parentIndex(to));
    }

    @Override
    public String toString() {
        return shape;
    }
}
