package io.github.selectors4j.internal;

import com.kenai.jffi.MemoryIO;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import jnr.ffi.Pointer;

/**
 * A block of native memory with an explicit owner: allocated zeroed by {@code calloc}, grown by
 * {@code realloc}, released by {@link #free()}.
 *
 * <p>Why not GC-managed memory: selectors and poll objects are opened and closed by the hundred
 * thousand in long-running servers, and their event arrays must be gone when {@code close()}
 * returns, not whenever a collector runs. Reads and writes go through a jnr-ffi {@link Pointer},
 * which compiles to plain memory accesses and allocates nothing.
 *
 * <p>Not thread-safe; the owning object decides who may touch it (see {@link ResourceGuard}).
 */
public final class NativeBuffer {

    /**
     * Reads and writes go straight to jffi's memory accessor after our own bounds check: the
     * wrapping {@link Pointer}'s bounded accessor costs several calls per access, measurable on
     * the wakeup path (2 % of the cross-thread profile was its putLong).
     */
    private static final MemoryIO IO = MemoryIO.getInstance();

    private long address;
    private long size;
    private Pointer pointer;
    private final boolean owned;

    /**
     * Allocates {@code size} zeroed bytes.
     *
     * @param size bytes, at least 1
     * @throws OutOfMemoryError if the C heap is exhausted
     */
    public NativeBuffer(long size) {
        if (size < 1) {
            throw new IllegalArgumentException("native buffer size must be positive: " + size);
        }
        this.address = Native.LIBC.calloc(1, size);
        if (address == 0) {
            throw new OutOfMemoryError("calloc(" + size + ") failed");
        }
        this.size = size;
        this.pointer = Pointer.wrap(Native.RUNTIME, address, size);
        this.owned = true;
    }

    private NativeBuffer(long address, long size, boolean owned) {
        this.address = address;
        this.size = size;
        this.pointer = Pointer.wrap(Native.RUNTIME, address, size);
        this.owned = owned;
    }

    /**
     * A view of memory someone else owns (returned by a C library, say); {@link #free()} leaves it
     * alone and {@link #ensureCapacity} is refused.
     *
     * @param address the memory's address
     * @param size    how many bytes the caller knows to be readable there
     * @return the view
     */
    public static NativeBuffer view(long address, long size) {
        if (address == 0) {
            throw new IllegalArgumentException("NULL pointer");
        }
        return new NativeBuffer(address, size, false);
    }

    /** {@return the address, for passing to a bound call} */
    public long address() {
        return address;
    }

    /** {@return the current size in bytes} */
    public long size() {
        return size;
    }

    /** {@return the accessor for reading and writing fields in place} */
    public Pointer pointer() {
        return pointer;
    }

    /**
     * Reads a byte.
     *
     * @param offset the byte offset from the start of the buffer
     * @return the value
     */
    public byte getByte(long offset) {
        Objects.checkFromIndexSize(offset, 1, size);
        return IO.getByte(address + offset);
    }

    /**
     * Reads a native-order {@code short}.
     *
     * @param offset the byte offset from the start of the buffer
     * @return the value
     */
    public short getShort(long offset) {
        Objects.checkFromIndexSize(offset, 2, size);
        return IO.getShort(address + offset);
    }

    /**
     * Reads a native-order {@code int}.
     *
     * @param offset the byte offset from the start of the buffer
     * @return the value
     */
    public int getInt(long offset) {
        Objects.checkFromIndexSize(offset, 4, size);
        return IO.getInt(address + offset);
    }

    /**
     * Reads a native-order {@code long}.
     *
     * @param offset the byte offset from the start of the buffer
     * @return the value
     */
    public long getLong(long offset) {
        Objects.checkFromIndexSize(offset, 8, size);
        return IO.getLong(address + offset);
    }

    /**
     * Writes a native-order {@code short}.
     *
     * @param offset the byte offset from the start of the buffer
     * @param value  the value
     */
    public void putShort(long offset, short value) {
        Objects.checkFromIndexSize(offset, 2, size);
        IO.putShort(address + offset, value);
    }

    /**
     * Writes a native-order {@code int}.
     *
     * @param offset the byte offset from the start of the buffer
     * @param value  the value
     */
    public void putInt(long offset, int value) {
        Objects.checkFromIndexSize(offset, 4, size);
        IO.putInt(address + offset, value);
    }

    /**
     * Writes a native-order {@code long}.
     *
     * @param offset the byte offset from the start of the buffer
     * @param value  the value
     */
    public void putLong(long offset, long value) {
        Objects.checkFromIndexSize(offset, 8, size);
        IO.putLong(address + offset, value);
    }

    /**
     * A {@link ByteBuffer} over the same memory, in native byte order, for struct codecs that
     * work on buffers (and so can be unit-tested on heap buffers too). The view does not own the
     * memory and is invalid after {@link #ensureCapacity} moved it or {@link #free()} released it.
     *
     * @return a new view of the whole block
     */
    public ByteBuffer asByteBuffer() {
        return MemoryIO.getInstance().newDirectByteBuffer(address, (int) size).order(ByteOrder.nativeOrder());
    }

    /**
     * Grows the block to at least {@code newSize} bytes, keeping its contents; the new tail is
     * zeroed. Does nothing if the block is already large enough.
     *
     * @param newSize the size wanted
     */
    public void ensureCapacity(long newSize) {
        if (newSize <= size) {
            return;
        }
        if (!owned) {
            throw new IllegalStateException("cannot grow a view of memory selectors4j does not own");
        }
        long grown = Native.LIBC.realloc(address, newSize);
        if (grown == 0) {
            throw new OutOfMemoryError("realloc(" + newSize + ") failed");
        }
        Pointer.wrap(Native.RUNTIME, grown, newSize).setMemory(size, newSize - size, (byte) 0);
        address = grown;
        size = newSize;
        pointer = Pointer.wrap(Native.RUNTIME, address, size);
    }

    /** Releases the memory; later calls are no-ops. */
    public void free() {
        if (address != 0) {
            if (owned) {
                Native.LIBC.free(address);
            }
            address = 0;
            size = 0;
            pointer = null;
        }
    }
}
