package io.github.selectors4j.net;

import io.github.selectors4j.internal.SockaddrCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * An {@code AF_UNIX} address ({@code struct sockaddr_un}): a filesystem path, a name in Linux's
 * abstract namespace (no file; gone when the last socket closes), or unnamed (a socket that was
 * never bound, such as either end of a socket pair).
 *
 * <pre>{@code
 * UnixSocketAddress.of(Path.of("/run/myapp.sock"));
 * UnixSocketAddress.abstractName("myapp");     // "\0myapp" in the kernel; printed as @myapp
 * }</pre>
 *
 * <p>Names are at most 107 bytes (the 108-byte {@code sun_path} less its terminator or, for an
 * abstract name, its leading NUL). Paths are encoded as UTF-8.
 */
public final class UnixSocketAddress implements NativeSocketAddress {

    /** The longest path or abstract name, in bytes. */
    public static final int MAX_NAME = 107;
    private static final int PATH_OFFSET = 2;

    /** What kind of name an address has. */
    public enum Kind {
        /** A filesystem path. */
        PATH,
        /** A name in Linux's abstract namespace. */
        ABSTRACT,
        /** No name. */
        UNNAMED
    }

    private static final UnixSocketAddress UNNAMED = new UnixSocketAddress(Kind.UNNAMED, new byte[0]);

    private final Kind kind;
    private final byte[] name;

    private UnixSocketAddress(Kind kind, byte[] name) {
        this.kind = kind;
        this.name = name;
    }

    /**
     * A filesystem path.
     *
     * @param path the path
     * @return the address
     * @throws IllegalArgumentException if the path is empty, contains a NUL, or is over 107 bytes
     */
    public static UnixSocketAddress of(Path path) {
        return of(Objects.requireNonNull(path, "path").toString());
    }

    /**
     * A filesystem path.
     *
     * @param path the path
     * @return the address
     * @throws IllegalArgumentException if the path is empty, contains a NUL, or is over 107 bytes
     */
    public static UnixSocketAddress of(String path) {
        byte[] bytes = Objects.requireNonNull(path, "path").getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            throw new IllegalArgumentException("an AF_UNIX path must not be empty (use unnamed())");
        }
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an AF_UNIX path must not contain NUL: " + path.replace('\0', '@'));
        }
        return new UnixSocketAddress(Kind.PATH, checkLength(bytes));
    }

    /**
     * A name in Linux's abstract namespace.
     *
     * @param name the name, without the leading NUL
     * @return the address
     */
    public static UnixSocketAddress abstractName(String name) {
        return abstractName(Objects.requireNonNull(name, "name").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A name in Linux's abstract namespace, as raw bytes (which may contain NULs).
     *
     * @param name the name, without the leading NUL
     * @return the address
     */
    public static UnixSocketAddress abstractName(byte[] name) {
        Objects.requireNonNull(name, "name");
        return new UnixSocketAddress(Kind.ABSTRACT, checkLength(name.clone()));
    }

    /**
     * The address of an unbound socket.
     *
     * @return the unnamed address
     */
    public static UnixSocketAddress unnamed() {
        return UNNAMED;
    }

    static UnixSocketAddress decode(ByteBuffer buffer, int offset, int length) {
        if (length <= PATH_OFFSET) {
            SockaddrCodec.check(buffer, offset, length, length < 2 ? 0 : AddressFamily.AF_UNIX, 0, "AF_UNIX sockaddr");
            return UNNAMED;
        }
        SockaddrCodec.check(buffer, offset, length, AddressFamily.AF_UNIX, PATH_OFFSET + 1, "AF_UNIX sockaddr");
        int available = Math.min(length - PATH_OFFSET, MAX_NAME + 1);
        if (buffer.get(offset + PATH_OFFSET) == 0) {
            byte[] name = new byte[available - 1];
            buffer.get(offset + PATH_OFFSET + 1, name);
            return new UnixSocketAddress(Kind.ABSTRACT, name);
        }
        int end = 0;
        while (end < available && buffer.get(offset + PATH_OFFSET + end) != 0) {
            end++;
        }
        byte[] path = new byte[Math.min(end, MAX_NAME)];
        buffer.get(offset + PATH_OFFSET, path);
        return new UnixSocketAddress(Kind.PATH, path);
    }

    private static byte[] checkLength(byte[] bytes) {
        if (bytes.length > MAX_NAME) {
            throw new IllegalArgumentException("AF_UNIX path too long: " + bytes.length + " bytes (at most " + MAX_NAME + ")");
        }
        return bytes;
    }

    @Override
    public int family() {
        return AddressFamily.AF_UNIX;
    }

    /**
     * The kind of name.
     *
     * @return path, abstract or unnamed
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The path, for a {@link Kind#PATH} address.
     *
     * @return the path
     * @throws IllegalStateException for other kinds
     */
    public Path path() {
        if (kind != Kind.PATH) {
            throw new IllegalStateException("not a path address: " + this);
        }
        return Path.of(new String(name, StandardCharsets.UTF_8));
    }

    /**
     * The name's bytes: the path's, or the abstract name's without its leading NUL.
     *
     * @return a copy; empty when unnamed
     */
    public byte[] nameBytes() {
        return name.clone();
    }

    @Override
    public int encode(ByteBuffer buffer, int offset) {
        int length = switch (kind) {
            case UNNAMED -> PATH_OFFSET;
            case ABSTRACT -> PATH_OFFSET + 1 + name.length;
            case PATH -> PATH_OFFSET + name.length + 1;
        };
        SockaddrCodec.checkRoom(buffer, offset, length);
        ByteBuffer out = SockaddrCodec.nativeView(buffer);
        for (int i = 0; i < length; i++) {
            out.put(offset + i, (byte) 0);
        }
        SockaddrCodec.putHeader(out, offset, AddressFamily.AF_UNIX, length);
        out.put(offset + PATH_OFFSET + (kind == Kind.ABSTRACT ? 1 : 0), name);
        return length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UnixSocketAddress unix && unix.kind == kind && Arrays.equals(unix.name, name);
    }

    @Override
    public int hashCode() {
        return 31 * kind.hashCode() + Arrays.hashCode(name);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case UNNAMED -> "<unnamed>";
            case ABSTRACT -> "@" + new String(name, StandardCharsets.UTF_8).replace('\0', '@');
            case PATH -> new String(name, StandardCharsets.UTF_8);
        };
    }
}
