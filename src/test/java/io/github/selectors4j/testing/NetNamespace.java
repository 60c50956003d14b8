package io.github.selectors4j.testing;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.net.NativeSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A named network namespace made for one test with {@code ip netns add}, deleted by
 * {@link #close()}: a private set of links and addresses that tests may change freely, without
 * touching the machine's own network.
 *
 * <pre>{@code
 * try (NetNamespace ns = NetNamespace.create()) {
 *     NativeSocket netlink = ns.socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);   // lives in the namespace
 *     ns.ip("link", "add", "s4j0", "type", "veth", "peer", "name", "s4j1");
 *     int index = ns.inside(() -> Interfaces.nameToIndex("s4j0"));
 * }
 * }</pre>
 *
 * <p>If the namespace cannot be made (no {@code ip}, no privilege, no namespace support), the test
 * is aborted with the reason, not failed. Commands run as child processes whose output goes to
 * files (see {@link ChildJvm#exec}), so no pipe fds are held while they run.
 */
public final class NetNamespace implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final long COMMAND_TIMEOUT_SECONDS = 30;

    private final String name;
    private boolean closed;

    private NetNamespace(String name) {
        this.name = name;
    }

    /**
     * Creates a namespace named {@code s4j-<pid>-<n>}, or aborts the test saying why it cannot.
     *
     * @return the namespace, to be closed by the test
     */
    public static NetNamespace create() throws IOException, InterruptedException {
        String name = "s4j-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        ChildJvm.Result result;
        try {
            result = ChildJvm.exec(List.of("ip", "netns", "add", name), COMMAND_TIMEOUT_SECONDS);
        } catch (IOException noIp) {
            Assumptions.abort("cannot create a network namespace: ip (iproute2) cannot be run: " + noIp.getMessage());
            throw noIp;
        }
        Assumptions.assumeTrue(result.exitCode() == 0, () -> "cannot create a network namespace: ip netns add " + name
                + " exited with " + result.exitCode() + ": " + (result.stderr() + " " + result.stdout()).strip().replace('\n', ' '));
        NetNamespace namespace = new NetNamespace(name);
        if (!Files.exists(namespace.path())) {
            namespace.close();
            Assumptions.abort("ip netns add " + name + " succeeded but " + namespace.path() + " does not exist");
        }
        return namespace;
    }

    /**
     * The namespace's name.
     *
     * @return e.g. {@code s4j-1234-1}
     */
    public String name() {
        return name;
    }

    /** The file {@code ip netns} bind-mounts the namespace on. */
    private Path path() {
        return Path.of("/var/run/netns", name);
    }

    /**
     * Runs {@code ip -n NAME args...} and fails the test, showing the output, if it exits non-zero.
     *
     * @param args the arguments after {@code -n NAME}, e.g. {@code "link", "set", "s4j0", "up"}
     * @return what the command printed
     */
    public ChildJvm.Result ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "-n", name));
        command.addAll(List.of(args));
        ChildJvm.Result result = ChildJvm.exec(command, COMMAND_TIMEOUT_SECONDS);
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + result.output());
        }
        return result;
    }

    /**
     * Runs an action on the calling thread moved into this namespace, then moves the thread back.
     * Sockets made meanwhile stay in this namespace for their whole life; interface names and
     * indexes looked up meanwhile are this namespace's.
     *
     * @param action what to do inside
     * @param <T>    its result type
     * @return its result
     * @throws Exception whatever the action throws, or an {@link ErrnoException} if a namespace
     *                   file cannot be opened or entered
     */
    public <T> T inside(Callable<T> action) throws Exception {
        NamespaceCalls libc = NamespaceCalls.LIBC;
        int target = openNamespace(path().toString());
        int original;
        try {
            original = openNamespace("/proc/thread-self/ns/net");
        } catch (ErrnoException e) {
            libc.close(target);
            throw e;
        }
        try {
            if (libc.setns(target, NamespaceCalls.CLONE_NEWNET) != 0) {
                throw Errno.exception("setns(" + path() + ", CLONE_NEWNET)", NamespaceCalls.lastErrno(), target);
            }
            try {
                return action.call();
            } finally {
                if (libc.setns(original, NamespaceCalls.CLONE_NEWNET) != 0) {
                    // The thread would go on in the test namespace and every later test with it: stop loudly.
                    throw new AssertionError("cannot return thread " + Thread.currentThread().getName()
                            + " to its network namespace", Errno.exception("setns", NamespaceCalls.lastErrno(), original));
                }
            }
        } finally {
            libc.close(original);
            libc.close(target);
        }
    }

    private static int openNamespace(String file) throws ErrnoException {
        int fd = NamespaceCalls.LIBC.open(file, NamespaceCalls.O_RDONLY_CLOEXEC);
        if (fd < 0) {
            throw Errno.exception("open(" + file + ")", NamespaceCalls.lastErrno(), ErrnoException.NO_FD);
        }
        return fd;
    }

    /**
     * Creates a socket in this namespace: {@link NativeSocket#open(int, int, int)} called inside it.
     *
     * @param family   an {@code AF_*} family
     * @param type     a {@code SOCK_*} type
     * @param protocol the protocol
     * @return the socket, to be closed by the caller
     */
    public NativeSocket socket(int family, int type, int protocol) throws Exception {
        return inside(() -> NativeSocket.open(family, type, protocol));
    }

    /**
     * Deletes the namespace with {@code ip netns del}. Links in it go when the last socket made in
     * it is closed. Idempotent.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        ChildJvm.Result result = ChildJvm.exec(List.of("ip", "netns", "del", name), COMMAND_TIMEOUT_SECONDS);
        if (result.exitCode() != 0) {
            throw new AssertionError("ip netns del " + name + " failed: " + result.output());
        }
    }

    @Override
    public String toString() {
        return "NetNamespace[" + name + "]";
    }
}
