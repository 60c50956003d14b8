package io.github.selectors4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.selectors4j.testing.Closer;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An empty record on a SOCK_SEQPACKET socket is data, not end of stream. Found by
 * SocketBufferFuzzTest: recv reported -1 for it, as for a stream socket, so a caller would have
 * closed a connection whose peer had only sent an empty message.
 */
class SeqpacketEmptyRecordTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    @Test
    void anEmptyRecordReadsAsZeroAndTheShutdownAsEndOfStream() throws Exception {
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET, 0);
        closer.add(pair[0]);
        closer.add(pair[1]);
        ByteBuffer dst = ByteBuffer.allocate(16);
        pair[1].send(ByteBuffer.allocate(0));
        pair[1].send(ByteBuffer.wrap(new byte[] {7}));
        assertEquals(0, pair[0].recv(dst), "the empty record");
        assertEquals(1, pair[0].recv(dst), "the next record");
        assertEquals(0, pair[0].recv(dst), "nothing waiting, non-blocking");
        pair[1].shutdown(NativeSocket.SHUT_WR);
        assertEquals(-1, pair[0].recv(dst), "the peer's shutdown");
        assertEquals(-1, pair[0].recv(dst.clear()), "and again");
    }

    @Test
    void aStreamSocketStillReadsEndOfStream() throws Exception {
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0);
        closer.add(pair[0]);
        closer.add(pair[1]);
        pair[1].shutdown(NativeSocket.SHUT_WR);
        assertEquals(-1, pair[0].recv(ByteBuffer.allocate(4)));
    }
}
