package io.github.selectors4j.docs;

// snippet:imports
import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import java.time.Duration;
// end:imports

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The first program of docs/getting-started.md, run. */
class GettingStartedExampleTest {

    @Test
    void theFirstProgramPrintsTheReadyEventFd() throws Exception {
        String printed = StdoutCapture.of(() -> {
            // snippet:first-program
            try (BaseSelector selector = DefaultSelector.open(); EventFd events = EventFd.open()) {
                selector.register(events, BaseSelector.EVENT_READ);
                events.write(1);
                System.out.println(selector.select(Duration.ofSeconds(1)));
            }
            // end:first-program
        });
        assertTrue(printed.startsWith("[ReadyKey[SelectorKey[fileobj=EventFd") && printed.contains(", events=READ]]"), printed);
    }
}
