package io.github.selectors4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * {@link NativeBuffer} checks every access against its size itself (it reads and writes through
 * jffi's unchecked accessor): a bad offset is an exception, never a write outside the block.
 */
class NativeBufferTest {

    @Test
    void valuesRoundTripInNativeOrderAtEveryOffset() {
        NativeBuffer buffer = new NativeBuffer(16);
        try {
            buffer.putLong(8, 0x0102030405060708L);
            buffer.putInt(0, 0x11223344);
            buffer.putShort(4, (short) 0x5566);
            assertEquals(0x0102030405060708L, buffer.getLong(8));
            assertEquals(0x11223344, buffer.getInt(0));
            assertEquals((short) 0x5566, buffer.getShort(4));
            assertEquals(buffer.asByteBuffer().get(8), buffer.getByte(8));
        } finally {
            buffer.free();
        }
    }

    @Test
    void accessesThatWouldLeaveTheBlockAreRefused() {
        NativeBuffer buffer = new NativeBuffer(8);
        try {
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.getLong(1));
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.putLong(1, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.putInt(5, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.getShort(7));
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.getByte(8));
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.getByte(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.putInt(Long.MAX_VALUE - 1, 0));
            assertEquals(0, buffer.getByte(7), "the last byte is inside");
        } finally {
            buffer.free();
        }
    }

    @Test
    void aFreedBufferRefusesEveryAccessInsteadOfTouchingFreedMemory() {
        NativeBuffer buffer = new NativeBuffer(8);
        buffer.free();
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getLong(0));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putInt(0, 1));
        buffer.free();   // idempotent
    }

    @Test
    void aGrownBufferKeepsItsContentsAndAcceptsTheNewRange() {
        NativeBuffer buffer = new NativeBuffer(8);
        try {
            buffer.putLong(0, 42);
            buffer.ensureCapacity(64);
            assertEquals(42, buffer.getLong(0));
            assertEquals(0, buffer.getLong(56), "the new tail is zeroed");
            buffer.putLong(56, 7);
            assertEquals(7, buffer.getLong(56));
        } finally {
            buffer.free();
        }
    }
}
