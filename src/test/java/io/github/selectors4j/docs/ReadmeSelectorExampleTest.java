package io.github.selectors4j.docs;

// snippet:imports
import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import io.github.selectors4j.selectors.ReadyKey;
import java.time.Duration;
// end:imports

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The README's selector example, run. */
class ReadmeSelectorExampleTest {

    @Test
    void theSelectorExampleReportsTheEventFdTwice() throws Exception {
        String printed = StdoutCapture.of(() -> {
            // snippet:selector
            try (BaseSelector selector = DefaultSelector.open();     // epoll on Linux
                 EventFd events = EventFd.open();
                 Pipe pipe = Pipe.open()) {
                selector.register(events, BaseSelector.EVENT_READ, "eventfd");
                selector.register(pipe.readEnd(), BaseSelector.EVENT_READ, "pipe");
                events.write(1);                                      // could be any thread
                for (ReadyKey ready : selector.select(Duration.ofSeconds(1))) {
                    System.out.println(ready.key().data() + " is ready");
                }
                // Allocation-free form for hot loops: one callback per ready key.
                selector.select(Duration.ZERO, (key, mask) -> System.out.println(key.fd()));
            }
            // end:selector
        });
        String[] lines = printed.split("\n");
        assertEquals(2, lines.length, printed);
        assertEquals("eventfd is ready", lines[0]);
        assertTrue(Integer.parseInt(lines[1]) >= 0, printed);
    }
}
