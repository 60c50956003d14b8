package io.github.selectors4j.selectors;

import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.select.FdSet;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.HighFds;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    void openRefusesWhenNoFdBelowFdSetSizeIsLeftForItsWakeup() throws Exception {
        // Take every free number below FD_SETSIZE, then free the first one above it: that is
        // where the selector's wakeup fd lands.
        EventFd above;
        do {
            above = closer.add(EventFd.open());
        } while (above.fileno() < FdSet.SIZE);
        above.close();

        IllegalStateException refused = assertThrows(IllegalStateException.class, SelectSelector::open);
        Matcher wakeupFd = Pattern.compile("wakeup fd would be fd (\\d+)").matcher(refused.getMessage());
        assertTrue(wakeupFd.find(), refused.getMessage());
        assertTrue(Integer.parseInt(wakeupFd.group(1)) >= FdSet.SIZE, refused.getMessage());
        // FdLeakCheck fails the test if the refused selector kept its wakeup fd.
    }

    @Test
    void aRegisteredFdThatWasClosedFailsSelectWithEbadf() throws Exception {
        SelectSelector selector = closer.add(SelectSelector.open());
        Pipe pipe = closer.add(Pipe.open());
        int fd = HighFds.dupHigh(pipe.readEnd().fileno());
        selector.register(fd, EVENT_READ);
        Fds.close(fd);
        ErrnoException e = assertThrows(ErrnoException.class, () -> selector.select(Duration.ZERO));
        assertEquals("EBADF", e.errnoName());
        selector.unregister(fd);
        assertTrue(selector.select(Duration.ZERO).isEmpty());
    }
}
