package io.github.selectors4j.badinput;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The public API: every public constructor and method, with at least one parameter, of every public
 * type in the packages the module exports, found by listing the compiled classes.
 */
final class ApiCatalog {

    static final List<String> EXPORTED = List.of("io.github.selectors4j", "io.github.selectors4j.fd", "io.github.selectors4j.net",
            "io.github.selectors4j.reactor", "io.github.selectors4j.select", "io.github.selectors4j.selectors");

    private ApiCatalog() {
    }

    static List<Executable> publicExecutables() throws IOException, ClassNotFoundException {
        Path classes = Path.of(io.github.selectors4j.FileDescriptorLike.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<Executable> all = new ArrayList<>();
        for (String pkg : EXPORTED) {
            Path dir = classes.resolve(pkg.replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                    String name = file.getFileName().toString();
                    if (!name.endsWith(".class") || name.equals("package-info.class")) {
                        continue;
                    }
                    Class<?> type = Class.forName(pkg + "." + name.substring(0, name.length() - 6), false, ApiCatalog.class.getClassLoader());
                    if (isPublic(type)) {
                        add(type, all);
                    }
                }
            }
        }
        all.sort(Comparator.comparing(ApiCatalog::describe));
        return all;
    }

    private static boolean isPublic(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return !type.isAnonymousClass() && !type.isSynthetic();
    }

    private static void add(Class<?> type, List<Executable> all) {
        if (!type.isInterface() && !type.isEnum() && !Modifier.isAbstract(type.getModifiers())) {
            for (Constructor<?> constructor : type.getConstructors()) {
                if (constructor.getParameterCount() > 0) {
                    all.add(constructor);
                }
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            boolean inherited = method.getDeclaringClass() != type;
            if (Modifier.isPublic(method.getModifiers()) && !method.isSynthetic() && !method.isBridge() && !inherited
                    && method.getParameterCount() > 0 && !isObjectContract(method) && !isEnumContract(method)) {
                all.add(method);
            }
        }
    }

    /** equals(null) is false by contract, compareTo(null) throws NPE by contract: not checks of ours. */
    private static boolean isObjectContract(Method method) {
        return (method.getName().equals("equals") && method.getParameterCount() == 1)
                || (method.getName().equals("compareTo") && method.getParameterCount() == 1);
    }

    private static boolean isEnumContract(Method method) {
        return method.getDeclaringClass().isEnum() && method.getName().equals("valueOf");
    }

    /** e.g. {@code NativeSocket.send(ByteBuffer, int)}. */
    static String describe(Executable executable) {
        StringBuilder out = new StringBuilder(executable.getDeclaringClass().getSimpleName());
        Class<?> outer = executable.getDeclaringClass().getEnclosingClass();
        if (outer != null) {
            out.insert(0, outer.getSimpleName() + ".");
        }
        out.append(executable instanceof Constructor<?> ? "(" : "." + executable.getName() + "(");
        Class<?>[] types = executable.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            out.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        return out.append(")").toString();
    }
}
