package io.github.selectors4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A snapshot of this process's open file descriptors, read from {@code /proc/self/fd}. */
public final class OpenFds {

    private static final Path FD_DIR = Path.of("/proc/self/fd");

    private OpenFds() {
    }

    /**
     * Returns fd number to link target, leaving out the fd of the listing itself ({@code socket:[123]}, {@code pipe:[4]},
     * {@code anon_inode:[eventpoll]}, a path...).
     */
    public static Map<Integer, String> snapshot() {
        Map<Integer, String> fds = new TreeMap<>();
        try (Stream<Path> entries = Files.list(FD_DIR)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                try {
                    String target = Files.readSymbolicLink(entry).toString();
                    if (!target.matches("/proc/\\d+/fd")) {   // the listing's own directory fd
                        fds.put(Integer.parseInt(entry.getFileName().toString()), target);
                    }
                } catch (IOException closedMeanwhile) {
                    // The directory stream's own fd, gone by the time we read its link.
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + FD_DIR, e);
        }
        return fds;
    }

    /** Returns the number of open fds. */
    public static int count() {
        return snapshot().size();
    }

    /** Returns the link target of one fd, or null if it is not open. */
    public static String target(int fd) {
        try {
            return Files.readSymbolicLink(FD_DIR.resolve(Integer.toString(fd))).toString();
        } catch (IOException notOpen) {
            return null;
        }
    }
}
