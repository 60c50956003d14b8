package io.github.selectors4j.reactor;

import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.net.IPv4SocketAddress;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The child of {@link EmfileTest}: an echo {@link Server} on an {@link EventLoop}, run under a small
 * fd limit. Prints {@code PORT}, {@code PID} and {@code FDS} lines at start, a {@code STATUS} line
 * (connections, shed connections, accepting) every 250 ms, {@code ERROR} lines for whatever the loop
 * reports, and {@code EXIT} at the end. Exits when its stdin closes, or after two minutes whatever happens.
 */
public final class EmfileServerMain {

    private EmfileServerMain() {
    }

    public static void main(String[] args) throws Exception {
        preloadLibraryClasses();
        EventLoop loop = EventLoop.open();
        loop.setExceptionHandler((context, error) -> System.out.println("ERROR " + context + ": " + error));
        Server server = Server.listen(loop, IPv4SocketAddress.loopback(0), () -> (connection, data) -> connection.write(data));
        System.out.println("PORT " + ((IPv4SocketAddress) server.address()).port());
        System.out.println("PID " + ProcessHandle.current().pid());
        System.out.println("FDS " + openFds());
        loop.callEvery(Duration.ofMillis(250), () -> System.out.println(
                "STATUS " + server.connectionCount() + " " + server.shedConnections() + " " + server.isAccepting()));
        loop.callLater(Duration.ofMinutes(2), loop::stop);
        Thread stdin = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // Nothing is sent; only the end matters.
                }
            } catch (IOException ignored) {
                // Treated as the end.
            }
            loop.stop();
        }, "stdin");
        stdin.setDaemon(true);
        stdin.start();
        loop.runForever();
        long shed = server.shedConnections();
        server.close();
        loop.close();
        System.out.println("EXIT " + shed);
        System.out.flush();
    }

    private static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /**
     * Loads every class of the library now. Out of fds, the JVM could not open a class file from a
     * class-path directory, so a class first needed then (an exception's, say) would fail to load:
     * a failure of the test set-up, not of the server.
     */
    private static void preloadLibraryClasses() throws IOException, ClassNotFoundException {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path root = Path.of(entry);
            Path library = root.resolve("io/github/selectors4j");
            if (!Files.isDirectory(library) || root.endsWith("test-classes")) {
                continue;
            }
            try (Stream<Path> files = Files.walk(library)) {
                for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                    String name = root.relativize(file).toString().replace(File.separatorChar, '.');
                    Class.forName(name.substring(0, name.length() - ".class".length()), false, EmfileServerMain.class.getClassLoader());
                }
            }
        }
        // The message of an EMFILE failure, built once while fds are plentiful.
        Errno.exception("accept4", Errno.EMFILE, 0).getMessage();
    }
}
