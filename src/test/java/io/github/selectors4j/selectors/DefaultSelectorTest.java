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
