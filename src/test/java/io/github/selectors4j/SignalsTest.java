package io.github.selectors4j;

import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SignalsTest {

    @Test
    void constantsAreThisPlatformsNumbers() {
        // Linux numbering on x86 and ARM, where the suite runs.
        assertEquals(1, Signals.SIGHUP);
        assertEquals(2, Signals.SIGINT);
        assertEquals(15, Signals.SIGTERM);
        assertEquals(10, Signals.SIGUSR1);
        assertEquals(17, Signals.SIGCHLD);
        assertEquals(28, Signals.SIGWINCH);
        assertEquals(13, Signals.SIGPIPE);
        assertEquals(14, Signals.SIGALRM);
    }

    @Test
    void namesWorkWithOrWithoutThePrefixInAnyCase() {
        assertEquals(Signals.SIGTERM, Signals.byName("SIGTERM"));
        assertEquals(Signals.SIGTERM, Signals.byName("term"));
        assertEquals(Signals.SIGUSR1, Signals.byName("SigUsr1"));
    }

    @Test
    void anUnknownNameIsAClearError() {
        assertThrowsWithMessage(IllegalArgumentException.class, "no signal named SIGNOPE", () -> Signals.byName("SIGNOPE"));
    }
}
