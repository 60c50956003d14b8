package io.github.selectors4j.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails any test that leaves a file descriptor open: compares {@code /proc/self/fd} before and
 * after each test. Registered for every test through JUnit's extension auto-detection.
 *
 * <p>Files the JVM itself opens lazily while a test runs (jars and shared libraries it loads, the
 * random device) are not the test's doing and are ignored. Anything else new, a socket, pipe, epoll,
 * eventfd or ordinary file, is a leak. A short grace period lets fds closed by other threads as a
 * test ends (child-process reapers, for example) disappear first.
 *
 * <p>Before the first snapshot the native layer is loaded: loading it makes the JDK initialise its
 * NIO file dispatcher, which opens one socket for the life of the JVM (the "pre-close" socket it
 * dup2s over fds being closed asynchronously). That fd is the JDK's, made once, and must not be
 * blamed on whichever test happens to run first. Newer JDKs (25 here, not 17) make the socket
 * dispatcher's own pre-close fd lazily, when the first socket channel or java.net.Socket is
 * created, so one of each is made and closed first too. For the same reason, where libkqueue is
 * loaded, one kqueue is opened and closed first: libkqueue starts a monitoring thread with an epoll
 * fd and an eventfd of its own the first time a process makes a kqueue, and keeps them for its
 * lifetime.
 */
public final class FdLeakCheck implements BeforeEachCallback, AfterEachCallback {

    static {
        try {
            Class.forName("io.github.selectors4j.internal.Native");
            // JDK 25 opens the socket dispatcher's pre-close fd lazily, the first time a socket
            // channel or a java.net.Socket is used: make that happen here.
            try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open()) {
                server.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
                java.nio.channels.SocketChannel.open(server.getLocalAddress()).close();
            }
            new java.net.Socket().close();
            if (io.github.selectors4j.select.Kqueue.isAvailable()) {
                io.github.selectors4j.select.Kqueue.open().close();
            }
        } catch (ReflectiveOperationException | java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FdLeakCheck.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("before", OpenFds.snapshot());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        Map<Integer, String> before = context.getStore(NAMESPACE).get("before", Map.class);
        try {
            await("no fd leaked by " + context.getDisplayName())
                    .atMost(Duration.ofSeconds(3))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> leaked(before).isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("fds leaked by " + context.getRequiredTestMethod().getName() + ": " + describe(leaked(before)));
        }
    }

    /**
     * Takes the snapshot {@link #leakedSince} compares with, once the fds the JVM and libkqueue
     * open for good are open (see the class comment).
     *
     * @return fd number to link target
     */
    public static Map<Integer, String> snapshot() {
        return OpenFds.snapshot();
    }

    /**
     * The fds open now that were not open in {@code before}, or named another file then, the JVM's
     * own files aside: the same check, for tests that must run it more often than once per test
     * (after each try of a property, whose engine this extension does not hook).
     *
     * @param before a snapshot from {@link #snapshot()}
     * @return fd number to link target of each leaked fd
     */
    public static Map<Integer, String> leakedSince(Map<Integer, String> before) {
        return leaked(before);
    }

    private static Map<Integer, String> leaked(Map<Integer, String> before) {
        Map<Integer, String> leaked = new TreeMap<>();
        OpenFds.snapshot().forEach((fd, target) -> {
            if (!target.equals(before.get(fd)) && !isJvmInternal(target)) {
                leaked.put(fd, target);
            }
        });
        return leaked;
    }

    /** Adds what /proc/net knows about leaked sockets (family, addresses), to make a leak easy to trace. */
    private static String describe(Map<Integer, String> leaked) {
        StringBuilder out = new StringBuilder(leaked.toString());
        leaked.values().stream().filter(target -> target.startsWith("socket:[")).forEach(target -> {
            String inode = target.substring(8, target.length() - 1);
            for (String table : new String[] {"tcp", "tcp6", "udp", "udp6", "unix", "netlink", "packet", "raw"}) {
                try {
                    for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net", table))) {
                        if (line.matches(".*\\s" + inode + "(\\s.*)?$")) {
                            out.append("\n  ").append(target).append(" in /proc/net/").append(table).append(": ").append(line.trim());
                        }
                    }
                } catch (java.io.IOException absent) {
                    // That table does not exist on this kernel.
                }
            }
        });
        return out.toString();
    }

    private static boolean isJvmInternal(String link) {
        // A jar the JVM has open keeps its fd when the build replaces the file: "... (deleted)".
        String target = link.endsWith(" (deleted)") ? link.substring(0, link.length() - 10) : link;
        return target.endsWith(".jar") || target.endsWith(".so") || target.contains(".so.")
                || target.endsWith(".jmod") || target.equals("/dev/urandom") || target.equals("/dev/random")
                || target.endsWith("/lib/modules");
    }
}
