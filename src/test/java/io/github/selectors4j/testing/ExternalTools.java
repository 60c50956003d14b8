package io.github.selectors4j.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Real external programs the tests drive ({@code redis-cli}, {@code curl}, {@code socat}...):
 * found on the {@code PATH}, or the test is skipped with the package that provides them.
 * {@code .ci/run} installs them all, so CI skips none.
 */
public final class ExternalTools {

    private ExternalTools() {
    }

    /** The program's path, if it is on the {@code PATH}. */
    public static Optional<Path> find(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Skips the test unless {@code program} is installed.
     *
     * @param program    the executable's name
     * @param aptPackage the Debian package that provides it, named in the skip reason
     * @return its path
     */
    public static Path require(String program, String aptPackage) {
        Optional<Path> found = find(program);
        assumeTrue(found.isPresent(), program + " is not installed (apt-get install " + aptPackage
                + "; .ci/run installs it)");
        return found.get();
    }
}
