package io.github.selectors4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.selectors4j.internal.KqueueAbi;
import io.github.selectors4j.select.KEvent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The {@code struct kevent} decoder of every kqueue ABI selectors4j knows (macOS, FreeBSD before
 * and after 12, OpenBSD, NetBSD 10 and 11, DragonFly, libkqueue; 64- and 32-bit; both byte
 * orders), on whatever bytes a kernel leaves in an event slot. The slot is a buffer of exactly
 * {@code keventSize()} bytes after some junk, so a field read outside it fails; the six fields
 * decode, encode back and decode to the same values; the {@link KEvent} made of them prints,
 * and compares consistently with equals.
 *
 * <p>The first input byte picks the ABI (flavor, pointer size, order); the rest fills the slot.
 */
class KEventFuzzTest {

    private static final KqueueAbi.Flavor[] FLAVORS = KqueueAbi.Flavor.values();

    @FuzzTest(maxDuration = "5m")
    void decode(byte[] raw) {
        if (raw.length < 2) {
            return;
        }
        int choice = raw[0] & 0xff;
        KqueueAbi abi = KqueueAbi.of(FLAVORS[choice % FLAVORS.length], (choice & 0x10) != 0 ? 4 : 8,
                (choice & 0x20) != 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int offset = (raw[1] & 0xff) % 9;
        int size = abi.keventSize();
        byte[] slot = Arrays.copyOfRange(raw, 2, 2 + size);   // zero-padded when the input is short
        ByteBuffer buffer = ((raw[1] & 0x80) != 0 ? ByteBuffer.allocateDirect(offset + size) : ByteBuffer.allocate(offset + size))
                .order(abi.order());
        buffer.put(offset, slot);

        KEvent event = read(abi, buffer, offset);
        ByteBuffer again = ByteBuffer.allocate(size + 3).order(abi.order());
        abi.encode(again, 3, event.ident(), event.filter(), event.flags(), event.fflags(), event.data(), event.udata());
        KEvent reread = read(abi, again, 3);
        assertEquals(event, reread, () -> abi + ": " + event + " re-encodes as " + reread);
        assertEquals(0, event.compareTo(reread));

        event.toString();
        abi.filterName(event.filter());
        abi.flagNames(event.flags());
        KEvent other = new KEvent(event.ident() ^ 1, event.filter(), event.flags(), event.fflags(), event.data(), event.udata());
        assertTrue(Integer.signum(event.compareTo(other)) == -Integer.signum(other.compareTo(event)) && event.compareTo(other) != 0,
                () -> "compareTo of " + event + " and " + other + " is not antisymmetric");
    }

    private static KEvent read(KqueueAbi abi, ByteBuffer buffer, int at) {
        return new KEvent(abi.ident(buffer, at), abi.filter(buffer, at), abi.flags(buffer, at), abi.fflags(buffer, at),
                abi.data(buffer, at), abi.udata(buffer, at));
    }
}
