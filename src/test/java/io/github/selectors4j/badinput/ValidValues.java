package io.github.selectors4j.badinput;

import io.github.selectors4j.FileDescriptorLike;
import io.github.selectors4j.Ownership;
import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.fd.Inotify;
import io.github.selectors4j.fd.InotifyEvent;
import io.github.selectors4j.fd.OpenFile;
import io.github.selectors4j.fd.PidFd;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.fd.TimerFd;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.AlgSocketAddress;
import io.github.selectors4j.net.CanSocketAddress;
import io.github.selectors4j.net.ControlMessage;
import io.github.selectors4j.net.Credentials;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.IPv6SocketAddress;
import io.github.selectors4j.net.MulticastMembership;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.NativeSocketAddress;
import io.github.selectors4j.net.NetlinkAttribute;
import io.github.selectors4j.net.NetlinkMessage;
import io.github.selectors4j.net.NetlinkSocketAddress;
import io.github.selectors4j.net.PacketMembership;
import io.github.selectors4j.net.PacketSocketAddress;
import io.github.selectors4j.net.RawSocketAddress;
import io.github.selectors4j.net.RtAddress;
import io.github.selectors4j.net.RtLink;
import io.github.selectors4j.net.SocketOption;
import io.github.selectors4j.net.SocketOptions;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.net.TipcSocketAddress;
import io.github.selectors4j.net.UnixSocketAddress;
import io.github.selectors4j.net.VsockSocketAddress;
import io.github.selectors4j.reactor.Connection;
import io.github.selectors4j.reactor.ConnectionHandler;
import io.github.selectors4j.reactor.EventLoop;
import io.github.selectors4j.reactor.EventLoopGroup;
import io.github.selectors4j.reactor.Server;
import io.github.selectors4j.select.Epoll;
import io.github.selectors4j.select.FdSet;
import io.github.selectors4j.select.KEvent;
import io.github.selectors4j.select.Poll;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.PollSelector;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Good values for the parameters that a bad-input call leaves alone, and receivers for instance
 * methods, made fresh for each call and closed after it.
 *
 * <p>Every {@code int} and {@code long} gets the number of a fresh {@code /dev/null} descriptor:
 * a real fd where an fd is meant, and a harmless small number where it is a port, a count, a flag
 * set or a timeout. (Never 0, 1 or 2: a call that takes ownership of an fd and closes it must not
 * close the test JVM's standard streams.) A process id is that of a {@code sleep} child, so that a
 * signal sent to it harms no one.
 */
final class ValidValues implements AutoCloseable {

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final long sleeperPid;
    final int fd;

    ValidValues(long sleeperPid) throws Exception {
        this.sleeperPid = sleeperPid;
        OpenFile devNull = OpenFile.open(Path.of("/dev/null"), OpenFile.O_RDWR);
        fd = devNull.fileno();
        toClose.push(devNull);
    }

    <T extends AutoCloseable> T closeLater(T resource) {
        toClose.push(resource);
        return resource;
    }

    /** Closes what was made, newest first (so that what the library made of our fd closes before it). */
    @Override
    public void close() {
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception alreadyGone) {
                // A call may have closed it (or taken its fd over) already.
            }
        }
    }

    /**
     * A good value for parameter {@code position} of {@code call} (as {@link ApiCatalog#describe}
     * names it): the generic one of its type, except where that is not good for this parameter,
     * so that a refusal can be pinned on the bad argument.
     */
    Object of(String call, int position, Class<?> type) throws Exception {
        String key = call + "#" + position;
        if (type == String.class && (call.startsWith("CanSocketAddress.") || call.startsWith("PacketSocketAddress.")
                || call.startsWith("Interfaces.") || call.startsWith("MulticastMembership."))) {
            return "lo";
        }
        if (call.startsWith("IPv6SocketAddress.of(")) {
            if (type == String.class) {
                return "::1";
            }
            if (type == byte[].class) {
                return new byte[16];
            }
        }
        if (key.equals("CanSocketAddress.j1939(int, long, int, int)#2") || key.equals("CanSocketAddress.j1939(String, long, int, int)#2")) {
            return CanSocketAddress.J1939_NO_PGN;
        }
        if (type == int.class && position == 1 && (call.startsWith("BaseSelector.register(") || call.startsWith("BaseSelector.modify(")
                || call.startsWith("EventLoop.watch("))) {
            return BaseSelector.EVENT_READ;
        }
        if (call.startsWith("Rtnetlink.dumpRequest(") && position == 0) {
            return io.github.selectors4j.net.Rtnetlink.RTM_GETLINK;
        }
        if (call.startsWith("Rtnetlink.dumpRequest(int, int, int)") && position == 1) {
            return AddressFamily.AF_UNSPEC;
        }
        return of(type);
    }

    /** A good value of {@code type}, or null if there is none here. */
    Object of(Class<?> type) throws Exception {
        if (type == int.class || type == Integer.class) {
            return fd;
        }
        if (type == long.class || type == Long.class) {
            return (long) fd;
        }
        if (type == short.class) {
            return (short) 1;
        }
        if (type == byte.class) {
            return (byte) 1;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == double.class) {
            return 1.0;
        }
        if (type == String.class) {
            return "127.0.0.1";
        }
        if (type == byte[].class) {
            return new byte[4];
        }
        if (type == int[].class) {
            return new int[] {fd};
        }
        if (type == Object.class) {
            return fd;
        }
        if (type == ByteBuffer.class) {
            return ByteBuffer.allocate(64);
        }
        if (type == Duration.class) {
            return Duration.ofMillis(1);
        }
        if (type == Path.class) {
            return Path.of("/dev/null");
        }
        if (type == List.class || type == java.util.Collection.class || type == Iterable.class) {
            return List.of();
        }
        if (type == Ownership.class) {
            return Ownership.BORROWED;
        }
        if (type == CompletableFuture.class) {
            return CompletableFuture.completedFuture(null);
        }
        if (type == java.util.function.Supplier.class) {
            return (java.util.function.Supplier<ConnectionHandler>) () -> (connection, data) -> { };
        }
        if (type == java.util.function.BooleanSupplier.class) {
            return (java.util.function.BooleanSupplier) () -> true;
        }
        if (type == Runnable.class) {
            return (Runnable) () -> { };
        }
        if (type == Throwable.class || type == Exception.class) {
            return new Exception("test");
        }
        if (type == NativeSocketAddress.class || type == IPv4SocketAddress.class) {
            return IPv4SocketAddress.loopback(0);
        }
        if (type == IPv6SocketAddress.class) {
            return IPv6SocketAddress.loopback(0);
        }
        if (type == UnixSocketAddress.class) {
            return UnixSocketAddress.abstractName("selectors4j-bad-input");
        }
        if (type == NetlinkSocketAddress.class) {
            return NetlinkSocketAddress.kernel();
        }
        if (type == PacketSocketAddress.class) {
            return PacketSocketAddress.of(1, 0);
        }
        if (type == VsockSocketAddress.class) {
            return new VsockSocketAddress(VsockSocketAddress.VMADDR_CID_LOCAL, 1);
        }
        if (type == CanSocketAddress.class) {
            return CanSocketAddress.of(1);
        }
        if (type == AlgSocketAddress.class) {
            return new AlgSocketAddress("hash", "sha256");
        }
        if (type == TipcSocketAddress.class) {
            return TipcSocketAddress.service(18888, 1, TipcSocketAddress.TIPC_NODE_SCOPE);
        }
        if (type == RawSocketAddress.class) {
            return new RawSocketAddress(99, new byte[2]);
        }
        if (type == SocketOption.class) {
            return SocketOptions.SO_RCVBUF;
        }
        if (type == ControlMessage.class) {
            return ControlMessage.rights(fd);
        }
        if (type == Credentials.class) {
            return new Credentials((int) ProcessHandle.current().pid(), 0, 0);
        }
        if (type == MulticastMembership.class) {
            return MulticastMembership.of(IPv4SocketAddress.of("239.1.2.3", 0), 0);
        }
        if (type == PacketMembership.class) {
            return receiver(PacketMembership.class);
        }
        if (type == NetlinkMessage.class) {
            return new NetlinkMessage(NetlinkMessage.NLMSG_DONE, 0, 1, 0, new byte[4]);
        }
        if (type == NetlinkAttribute.class) {
            return NetlinkAttribute.ofInt(1, 1);
        }
        if (type == KEvent.class) {
            return new KEvent(fd, -1, 1, 0, 0, 0);
        }
        if (type == FdSet.class) {
            return new FdSet();
        }
        if (type == FileDescriptorLike.class) {
            return closeLater(OpenFile.fromFd(fd, Ownership.BORROWED));
        }
        if (type == NativeSocket.class) {
            return closeLater(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0));
        }
        if (type == BaseSelector.class) {
            return closeLater(PollSelector.open());
        }
        if (type == EventLoop.class) {
            return closeLater(EventLoop.open());
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        if (type.isInterface() && type.getPackageName().startsWith("io.github.selectors4j")) {
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
                if (method.getDeclaringClass() == Object.class) {
                    return switch (method.getName()) {
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> "stub " + type.getSimpleName();
                    };
                }
                return method.isDefault() ? null : defaultOf(method.getReturnType());
            });
        }
        return null;
    }

    private static Object defaultOf(Class<?> type) {
        if (type == boolean.class) {
            return true;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }

    /** A fresh object to call {@code type}'s instance methods on, or null if there is none here. */
    Object receiver(Class<?> type) throws Exception {
        if (type == NativeSocket.class || type == BaseSelector.class || type == EventLoop.class) {
            return of(type);
        }
        if (type == Epoll.class) {
            return closeLater(Epoll.open());
        }
        if (type == Poll.class) {
            return Poll.open();
        }
        if (type == FdSet.class) {
            return new FdSet();
        }
        if (type == EventFd.class) {
            return closeLater(EventFd.open());
        }
        if (type == TimerFd.class) {
            return closeLater(TimerFd.open());
        }
        if (type == Inotify.class) {
            return closeLater(Inotify.open());
        }
        if (type == OpenFile.class) {
            return closeLater(OpenFile.open(Path.of("/dev/null"), OpenFile.O_RDWR));
        }
        if (type == PidFd.class) {
            return closeLater(PidFd.open(sleeperPid));
        }
        if (type == Pipe.End.class) {
            return closeLater(Pipe.open()).writeEnd();
        }
        if (type == EventLoopGroup.class) {
            return closeLater(EventLoopGroup.start(1));
        }
        if (type == io.github.selectors4j.reactor.Watch.class) {
            EventLoop loop = closeLater(EventLoop.open());
            return loop.watch(closeLater(Pipe.open()).readEnd(), BaseSelector.EVENT_READ, (watch, events) -> { });
        }
        if (type == Connection.class) {
            return connection();
        }
        if (type == InotifyEvent.class) {
            return new InotifyEvent(1, 2, 0, "name");
        }
        if (type == PacketMembership.class) {
            return PacketMembership.promiscuous(1);
        }
        if (type == RtLink.class) {
            return new RtLink(0, 0, 1, 0, 0, List.of());
        }
        if (type == RtAddress.class) {
            return new RtAddress(AddressFamily.AF_INET, 8, 0, 0, 1, List.of());
        }
        Object value = of(type);
        return value instanceof Proxy ? null : value;
    }

    /** A live reactor connection, accepted from a loopback client; the loop is not running, so any thread may call it. */
    private Connection connection() throws Exception {
        EventLoop loop = closeLater(EventLoop.open());
        Connection[] accepted = new Connection[1];
        Server server = closeLater(Server.listen(loop, IPv4SocketAddress.loopback(0), () -> new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) {
                accepted[0] = connection;
            }

            @Override
            public void onData(Connection connection, ByteBuffer data) {
            }
        }));
        NativeSocket client = closeLater(NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0));
        client.connect(server.address());
        loop.runUntil(() -> accepted[0] != null);
        return accepted[0];
    }
}
