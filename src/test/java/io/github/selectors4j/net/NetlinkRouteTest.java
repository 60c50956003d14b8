package io.github.selectors4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import io.github.selectors4j.selectors.ReadyKey;
import io.github.selectors4j.testing.Closer;
import io.github.selectors4j.testing.NetNamespace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * rtnetlink on a real kernel: link and address dumps of this machine (read only), and link and
 * address notifications from a network namespace the test creates and changes.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "AF_NETLINK exists only on Linux")
class NetlinkRouteTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Closer closer = new Closer();
    /** Counted by {@link #receive}: how many selects reported the netlink socket readable. */
    private int readReadiness;
    /** Counted by {@link #receive}: how many datagrams it read. */
    private int datagrams;
    /** Collected by {@link #receive}: the {@code nl_groups} of the datagrams' source addresses. */
    private final Set<Integer> sourceGroups = new TreeSet<>();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    private NativeSocket routeSocket() throws Exception {
        return closer.add(NativeSocket.open(AddressFamily.AF_NETLINK, SocketType.SOCK_RAW, Protocol.NETLINK_ROUTE));
    }

    private static void send(NativeSocket netlink, NetlinkMessage message) throws Exception {
        ByteBuffer request = ByteBuffer.allocateDirect(message.encodedSize());
        message.encode(request, 0);
        assertEquals(message.encodedSize(), netlink.sendTo(request, NetlinkSocketAddress.kernel()));
    }

    /**
     * Waits in the selector and reads datagrams until {@code done} holds for the messages received so
     * far (or the deadline passes, failing the test). Each wakeup drains the socket until it would block.
     */
    private List<NetlinkMessage> receive(NativeSocket netlink, BaseSelector selector, Predicate<List<NetlinkMessage>> done,
                                         String what) throws Exception {
        List<NetlinkMessage> messages = new ArrayList<>();
        // The kernel fills a dump datagram up to the reader's last buffer size, capped at 32 KiB less
        // skb overhead (netlink_recvmsg's max_recvmsg_len): 64 KiB always holds one whole.
        ByteBuffer datagram = ByteBuffer.allocateDirect(64 * 1024);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.test(messages)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("timed out waiting for " + what + "; received " + messages);
            }
            for (ReadyKey ready : selector.select(Duration.ofNanos(left))) {
                assertTrue(ready.isReadable());
                readReadiness++;
                ReceivedMessage received;
                while ((received = netlink.recvMsg(datagram.clear(), 0, 0)) != null) {
                    assertFalse(received.isTruncated(), "a netlink datagram fit the 64 KiB buffer");
                    NetlinkSocketAddress from = assertInstanceOf(NetlinkSocketAddress.class, received.address());
                    assertEquals(0, from.pid(), "sent by the kernel");
                    // A multicast notification's source names its group, as a bit mask; a reply's has 0.
                    sourceGroups.add(from.groups());
                    datagrams++;
                    messages.addAll(NetlinkMessage.decodeAll(datagram, 0, received.bytes()));
                }
            }
        }
        return messages;
    }

    /** Whether the dump with this sequence number is complete; an error ends it too (and fails the test). */
    private static Predicate<List<NetlinkMessage>> dumpDone(int sequence) {
        return messages -> messages.stream().anyMatch(message -> message.sequence() == sequence
                && (message.type() == NetlinkMessage.NLMSG_DONE || message.type() == NetlinkMessage.NLMSG_ERROR));
    }

    private List<NetlinkMessage> dump(int type, int sequence) throws Exception {
        return dump(routeSocket(), type, sequence);
    }

    private List<NetlinkMessage> dump(NativeSocket netlink, int type, int sequence) throws Exception {
        netlink.bind(NetlinkSocketAddress.kernel());
        NetlinkSocketAddress local = (NetlinkSocketAddress) netlink.localAddress();
        BaseSelector selector = closer.add(DefaultSelector.open());
        selector.register(netlink, BaseSelector.EVENT_READ);
        send(netlink, Rtnetlink.dumpRequest(type, sequence));
        List<NetlinkMessage> messages = receive(netlink, selector, dumpDone(sequence), "the dump's NLMSG_DONE");
        for (NetlinkMessage message : messages) {
            assertNotEquals(NetlinkMessage.NLMSG_ERROR, message.type(), () -> "the dump failed: " + message);
            assertEquals(sequence, message.sequence(), "replies carry the request's sequence number");
            assertEquals(local.pid(), message.pid(), "replies carry the requester's port id");
            assertTrue((message.flags() & NetlinkMessage.NLM_F_MULTI) != 0, () -> "a dump reply is multipart: " + message);
        }
        assertEquals(NetlinkMessage.NLMSG_DONE, messages.get(messages.size() - 1).type(), "NLMSG_DONE comes last");
        assertEquals(Set.of(0), sourceGroups, "replies come from the kernel itself, not a group");
        return messages;
    }

    @Test
    void aLinkDumpListsTheLoopbackDeviceWithItsIndex() throws Exception {
        List<RtLink> links = dump(Rtnetlink.RTM_GETLINK, 0x5344_0001).stream()
                .filter(message -> message.type() == Rtnetlink.RTM_NEWLINK).map(RtLink::decode).toList();
        RtLink lo = links.stream().filter(link -> "lo".equals(link.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no link named lo in " + links));
        assertEquals(Interfaces.nameToIndex("lo"), lo.index());
        assertEquals(PacketSocketAddress.ARPHRD_LOOPBACK, lo.type());
        assertTrue((lo.flags() & Rtnetlink.IFF_LOOPBACK) != 0, "IFF_LOOPBACK");
        assertTrue(lo.isUp());
        assertTrue(lo.mtu() > 0, () -> "mtu " + lo.mtu());
        assertTrue(lo.operState() >= 0, "every link reports IFLA_OPERSTATE");
        assertEquals(links.size(), links.stream().mapToInt(RtLink::index).distinct().count(), "one message per link");
    }

    @Test
    void aDumpSpanningSeveralDatagramsIsReadWhole(@TempDir Path dir) throws Exception {
        NetNamespace namespace = closer.add(NetNamespace.create());
        Set<String> expected = new TreeSet<>(Set.of("lo"));
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add("link add s4ja" + i + " type veth peer name s4jb" + i);
            expected.add("s4ja" + i);
            expected.add("s4jb" + i);
        }
        Files.write(dir.resolve("links.batch"), batch);
        namespace.ip("-batch", dir.resolve("links.batch").toString());

        NativeSocket netlink = closer.add(namespace.socket(AddressFamily.AF_NETLINK, SocketType.SOCK_RAW, Protocol.NETLINK_ROUTE));
        List<NetlinkMessage> messages = dump(netlink, Rtnetlink.RTM_GETLINK, 0x5344_0003);
        Set<String> names = messages.stream().filter(message -> message.type() == Rtnetlink.RTM_NEWLINK)
                .map(RtLink::decode).map(RtLink::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, names, "every link of the namespace, once");
        assertEquals(81 + 1, messages.size(), "81 links and NLMSG_DONE");
        // About 1.5 KB per link: the first datagram, filled while sendto runs and before any recvmsg
        // told the kernel our buffer size, holds a page's worth (2 links), the next ones ~32 KB (21).
        assertTrue(datagrams > 1, () -> "81 links take several datagrams, not " + datagrams);
    }

    @Test
    void anAddressDumpListsLoopbackAddresses() throws Exception {
        List<RtAddress> addresses = dump(Rtnetlink.RTM_GETADDR, 0x5344_0002).stream()
                .filter(message -> message.type() == Rtnetlink.RTM_NEWADDR).map(RtAddress::decode).toList();
        RtAddress loopback = addresses.stream().filter(address -> "127.0.0.1".equals(address.address())).findFirst()
                .orElseThrow(() -> new AssertionError("no 127.0.0.1 in " + addresses));
        assertEquals(AddressFamily.AF_INET, loopback.family());
        assertEquals(8, loopback.prefixLength());
        assertEquals(Interfaces.nameToIndex("lo"), loopback.index());
        assertEquals("lo", loopback.label());
    }

    @Test
    void theKernelAnswersABadRequestWithAnErrorMessage() throws Exception {
        NativeSocket netlink = routeSocket();
        netlink.bind(NetlinkSocketAddress.kernel());
        BaseSelector selector = closer.add(DefaultSelector.open());
        selector.register(netlink, BaseSelector.EVENT_READ);
        // RTM_GETLINK of one link, by an index no link has: the kernel answers -ENODEV.
        byte[] ifinfomsg = new byte[16];
        ByteBuffer.wrap(ifinfomsg).order(ByteOrder.nativeOrder()).putInt(4, Integer.MAX_VALUE);
        send(netlink, new NetlinkMessage(Rtnetlink.RTM_GETLINK, NetlinkMessage.NLM_F_REQUEST, 77, 0, ifinfomsg));
        List<NetlinkMessage> replies = receive(netlink, selector, dumpDone(77), "the error");
        assertEquals(1, replies.size(), () -> "one reply: " + replies);
        NetlinkMessage error = replies.get(0);
        assertEquals(NetlinkMessage.NLMSG_ERROR, error.type());
        assertEquals(-19, error.errorCode(), "-ENODEV");
        NetlinkMessage request = NetlinkMessage.decodeAll(ByteBuffer.wrap(error.payload()), 4, 16 + 16).get(0);
        assertEquals(77, request.sequence(), "struct nlmsgerr echoes the failed request's header");
    }

    @Test
    void linkAndAddressChangesInANamespaceAreAnnounced() throws Exception {
        NetNamespace namespace = closer.add(NetNamespace.create());
        Path ownNamespace = Path.of("/proc/thread-self/ns/net");
        Path before = Files.readSymbolicLink(ownNamespace);
        assertNotEquals(before, namespace.inside(() -> Files.readSymbolicLink(ownNamespace)), "inside() enters the namespace");
        assertEquals(before, Files.readSymbolicLink(ownNamespace), "and leaves it again");
        NativeSocket monitor = closer.add(namespace.socket(AddressFamily.AF_NETLINK, SocketType.SOCK_RAW, Protocol.NETLINK_ROUTE));
        monitor.bind(NetlinkSocketAddress.groups(Rtnetlink.RTMGRP_LINK | Rtnetlink.RTMGRP_IPV4_IFADDR));
        BaseSelector selector = closer.add(DefaultSelector.open());
        selector.register(monitor, BaseSelector.EVENT_READ);
        assertEquals(List.of(), selector.select(Duration.ZERO), "nothing has happened yet");

        namespace.ip("link", "add", "s4j0", "type", "veth", "peer", "name", "s4j1");
        List<RtLink> added = links(receive(monitor, selector,
                messages -> linkNames(messages).containsAll(Set.of("s4j0", "s4j1")), "RTM_NEWLINK for s4j0 and s4j1"));
        assertTrue(readReadiness > 0, "the selector reported the monitor readable");
        assertEquals(Set.of(Rtnetlink.RTMGRP_LINK), sourceGroups, "link notifications come from group RTMGRP_LINK");
        int s4j0 = namespace.inside(() -> Interfaces.nameToIndex("s4j0"));
        int s4j1 = namespace.inside(() -> Interfaces.nameToIndex("s4j1"));
        RtLink announced = added.stream().filter(link -> "s4j0".equals(link.name())).findFirst().orElseThrow();
        assertEquals(s4j0, announced.index(), "the index is the namespace's");
        assertFalse(announced.isUp(), "a new veth is down");
        assertEquals(PacketSocketAddress.ARPHRD_ETHER, announced.type());
        assertEquals(1500, announced.mtu());
        assertEquals(s4j1, announced.attribute(Rtnetlink.IFLA_LINK).asInt(), "IFLA_LINK of a veth is its peer");

        namespace.ip("link", "set", "s4j0", "up");
        // Up, but its peer is down: no carrier, so RFC 2863 "lower layer down" (which the kernel may
        // work out after announcing IFF_UP, in a later message).
        Predicate<RtLink> upWithoutCarrier = link -> "s4j0".equals(link.name()) && link.isUp()
                && link.operState() == Rtnetlink.IF_OPER_LOWERLAYERDOWN;
        RtLink up = links(receive(monitor, selector, messages -> links(messages).stream().anyMatch(upWithoutCarrier),
                "RTM_NEWLINK with s4j0 IFF_UP and IF_OPER_LOWERLAYERDOWN")).stream().filter(upWithoutCarrier).findFirst().orElseThrow();
        assertEquals(0, up.flags() & Rtnetlink.IFF_LOWER_UP, "no IFF_LOWER_UP without a carrier");

        namespace.ip("addr", "add", "10.77.0.1/24", "dev", "s4j0");
        RtAddress address = receive(monitor, selector, messages -> !addresses(messages).isEmpty(), "RTM_NEWADDR").stream()
                .filter(message -> message.type() == Rtnetlink.RTM_NEWADDR).map(RtAddress::decode).findFirst().orElseThrow();
        assertEquals("10.77.0.1", address.address());
        assertEquals(24, address.prefixLength());
        assertEquals(AddressFamily.AF_INET, address.family());
        assertEquals(s4j0, address.index());
        assertEquals("s4j0", address.label());
        assertTrue(sourceGroups.contains(Rtnetlink.RTMGRP_IPV4_IFADDR), () -> "address notifications' group: " + sourceGroups);

        namespace.ip("link", "del", "s4j0");
        receive(monitor, selector, messages -> {
            Set<String> gone = messages.stream().filter(message -> message.type() == Rtnetlink.RTM_DELLINK)
                    .map(RtLink::decode).map(RtLink::name).collect(Collectors.toSet());
            boolean addressGone = messages.stream().anyMatch(message -> message.type() == Rtnetlink.RTM_DELADDR
                    && "10.77.0.1".equals(RtAddress.decode(message).address()));
            return gone.containsAll(Set.of("s4j0", "s4j1")) && addressGone;
        }, "RTM_DELLINK for both ends of the pair and RTM_DELADDR for the address");
    }

    private static List<RtLink> links(List<NetlinkMessage> messages) {
        List<RtLink> links = new ArrayList<>();
        for (NetlinkMessage message : messages) {
            if (message.type() == Rtnetlink.RTM_NEWLINK) {
                RtLink link = RtLink.decode(message);
                // Only this namespace's links may show up: the host's are invisible here.
                assertTrue(Set.of("lo", "s4j0", "s4j1").contains(link.name()), () -> "unexpected link " + link);
                links.add(link);
            }
        }
        return links;
    }

    private static Set<String> linkNames(List<NetlinkMessage> messages) {
        return links(messages).stream().map(RtLink::name).collect(Collectors.toSet());
    }

    private static List<RtAddress> addresses(List<NetlinkMessage> messages) {
        return messages.stream().filter(message -> message.type() == Rtnetlink.RTM_NEWADDR).map(RtAddress::decode).toList();
    }
}
