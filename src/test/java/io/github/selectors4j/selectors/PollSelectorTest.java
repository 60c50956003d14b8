package io.github.selectors4j.selectors;

import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static io.github.selectors4j.selectors.BaseSelector.EVENT_WRITE;
import static io.github.selectors4j.testing.Asserts.assertSameElements;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.HighFds;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What only the poll backend does: it accepts any fd number, and reports closed ones as POLLNVAL. */
class PollSelectorTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    @Test
    void anFdClosedWhileRegisteredIsReportedReadyForWhatTheKeyAsked() throws Exception {
        PollSelector selector = closer.add(PollSelector.open());
        Pipe pipe = closer.add(Pipe.open());
        // Copies on numbers nothing else in the JVM will be given, so that they stay closed.
        SelectorKey reader = selector.register(HighFds.dupHigh(pipe.readEnd().fileno()), EVENT_READ);
        SelectorKey writer = selector.register(HighFds.dupHigh(pipe.writeEnd().fileno()), EVENT_WRITE | EVENT_READ);
        Fds.close(reader.fd());
        Fds.close(writer.fd());

        List<ReadyKey> ready = selector.select(Duration.ofSeconds(5));
        assertSameElements(List.of(new ReadyKey(reader, EVENT_READ), new ReadyKey(writer, EVENT_READ | EVENT_WRITE)), ready);
        selector.unregister(reader.fd());
        selector.unregister(writer.fd());
        assertEquals(0, selector.select(Duration.ZERO).size());
    }
}
