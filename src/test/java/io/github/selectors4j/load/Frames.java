package io.github.selectors4j.load;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * The checksummed messages of the load test. One connection's stream is a sequence of frames
 * {@code [u32 payload length][u64 sequence number][payload][u32 CRC-32 of sequence and payload]};
 * the payload's length (0 to {@link #MAX_PAYLOAD}) and bytes follow from the connection's seed and
 * the sequence number, so the sender keeps no copy of what it sent. The receiver checks each echoed
 * frame's checksum (a corrupted byte), its sequence number (a lost, repeated or reordered frame)
 * and its length.
 */
final class Frames {

    static final int MAX_PAYLOAD = 4096;
    static final int OVERHEAD = 4 + 8 + 4;
    static final int MAX_FRAME = MAX_PAYLOAD + OVERHEAD;

    private Frames() {
    }

    /** Writes frame {@code sequence} of the connection with {@code seed} into {@code out}, which must have room. */
    static void write(long seed, long sequence, ByteBuffer out) {
        long state = mix(seed ^ mix(sequence));
        int length = (int) Long.remainderUnsigned(state, MAX_PAYLOAD + 1);
        int start = out.position();
        out.putInt(length).putLong(sequence);
        for (int i = 0; i < length; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            out.put((byte) (state >>> 56));
        }
        CRC32 crc = new CRC32();
        crc.update(out.duplicate().flip().position(start + 4));
        out.putInt((int) crc.getValue());
    }

    /** A 64-bit mixer (SplitMix64's finaliser): neighbouring seeds give unrelated streams. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Reads one connection's echoed stream in whatever pieces it arrives and checks every frame. */
    static final class Checker {
        private final long seed;
        private final ByteBuffer frame = ByteBuffer.allocate(MAX_FRAME);
        private final ByteBuffer expected = ByteBuffer.allocate(MAX_FRAME);
        private long nextSequence;
        private long bytesVerified;
        private String failure;

        Checker(long seed) {
            this.seed = seed;
        }

        /** Consumes all of {@code data}; stops checking at the first bad frame, which {@link #failure} then names. */
        void accept(ByteBuffer data) {
            while (data.hasRemaining() && failure == null) {
                int wanted = frame.position() < 4 ? 4 - frame.position() : OVERHEAD + frame.getInt(0) - frame.position();
                if (frame.position() >= 4 && (frame.getInt(0) < 0 || frame.getInt(0) > MAX_PAYLOAD)) {
                    failure = "frame " + nextSequence + ": impossible payload length " + frame.getInt(0);
                    return;
                }
                int take = Math.min(wanted, data.remaining());
                frame.put(data.slice(data.position(), take));
                data.position(data.position() + take);
                if (frame.position() >= 4 && frame.position() == OVERHEAD + frame.getInt(0)) {
                    check();
                    frame.clear();
                }
            }
        }

        private void check() {
            int length = frame.getInt(0);
            long sequence = frame.getLong(4);
            CRC32 crc = new CRC32();
            crc.update(frame.duplicate().flip().position(4).limit(12 + length));
            if ((int) crc.getValue() != frame.getInt(12 + length)) {
                failure = "frame " + nextSequence + ": checksum mismatch (a corrupted byte)";
            } else if (sequence != nextSequence) {
                failure = "expected frame " + nextSequence + " but got frame " + sequence + " (lost, repeated or reordered)";
            } else {
                expected.clear();
                write(seed, sequence, expected);
                if (!expected.flip().equals(frame.duplicate().flip())) {
                    failure = "frame " + sequence + " has a valid checksum but not the bytes that were sent";
                } else {
                    nextSequence++;
                    bytesVerified += OVERHEAD + length;
                }
            }
        }

        long framesVerified() {
            return nextSequence;
        }

        long bytesVerified() {
            return bytesVerified;
        }

        String failure() {
            return failure;
        }

        /** Whether a frame was begun and not finished. */
        boolean midFrame() {
            return frame.position() > 0;
        }
    }
}
