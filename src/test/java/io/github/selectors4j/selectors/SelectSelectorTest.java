package io.github.selectors4j.selectors;

import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.select.FdSet;
import io.github.selectors4j.testing.Closer;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What only the select backend does: the FD_SETSIZE limit, and EBADF for a closed fd, as CPython. */
class SelectSelectorTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    @Test
    void anFdAboveFdSetSizeIsAcceptedButSelectRefusesWithAClearError() throws Exception {
        SelectSelector selector = closer.add(SelectSelector.open());
        Pipe pipe = closer.add(Pipe.open());
        int high = closer.addFd(Fds.dup(pipe.readEnd().fileno()));
        Fds.dup2(high, FdSet.SIZE + 500);
        int tooHigh = closer.addFd(FdSet.SIZE + 500);
        closer.closeFd(high);

        selector.register(tooHigh, EVENT_READ);
        assertThrowsWithMessage(IllegalArgumentException.class,
                "filedescriptor out of range in select(): fd " + tooHigh, () -> selector.select(Duration.ZERO));

        selector.unregister(tooHigh);
        SelectorKey key = selector.register(pipe.readEnd(), EVENT_READ);
        pipe.writeEnd().write(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(key, selector.select(Duration.ofSeconds(5)).get(0).key());
    }

    @Test
    void aRegisteredFdThatWasClosedFailsSelectWithEbadf() throws Exception {
        SelectSelector selector = closer.add(SelectSelector.open());
        Pipe pipe = closer.add(Pipe.open());
        int fd = pipe.readEnd().fileno();
        selector.register(fd, EVENT_READ);
        pipe.readEnd().close();
        ErrnoException e = assertThrows(ErrnoException.class, () -> selector.select(Duration.ZERO));
        assertEquals("EBADF", e.errnoName());
        selector.unregister(fd);
        assertTrue(selector.select(Duration.ZERO).isEmpty());
    }
}
