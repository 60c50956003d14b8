package io.github.selectors4j;

import static io.github.selectors4j.testing.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.selectors4j.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * selectors4j as a named module on the module path, in a child JVM: the exported API works, the
 * internal package stays hidden, and the flags docs/getting-started.md lists are all it takes.
 */
class ModulePathTest {

    /** Written by the build (dependency:build-classpath): the library's runtime dependencies. */
    private static final String RUNTIME_CLASSPATH_PROPERTY = "selectors4j.test.runtimeClasspath";

    @Test
    void theModuleWorksFromTheModulePathWithItsInternalsUnexported() throws Exception {
        String dependencies = Files.readString(Path.of(System.getProperty(RUNTIME_CLASSPATH_PROPERTY))).trim();
        List<String> jvmArgs = new ArrayList<>(List.of(
                "--module-path", Path.of("target", "classes").toAbsolutePath() + ":" + dependencies,
                // jnr-ffi is an automatic module and cannot declare that it needs ASM.
                "--add-modules", "io.github.selectors4j,org.objectweb.asm"));
        if (Runtime.version().feature() >= 22) {
            jvmArgs.add("--enable-native-access=org.jnrproject.jffi");
        }
        ChildJvm.Result result = ChildJvm.run(jvmArgs,
                List.of(Path.of("src/test/resources/modulepath/ModuleSmoke.java").toAbsolutePath().toString()), 120);

        assertEquals(0, result.exitCode(), result.output());
        assertContains("module=io.github.selectors4j", result.stdout());
        assertContains("internal exported=false", result.stdout());
        assertContains("backend=epoll", result.stdout());
        assertContains("ready=1", result.stdout());
        assertEquals("", result.stderr(), "no warnings with the documented flags");
    }
}
