package io.github.selectors4j.net;

import io.github.selectors4j.internal.SockaddrCodec;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A socket address of a family selectors4j does not model (Bluetooth, for example): the family
 * and the bytes that follow the family field, kept as they are so that the address can be passed
 * back to the kernel unchanged.
 *
 * <pre>{@code
 * RawSocketAddress raw = new RawSocketAddress(31, new byte[] {...});   // AF_BLUETOOTH, by hand
 * socket.connect(raw);
 * }</pre>
 */
public final class RawSocketAddress implements NativeSocketAddress {

    private final int family;
    private final byte[] data;

    /**
     * Creates the address.
     *
     * @param family the family
     * @param data   the bytes after the 2-byte family field (copied)
     * @throws IllegalArgumentException if the sockaddr would exceed 128 bytes
     */
    public RawSocketAddress(int family, byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length > 126) {
            throw new IllegalArgumentException("sockaddr data too long: " + data.length + " bytes (at most 126)");
        }
        this.family = family;
        this.data = data.clone();
    }

    static RawSocketAddress decode(ByteBuffer buffer, int offset, int length) {
        byte[] data = new byte[Math.max(0, length - 2)];
        buffer.get(offset + 2, data);
        return new RawSocketAddress(SockaddrCodec.family(buffer, offset, length), data);
    }

    @Override
    public int family() {
        return family;
    }

    /**
     * The bytes after the family field.
     *
     * @return a copy
     */
    public byte[] data() {
        return data.clone();
    }

    @Override
    public int encode(ByteBuffer buffer, int offset) {
        SockaddrCodec.checkRoom(buffer, offset, 2 + data.length);
        ByteBuffer out = SockaddrCodec.nativeView(buffer);
        SockaddrCodec.putHeader(out, offset, family, 2 + data.length);
        out.put(offset + 2, data);
        return 2 + data.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RawSocketAddress raw && raw.family == family && Arrays.equals(raw.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(family, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "RawSocketAddress[" + AddressFamily.name(family) + ", " + HexFormat.of().formatHex(data) + "]";
    }
}
