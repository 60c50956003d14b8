package io.github.selectors4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.selectors4j.fd.InotifyEvent;
import io.github.selectors4j.fd.SignalInfo;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The decoders of the records pollable fds return from {@code read(2)}: inotify events (a
 * variable-length list, with names) and {@code signalfd_siginfo}. Whatever the bytes,
 * {@code InotifyEvent.decodeAll} returns events or refuses with IllegalArgumentException, and
 * {@code SignalInfo.decode} decodes any 128 bytes and refuses fewer with
 * IndexOutOfBoundsException, as documented; both read only inside the range given.
 */
class FdRecordFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void decode(byte[] raw) {
        FuzzInput input = FuzzInput.of(raw);
        // decodeAll starts at the buffer's position.
        ByteBuffer positioned = input.buffer.duplicate().position(input.offset);
        try {
            List<InotifyEvent> events = InotifyEvent.decodeAll(positioned, input.length);
            events.forEach(InotifyEvent::toString);
            assertEquals(input.offset, positioned.position(), "decodeAll moved the position");
        } catch (IllegalArgumentException refused) {
            // Malformed records.
        }
        try {
            SignalInfo info = SignalInfo.decode(input.buffer, input.offset);
            info.toString();
            info.name();
        } catch (IndexOutOfBoundsException tooShort) {
            if (input.buffer.limit() - input.offset >= SignalInfo.SIZE) {
                throw new AssertionError("SignalInfo.decode refused " + (input.buffer.limit() - input.offset) + " bytes", tooShort);
            }
        }
    }
}
