package io.github.selectors4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.testing.ChildJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Running out of fds gives the documented {@link ErrnoException} naming {@code EMFILE}. The
 * exception's own classes must be loaded before they are needed: with the classes in a directory
 * (as in development, or in an exploded deployment), loading a class opens a file, which is exactly
 * what a process out of fds cannot do, and the failure used to surface as a
 * {@code NoClassDefFoundError} for the error-reporting class itself.
 */
class FdExhaustionTest {

    @Test
    void runningOutOfFdsIsAnErrnoExceptionNamingEmfile() throws Exception {
        String command = "ulimit -n 256; exec '" + ChildJvm.javaExecutable() + "' -XX:-MaxFDLimit"
                + " --enable-native-access=ALL-UNNAMED -Xshare:auto -XX:TieredStopAtLevel=1 -Xmx64m"
                + " -cp '" + System.getProperty("java.class.path") + "' " + FdExhaustionMain.class.getName();
        ChildJvm.Result result = ChildJvm.exec(List.of("sh", "-c", command), 60);
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.stdout().contains("FAILURE " + ErrnoException.class.getName() + ": eventfd failed: EMFILE (24)"),
                result.output());
        int opened = Integer.parseInt(result.stdout().lines().filter(l -> l.startsWith("OPENED ")).findFirst()
                .orElseThrow(() -> new AssertionError(result.output())).substring(7));
        assertTrue(opened > 100 && opened < 256, "opened " + opened + " eventfds under a limit of 256");
        System.out.println("fd exhaustion: EMFILE after " + opened + " eventfds under ulimit -n 256, reported as ErrnoException");
    }
}
