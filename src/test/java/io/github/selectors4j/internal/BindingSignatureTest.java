package io.github.selectors4j.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps every jnr-ffi binding clear of a signature jnr-ffi 2.3.4 calls wrongly: six or more
 * parameters that are all primitives go through its x86-64 call stubs, which pass the sixth one
 * as garbage (jnr-ffi issue #181; seen here as a garbage timespec reaching kevent). A binding that
 * needs six arguments must make one of them an object (a Pointer or a buffer).
 */
class BindingSignatureTest {

    @Test
    void noBindingHasSixOrMoreParametersThatAreAllPrimitive() {
        List<String> offending = new ArrayList<>();
        for (Class<?> binding : List.of(LibC.class, KqueueLib.class, LinuxFdLib.class, SocketLib.class)) {
            for (Method method : binding.getMethods()) {
                Class<?>[] parameters = method.getParameterTypes();
                if (parameters.length >= 6 && Arrays.stream(parameters).allMatch(Class::isPrimitive)) {
                    offending.add(binding.getSimpleName() + "." + method.getName());
                }
            }
        }
        assertTrue(offending.isEmpty(), "all-primitive signatures of six or more parameters: " + offending);
    }
}
