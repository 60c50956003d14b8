package io.github.selectors4j.selectors;

import static io.github.selectors4j.testing.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.selectors4j.testing.ChildJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which backend DefaultSelector picks, and how the system property forces another. */
class DefaultSelectorTest {

    /** Run in a child JVM: prints the backend DefaultSelector opens. */
    public static final class PrintBackend {
        public static void main(String[] args) throws Exception {
            try (BaseSelector selector = DefaultSelector.open()) {
                System.out.println("backend=" + selector.backend().displayName());
            } catch (IllegalArgumentException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }

    /**
     * Run in a child JVM: the very first DefaultSelector.open() happens while the process is out of
     * fds, then again after some are freed.
     */
    public static final class FirstOpenOutOfFds {
        public static void main(String[] args) throws Exception {
            // Load the classes first: loading one from a directory opens a file, which a process
            // out of fds cannot do (a jar is opened once). Neither call below probes.
            SelectorBackend.EPOLL.open().close();
            Class.forName(DefaultSelector.class.getName());
            java.util.List<io.github.selectors4j.fd.EventFd> hog = new java.util.ArrayList<>();
            try {
                while (true) {
                    hog.add(io.github.selectors4j.fd.EventFd.open());
                }
            } catch (io.github.selectors4j.ErrnoException full) {
                System.out.println("hogged " + hog.size());
            }
            try (BaseSelector selector = DefaultSelector.open()) {
                System.out.println("unexpected: opened " + selector.backend().displayName());
            } catch (Exception e) {
                System.out.println("first: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            hog.forEach(io.github.selectors4j.fd.EventFd::close);
            try (BaseSelector selector = DefaultSelector.open()) {
                System.out.println("second: " + selector.backend().displayName());
            }
        }
    }

    @Test
    void aFirstOpenOutOfFdsThrowsEmfileAndTheNextOneStillPicksEpoll() throws Exception {
        String command = "ulimit -n 128; exec '" + ChildJvm.javaExecutable() + "' -XX:-MaxFDLimit"
                + " --enable-native-access=ALL-UNNAMED -Xshare:auto -XX:TieredStopAtLevel=1 -Xmx64m"
                + " -cp '" + System.getProperty("java.class.path") + "' '" + FirstOpenOutOfFds.class.getName() + "'";
        ChildJvm.Result result = ChildJvm.exec(List.of("sh", "-c", command), 60);
        assertEquals(0, result.exitCode(), result.output());
        assertContains("first: ErrnoException: ", result.stdout());
        assertContains("EMFILE (24)", result.stdout());
        assertContains("second: epoll\n", result.stdout());
    }

    @Test
    void epollIsPreferredOnLinux() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty(DefaultSelector.BACKEND_PROPERTY) == null,
                "the build forces a backend with -D" + DefaultSelector.BACKEND_PROPERTY);
        assertEquals(SelectorBackend.EPOLL, DefaultSelector.backend());
        try (BaseSelector selector = DefaultSelector.open()) {
            assertEquals(SelectorBackend.EPOLL, selector.backend());
        }
    }

    @Test
    void theSystemPropertyForcesABackend() throws Exception {
        for (SelectorBackend forced : List.of(SelectorBackend.POLL, SelectorBackend.SELECT, SelectorBackend.EPOLL)) {
            ChildJvm.Result result = runWith("-D" + DefaultSelector.BACKEND_PROPERTY + "=" + forced.displayName().toUpperCase());
            assertEquals("backend=" + forced.displayName() + "\n", result.stdout(), result.output());
        }
    }

    @Test
    void anUnknownBackendNameIsRefusedWithTheKnownOnes() throws Exception {
        ChildJvm.Result result = runWith("-D" + DefaultSelector.BACKEND_PROPERTY + "=devpoll");
        assertContains("refused: unknown selector backend 'devpoll' (known: epoll, kqueue, poll, select)", result.stdout());
        assertNotEquals("", result.stdout());
    }

    private static ChildJvm.Result runWith(String property) throws Exception {
        return ChildJvm.run(List.of("--enable-native-access=ALL-UNNAMED", property), List.of(PrintBackend.class.getName()), 60);
    }
}
