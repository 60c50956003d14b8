package io.github.selectors4j.badinput;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Walks the public API ({@link ApiCatalog}) and calls every method and constructor with one bad
 * argument at a time, the others good ({@link ValidValues}): null for each object parameter, and
 * -1 and the type's minimum for each {@code int} and {@code long}. What may come out:
 * <ul>
 *   <li>for null: a NullPointerException or IllegalArgumentException the library threw itself,
 *       whose message names the parameter — not the JVM's own "Cannot invoke ... because ... is
 *       null", which means nothing checked the argument before using it; or a normal return, where
 *       null is a documented value (a timeout of null waits forever, say);</li>
 *   <li>for a negative number: IllegalArgumentException or IndexOutOfBoundsException whose message
 *       contains the number; an IOException from the kernel (an fd of -1 is EBADF); or a normal
 *       return, where the number is allowed (flag words, -1 for "the default");</li>
 *   <li>in either case, IllegalStateException or UnsupportedOperationException for a call the
 *       object's state or kind does not allow.</li>
 * </ul>
 * Anything else (ClassCastException, NegativeArraySizeException, an Error, a call that does not
 * return) fails the test, listed with the call that caused it. Every case and its outcome is
 * written to {@code target/bad-input-cases.md}; docs/troubleshooting.md has the summary.
 */
class BadInputWalkTest {

    /** Calls that wait for readiness and, given a negative timeout, wait forever as documented: not called with one. */
    private static final Set<String> WAITS_FOREVER_WHEN_NEGATIVE = Set.of(
            "Epoll.waitReady(long, int)#0", "Poll.poll(long)#0", "Poll.waitReady(long)#0", "Kqueue.waitReady(long, int)#0",
            "BaseSelector.select(long)#0", "BaseSelector.select(long, ReadyHandler)#0", "Select.select(FdSet, FdSet, FdSet, long)#3");
    /** Calls that wait for readiness and, given a null timeout, wait forever as documented (Python's None): not called with one. */
    private static final Set<String> WAITS_FOREVER_WHEN_NULL = Set.of(
            "BaseSelector.select(Duration)#0", "BaseSelector.select(Duration, ReadyHandler)#0", "Epoll.poll(Duration)#0",
            "Epoll.poll(Duration, int)#0", "Select.select(Collection, Collection, Collection, Duration)#3",
            "Select.select(FdSet, FdSet, FdSet, Duration)#3", "Kqueue.control(Collection, int, Duration)#2");

    /**
     * Parameters whose Javadoc gives null a meaning ("or null", "null restores the default",
     * "possibly null"); anywhere else, a null that is accepted without complaint fails the test.
     * Exception constructors take null message parts, as Java's own do.
     */
    private static final Set<String> DOCUMENTED_NULLABLE = Set.of(
            "Accepted(NativeSocket, NativeSocketAddress)#1",
            "AlreadyClosedException(String)#0", "AlreadyRegisteredException(Object, int)#0", "NotRegisteredException(Object)#0",
            "ErrnoException(String, int, String, String, int)#0", "ErrnoException(String, int, String, String, int)#2",
            "ErrnoException(String, int, String, String, int)#3",
            "EventLoop.setExceptionHandler(ExceptionHandler)#0",
            "InotifyEvent(int, int, int, String)#3",
            "MulticastMembership(NativeSocketAddress, IPv4SocketAddress, int)#1",
            "NativeSocket.setTimeout(Duration)#0",
            "ReceivedMessage(int, List, int, NativeSocketAddress)#3",
            "Select.select(FdSet, FdSet, FdSet, Duration)#0", "Select.select(FdSet, FdSet, FdSet, Duration)#1",
            "Select.select(FdSet, FdSet, FdSet, Duration)#2", "Select.select(FdSet, FdSet, FdSet, long)#0",
            "Select.select(FdSet, FdSet, FdSet, long)#1", "Select.select(FdSet, FdSet, FdSet, long)#2",
            "SelectorKey(Object, int, int, Object)#3",
            "BaseSelector.register(Object, int, Object)#2", "BaseSelector.modify(Object, int, Object)#2");

    private static Process sleeper;
    private static ExecutorService worker = Executors.newSingleThreadExecutor(daemon());

    record Case(String call, String argument, String outcome, boolean ok) {
    }

    @BeforeAll
    static void startSleeper() throws IOException {
        // The process whose pid PidFd calls get: signalling it harms nothing.
        sleeper = new ProcessBuilder("sleep", "600").start();
    }

    @AfterAll
    static void stopSleeper() throws InterruptedException {
        sleeper.destroyForcibly().waitFor();
        worker.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return runnable -> {
            Thread thread = new Thread(runnable, "bad-input-walk");
            thread.setDaemon(true);
            return thread;
        };
    }

    @Test
    void everyPublicMethodRefusesBadArgumentsClearly() throws Exception {
        List<Case> cases = new ArrayList<>();
        Map<String, String> skipped = new TreeMap<>();
        for (Executable executable : ApiCatalog.publicExecutables()) {
            Class<?>[] types = executable.getParameterTypes();
            for (int p = 0; p < types.length; p++) {
                String key = ApiCatalog.describe(executable) + "#" + p;
                if (!types[p].isPrimitive()) {
                    if (WAITS_FOREVER_WHEN_NULL.contains(key)) {
                        skipped.put(key, "a null timeout waits forever, as documented");
                        continue;
                    }
                    cases.add(call(executable, p, null, "null", skipped));
                } else if (types[p] == int.class || types[p] == long.class) {
                    if (WAITS_FOREVER_WHEN_NEGATIVE.contains(key)) {
                        skipped.put(key, "a negative timeout waits forever, as documented");
                        continue;
                    }
                    Object minusOne = types[p] == int.class ? (Object) (-1) : (Object) (-1L);
                    Object minimum = types[p] == int.class ? (Object) Integer.MIN_VALUE : (Object) Long.MIN_VALUE;
                    cases.add(call(executable, p, minusOne, String.valueOf(minusOne), skipped));
                    cases.add(call(executable, p, minimum, String.valueOf(minimum), skipped));
                }
            }
        }
        cases.removeIf(c -> c == null);
        write(cases, skipped);
        List<Case> failures = cases.stream().filter(c -> !c.ok()).toList();
        System.out.printf("bad input: %d calls with a bad argument, %d refused or accepted as documented, %d failures, %d skipped%n",
                cases.size(), cases.size() - failures.size(), failures.size(), skipped.size());
        StringBuilder report = new StringBuilder();
        failures.forEach(f -> report.append("\n  ").append(f.call()).append(" with ").append(f.argument()).append(": ").append(f.outcome()));
        assertTrue(failures.isEmpty(), () -> failures.size() + " calls handled a bad argument badly:" + report);
    }

    private Case call(Executable executable, int position, Object bad, String shownBad, Map<String, String> skipped) throws Exception {
        String name = ApiCatalog.describe(executable);
        String argument = "argument " + (position + 1) + " = " + shownBad;
        try (ValidValues valid = new ValidValues(sleeper.pid())) {
            Class<?>[] types = executable.getParameterTypes();
            Object[] args = new Object[types.length];
            for (int i = 0; i < types.length; i++) {
                if (i == position) {
                    args[i] = bad;
                } else {
                    args[i] = executable.isVarArgs() && i == types.length - 1 && types[i] != int[].class
                            ? java.lang.reflect.Array.newInstance(types[i].getComponentType(), 0) : valid.of(name, i, types[i]);
                    if (args[i] == null) {
                        skipped.put(name, "no good value of " + types[i].getSimpleName() + " for the other arguments");
                        return null;
                    }
                }
            }
            Object receiver = null;
            boolean isStatic = executable instanceof Constructor<?> || Modifier.isStatic(executable.getModifiers());
            if (!isStatic) {
                receiver = valid.receiver(executable.getDeclaringClass());
                if (receiver == null) {
                    skipped.put(name, "no instance of " + executable.getDeclaringClass().getSimpleName() + " to call it on");
                    return null;
                }
            }
            Object target = receiver;
            Future<Object> result = worker.submit(() -> executable instanceof Constructor<?> constructor
                    ? constructor.newInstance(args) : ((Method) executable).invoke(target, args));
            Throwable thrown;
            try {
                Object returned = result.get(5, TimeUnit.SECONDS);
                if (returned instanceof AutoCloseable closeable) {
                    valid.closeLater(closeable);
                } else if (returned instanceof Object[] many) {
                    for (Object each : many) {
                        if (each instanceof AutoCloseable closeable) {
                            valid.closeLater(closeable);
                        }
                    }
                }
                boolean documented = bad != null || DOCUMENTED_NULLABLE.contains(name + "#" + position);
                return new Case(name, argument, documented ? "accepted" : "accepted null, which its Javadoc does not allow", documented);
            } catch (TimeoutException stuck) {
                worker = Executors.newSingleThreadExecutor(daemon());
                return new Case(name, argument, "did not return within 5 s", false);
            } catch (java.util.concurrent.ExecutionException e) {
                thrown = e.getCause() instanceof InvocationTargetException ite ? ite.getCause() : e.getCause();
            }
            return judge(name, argument, bad, shownBad, thrown, DOCUMENTED_NULLABLE.contains(name + "#" + position));
        }
    }

    private static Case judge(String name, String argument, Object bad, String shownBad, Throwable thrown, boolean nullable) {
        String type = thrown.getClass().getSimpleName();
        String message = String.valueOf(thrown.getMessage());
        String outcome = type + ": " + message;
        if (bad == null && nullable && !(thrown instanceof NullPointerException)) {
            // null was accepted as documented; the walk's other arguments made the call fail for its
            // own reason (modify of an fd this receiver never registered, say).
            return new Case(name, argument, "null accepted; then " + outcome, true);
        }
        if (thrown instanceof IOException) {
            return new Case(name, argument, outcome, true);
        }
        if (thrown instanceof IllegalStateException || thrown instanceof UnsupportedOperationException) {
            return new Case(name, argument, outcome, thrown.getMessage() != null && !thrown.getMessage().isBlank());
        }
        if (bad == null) {
            boolean ours = (thrown instanceof NullPointerException || thrown instanceof IllegalArgumentException)
                    && thrown.getMessage() != null && !thrown.getMessage().isBlank() && !isJvmNullMessage(thrown.getMessage());
            return new Case(name, argument, ours ? outcome : outcome + " (not checked before use)", ours);
        }
        boolean refused = thrown instanceof IllegalArgumentException || thrown instanceof IndexOutOfBoundsException;
        boolean named = thrown.getMessage() != null && names(thrown.getMessage(), bad);
        return new Case(name, argument, refused && !named ? outcome + " (the message does not name " + shownBad + ")" : outcome,
                refused && named);
    }

    /**
     * Whether a message shows the number: in decimal, or as the unsigned, hex or octal word a flag
     * set, a mask or a file mode is better shown as.
     */
    private static boolean names(String message, Object bad) {
        long value = ((Number) bad).longValue();
        boolean isInt = bad instanceof Integer;
        String unsigned = isInt ? Integer.toUnsignedString((int) value) : Long.toUnsignedString(value);
        String hex = isInt ? Integer.toHexString((int) value) : Long.toHexString(value);
        String octal = isInt ? Integer.toOctalString((int) value) : Long.toOctalString(value);
        return message.contains(Long.toString(value)) || message.contains(unsigned) || message.toLowerCase(java.util.Locale.ROOT).contains("0x" + hex)
                || message.contains("0" + octal);
    }

    /** The JVM's helpful NullPointerException messages (JEP 358), which no library check writes. */
    private static boolean isJvmNullMessage(String message) {
        return message.matches("Cannot (invoke|read|load|store|throw|enter|exit|assign|unbox) .*");
    }

    private static void write(List<Case> cases, Map<String, String> skipped) throws IOException {
        StringBuilder out = new StringBuilder("| Call | Bad argument | Outcome | OK |\n|---|---|---|---|\n");
        for (Case c : cases) {
            out.append("| `").append(c.call()).append("` | ").append(c.argument()).append(" | ")
                    .append(c.outcome().replace("|", "\\|").replace("\n", " ")).append(" | ").append(c.ok() ? "yes" : "**no**").append(" |\n");
        }
        out.append("\nSkipped:\n\n");
        skipped.forEach((call, why) -> out.append("- `").append(call).append("`: ").append(why).append('\n'));
        Path file = Path.of(System.getProperty("selectors4j.test.runtimeClasspath", "target/x")).resolveSibling("bad-input-cases.md");
        Files.writeString(file, out);
    }
}
