package io.github.selectors4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code samples/run} without a name lists every sample with its one-line description. */
class SamplesListTest {

    @Test
    void runWithoutANameListsEverySampleWithItsDescription() throws Exception {
        ChildJvm.Result listing = ChildJvm.exec(List.of(Samples.directory().resolve("run").toString()), 30);
        assertEquals(0, listing.exitCode(), listing.output());
        List<String> names = Samples.names();
        assertTrue(names.contains("tour"), "the README's demo is a sample: " + names);
        for (String name : names) {
            Path source = Samples.sourceOf(name);
            String firstLine = Files.readAllLines(source).get(0);
            assertTrue(firstLine.startsWith("/** ") && firstLine.endsWith(" */"),
                    source + " must start with a one-line description comment, starts with: " + firstLine);
            String description = firstLine.substring(4, firstLine.length() - 3);
            assertTrue(listing.stdout().lines().anyMatch(line -> line.trim().startsWith(name + " ")
                    && line.endsWith(description)), "the listing shows " + name + " with \"" + description + "\":\n"
                    + listing.stdout());
        }
    }

    @Test
    void anUnknownNameFailsWithAHint() throws Exception {
        ChildJvm.Result result = ChildJvm.exec(List.of(Samples.directory().resolve("run").toString(), "no-such-sample"), 30);
        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.stderr().contains("no sample named 'no-such-sample'"), result.output());
    }
}
