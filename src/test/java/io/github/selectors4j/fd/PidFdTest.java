package io.github.selectors4j.fd;

import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.selectors.EpollSelector;
import io.github.selectors4j.selectors.ReadyKey;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.OpenFds;
import io.github.selectors4j.testing.ThreadSignals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link PidFd} on the real kernel: child processes seen exiting through epoll, signals, errors. */
class PidFdTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    @Test
    void becomesReadableWhenTheChildExitsAndNotBefore() throws Exception {
        // The child waits for its stdin to close, so the test decides when it exits.
        Process child = start(new ProcessBuilder("sh", "-c", "read line; exit 3"));
        PidFd pidFd = closer.add(PidFd.of(child));
        assertEquals(child.pid(), pidFd.pid());
        EpollSelector selector = closer.add(EpollSelector.open());
        selector.register(pidFd, EVENT_READ, "child");
        assertTrue(selector.select(Duration.ofMillis(100)).isEmpty(), "still running");
        assertTrue(pidFd.isAlive());

        child.getOutputStream().close();
        List<ReadyKey> ready = selector.select(Duration.ofSeconds(10));
        assertEquals(1, ready.size(), "exited within 10 s");
        assertEquals("child", ready.get(0).key().data());
        assertFalse(pidFd.isAlive());
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        assertEquals(3, child.exitValue());
        assertEquals(1, selector.select(Duration.ZERO).size(), "still readable once reaped");
        assertEquals("ESRCH", assertThrows(ErrnoException.class, () -> pidFd.sendSignal(0)).errnoName(),
                "the process is gone; the pidfd does not name whoever gets its pid next");
    }

    @Test
    void sendSignalReachesTheProcess() throws Exception {
        Process child = start(new ProcessBuilder("sleep", "30"));
        PidFd pidFd = closer.add(PidFd.of(child.toHandle()));
        EpollSelector selector = closer.add(EpollSelector.open());
        selector.register(pidFd, EVENT_READ);
        pidFd.sendSignal(0);
        assertTrue(selector.select(Duration.ofMillis(50)).isEmpty(), "signal 0 only checks");

        pidFd.sendSignal(ThreadSignals.SIGTERM);
        assertEquals(1, selector.select(Duration.ofSeconds(10)).size(), "SIGTERM ended it");
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        assertEquals(128 + ThreadSignals.SIGTERM, child.exitValue(), "killed by SIGTERM");
        assertThrowsWithMessage(IllegalArgumentException.class, "not a signal number (0..64): 65", () -> pidFd.sendSignal(65));
        assertThrows(IllegalArgumentException.class, () -> pidFd.sendSignal(-1));
    }

    @Test
    void missingProcessesAndBadPidsAreRefused() throws Exception {
        // pid_max is one past the largest pid the kernel hands out, so no process has it. Read with a
        // buffered reader: this kernel answers a sysctl read at a non-zero offset with EOF, and
        // Files.readString reads the first byte alone, so it would return "3" for 32768.
        long pidMax = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).trim());
        ErrnoException e = assertThrows(ErrnoException.class, () -> PidFd.open(pidMax));
        assertEquals("ESRCH", e.errnoName());
        assertEquals("pidfd_open(" + pidMax + ")", e.call());

        Process exited = start(new ProcessBuilder("true"));
        assertTrue(exited.waitFor(10, TimeUnit.SECONDS));
        assertEquals("ESRCH", assertThrows(ErrnoException.class, () -> PidFd.of(exited)).errnoName(),
                "exited and reaped: refused, rather than a pidfd on whoever has the pid now");

        for (long bad : new long[] {0, -1, 1L << 31}) {
            assertThrowsWithMessage(IllegalArgumentException.class, "not a process id", () -> PidFd.open(bad));
        }
    }

    @Test
    void isNonBlockingAndAlwaysCloseOnExec() throws Exception {
        long self = ProcessHandle.current().pid();
        try (PidFd pidFd = PidFd.open(self)) {
            assertTrue(Fds.isNonBlocking(pidFd.fileno()));
            assertTrue(Fds.isCloseOnExec(pidFd.fileno()));
            assertEquals("anon_inode:[pidfd]", OpenFds.target(pidFd.fileno()));
            assertTrue(pidFd.isAlive());
        }
        try (PidFd pidFd = PidFd.open(self, 0)) {
            assertFalse(Fds.isNonBlocking(pidFd.fileno()));
            assertTrue(Fds.isCloseOnExec(pidFd.fileno()), "the kernel sets it whatever the flags");
        }
        assertEquals("EINVAL", assertThrows(ErrnoException.class, () -> PidFd.open(self, 0x1)).errnoName());
    }

    @Test
    void useAfterCloseIsRefused() throws Exception {
        PidFd pidFd = PidFd.of(ProcessHandle.current());
        pidFd.close();
        pidFd.close();
        assertTrue(pidFd.isClosed());
        assertEquals("PidFd[closed]", pidFd.toString());
        assertEquals("PidFd is closed", assertThrows(AlreadyClosedException.class, () -> pidFd.sendSignal(0)).getMessage());
        assertThrows(AlreadyClosedException.class, pidFd::isAlive);
        assertThrows(AlreadyClosedException.class, pidFd::fileno);
    }

    /** Starts a child (output discarded) that is killed and reaped after the test, whatever happens. */
    private Process start(ProcessBuilder builder) throws Exception {
        Process process = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        closer.add(() -> {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process.getOutputStream().close();   // the child's stdin pipe, the one fd the JDK keeps for it
        });
        return process;
    }
}
