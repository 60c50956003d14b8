package io.github.selectors4j.internal;

import java.lang.reflect.Field;
import java.util.Map;
import jnr.ffi.mapper.FunctionMapper;

/**
 * Lets the class jnr-ffi generates for a binding interface implement that interface when
 * selectors4j runs as a named module.
 *
 * <p>Why this exists: jnr-ffi defines the implementation of {@link LibC} in a fresh class loader of
 * its own, so the generated class lives in that loader's unnamed module. The JVM then refuses to let
 * it implement an interface of a package our module does not export ("superinterface check
 * failed"), and the design keeps {@code internal} unexported. A module may export one of its own
 * packages to a specific module at run time, so we do exactly that, to exactly the generated class's
 * module, just before the class is defined. jnr-ffi calls the function mapper while generating the
 * class, after it has created the loader, so the mapper is where we can see the loader.
 *
 * <p>On the class path (our module unnamed) there is nothing to grant and this is a no-op.
 */
final class GeneratedCodeAccess implements FunctionMapper {

    private static final String LOADER_HOLDER = "jnr.ffi.provider.jffi.AsmLibraryLoader";

    private final Map<String, String> symbols;

    /** Binds every method to the symbol of its own name. */
    GeneratedCodeAccess() {
        this(Map.of());
    }

    /**
     * Binds the named methods to other symbols (NetBSD exports its current {@code kevent} as
     * {@code __kevent50}, for example).
     *
     * @param symbols method name to symbol name
     */
    GeneratedCodeAccess(Map<String, String> symbols) {
        this.symbols = Map.copyOf(symbols);
    }

    @Override
    public String mapFunctionName(String functionName, Context context) {
        Module ours = GeneratedCodeAccess.class.getModule();
        if (ours.isNamed()) {
            ClassLoader generatedCodeLoader = currentGeneratedCodeLoader();
            if (generatedCodeLoader != null) {
                ours.addExports(GeneratedCodeAccess.class.getPackageName(), generatedCodeLoader.getUnnamedModule());
            }
        }
        return symbols.getOrDefault(functionName, functionName);
    }

    /**
     * Reads the class loader jnr-ffi's ASM library loader keeps in a thread-local while it generates
     * a class. jnr-ffi is an automatic module, so its packages are open to reflection; nothing in
     * {@code java.base} is touched.
     */
    private static ClassLoader currentGeneratedCodeLoader() {
        try {
            Field field = Class.forName(LOADER_HOLDER).getDeclaredField("classLoader");
            field.setAccessible(true);
            Object holder = field.get(null);
            return holder instanceof ThreadLocal<?> threadLocal && threadLocal.get() instanceof ClassLoader loader
                    ? loader
                    : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new LinkageError("selectors4j cannot grant jnr-ffi's generated code access to "
                    + "io.github.selectors4j.internal with this jnr-ffi version; run with "
                    + "--add-exports io.github.selectors4j/io.github.selectors4j.internal=ALL-UNNAMED "
                    + "or from the class path", e);
        }
    }
}
