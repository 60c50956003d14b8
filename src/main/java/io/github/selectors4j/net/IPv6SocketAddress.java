package io.github.selectors4j.net;

import io.github.selectors4j.internal.SockaddrCodec;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An {@code AF_INET6} address ({@code struct sockaddr_in6}): Python's
 * {@code (host, port, flowinfo, scope_id)} tuple.
 *
 * <pre>{@code
 * IPv6SocketAddress.of("::1", 8080);
 * IPv6SocketAddress.of("fe80::1%eth0", 9, 0, 0);   // a scope given by interface name
 * IPv6SocketAddress.of("", 0);                      // the unspecified address ::
 * IPv6SocketAddress.of("::ffff:127.0.0.1", 80);     // IPv4-mapped: 127.0.0.1 on a dual-stack socket
 * }</pre>
 *
 * <p>Equality compares the 16 address bytes, port, flow info and scope id. {@link #host()} gives the
 * compressed text form (RFC 5952), without the scope; an IPv4-mapped address, as a dual-stack
 * socket reports an IPv4 peer, prints as {@code ::ffff:a.b.c.d} and {@link #of(String, int)} takes
 * that text back.
 */
public final class IPv6SocketAddress implements NativeSocketAddress {

    /** {@code sizeof(struct sockaddr_in6)}. */
    public static final int SIZE = 28;

    private final byte[] address;
    private final int port;
    private final int flowInfo;
    private final int scopeId;

    private IPv6SocketAddress(byte[] address, int port, int flowInfo, int scopeId) {
        this.address = address;
        this.port = port;
        this.flowInfo = flowInfo;
        this.scopeId = scopeId;
    }

    /**
     * Makes an address with no flow info; the scope may be given as {@code %name} or {@code %index}.
     *
     * @param host an IPv6 literal, {@code ""} for {@code ::}, or a name to resolve
     * @param port 0 to 65535
     * @return the address
     */
    public static IPv6SocketAddress of(String host, int port) {
        return of(host, port, 0, 0);
    }

    /**
     * Makes an address.
     *
     * @param host     an IPv6 literal, optionally with {@code %scope}, including the IPv4-mapped
     *                 {@code ::ffff:a.b.c.d}; {@code ""} for {@code ::}; or a name
     * @param port     0 to 65535
     * @param flowInfo the flow label and traffic class
     * @param scopeId  the scope (interface index) for link-local addresses; a {@code %scope} in the
     *                 host takes precedence
     * @return the address
     * @throws IllegalArgumentException for a bad port, an unknown scope name, or a host that is not
     *                                  and does not resolve to an IPv6 address (a plain IPv4 address
     *                                  such as {@code "127.0.0.1"} is refused: write it
     *                                  {@code "::ffff:127.0.0.1"})
     */
    public static IPv6SocketAddress of(String host, int port, int flowInfo, int scopeId) {
        Objects.requireNonNull(host, "host");
        IPv4SocketAddress.checkPort(port);
        String bare = host;
        int scope = scopeId;
        int percent = host.indexOf('%');
        if (percent >= 0) {
            bare = host.substring(0, percent);
            String name = host.substring(percent + 1);
            scope = name.chars().allMatch(Character::isDigit) && !name.isEmpty() ? Integer.parseUnsignedInt(name) : Interfaces.nameToIndex(name);
        }
        return new IPv6SocketAddress(parse(bare), port, flowInfo, scope);
    }

    /**
     * {@code [::1]:port}.
     *
     * @param port 0 to 65535
     * @return the loopback address
     */
    public static IPv6SocketAddress loopback(int port) {
        byte[] address = new byte[16];
        address[15] = 1;
        return of(address, port, 0, 0);
    }

    /**
     * Makes an address from 16 bytes.
     *
     * @param address  the address bytes, most significant first
     * @param port     0 to 65535
     * @param flowInfo the flow info
     * @param scopeId  the scope id
     * @return the address
     */
    public static IPv6SocketAddress of(byte[] address, int port, int flowInfo, int scopeId) {
        Objects.requireNonNull(address, "address");
        if (address.length != 16) {
            throw new IllegalArgumentException("an IPv6 address has 16 bytes, not " + address.length);
        }
        IPv4SocketAddress.checkPort(port);
        return new IPv6SocketAddress(address.clone(), port, flowInfo, scopeId);
    }

    static IPv6SocketAddress decode(ByteBuffer buffer, int offset, int length) {
        SockaddrCodec.check(buffer, offset, length, AddressFamily.AF_INET6, 24, "AF_INET6 sockaddr");
        ByteBuffer network = buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
        int port = Short.toUnsignedInt(network.getShort(offset + 2));
        int flowInfo = network.getInt(offset + 4);
        byte[] address = new byte[16];
        buffer.get(offset + 8, address);
        int scopeId = length >= SIZE ? buffer.getInt(offset + 24) : 0;
        return new IPv6SocketAddress(address, port, flowInfo, scopeId);
    }

    private static byte[] parse(String host) {
        if (host.isEmpty()) {
            return new byte[16];
        }
        try {
            InetAddress[] candidates = InetAddress.getAllByName(host);
            for (InetAddress candidate : candidates) {
                if (candidate instanceof Inet6Address) {
                    return candidate.getAddress();
                }
            }
            // The JDK turns an IPv4-mapped literal (::ffff:a.b.c.d, also written ::ffff:7f00:1) into
            // an Inet4Address. A host with a colon is an IPv6 literal, never a name, so an Inet4Address
            // from it can only be that: rebuild the 16 mapped bytes it stood for.
            if (host.indexOf(':') >= 0 && candidates.length == 1 && candidates[0] instanceof Inet4Address inet4) {
                return mapped(inet4.getAddress());
            }
            throw new IllegalArgumentException("host has no IPv6 address: " + host
                    + (host.indexOf(':') < 0 && candidates.length > 0 && host.equals(candidates[0].getHostAddress())
                            ? " (an IPv4 address; on an IPv6 socket write it ::ffff:" + host + ")" : ""));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve host: " + host, e);
        }
    }

    private static byte[] mapped(byte[] ipv4) {
        byte[] address = new byte[16];
        address[10] = (byte) 0xff;
        address[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, address, 12, 4);
        return address;
    }

    /** Whether the address is IPv4-mapped: 80 zero bits, 16 one bits, then the IPv4 address. */
    private boolean isIpv4Mapped() {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    @Override
    public int family() {
        return AddressFamily.AF_INET6;
    }

    /**
     * The address in compressed text form, e.g. {@code "::1"} or {@code "fe80::1"}; an IPv4-mapped
     * address in the mixed form RFC 5952 (section 5) recommends, e.g. {@code "::ffff:127.0.0.1"}.
     * {@link #of(String, int)} accepts what this returns.
     *
     * @return the text form, without a scope
     */
    public String host() {
        if (isIpv4Mapped()) {
            return "::ffff:" + (address[12] & 0xff) + "." + (address[13] & 0xff) + "." + (address[14] & 0xff) + "." + (address[15] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    /**
     * The 16 address bytes.
     *
     * @return a copy
     */
    public byte[] address() {
        return address.clone();
    }

    /**
     * The port.
     *
     * @return 0 to 65535
     */
    public int port() {
        return port;
    }

    /**
     * The flow info.
     *
     * @return the flow label and traffic class bits
     */
    public int flowInfo() {
        return flowInfo;
    }

    /**
     * The scope id.
     *
     * @return the interface index for a link-local address, else 0
     */
    public int scopeId() {
        return scopeId;
    }

    @Override
    public int encode(ByteBuffer buffer, int offset) {
        SockaddrCodec.checkRoom(buffer, offset, SIZE);
        ByteBuffer out = SockaddrCodec.nativeView(buffer);
        for (int i = 0; i < SIZE; i++) {
            out.put(offset + i, (byte) 0);
        }
        SockaddrCodec.putHeader(out, offset, AddressFamily.AF_INET6, SIZE);
        SockaddrCodec.putShortBigEndian(out, offset + 2, port);
        SockaddrCodec.putIntBigEndian(out, offset + 4, flowInfo);
        out.put(offset + 8, address);
        out.putInt(offset + 24, scopeId);
        return SIZE;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IPv6SocketAddress inet && inet.port == port && inet.flowInfo == flowInfo
                && inet.scopeId == scopeId && Arrays.equals(inet.address, address);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(address), port, flowInfo, scopeId);
    }

    /**
     * {@return e.g. {@code [::1]:8080}, {@code [fe80::1%2]:9}, or with non-zero flow info
     * {@code [2001:db8::1]:80 flowinfo=0xabcde}} Every field that takes part in equality is shown,
     * so two unequal addresses never print the same.
     */
    @Override
    public String toString() {
        return "[" + host() + (scopeId != 0 ? "%" + Integer.toUnsignedString(scopeId) : "") + "]:" + port
                + (flowInfo != 0 ? " flowinfo=0x" + Integer.toHexString(flowInfo) : "");
    }
}
