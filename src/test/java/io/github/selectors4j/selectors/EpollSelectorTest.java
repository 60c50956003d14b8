package io.github.selectors4j.selectors;

import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.NotRegisteredException;
import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.HighFds;
import io.github.selectors4j.testing.OpenFds;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the epoll backend does: the kernel checks registrations, and reports files by (file, fd). */
class EpollSelectorTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    @Test
    void aRegularFileIsRefusedWithEpermAndLeavesNoKey(@TempDir Path dir) throws Exception {
        EpollSelector selector = closer.add(EpollSelector.open());
        try (FileInputStream file = new FileInputStream(Files.writeString(dir.resolve("f"), "x").toFile())) {
            ErrnoException e = assertThrows(ErrnoException.class, () -> selector.register(file.getFD(), EVENT_READ));
            assertEquals("EPERM", e.errnoName());
            assertEquals("epoll_ctl(EPOLL_CTL_ADD)", e.call());
            assertTrue(e.getMessage().contains("failed: EPERM (1) Operation not permitted"), e.getMessage());
            assertThrows(NotRegisteredException.class, () -> selector.getKey(file.getFD()));
        }
    }

    @Test
    void aClosedFdIsRefusedWithEbadfAndLeavesNoKey() throws Exception {
        EpollSelector selector = closer.add(EpollSelector.open());
        Pipe pipe = closer.add(Pipe.open());
        int fd = HighFds.dupHigh(pipe.readEnd().fileno());
        Fds.close(fd);
        ErrnoException e = assertThrows(ErrnoException.class, () -> selector.register(fd, EVENT_READ));
        assertEquals("EBADF", e.errnoName());
        assertEquals(fd, e.fd());
        assertTrue(selector.getMap().isEmpty());
    }

    @Test
    void aRefusedModifyUnregistersTheKeyAsCPythonDoes() throws Exception {
        EpollSelector selector = closer.add(EpollSelector.open());
        Pipe pipe = closer.add(Pipe.open());
        int fd = HighFds.dupHigh(pipe.readEnd().fileno());
        selector.register(fd, EVENT_READ);
        Fds.close(fd);
        ErrnoException e = assertThrows(ErrnoException.class, () -> selector.modify(fd, EVENT_READ | BaseSelector.EVENT_WRITE));
        assertEquals("EBADF", e.errnoName());
        assertThrows(NotRegisteredException.class, () -> selector.getKey(fd));
    }

    @Test
    void everyFdTheSelectorOpensIsCloseOnExec() throws Exception {
        Map<Integer, String> before = OpenFds.snapshot();
        EpollSelector selector = closer.add(EpollSelector.open());
        Map<Integer, String> opened = new HashMap<>(OpenFds.snapshot());
        opened.keySet().removeAll(before.keySet());
        assertEquals(2, opened.size(), "an epoll fd and a wakeup eventfd: " + opened);
        assertTrue(opened.containsValue("anon_inode:[eventpoll]"), opened.toString());
        assertTrue(opened.containsValue("anon_inode:[eventfd]"), opened.toString());
        for (int fd : opened.keySet()) {
            assertTrue(Fds.isCloseOnExec(fd), "fd " + fd + " (" + opened.get(fd) + ") is not close-on-exec");
        }
        assertTrue(opened.containsKey(selector.fileno()));
    }

    /**
     * epoll registers (file, fd) pairs. If a registered file outlives its fd number through a dup,
     * closing the number does not remove the registration, and epoll keeps reporting the file under
     * the old number. Whatever reuses the number must not receive that readiness.
     */
    @Test
    void readinessOfAFileThatOutlivedItsFdNumberIsNotDeliveredToTheNumbersNewOwner() throws Exception {
        EpollSelector selector = closer.add(EpollSelector.open());
        Pipe original = closer.add(Pipe.open());          // its read end keeps the file open throughout
        int number = closer.addFd(Fds.dup(original.readEnd().fileno()));
        selector.register(number, EVENT_READ, "original");
        closer.closeFd(number);                               // the registration survives: the file is still open
        EventFd newOwner = closer.add(EventFd.open());
        Fds.dup2(newOwner.fileno(), number);              // the number now names an idle eventfd
        selector.unregister(number);                      // forgets the key; the kernel has no (eventfd, number)
        selector.register(number, EVENT_READ, "new owner");

        original.writeEnd().write(ByteBuffer.wrap(new byte[] {1}));   // the old file becomes readable
        assertTrue(selector.select(Duration.ofMillis(100)).isEmpty(), "the old file's readiness reached the new owner");

        newOwner.write(1);
        List<ReadyKey> ready = selector.select(Duration.ofSeconds(5));
        assertEquals(1, ready.size());
        assertEquals("new owner", ready.get(0).key().data());
    }

    @Test
    void theBackendIsNamed() throws IOException {
        EpollSelector selector = closer.add(EpollSelector.open());
        assertEquals(SelectorBackend.EPOLL, selector.backend());
        assertEquals("epoll", selector.backend().displayName());
    }
}
