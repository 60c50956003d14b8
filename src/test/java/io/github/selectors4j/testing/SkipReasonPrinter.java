package io.github.selectors4j.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints every skipped or aborted test with its reason, so that a skip ("AF_CAN not supported by
 * this kernel") is visible in the build log instead of hiding in a report file.
 */
public final class SkipReasonPrinter implements TestExecutionListener {

    private TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        System.out.println("SKIPPED " + name(test) + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            String reason = result.getThrowable().map(Throwable::getMessage).orElse("no reason given");
            System.out.println("SKIPPED " + name(test) + ": " + reason);
        }
    }

    /** The test with the names of its containers, e.g. "SelectorContractTest > [4] KQUEUE > register...". */
    private String name(TestIdentifier test) {
        StringBuilder name = new StringBuilder(test.getDisplayName());
        for (TestIdentifier parent = parent(test); parent != null && parent.getParentIdObject().isPresent(); parent = parent(parent)) {
            name.insert(0, parent.getDisplayName() + " > ");
        }
        return name.toString();
    }

    private TestIdentifier parent(TestIdentifier test) {
        return plan == null ? null : plan.getParent(test).orElse(null);
    }
}
