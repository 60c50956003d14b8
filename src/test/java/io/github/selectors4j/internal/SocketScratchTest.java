package io.github.selectors4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The per-thread bounce buffer for heap data: whole ranges for messages, capped for streams, reused. */
class SocketScratchTest {

    @Test
    void aMessageBufferCoversTheWholeRangeAndIsKeptForReuse() {
        SocketScratch scratch = SocketScratch.get();
        ByteBuffer large = scratch.message(200_000);
        assertTrue(large.isDirect());
        assertEquals(0, large.position());
        assertEquals(200_000, large.limit(), "the whole range, past MAX_DATA");
        assertSame(large, scratch.message(150_000), "a smaller message reuses the grown buffer: nothing allocated");
        assertSame(large, scratch.message(200_000));
        assertEquals(150_000, scratch.message(150_000).limit());
    }

    @Test
    void aStreamBufferIsCappedAtMaxData() {
        SocketScratch scratch = SocketScratch.get();
        assertEquals(SocketScratch.MAX_DATA, scratch.data(1_000_000).limit(), "a stream moves at most MAX_DATA per call");
        assertEquals(100, scratch.data(100).limit());
    }
}
