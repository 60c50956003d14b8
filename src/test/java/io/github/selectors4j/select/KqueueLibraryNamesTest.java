package io.github.selectors4j.select;

import static io.github.selectors4j.testing.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.selectors4j.internal.KqueueLibrary;
import io.github.selectors4j.internal.Platform;
import io.github.selectors4j.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without {@value KqueueLibrary#PATH_PROPERTY}, libkqueue is found by its usual names,
 * {@code libkqueue.so.0} and {@code libkqueue.so}, on the library search path: each name is tried in
 * a child JVM whose {@code LD_LIBRARY_PATH} is a directory holding only that name, a link to the
 * libkqueue this build was given.
 */
class KqueueLibraryNamesTest {

    /** Run in a child JVM: opens a kqueue and waits for a user event on it. */
    public static final class OpenKqueue {
        public static void main(String[] args) throws Exception {
            if (!Kqueue.isAvailable()) {
                System.out.println("unavailable: " + Kqueue.unavailableReason());
                return;
            }
            try (Kqueue kq = Kqueue.open()) {
                kq.change(1, Kqueue.KQ_FILTER_USER, Kqueue.KQ_EV_ADD, 0, 0, 0);
                kq.change(1, Kqueue.KQ_FILTER_USER, 0, Kqueue.KQ_NOTE_TRIGGER, 0, 0);
                System.out.println("events: " + kq.waitReady(TimeUnit.SECONDS.toNanos(5), 4));
            }
        }
    }

    @Test
    void eachUsualNameIsFoundOnTheLibraryPath(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Platform.CURRENT.isLinux(), "libkqueue is looked up by name on Linux only; elsewhere kqueue is libc's");
        String configured = System.getProperty(KqueueLibrary.PATH_PROPERTY);
        Assumptions.assumeTrue(configured != null && !configured.isBlank(),
                "no libkqueue to look up: run with -D" + KqueueLibrary.PATH_PROPERTY + "=/path/to/libkqueue.so");
        Path library = Path.of(configured.trim()).toRealPath();

        ChildJvm.Result without = openWithLibraryPath(Files.createDirectory(dir.resolve("empty")));
        Assumptions.assumeTrue(without.stdout().startsWith("unavailable: "),
                "libkqueue is found without LD_LIBRARY_PATH (installed system-wide?), so the library path proves nothing: "
                        + without.output());
        assertContains("tried [libkqueue.so.0: ", without.stdout());

        for (String name : List.of("libkqueue.so.0", "libkqueue.so")) {
            Path only = Files.createDirectory(dir.resolve(name + ".dir"));
            Files.createSymbolicLink(only.resolve(name), library);
            ChildJvm.Result result = openWithLibraryPath(only);
            assertEquals("events: 1\n", result.stdout(), name + " on LD_LIBRARY_PATH: " + result.output());
        }
    }

    /** Runs {@link OpenKqueue} with LD_LIBRARY_PATH set to the directory, and no property. */
    private static ChildJvm.Result openWithLibraryPath(Path libraryPath) throws Exception {
        List<String> command = new ArrayList<>(List.of("env", "LD_LIBRARY_PATH=" + libraryPath, ChildJvm.javaExecutable(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), OpenKqueue.class.getName()));
        return ChildJvm.exec(command, 60);
    }
}
