package io.github.selectors4j.net;

import io.github.selectors4j.internal.SockaddrCodec;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A socket address of one family: a Java value for one kind of {@code struct sockaddr}.
 *
 * <p>Each family has its own type ({@link IPv4SocketAddress}, {@link IPv6SocketAddress},
 * {@link UnixSocketAddress}, {@link NetlinkSocketAddress}, {@link PacketSocketAddress},
 * {@link VsockSocketAddress}, {@link CanSocketAddress}, {@link AlgSocketAddress},
 * {@link TipcSocketAddress}); a family selectors4j does not model decodes to a
 * {@link RawSocketAddress}. Every type encodes itself into the kernel's layout, decodes from it,
 * compares by value and prints readably.
 *
 * <pre>{@code
 * NativeSocketAddress local = socket.localAddress();
 * if (local instanceof IPv4SocketAddress inet) {
 *     System.out.println("bound to port " + inet.port());
 * }
 * }</pre>
 */
public interface NativeSocketAddress {

    /**
     * The address family, an {@code AF_*} value.
     *
     * @return the family
     */
    int family();

    /**
     * Writes this address as the kernel's {@code struct sockaddr} of its family, in the machine's
     * byte order (and network order where the struct wants it) whatever the buffer's order.
     *
     * @param buffer a buffer of any byte order with room for the sockaddr at {@code offset}; its
     *               position, limit and order are left alone
     * @param offset where to write
     * @return the sockaddr's length in bytes
     * @throws IndexOutOfBoundsException if the buffer is too small
     */
    int encode(ByteBuffer buffer, int offset);

    /**
     * Reads a {@code struct sockaddr} of any family.
     *
     * @param buffer a buffer of any byte order holding the kernel's bytes (read in the machine's
     *               order whatever the buffer's); its position, limit and order are left alone
     * @param offset where the sockaddr starts
     * @param length its length, as the kernel reported it
     * @return the address, of the family's type, or a {@link RawSocketAddress}
     * @throws IllegalArgumentException if the bytes are not a valid address of their family (too
     *                                  short, inconsistent lengths), or lie outside the buffer
     */
    static NativeSocketAddress decode(ByteBuffer buffer, int offset, int length) {
        Objects.requireNonNull(buffer, "buffer");
        buffer = SockaddrCodec.nativeView(buffer);
        if (offset < 0 || length < 0 || offset > buffer.limit() - length) {
            throw new IllegalArgumentException("sockaddr of " + length + " bytes at offset " + offset
                    + " does not fit a buffer of " + buffer.limit());
        }
        int family = SockaddrCodec.family(buffer, offset, length);
        if (family == AddressFamily.AF_INET) {
            return IPv4SocketAddress.decode(buffer, offset, length);
        }
        if (family == AddressFamily.AF_INET6) {
            return IPv6SocketAddress.decode(buffer, offset, length);
        }
        if (family == AddressFamily.AF_UNIX || length < 2) {
            return UnixSocketAddress.decode(buffer, offset, length);
        }
        if (family == AddressFamily.AF_NETLINK) {
            return NetlinkSocketAddress.decode(buffer, offset, length);
        }
        if (family == AddressFamily.AF_PACKET) {
            return PacketSocketAddress.decode(buffer, offset, length);
        }
        if (family == AddressFamily.AF_VSOCK) {
            return VsockSocketAddress.decode(buffer, offset, length);
        }
        if (family == AddressFamily.AF_CAN) {
            return CanSocketAddress.decode(buffer, offset, length);
        }
        if (family == AddressFamily.AF_ALG) {
            return AlgSocketAddress.decode(buffer, offset, length);
        }
        if (family == AddressFamily.AF_TIPC) {
            return TipcSocketAddress.decode(buffer, offset, length);
        }
        return RawSocketAddress.decode(buffer, offset, length);
    }
}
