package io.github.selectors4j.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/** The few assertions JUnit lacks. */
public final class Asserts {

    private Asserts() {
    }

    /** Asserts that both collections hold the same elements with the same multiplicity, in any order. */
    public static void assertSameElements(Collection<?> expected, Collection<?> actual) {
        List<Object> missing = new ArrayList<>(expected);
        List<Object> unexpected = new ArrayList<>();
        for (Object element : actual) {
            if (!missing.remove(element)) {
                unexpected.add(element);
            }
        }
        assertTrue(missing.isEmpty() && unexpected.isEmpty(),
                "expected " + expected + " in any order but got " + actual + "; missing " + missing + ", unexpected " + unexpected);
    }

    /** Asserts that the call throws {@code type} with a message containing {@code fragment}. */
    public static <T extends Throwable> T assertThrowsWithMessage(Class<T> type, String fragment, Executable call) {
        T thrown = assertThrows(type, call);
        String message = String.valueOf(thrown.getMessage());
        assertTrue(message.contains(fragment), "message \"" + message + "\" does not contain \"" + fragment + "\"");
        return thrown;
    }

    /** Asserts that {@code text} contains {@code fragment}. */
    public static void assertContains(String fragment, String text) {
        assertTrue(text != null && text.contains(fragment), "\"" + fragment + "\" not found in:\n" + text);
    }
}
