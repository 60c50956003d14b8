package io.github.selectors4j.reliability;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Lets a local run try many more sequences than CI does: with {@code -Dselectors4j.pbt.tries=10000}
 * (passed through Maven to the test JVM) every property of a class that adds this hook runs that
 * many tries instead of the modest number its {@code @Property} names.
 */
public final class PbtTries implements AroundPropertyHook {

    /** The system property that overrides the tries of every property. */
    public static final String PROPERTY = "selectors4j.pbt.tries";

    /** Called by jqwik. */
    public PbtTries() {
    }

    /** Added to a class, the hook applies to the properties in it. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String tries = System.getProperty(PROPERTY);
        if (tries != null && !tries.isBlank()) {
            context.attributes().setTries(Integer.parseInt(tries.trim()));
        }
        return property.execute();
    }
}
