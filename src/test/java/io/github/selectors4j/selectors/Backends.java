package io.github.selectors4j.selectors;

import java.util.Arrays;
import java.util.List;

/** The backends the contract suite runs against on this machine. */
public final class Backends {

    private Backends() {
    }

    /** Every backend; one that cannot open here is skipped by the suite with the reason. */
    public static List<SelectorBackend> available() {
        return Arrays.asList(SelectorBackend.values());
    }
}
