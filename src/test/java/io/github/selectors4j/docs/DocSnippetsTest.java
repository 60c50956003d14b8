package io.github.selectors4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the Java code in {@code README.md} and {@code docs/*.md} compiled: every {@code ```java}
 * block must be preceded by a marker naming where the code lives,
 *
 * <pre>
 * &lt;!-- snippet: src/test/java/io/github/selectors4j/docs/ReadmeSnippets.java#selector --&gt;
 * </pre>
 *
 * and must equal that region of the file: the lines between {@code // snippet:selector} and
 * {@code // end:selector} (a region may be split into several such segments, shown joined), with
 * their common indentation removed. Several regions joined with
 * {@code +} ({@code #imports+selector}) are shown one after the other, separated by a blank line.
 * The files are test sources or samples, which the build compiles and runs, so a snippet that
 * stopped compiling or working fails the build instead of rotting in the docs.
 */
class DocSnippetsTest {

    private static final String MARKER_START = "<!-- snippet: ";
    private static final String MARKER_END = " -->";

    /** A Java block of a page and the marker above it (null if none). */
    record Block(Path page, int line, String marker, String code) {
        @Override
        public String toString() {
            return page + ":" + line;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockEqualsTheRegionItNames() throws IOException {
        return blocks().stream().map(block -> DynamicTest.dynamicTest(block.toString(), () -> {
            assertTrue(block.marker() != null, block + ": a ```java block without a \"" + MARKER_START
                    + "file#region" + MARKER_END + "\" line above it; put the code in a compiled file and name it");
            assertEquals(expected(block), block.code(), block + " differs from " + block.marker());
        }));
    }

    @Test
    void thePagesHaveJavaBlocks() throws IOException {
        // Guards the scanner itself: if it found nothing, every check above would pass vacuously.
        assertTrue(blocks().size() >= 10, "found only " + blocks().size() + " Java blocks");
    }

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(Path.of("README.md"));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    static List<Block> blocks() throws IOException {
        List<Block> blocks = new ArrayList<>();
        for (Path page : pages()) {
            List<String> lines = Files.readAllLines(page);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).equals("```java")) {
                    continue;
                }
                String marker = null;
                int above = i - 1;
                if (above >= 0 && lines.get(above).startsWith(MARKER_START) && lines.get(above).endsWith(MARKER_END)) {
                    String text = lines.get(above);
                    marker = text.substring(MARKER_START.length(), text.length() - MARKER_END.length()).trim();
                }
                StringBuilder code = new StringBuilder();
                int j = i + 1;
                while (j < lines.size() && !lines.get(j).equals("```")) {
                    code.append(lines.get(j)).append('\n');
                    j++;
                }
                blocks.add(new Block(page, i + 1, marker, code.toString()));
                i = j;
            }
        }
        return blocks;
    }

    private static String expected(Block block) throws IOException {
        int hash = block.marker().indexOf('#');
        assertTrue(hash > 0, block + ": the marker must be file#region, is " + block.marker());
        Path file = Path.of(block.marker().substring(0, hash));
        assertTrue(Files.exists(file), block + ": no file " + file);
        List<String> lines = Files.readAllLines(file);
        StringBuilder code = new StringBuilder();
        for (String region : block.marker().substring(hash + 1).split("\\+")) {
            if (code.length() > 0) {
                code.append('\n');
            }
            code.append(region(lines, region, block, file));
        }
        return code.toString();
    }

    /**
     * The lines of a region. A region may come in several segments with the same name (so that a
     * test can add assertions in the middle of the shown code); they are shown joined.
     */
    private static String region(List<String> lines, String name, Block block, Path file) {
        List<String> region = new ArrayList<>();
        boolean inside = false;
        boolean found = false;
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.equals("// snippet:" + name)) {
                inside = true;
                found = true;
            } else if (trimmed.equals("// end:" + name)) {
                inside = false;
            } else if (inside) {
                region.add(line);
            }
        }
        assertTrue(found && !inside, block + ": no complete region \"// snippet:" + name + "\" ... \"// end:" + name
                + "\" in " + file);
        int indent = region.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder code = new StringBuilder();
        for (String line : region) {
            code.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return code.toString();
    }
}
