package io.github.selectors4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps a usage example on every public top-level type of the exported packages: its class Javadoc
 * must hold a non-empty {@code <pre>{@code ...}</pre>} block. The packages are read from
 * {@code module-info.java}, so a newly exported package is held to the rule without touching this
 * test; the unexported internal package is not API and is left out.
 *
 * <p>The scan reads the sources as text, not through {@code jdk.compiler}, which the tests (compiled
 * into the module) do not read. It relies on top-level declarations starting in column 0, as every
 * file here does; a public type whose declaration it cannot find is reported, never skipped.
 */
class PublicTypesHaveExamplesTest {

    private static final Path SOURCES = Path.of("src/main/java");

    private static final Pattern EXPORTS = Pattern.compile("(?m)^\\s*exports\\s+([\\w.]+)\\s*;");
    /** What may stand between a type's Javadoc and its declaration: annotations and space. */
    private static final Pattern ANNOTATIONS = Pattern.compile("(?:\\s*@[\\w.]+(?:\\([^)]*\\))?)*\\s*");
    private static final Pattern EXAMPLE = Pattern.compile("<pre>\\{@code(.*?)}</pre>", Pattern.DOTALL);

    @Test
    void everyPublicTypeOfAnExportedPackageHasAClassLevelExample() throws IOException {
        List<String> missing = new ArrayList<>();
        publicTypes().forEach((name, doc) -> {
            if (!hasExample(doc)) {
                missing.add(name);
            }
        });
        assertTrue(missing.isEmpty(), "public types whose class Javadoc has no <pre>{@code ...}</pre> example, "
                + "showing typical use: " + missing);
    }

    @Test
    void theScanFindsThePublicTypesAndOnlyThose() throws IOException {
        // Guards the scanner: if it found nothing (a moved source tree, a broken pattern), the check
        // above would pass without checking anything.
        TreeMap<String, String> types = publicTypes();
        assertTrue(types.size() >= 60, "found only " + types.size() + " public types: " + types.keySet());
        for (String expected : List.of("io.github.selectors4j.ErrnoException", "io.github.selectors4j.Ownership",
                "io.github.selectors4j.net.Accepted", "io.github.selectors4j.selectors.ReadyHandler",
                "io.github.selectors4j.reactor.EventLoop", "io.github.selectors4j.select.Epoll",
                "io.github.selectors4j.fd.TimerFd")) {
            assertTrue(types.containsKey(expected), "the scan missed " + expected);
        }
        assertFalse(types.containsKey("io.github.selectors4j.selectors.KeyTable"), "KeyTable is package-private");
        assertTrue(types.keySet().stream().noneMatch(name -> name.contains(".internal.")),
                "the internal package is not exported: " + types.keySet());
    }

    @Test
    void aClassJavadocWithoutAnExampleIsCaught() {
        assertTrue(hasExample(classDoc("A", "/**\n * Text.\n *\n * <pre>{@code\n * new A();\n * }</pre>\n */\n"
                + "public final class A {\n}\n").orElseThrow()));
        assertTrue(hasExample(classDoc("H", "/** Text. <pre>{@code h.run();}</pre> */\n@FunctionalInterface\n"
                + "public interface H {\n}\n").orElseThrow()), "an annotation between Javadoc and declaration");
        assertFalse(hasExample(classDoc("A", "/** Text. */\npublic class A {\n}\n").orElseThrow()));
        assertFalse(hasExample(classDoc("A", "/** Text. <pre>{@code\n * }</pre> */\npublic class A {\n}\n")
                .orElseThrow()), "an empty example");
        assertEquals("", classDoc("A", "/** Text. <pre>{@code new A();}</pre> */\nimport x.Y;\n\npublic class A {\n"
                + "    /** <pre>{@code a.m();}</pre> */\n    public void m() {\n    }\n}\n").orElseThrow(),
                "a Javadoc separated from the declaration by code is not the class Javadoc");
        assertEquals(Optional.empty(), classDoc("A", "class A {\n}\n"), "not public");
    }

    /** Every public top-level type of the exported packages, by qualified name, with its class Javadoc. */
    private static TreeMap<String, String> publicTypes() throws IOException {
        String moduleInfo = Files.readString(SOURCES.resolve("module-info.java"));
        List<String> packages = new ArrayList<>();
        Matcher exports = EXPORTS.matcher(moduleInfo);
        while (exports.find()) {
            packages.add(exports.group(1));
        }
        assertFalse(packages.isEmpty(), "no exports in module-info.java");
        TreeMap<String, String> types = new TreeMap<>();
        for (String pkg : packages) {
            Path dir = SOURCES.resolve(pkg.replace('.', '/'));
            List<Path> files;
            try (Stream<Path> list = Files.list(dir)) {
                files = list.filter(f -> f.toString().endsWith(".java"))
                        .filter(f -> !f.getFileName().toString().equals("package-info.java")).sorted().toList();
            }
            for (Path file : files) {
                String simpleName = file.getFileName().toString().replace(".java", "");
                classDoc(simpleName, Files.readString(file)).ifPresent(doc -> types.put(pkg + "." + simpleName, doc));
            }
        }
        return types;
    }

    /**
     * The class Javadoc of the top-level type {@code name} declared in {@code source}: empty if the
     * type is not public, {@code ""} if it is public but has no Javadoc right above it.
     */
    static Optional<String> classDoc(String name, String source) {
        Matcher declaration = Pattern.compile("(?m)^[\\w\\s-]*\\b(?:class|interface|enum|record|@interface)\\s+"
                + Pattern.quote(name) + "\\b").matcher(source);
        assertTrue(declaration.find(), "no top-level declaration of " + name + " starting in column 0");
        // The words before the type's kind are its modifiers; the pattern admits nothing else.
        List<String> words = List.of(declaration.group().strip().split("\\s+"));
        if (!words.contains("public")) {
            return Optional.empty();
        }
        String before = source.substring(0, declaration.start());
        int start = before.lastIndexOf("/**");
        int end = before.lastIndexOf("*/");
        if (start < 0 || end < start || !ANNOTATIONS.matcher(before.substring(end + 2)).matches()) {
            return Optional.of("");
        }
        return Optional.of(before.substring(start, end + 2));
    }

    /** Whether a Javadoc holds a {@code <pre>{@code ...}</pre>} block with some code in it. */
    static boolean hasExample(String doc) {
        Matcher example = EXAMPLE.matcher(doc);
        while (example.find()) {
            if (!example.group(1).replaceAll("(?m)^\\s*\\*", "").isBlank()) {
                return true;
            }
        }
        return false;
    }
}
