/** UDP multicast: join a group on an interface, send to it, print each datagram with its sender. */

import io.github.selectors4j.Signals;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.Interfaces;
import io.github.selectors4j.net.MulticastMembership;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.NativeSocketAddress;
import io.github.selectors4j.net.SocketOptions;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.reactor.EventLoop;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * IPv4 multicast with {@link NativeSocket}: a receiver binds the group's port, joins the group on
 * one interface ({@code IP_ADD_MEMBERSHIP}) and prints every datagram with its source address; a
 * sender picks the outgoing interface ({@code IP_MULTICAST_IF}) and keeps a copy of what it sends
 * for local listeners ({@code IP_MULTICAST_LOOP}).
 * <ul>
 *   <li>no mode: join, send three datagrams to the group, print them as they come back, exit;</li>
 *   <li>{@code --listen}: only receive, until Ctrl-C;</li>
 *   <li>{@code --send TEXT}: send one datagram to the group and exit.</li>
 * </ul>
 * Defaults: group 239.255.0.1 (administratively scoped: it stays on this site), any free port,
 * interface {@code lo}. The source address printed is the one the kernel chose for the sender:
 * on {@code lo} that is the machine's main address unless a route such as
 * {@code ip route add 224.0.0.0/4 dev lo src 127.0.0.1} names another.
 *
 * <p>Try it: {@code samples/run udp-multicast --listen --port 5007} in one terminal, then
 * {@code samples/run udp-multicast --send hello --port 5007} in another (run the listener twice:
 * both get every datagram).
 */
public class UdpMulticast {

    private static final String USAGE = "usage: samples/run udp-multicast [--group ADDRESS] [--port N] [--interface NAME] [--listen | --send TEXT]";
    private static final int DEMO_DATAGRAMS = 3;
    private static final Duration DEMO_TIME_LIMIT = Duration.ofSeconds(10);

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    private int received;

    public static void main(String[] args) throws Exception {
        String group = "239.255.0.1";
        int port = 0;
        String interfaceName = "lo";
        boolean listen = false;
        String send = null;
        IPv4SocketAddress groupAddress;
        int interfaceIndex;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--group" -> group = args[++i];
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--interface" -> interfaceName = args[++i];
                    case "--listen" -> listen = true;
                    case "--send" -> send = args[++i];
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (listen && send != null) {
                throw new IllegalArgumentException("--listen and --send exclude each other");
            }
            if (send != null && port == 0) {
                throw new IllegalArgumentException("--send needs the group's --port");
            }
            groupAddress = IPv4SocketAddress.of(group, port);
            if ((groupAddress.address()[0] & 0xf0) != 0xe0) {
                throw new IllegalArgumentException(group + " is not a multicast address (224.0.0.0/4)");
            }
            interfaceIndex = Interfaces.nameToIndex(interfaceName);
        } catch (ArrayIndexOutOfBoundsException missingValue) {
            System.err.println(USAGE);
            System.exit(2);
            return;
        } catch (IllegalArgumentException bad) {   // an unknown option, a bad number, address or interface
            System.err.println(USAGE + " (" + bad.getMessage() + ")");
            System.exit(2);
            return;
        }

        UdpMulticast sample = new UdpMulticast();
        if (send != null) {
            sample.sendOnce(groupAddress, interfaceIndex, send);
        } else {
            boolean ok = sample.receive(groupAddress, interfaceName, interfaceIndex, !listen);
            System.exit(ok ? 0 : 1);
        }
    }

    /** A socket that sends to groups through one interface, and hears its own datagrams too. */
    private static NativeSocket sender(int interfaceIndex) throws Exception {
        NativeSocket socket = NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0);
        try {
            socket.setOption(SocketOptions.IP_MULTICAST_IF, interfaceIndex);
            socket.setOption(SocketOptions.IP_MULTICAST_LOOP, true);
            socket.setOption(SocketOptions.IP_MULTICAST_TTL, 1);   // do not cross a router
            return socket;
        } catch (Exception e) {
            socket.close();
            throw e;
        }
    }

    private void sendOnce(IPv4SocketAddress group, int interfaceIndex, String text) throws Exception {
        try (NativeSocket socket = sender(interfaceIndex)) {
            send(socket, group, text);
        }
    }

    private static void send(NativeSocket socket, IPv4SocketAddress group, String text) throws Exception {
        socket.sendTo(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), group);
        System.out.println("sent \"" + text + "\" to " + group);
    }

    /**
     * Joins the group and prints what arrives; in the demo, also sends three datagrams and stops
     * when they are back.
     *
     * @return false if the demo's datagrams did not all come back in time
     */
    private boolean receive(IPv4SocketAddress group, String interfaceName, int interfaceIndex, boolean demo) throws Exception {
        try (EventLoop loop = EventLoop.open();
             NativeSocket receiver = NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_DGRAM, 0)) {
            // Several listeners on one machine may share the port; binding the group's address (not
            // 0.0.0.0) keeps datagrams sent to other groups on that port out of this socket.
            receiver.setOption(SocketOptions.SO_REUSEADDR, true);
            receiver.bind(group);
            IPv4SocketAddress bound = (IPv4SocketAddress) receiver.localAddress();
            MulticastMembership membership = MulticastMembership.of(group, interfaceIndex);
            receiver.setOption(SocketOptions.IP_ADD_MEMBERSHIP, membership);
            System.out.println("joined " + group.host() + " on " + interfaceName + " (interface " + interfaceIndex + ")");
            System.out.println("listening on " + bound);

            loop.addReader(receiver, () -> {
                NativeSocketAddress from;
                while ((from = receiver.recvFrom(buffer.clear())) != null) {
                    String text = StandardCharsets.UTF_8.decode(buffer.flip()).toString();
                    received++;
                    System.out.println("received \"" + text + "\" from " + from + " (" + buffer.limit() + " bytes)");
                    if (demo && received == DEMO_DATAGRAMS) {
                        loop.stop();
                    }
                }
            });
            loop.addSignalHandler(Signals.SIGINT, loop::stop);
            loop.addSignalHandler(Signals.SIGTERM, loop::stop);

            NativeSocket sender = demo ? sender(interfaceIndex) : null;
            try {
                if (demo) {
                    for (int i = 1; i <= DEMO_DATAGRAMS; i++) {
                        send(sender, bound, "hello " + i);
                    }
                    loop.callLater(DEMO_TIME_LIMIT, () -> {
                        System.out.println("gave up: " + received + " of " + DEMO_DATAGRAMS + " datagrams came back in "
                                + DEMO_TIME_LIMIT.toSeconds() + " s");
                        loop.stop();
                    });
                }
                loop.runForever();
            } finally {
                if (sender != null) {
                    sender.close();
                }
                loop.removeReader(receiver);
                receiver.setOption(SocketOptions.IP_DROP_MEMBERSHIP, membership);   // closing would too
            }
        }
        System.out.println("stopped after " + received + " datagram" + (received == 1 ? "" : "s"));
        return !demo || received == DEMO_DATAGRAMS;
    }
}
