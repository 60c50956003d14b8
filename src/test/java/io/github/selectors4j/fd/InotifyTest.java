package io.github.selectors4j.fd;

import static io.github.selectors4j.fd.Inotify.IN_ATTRIB;
import static io.github.selectors4j.fd.Inotify.IN_CLOSE_WRITE;
import static io.github.selectors4j.fd.Inotify.IN_CREATE;
import static io.github.selectors4j.fd.Inotify.IN_DELETE;
import static io.github.selectors4j.fd.Inotify.IN_IGNORED;
import static io.github.selectors4j.fd.Inotify.IN_ISDIR;
import static io.github.selectors4j.fd.Inotify.IN_MODIFY;
import static io.github.selectors4j.fd.Inotify.IN_MOVED_FROM;
import static io.github.selectors4j.fd.Inotify.IN_MOVED_TO;
import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.selectors.EpollSelector;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.OpenFds;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Inotify} on the real kernel: events in a watched directory, watch lifecycle, errors. */
class InotifyTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    @Test
    void eventsInAWatchedDirectoryArriveThroughEpoll(@TempDir Path dir) throws Exception {
        Inotify inotify = closer.add(Inotify.open());
        EpollSelector selector = closer.add(EpollSelector.open());
        int wd = inotify.addWatch(dir, IN_CREATE | IN_DELETE | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO);
        selector.register(inotify, EVENT_READ, "dir");
        assertTrue(inotify.read().isEmpty(), "nothing yet, non-blocking: empty");
        assertTrue(selector.select(Duration.ZERO).isEmpty());

        Files.writeString(dir.resolve("a.txt"), "hello");
        assertEquals(List.of(new InotifyEvent(wd, IN_CREATE, 0, "a.txt"), new InotifyEvent(wd, IN_CLOSE_WRITE, 0, "a.txt")),
                readEvents(inotify, selector, 2));

        Files.createDirectory(dir.resolve("sub"));
        assertEquals(List.of(new InotifyEvent(wd, IN_CREATE | IN_ISDIR, 0, "sub")), readEvents(inotify, selector, 1));

        Files.move(dir.resolve("a.txt"), dir.resolve("b.txt"));
        List<InotifyEvent> move = readEvents(inotify, selector, 2);
        assertEquals(new InotifyEvent(wd, IN_MOVED_FROM, move.get(0).cookie(), "a.txt"), move.get(0));
        assertEquals(new InotifyEvent(wd, IN_MOVED_TO, move.get(0).cookie(), "b.txt"), move.get(1));
        assertNotEquals(0, move.get(0).cookie(), "the cookie pairs the halves of a rename");

        String longName = "n".repeat(255);   // NAME_MAX: the longest name an event can carry
        Files.delete(dir.resolve("b.txt"));
        Files.createFile(dir.resolve(longName));
        assertEquals(List.of(new InotifyEvent(wd, IN_DELETE, 0, "b.txt"), new InotifyEvent(wd, IN_CREATE, 0, longName),
                new InotifyEvent(wd, IN_CLOSE_WRITE, 0, longName)), readEvents(inotify, selector, 3),
                "createFile opens for writing and closes: a close-write too");
        assertTrue(selector.select(Duration.ZERO).isEmpty(), "all read");
    }

    @Test
    void aWatchOnAFileReportsNamelessEventsAndRemovingItSaysIgnored(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("watched"), "x");
        Inotify inotify = closer.add(Inotify.open());
        EpollSelector selector = closer.add(EpollSelector.open());
        selector.register(inotify, EVENT_READ);
        int wd = inotify.addWatch(file, IN_MODIFY | IN_ATTRIB);
        assertEquals(wd, inotify.addWatch(file, IN_MODIFY), "one watch per inode: the same descriptor");

        Files.writeString(file, "more");
        assertEquals(List.of(new InotifyEvent(wd, IN_MODIFY, 0, null)), readEvents(inotify, selector, 1),
                "the second addWatch replaced the mask: IN_MODIFY only, and no name for the watched file itself");

        inotify.removeWatch(wd);
        InotifyEvent ignored = readEvents(inotify, selector, 1).get(0);
        assertEquals(new InotifyEvent(wd, IN_IGNORED, 0, null), ignored);
        assertTrue(ignored.is(IN_IGNORED) && !ignored.is(IN_MODIFY));
        ErrnoException e = assertThrows(ErrnoException.class, () -> inotify.removeWatch(wd));
        assertEquals("EINVAL", e.errnoName());
        assertEquals("inotify_rm_watch(" + wd + ")", e.call());
    }

    @Test
    void badPathsAndMasksAreRefusedClearly(@TempDir Path dir) throws Exception {
        Inotify inotify = closer.add(Inotify.open());
        Path missing = dir.resolve("missing");
        ErrnoException e = assertThrows(ErrnoException.class, () -> inotify.addWatch(missing, IN_CREATE));
        assertEquals("ENOENT", e.errnoName());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        Path file = Files.createFile(dir.resolve("file"));
        assertEquals("ENOTDIR", assertThrows(ErrnoException.class,
                () -> inotify.addWatch(file, IN_CREATE | Inotify.IN_ONLYDIR)).errnoName());
        assertEquals("EINVAL", assertThrows(ErrnoException.class, () -> inotify.addWatch(dir, 0)).errnoName(),
                "a mask with no event");
        assertEquals("EEXIST", assertThrows(ErrnoException.class,
                () -> { inotify.addWatch(dir, IN_CREATE); inotify.addWatch(dir, IN_DELETE | Inotify.IN_MASK_CREATE); }).errnoName());

        // A NUL cannot even be put into a path of the default file system; the JDK refuses it first.
        assertThrows(IllegalArgumentException.class, () -> inotify.addWatch(Path.of("bad\0name"), IN_CREATE));
        Path zip = dir.resolve("z.zip");
        try (FileSystem zipFs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("create", "true"))) {
            assertThrowsWithMessage(IllegalArgumentException.class, "not a path of the default file system",
                    () -> inotify.addWatch(zipFs.getPath("/"), IN_CREATE));
        }
    }

    @Test
    void relativePathsResolveAgainstUserDir(@TempDir Path dir) throws Exception {
        Inotify inotify = closer.add(Inotify.open());
        Path relative = Path.of("").toAbsolutePath().relativize(dir);
        assertFalse(relative.isAbsolute());
        assertEquals(inotify.addWatch(dir, IN_CREATE), inotify.addWatch(relative, IN_CREATE), "the same directory");
    }

    @Test
    void isNonBlockingAndCloseOnExecUnlessFlagsSayOtherwise() throws Exception {
        try (Inotify inotify = Inotify.open()) {
            assertTrue(Fds.isNonBlocking(inotify.fileno()));
            assertTrue(Fds.isCloseOnExec(inotify.fileno()));
            assertEquals("anon_inode:inotify", OpenFds.target(inotify.fileno()));
        }
        try (Inotify inotify = Inotify.open(Inotify.IN_CLOEXEC)) {
            assertFalse(Fds.isNonBlocking(inotify.fileno()));
            assertTrue(Fds.isCloseOnExec(inotify.fileno()));
        }
        try (Inotify inotify = Inotify.open(0)) {
            assertFalse(Fds.isCloseOnExec(inotify.fileno()));
        }
        assertEquals(0xfff, Inotify.IN_ALL_EVENTS);
        assertEquals(0x18, Inotify.IN_CLOSE);
        assertEquals(0xc0, Inotify.IN_MOVE);
    }

    @Test
    void useAfterCloseIsRefused(@TempDir Path dir) throws Exception {
        Inotify inotify = Inotify.open();
        int wd = inotify.addWatch(dir, IN_CREATE);
        inotify.close();
        inotify.close();
        assertTrue(inotify.isClosed());
        assertEquals("Inotify is closed", assertThrows(AlreadyClosedException.class, inotify::read).getMessage());
        assertThrows(AlreadyClosedException.class, () -> inotify.addWatch(dir, IN_CREATE));
        assertThrows(AlreadyClosedException.class, () -> inotify.removeWatch(wd));
        assertThrows(AlreadyClosedException.class, inotify::fileno);
    }

    /** Waits in the selector until {@code count} events were read (a read may return fewer). */
    private static List<InotifyEvent> readEvents(Inotify inotify, EpollSelector selector, int count) throws Exception {
        List<InotifyEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (events.size() < count && System.nanoTime() < deadline) {
            if (!selector.select(Duration.ofSeconds(1)).isEmpty()) {
                events.addAll(inotify.read());
            }
        }
        assertEquals(count, events.size(), "events: " + events);
        return events;
    }
}
