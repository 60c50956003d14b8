package io.github.selectors4j.reliability;

import static io.github.selectors4j.reliability.Op.Action.CLOSE;
import static io.github.selectors4j.reliability.Op.Action.MODIFY;
import static io.github.selectors4j.reliability.Op.Form.INT;
import static io.github.selectors4j.reliability.Op.Form.OBJ;
import static io.github.selectors4j.reliability.Op.R;
import static io.github.selectors4j.reliability.Op.W;
import static io.github.selectors4j.reliability.Op.closeFd;
import static io.github.selectors4j.reliability.Op.dup2;
import static io.github.selectors4j.reliability.Op.modify;
import static io.github.selectors4j.reliability.Op.register;
import static io.github.selectors4j.reliability.Op.select;
import static io.github.selectors4j.reliability.Op.selectActing;
import static io.github.selectors4j.reliability.Op.unregister;
import static io.github.selectors4j.reliability.Op.wakeup;
import static io.github.selectors4j.reliability.Op.write;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sequences that {@link SelectorDifferentialTest} found, shrunk, and kept: each replays on
 * every backend against the model, and says what it found. Library fixes carry their own
 * regression tests, next to the fix.
 */
class SelectorDifferentialRegressionTest {

    /**
     * The first failure: BaseSelector's documentation said that a key whose file object was closed
     * is not reported, but nothing checks, and the reactor relies on being handed such keys to drop
     * their watchers. The documentation was corrected. What each backend then does with a closed,
     * still registered fd is the kernel's: poll reports it ready (POLLNVAL), epoll forgets it,
     * select fails with EBADF.
     */
    @Test
    void aKeyClosedWithoutUnregisteringIsWhatEachKernelMakesOfIt() throws IOException {
        Differential.check(List.of(register(0, R, OBJ), closeFd(0), select()));
    }

    /** The same inside a batch: a key a handler closed without unregistering it is still handed over. */
    @Test
    void aKeyClosedByAnEarlierHandlerIsStillHandedOver() throws IOException {
        Differential.check(List.of(register(0, R, OBJ), register(1, R, OBJ), write(0), write(1), selectActing(1, CLOSE, R)));
    }

    /**
     * Found by reading the model against the code, then replayed: a file that outlived its fd
     * number (a dup2 copy) leaves a stale epoll registration once the number is closed and
     * unregistered. EpollSelector waited for keys + 1 events, so a ready stale registration and a
     * pending wakeup took both places ahead of the ready pipe, and select() returned nothing while
     * the pipe was readable. Fixed by giving each wait room for stale registrations.
     */
    @Test
    void staleEpollRegistrationsDoNotCrowdOutReadyKeys() throws IOException {
        Differential.check(List.of(dup2(0, 1), register(0, R, INT), closeFd(0), unregister(0, INT), write(1), wakeup(),
                register(2, R, INT), write(3), select()));
    }

    /**
     * A model error the kqueue runs found: a kqueue filter reports its own direction only. Pipe
     * write end 5 watched for reading has lost its reader (ERR); epoll and poll map the error to
     * both directions, so a handler that switches 5 to writing before its turn sees it writable;
     * select's and kqueue's read-only wait reported reading only, so they deliver nothing.
     */
    @Test
    void anErrorSeenByAReadOnlyWaitIsNoWriteReadinessOnSelectAndKqueue() throws IOException {
        Differential.check(List.of(register(0, R, INT), register(5, R, INT), modify(0, W, INT, true), selectActing(4, CLOSE, R),
                selectActing(5, MODIFY, W)));
    }
}
