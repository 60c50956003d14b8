package io.github.selectors4j.docs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs documentation code that prints, and returns what it printed (tests run one at a time). */
final class StdoutCapture {

    /** Code that may throw, as documentation snippets do. */
    @FunctionalInterface
    interface Code {
        void run() throws Exception;
    }

    private StdoutCapture() {
    }

    static String of(Code code) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            code.run();
        } finally {
            System.setOut(original);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        original.print(printed);
        return printed;
    }
}
