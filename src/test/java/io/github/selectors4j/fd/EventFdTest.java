package io.github.selectors4j.fd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.testing.OpenFds;
import org.junit.jupiter.api.Test;

/** {@link EventFd} on the real kernel: both modes, the non-blocking contract, closing. */
class EventFdTest {

    @Test
    void counterModeReadsTheSumAndResets() throws Exception {
        try (EventFd events = EventFd.open()) {
            assertEquals(0, events.read(), "non-blocking and empty: 0, not an exception");
            events.write(2);
            events.write(5);
            assertEquals(7, events.read());
            assertEquals(0, events.read());
        }
    }

    @Test
    void semaphoreModeReadsOneAtATime() throws Exception {
        try (EventFd events = EventFd.open(3, true)) {
            assertEquals(1, events.read());
            assertEquals(1, events.read());
            assertEquals(1, events.read());
            assertEquals(0, events.read());
        }
    }

    @Test
    void aWriteThatWouldOverflowReturnsFalse() throws Exception {
        try (EventFd events = EventFd.open()) {
            assertTrue(events.write(0xffff_ffff_ffff_fffeL));
            assertFalse(events.write(1), "the counter is at its maximum");
            ErrnoException e = assertThrows(ErrnoException.class, () -> events.write(-1L));
            assertEquals("EINVAL", e.errnoName());
        }
    }

    @Test
    void isNonBlockingAndCloseOnExecAndClosesOnce() throws Exception {
        EventFd events = EventFd.open();
        int fd = events.fileno();
        assertTrue(Fds.isNonBlocking(fd));
        assertTrue(Fds.isCloseOnExec(fd));
        assertEquals("anon_inode:[eventfd]", OpenFds.target(fd));
        events.close();
        events.close();
        assertEquals("EventFd is closed", assertThrows(AlreadyClosedException.class, events::read).getMessage());
        assertThrows(AlreadyClosedException.class, () -> events.write(1));
        assertThrows(AlreadyClosedException.class, events::fileno);
        assertThrows(IllegalArgumentException.class, () -> EventFd.open(-1, false));
        assertThrows(IllegalArgumentException.class, () -> EventFd.open(1L << 32, false));
    }
}
