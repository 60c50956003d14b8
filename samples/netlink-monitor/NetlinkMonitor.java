/** Route netlink: list the links and addresses, then print every change as it happens (like ip monitor). */

import io.github.selectors4j.Signals;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.NetlinkMessage;
import io.github.selectors4j.net.NetlinkSocketAddress;
import io.github.selectors4j.net.Protocol;
import io.github.selectors4j.net.RtAddress;
import io.github.selectors4j.net.RtLink;
import io.github.selectors4j.net.Rtnetlink;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.reactor.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * A small {@code ip monitor link address}: an {@code AF_NETLINK}/{@code NETLINK_ROUTE} socket
 * subscribed to the link, IPv4-address and IPv6-address multicast groups, on an {@link EventLoop}.
 * It first asks the kernel for every link and every address (two dump requests, one after the
 * other: a netlink socket runs one dump at a time), prints them, then prints each change:
 * <pre>
 * link 1 lo up
 * addr 127.0.0.1/8 dev lo
 * watching for changes (Ctrl-C to stop)
 * link 7 s4j0 down
 * link 7 s4j0 up (no carrier)
 * addr add 10.9.0.1/24 dev s4j0
 * addr del 10.9.0.1/24 dev s4j0
 * link 7 s4j0 removed
 * </pre>
 * Listening needs no privilege.
 *
 * <p>Try it: {@code samples/run netlink-monitor}, then in another terminal (as root) create and
 * change a link, e.g. {@code ip link add s4j0 type veth peer name s4j1; ip link set s4j0 up;
 * ip addr add 10.9.0.1/24 dev s4j0; ip link del s4j0}.
 */
public class NetlinkMonitor {

    private static final int LINK_DUMP = 1;
    private static final int ADDRESS_DUMP = 2;

    private final NativeSocket netlink;
    private final EventLoop loop;
    // Netlink datagrams carry up to about 32 KiB of messages; the buffer is reused for each one.
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    /** Link names by index, for address messages (IPv6 ones carry no name). */
    private final Map<Integer, String> names = new HashMap<>();

    private NetlinkMonitor(EventLoop loop, NativeSocket netlink) {
        this.loop = loop;
        this.netlink = netlink;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 0) {
            System.err.println("usage: samples/run netlink-monitor   (no arguments)");
            System.exit(2);
        }
        try (EventLoop loop = EventLoop.open();
             NativeSocket netlink = NativeSocket.open(AddressFamily.AF_NETLINK, SocketType.SOCK_RAW, Protocol.NETLINK_ROUTE)) {
            // Subscribe before dumping, so that no change falls between the dump and the first notification.
            netlink.bind(NetlinkSocketAddress.groups(Rtnetlink.RTMGRP_LINK | Rtnetlink.RTMGRP_IPV4_IFADDR | Rtnetlink.RTMGRP_IPV6_IFADDR));
            NetlinkMonitor monitor = new NetlinkMonitor(loop, netlink);
            monitor.request(Rtnetlink.RTM_GETLINK, LINK_DUMP);
            loop.addReader(netlink, monitor::readAll);
            loop.addSignalHandler(Signals.SIGINT, loop::stop);
            loop.addSignalHandler(Signals.SIGTERM, loop::stop);
            loop.runForever();
            loop.removeReader(netlink);
        }
        System.out.println("stopped");
    }

    private void request(int type, int sequence) throws IOException {
        ByteBuffer request = ByteBuffer.allocateDirect(64);
        int size = Rtnetlink.dumpRequest(type, sequence).encode(request, 0);
        netlink.sendTo(request.limit(size), NetlinkSocketAddress.kernel());
    }

    /** Reads every datagram waiting: the socket is non-blocking, recv returns 0 when none is left. */
    private void readAll() throws IOException {
        int n;
        while ((n = netlink.recv(buffer.clear())) > 0) {
            for (NetlinkMessage message : NetlinkMessage.decodeAll(buffer, 0, n)) {
                handle(message);
            }
        }
    }

    private void handle(NetlinkMessage message) throws IOException {
        // Dump replies carry the request's sequence number; notifications carry 0.
        boolean dump = message.sequence() == LINK_DUMP || message.sequence() == ADDRESS_DUMP;
        switch (message.type()) {
            case Rtnetlink.RTM_NEWLINK, Rtnetlink.RTM_DELLINK -> {
                RtLink link = RtLink.decode(message);
                names.put(link.index(), link.name());
                String state = message.type() == Rtnetlink.RTM_DELLINK ? "removed" : state(link);
                System.out.println("link " + link.index() + " " + link.name() + " " + state);
            }
            case Rtnetlink.RTM_NEWADDR, Rtnetlink.RTM_DELADDR -> {
                RtAddress address = RtAddress.decode(message);
                String change = dump ? "" : message.type() == Rtnetlink.RTM_NEWADDR ? "add " : "del ";
                System.out.println("addr " + change + address.address() + "/" + address.prefixLength() + " dev "
                        + names.getOrDefault(address.index(), "#" + address.index()));
            }
            case NetlinkMessage.NLMSG_DONE -> {
                if (message.sequence() == LINK_DUMP) {
                    request(Rtnetlink.RTM_GETADDR, ADDRESS_DUMP);
                } else if (message.sequence() == ADDRESS_DUMP) {
                    System.out.println("watching for changes (Ctrl-C to stop)");
                }
            }
            case NetlinkMessage.NLMSG_ERROR -> {
                if (message.errorCode() != 0) {
                    System.out.println("error " + message.errorCode() + " for request " + message.sequence());
                    loop.stop();
                }
            }
            default -> { }   // other route messages (neighbours, routes) are not subscribed to
        }
    }

    /** "up", "up (no carrier)" or "down", from the link's flags. */
    private static String state(RtLink link) {
        if (!link.isUp()) {
            return "down";
        }
        boolean carrier = (link.flags() & Rtnetlink.IFF_LOWER_UP) != 0;
        boolean loopback = (link.flags() & Rtnetlink.IFF_LOOPBACK) != 0;
        return carrier || loopback ? "up" : "up (no carrier)";
    }
}
