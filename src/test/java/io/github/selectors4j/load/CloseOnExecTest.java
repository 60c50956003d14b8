package io.github.selectors4j.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.internal.Native;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.OpenFds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import jnr.posix.SpawnFileAction;
import org.junit.jupiter.api.Test;

/**
 * Every fd selectors4j creates, including the internal ones no API returns (a loop's wakeup fd,
 * a server's reserve fd, a loop group's listeners, an fd received with SCM_RIGHTS), is
 * close-on-exec: a program started after one of everything was opened ({@link EverythingOpen})
 * sees none of them.
 *
 * <p>The child is started with {@code posix_spawnp}, which keeps every fd that is not
 * close-on-exec. (The JDK's ProcessBuilder would not do: it closes all fds in the child before the
 * exec, so it would hide a missing flag.) A control fd dup'ed without the flag must show up in the
 * child, which shows that the check can fail.
 */
class CloseOnExecTest {

    @Test
    void aSpawnedProgramSeesNoneOfOurFds() throws Exception {
        // Once first, so that the JVM loads classes and opens the jars it needs before the snapshot.
        try (Closer warmUp = new Closer()) {
            new EverythingOpen().open(warmUp);
        }
        Map<Integer, String> before = OpenFds.snapshot();
        try (Closer closer = new Closer()) {
            EverythingOpen everything = new EverythingOpen();
            everything.open(closer);
            everything.missing.forEach(reason -> System.out.println("close-on-exec not checked for " + reason));
            Map<Integer, String> ours = new TreeMap<>(OpenFds.snapshot());
            ours.keySet().removeAll(before.keySet());
            ours.values().removeIf(CloseOnExecTest::isJvmFile);
            assertTrue(ours.size() >= 40, () -> "expected dozens of new fds, got " + ours);

            Set<Integer> inherited = fdsOfSpawnedChild();
            Set<Integer> leaked = new TreeSet<>(inherited);
            leaked.retainAll(ours.keySet());
            Map<Integer, String> described = new TreeMap<>();
            for (int fd : leaked) {
                // fdinfo tells the open flags and, for an epoll fd, which fds it watches: enough to find the owner.
                described.put(fd, ours.get(fd) + " " + Files.readString(Path.of("/proc/self/fdinfo/" + fd)).replace('\n', ' '));
            }
            assertEquals(Map.of(), described, "fds without close-on-exec, inherited by a spawned program");
            System.out.println("close-on-exec: " + ours.size() + " fds of selectors4j open, none inherited by a spawned ls");

            int control = Native.POSIX.dup(ours.keySet().iterator().next());
            try {
                assertTrue(fdsOfSpawnedChild().contains(control), "a dup'ed fd (no close-on-exec) must reach the child");
            } finally {
                Native.POSIX.close(control);
            }
        }
    }

    /** Jars and libraries the JVM opens lazily are not ours. */
    private static boolean isJvmFile(String target) {
        String path = target.endsWith(" (deleted)") ? target.substring(0, target.length() - 10) : target;
        return path.endsWith(".jar") || path.endsWith(".so") || path.contains(".so.") || path.endsWith(".jmod")
                || path.equals("/dev/urandom") || path.equals("/dev/random");
    }

    /** Runs {@code ls -l /proc/self/fd} with posix_spawnp and returns the fds it inherited. */
    private static Set<Integer> fdsOfSpawnedChild() throws Exception {
        Path listing = Files.createTempFile("fds", ".txt");
        try {
            int oWronly = io.github.selectors4j.fd.OpenFile.O_WRONLY;
            long pid = Native.POSIX.posix_spawnp("ls", List.of(SpawnFileAction.open(listing.toString(), 1, oWronly, 0)),
                    List.of("ls", "-l", "/proc/self/fd"), List.of("PATH=/usr/bin:/bin"));
            assertTrue(pid > 0, "posix_spawnp failed: " + Native.lastErrno());
            int[] status = new int[1];
            assertEquals(pid, Native.POSIX.waitpid(pid, status, 0));
            Set<Integer> fds = new TreeSet<>();
            for (String line : Files.readAllLines(listing)) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile(" (\\d+) -> (.*)$").matcher(line);
                // ls's own descriptor of the directory it lists is not inherited.
                if (m.find() && !m.group(2).matches("/proc/\\d+/fd")) {
                    fds.add(Integer.parseInt(m.group(1)));
                }
            }
            assertTrue(fds.containsAll(List.of(0, 1, 2)), () -> "the child's listing is not plausible: " + fds);
            return fds;
        } finally {
            Files.deleteIfExists(listing);
        }
    }
}
