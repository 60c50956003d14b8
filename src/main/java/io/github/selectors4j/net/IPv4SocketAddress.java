package io.github.selectors4j.net;

import io.github.selectors4j.internal.SockaddrCodec;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An {@code AF_INET} address ({@code struct sockaddr_in}): Python's {@code (host, port)} tuple.
 *
 * <pre>{@code
 * IPv4SocketAddress.of("127.0.0.1", 8080);
 * IPv4SocketAddress.of("", 0);              // INADDR_ANY, any port, as Python's ("", 0)
 * IPv4SocketAddress.of("<broadcast>", 9);   // INADDR_BROADCAST
 * }</pre>
 *
 * <p>A host that is not a dotted quad is resolved once, when the address is made (as a name such as
 * {@code localhost}). Two addresses are equal when their 4 bytes and ports are; {@link #host()}
 * gives the dotted form.
 */
public final class IPv4SocketAddress implements NativeSocketAddress {

    /** {@code sizeof(struct sockaddr_in)}. */
    public static final int SIZE = 16;

    private final byte[] address;
    private final int port;

    private IPv4SocketAddress(byte[] address, int port) {
        this.address = address;
        this.port = port;
    }

    /**
     * Makes an address from a host and a port.
     *
     * @param host a dotted quad, {@code ""} for any address, {@code "<broadcast>"}, or a name to
     *             resolve
     * @param port 0 to 65535
     * @return the address
     * @throws IllegalArgumentException for a port out of range or a host that is not an IPv4
     *                                  address and does not resolve to one
     */
    public static IPv4SocketAddress of(String host, int port) {
        Objects.requireNonNull(host, "host");
        checkPort(port);
        return new IPv4SocketAddress(parse(host), port);
    }

    /**
     * Makes an address from 4 bytes and a port.
     *
     * @param address the 4 address bytes, most significant first
     * @param port    0 to 65535
     * @return the address
     */
    public static IPv4SocketAddress of(byte[] address, int port) {
        Objects.requireNonNull(address, "address");
        if (address.length != 4) {
            throw new IllegalArgumentException("an IPv4 address has 4 bytes, not " + address.length);
        }
        checkPort(port);
        return new IPv4SocketAddress(address.clone(), port);
    }

    /**
     * {@code 127.0.0.1:port}.
     *
     * @param port 0 to 65535
     * @return the loopback address
     */
    public static IPv4SocketAddress loopback(int port) {
        return of(new byte[] {127, 0, 0, 1}, port);
    }

    /**
     * {@code 0.0.0.0:port}, every local address.
     *
     * @param port 0 to 65535
     * @return the wildcard address
     */
    public static IPv4SocketAddress any(int port) {
        return of(new byte[4], port);
    }

    static IPv4SocketAddress decode(ByteBuffer buffer, int offset, int length) {
        SockaddrCodec.check(buffer, offset, length, AddressFamily.AF_INET, 8, "AF_INET sockaddr");
        int port = Short.toUnsignedInt(buffer.duplicate().order(ByteOrder.BIG_ENDIAN).getShort(offset + 2));
        byte[] address = new byte[4];
        buffer.get(offset + 4, address);
        return new IPv4SocketAddress(address, port);
    }

    private static byte[] parse(String host) {
        if (host.isEmpty()) {
            return new byte[4];
        }
        if (host.equals("<broadcast>")) {
            return new byte[] {-1, -1, -1, -1};
        }
        byte[] dotted = parseDottedQuad(host);
        if (dotted != null) {
            return dotted;
        }
        try {
            for (InetAddress candidate : InetAddress.getAllByName(host)) {
                if (candidate instanceof Inet4Address) {
                    return candidate.getAddress();
                }
            }
            throw new IllegalArgumentException("host has no IPv4 address: " + host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve host: " + host, e);
        }
    }

    private static byte[] parseDottedQuad(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                return null;
            }
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                return null;
            }
            address[i] = (byte) value;
        }
        return address;
    }

    static void checkPort(int port) {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port must be 0-65535: " + port);
        }
    }

    @Override
    public int family() {
        return AddressFamily.AF_INET;
    }

    /**
     * The address in dotted form.
     *
     * @return e.g. {@code "127.0.0.1"}
     */
    public String host() {
        return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
    }

    /**
     * The 4 address bytes.
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

    @Override
    public int encode(ByteBuffer buffer, int offset) {
        SockaddrCodec.checkRoom(buffer, offset, SIZE);
        ByteBuffer out = SockaddrCodec.nativeView(buffer);
        for (int i = 0; i < SIZE; i++) {
            out.put(offset + i, (byte) 0);
        }
        SockaddrCodec.putHeader(out, offset, AddressFamily.AF_INET, SIZE);
        out.put(offset + 2, (byte) (port >>> 8));
        out.put(offset + 3, (byte) port);
        out.put(offset + 4, address);
        return SIZE;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IPv4SocketAddress inet && inet.port == port && Arrays.equals(inet.address, address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + port;
    }

    @Override
    public String toString() {
        return host() + ":" + port;
    }
}
