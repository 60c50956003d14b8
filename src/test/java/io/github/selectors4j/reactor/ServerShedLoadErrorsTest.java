package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.internal.Errno;
import org.junit.jupiter.api.Test;

/**
 * Which failures of the accept that refuses a connection while out of fds go unreported. The
 * kernel cannot be made to fail that one accept (it follows an EMFILE of the one before) with
 * another errno on demand, so the rule is checked here and the out-of-fds path end to end by
 * {@link EmfileTest}.
 */
class ServerShedLoadErrorsTest {

    @Test
    void outOfFdsAndAnAbortedConnectionAreExpected() {
        assertTrue(Server.isExpectedWhileShedding(Errno.EMFILE), "another thread took the freed fd");
        assertTrue(Server.isExpectedWhileShedding(Errno.ENFILE), "the system is out of fds");
        assertTrue(Server.isExpectedWhileShedding(Errno.ECONNABORTED), "the peer gave up first");
    }

    @Test
    void otherFailuresOfTheListenerAreReported() {
        assertFalse(Server.isExpectedWhileShedding(Errno.EBADF));
        assertFalse(Server.isExpectedWhileShedding(Errno.EINVAL));
        assertFalse(Server.isExpectedWhileShedding(Errno.ENOMEM));
    }
}
