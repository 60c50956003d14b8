/** A packet sniffer on AF_PACKET: one line per frame (direction, ARP, IPv4, IPv6, ports), then totals. */

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.Signals;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.IPv6SocketAddress;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.PacketSocketAddress;
import io.github.selectors4j.net.Protocol;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.reactor.EventLoop;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tiny {@code tcpdump}: an {@code AF_PACKET} socket of type {@code SOCK_RAW} and protocol
 * {@code ETH_P_ALL} receives a copy of every frame an interface sends or receives, with a
 * {@link PacketSocketAddress} saying on which interface and in which direction
 * ({@code sll_pkttype}: to this host, broadcast, multicast, to another host, or sent by this host).
 * Each frame gets one line:
 * <pre>
 * frame 1 out s4j0 ARP who-has 10.9.0.2 tell 10.9.0.1 (42 bytes)
 * frame 2 in s4j0 ARP 10.9.0.2 is-at 9a:0e:15:4b:21:70 (42 bytes)
 * frame 3 out s4j0 IPv4 UDP 10.9.0.1:41234 &gt; 10.9.0.2:9999 (50 bytes)
 * frame 4 in s4j0 IPv4 ICMP 10.9.0.2 &gt; 10.9.0.1 echo reply (98 bytes)
 * </pre>
 * and the totals follow when it stops: after {@code --count N} frames, or on Ctrl-C.
 *
 * <p>It needs {@code CAP_NET_RAW}: run it as root, e.g.
 * {@code sudo samples/run packet-sniffer --interface lo --count 10}, then {@code ping -c 2 127.0.0.1}
 * in another terminal. Without the capability it says so and exits with status 1.
 */
public class PacketSniffer {

    private static final String USAGE = "usage: samples/run packet-sniffer [--interface NAME] [--count N]";
    private static final int ETHERNET_HEADER = 14;

    private final ByteBuffer frame = ByteBuffer.allocateDirect(64 * 1024);
    private final Map<String, Integer> directions = new TreeMap<>();
    private final Map<String, Integer> types = new TreeMap<>();
    private long frames;
    private long bytes;

    public static void main(String[] args) throws Exception {
        String interfaceName = null;
        long count = Long.MAX_VALUE;
        PacketSocketAddress bindTo = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--interface" -> interfaceName = args[++i];
                    case "--count" -> count = Long.parseLong(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (count <= 0) {
                throw new IllegalArgumentException("--count must be positive");
            }
            if (interfaceName != null) {
                bindTo = PacketSocketAddress.of(interfaceName, Protocol.ETH_P_ALL);   // looks the interface up
            }
        } catch (ArrayIndexOutOfBoundsException missingValue) {
            System.err.println(USAGE);
            System.exit(2);
        } catch (IllegalArgumentException bad) {   // an unknown option, a bad count, no such interface
            System.err.println(USAGE + " (" + bad.getMessage() + ")");
            System.exit(2);
        }

        NativeSocket socket;
        try {
            // The protocol goes to the kernel in network byte order, as in C's htons(ETH_P_ALL).
            socket = NativeSocket.open(AddressFamily.AF_PACKET, SocketType.SOCK_RAW, Protocol.htons(Protocol.ETH_P_ALL));
        } catch (ErrnoException e) {
            if (e.errnoName().equals("EPERM") || e.errnoName().equals("EACCES")) {
                System.err.println("packet-sniffer: AF_PACKET sockets need the CAP_NET_RAW capability: run as root, or give it to java"
                        + " (setcap cap_net_raw+ep $(readlink -f $(which java))) [" + e.getMessage() + "]");
                System.exit(1);
            }
            throw e;
        }
        try (EventLoop loop = EventLoop.open(); socket) {
            if (bindTo != null) {
                socket.bind(bindTo);
                System.out.println("capturing on " + interfaceName + " (interface " + bindTo.ifindex() + "); Ctrl-C for the totals");
            } else {
                System.out.println("capturing on every interface; Ctrl-C for the totals");
            }
            PacketSniffer sniffer = new PacketSniffer();
            long limit = count;
            loop.addReader(socket, () -> {
                PacketSocketAddress from;
                while (sniffer.frames < limit && (from = (PacketSocketAddress) socket.recvFrom(sniffer.frame.clear())) != null) {
                    sniffer.print(from, sniffer.frame.flip());
                }
                if (sniffer.frames >= limit) {
                    loop.stop();
                }
            });
            loop.addSignalHandler(Signals.SIGINT, loop::stop);
            loop.addSignalHandler(Signals.SIGTERM, loop::stop);
            loop.runForever();
            loop.removeReader(socket);
            sniffer.printTotals();
        }
    }

    /** One line for one frame; {@code frame} holds it from 0 to its limit. */
    private void print(PacketSocketAddress from, ByteBuffer frame) {
        frames++;
        bytes += frame.limit();
        String direction = switch (from.packetType()) {
            case PacketSocketAddress.PACKET_HOST -> "in";
            case PacketSocketAddress.PACKET_BROADCAST -> "in-broadcast";
            case PacketSocketAddress.PACKET_MULTICAST -> "in-multicast";
            case PacketSocketAddress.PACKET_OTHERHOST -> "to-other-host";
            case PacketSocketAddress.PACKET_OUTGOING -> "out";
            default -> "pkttype-" + from.packetType();
        };
        // SOCK_RAW keeps the link-layer header: 14 bytes on Ethernet, veth and lo (all zeros there).
        // Links without one (tun, for instance) hand over the IP packet itself.
        boolean ethernet = from.hardwareType() == PacketSocketAddress.ARPHRD_ETHER
                || from.hardwareType() == PacketSocketAddress.ARPHRD_LOOPBACK;
        int start = ethernet ? ETHERNET_HEADER : 0;
        String what = describe(from.protocol(), frame, start);
        directions.merge(direction, 1, Integer::sum);
        types.merge(what.substring(0, what.indexOf(' ') < 0 ? what.length() : what.indexOf(' ')), 1, Integer::sum);
        System.out.println("frame " + frames + " " + direction + " " + from.interfaceName() + " " + what + " (" + frame.limit() + " bytes)");
    }

    /** The frame's ethertype ({@code sll_protocol}) and what its header says. */
    private static String describe(int ethertype, ByteBuffer frame, int start) {
        int length = frame.limit() - start;
        return switch (ethertype) {
            case Protocol.ETH_P_IP -> length >= 20 ? ipv4(frame, start) : "IPv4 (truncated)";
            case Protocol.ETH_P_IPV6 -> length >= 40 ? ipv6(frame, start) : "IPv6 (truncated)";
            case Protocol.ETH_P_ARP -> length >= 28 ? arp(frame, start) : "ARP (truncated)";
            default -> String.format("ethertype-0x%04x", ethertype);
        };
    }

    private static String ipv4(ByteBuffer frame, int at) {
        int headerLength = (frame.get(at) & 0x0f) * 4;
        int protocol = frame.get(at + 9) & 0xff;
        String source = IPv4SocketAddress.of(bytes(frame, at + 12, 4), 0).host();
        String destination = IPv4SocketAddress.of(bytes(frame, at + 16, 4), 0).host();
        return "IPv4 " + transport(protocol, frame, at + headerLength, source, destination);
    }

    private static String ipv6(ByteBuffer frame, int at) {
        int next = frame.get(at + 6) & 0xff;
        String source = IPv6SocketAddress.of(bytes(frame, at + 8, 16), 0, 0, 0).host();
        String destination = IPv6SocketAddress.of(bytes(frame, at + 24, 16), 0, 0, 0).host();
        int payload = at + 40;
        // Skip hop-by-hop, routing and destination options headers (MLD reports carry hop-by-hop).
        while ((next == 0 || next == 43 || next == 60) && payload + 2 <= frame.limit()) {
            int headerLength = ((frame.get(payload + 1) & 0xff) + 1) * 8;
            next = frame.get(payload) & 0xff;
            payload += headerLength;
        }
        return "IPv6 " + transport(next, frame, payload, "[" + source + "]", "[" + destination + "]");
    }

    /** "UDP a:1 &gt; b:2", "ICMP a &gt; b echo request"... */
    private static String transport(int protocol, ByteBuffer frame, int at, String source, String destination) {
        boolean haveFour = at + 4 <= frame.limit();
        return switch (protocol) {
            case 6, 17 -> (protocol == 6 ? "TCP " : "UDP ") + (haveFour
                    ? source + ":" + (frame.getShort(at) & 0xffff) + " > " + destination + ":" + (frame.getShort(at + 2) & 0xffff)
                    : source + " > " + destination);
            case 1 -> "ICMP " + source + " > " + destination + (haveFour ? " " + icmp(frame.get(at) & 0xff) : "");
            case 58 -> "ICMPv6 " + source + " > " + destination + (haveFour ? " " + icmpv6(frame.get(at) & 0xff) : "");
            default -> "protocol-" + protocol + " " + source + " > " + destination;
        };
    }

    private static String icmp(int type) {
        return switch (type) {
            case 0 -> "echo reply";
            case 3 -> "destination unreachable";
            case 8 -> "echo request";
            case 11 -> "time exceeded";
            default -> "type " + type;
        };
    }

    private static String icmpv6(int type) {
        return switch (type) {
            case 1 -> "destination unreachable";
            case 128 -> "echo request";
            case 129 -> "echo reply";
            case 133 -> "router solicitation";
            case 134 -> "router advertisement";
            case 135 -> "neighbor solicitation";
            case 136 -> "neighbor advertisement";
            case 143 -> "multicast listener report";
            default -> "type " + type;
        };
    }

    /** An Ethernet/IPv4 ARP request or reply (RFC 826). */
    private static String arp(ByteBuffer frame, int at) {
        int operation = frame.getShort(at + 6) & 0xffff;
        String senderMac = mac(bytes(frame, at + 8, 6));
        String sender = IPv4SocketAddress.of(bytes(frame, at + 14, 4), 0).host();
        String target = IPv4SocketAddress.of(bytes(frame, at + 24, 4), 0).host();
        return switch (operation) {
            case 1 -> "ARP who-has " + target + " tell " + sender;
            case 2 -> "ARP " + sender + " is-at " + senderMac;
            default -> "ARP operation " + operation;
        };
    }

    private void printTotals() {
        System.out.println("total " + frames + " frame" + (frames == 1 ? "" : "s") + ", " + bytes + " bytes");
        System.out.println("directions " + counts(directions));
        System.out.println("types " + counts(types));
    }

    /** {@code in 4, out 5}. */
    private static String counts(Map<String, Integer> counts) {
        StringBuilder text = new StringBuilder();
        counts.forEach((name, n) -> text.append(text.length() == 0 ? "" : ", ").append(name).append(' ').append(n));
        return text.length() == 0 ? "none" : text.toString();
    }

    private static byte[] bytes(ByteBuffer frame, int at, int length) {
        byte[] bytes = new byte[length];
        frame.get(at, bytes);
        return bytes;
    }

    private static String mac(byte[] address) {
        StringBuilder text = new StringBuilder();
        for (byte b : address) {
            text.append(text.length() == 0 ? "" : ":").append(String.format("%02x", b & 0xff));
        }
        return text.toString();
    }
}
