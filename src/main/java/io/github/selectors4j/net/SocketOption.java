package io.github.selectors4j.net;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A socket option with a Java type: its level, its number and how its value is laid out.
 * {@link SocketOptions} has the common ones; the factories here make any other.
 *
 * <pre>{@code
 * socket.setOption(SocketOptions.TCP_NODELAY, true);
 * int size = socket.getOption(SocketOptions.SO_RCVBUF);
 * SocketOption<Integer> priority = SocketOption.ofInt("SO_PRIORITY", SocketOptions.SOL_SOCKET, 12);
 * }</pre>
 *
 * @param <T> the value's Java type
 */
public final class SocketOption<T> {

    /** How a value is written to and read from the option's bytes. */
    interface Codec<T> {
        /** Writes {@code value} at {@code offset}; returns its length. */
        int encode(T value, ByteBuffer buffer, int offset);

        /** Reads a value of {@code length} bytes at {@code offset}. */
        T decode(ByteBuffer buffer, int offset, int length);

        /** The most bytes a value can have. */
        int maxLength();

        /** Whether the option can be read. */
        default boolean readable() {
            return true;
        }

        /** Whether the option can be set. */
        default boolean writable() {
            return true;
        }
    }

    private final String name;
    private final int level;
    private final int option;
    private final Codec<T> codec;

    SocketOption(String name, int level, int option, Codec<T> codec) {
        this.name = Objects.requireNonNull(name, "name");
        this.level = level;
        this.option = option;
        this.codec = codec;
    }

    /**
     * An option whose value is a C {@code int}.
     *
     * @param name   a name for messages
     * @param level  the level ({@code SOL_SOCKET}, {@code IPPROTO_TCP}...)
     * @param option the option number
     * @return the option
     */
    public static SocketOption<Integer> ofInt(String name, int level, int option) {
        return new SocketOption<>(name, level, option, OptionCodecs.INT);
    }

    /**
     * An option whose value is a C {@code int} used as a boolean (non-zero is true).
     *
     * @param name   a name for messages
     * @param level  the level
     * @param option the option number
     * @return the option
     */
    public static SocketOption<Boolean> ofBoolean(String name, int level, int option) {
        return new SocketOption<>(name, level, option, OptionCodecs.BOOLEAN);
    }

    /**
     * An option whose value is raw bytes, for structs selectors4j does not model.
     *
     * @param name      a name for messages
     * @param level     the level
     * @param option    the option number
     * @param maxLength the most bytes {@code getOption} reads
     * @return the option
     */
    public static SocketOption<byte[]> ofBytes(String name, int level, int option, int maxLength) {
        if (maxLength < 0 || maxLength > 65536) {
            throw new IllegalArgumentException("maxLength must be 0-65536: " + maxLength);
        }
        return new SocketOption<>(name, level, option, OptionCodecs.bytes(maxLength));
    }

    /**
     * The option's name, as given to the factory; used in messages.
     *
     * @return e.g. {@code "SO_RCVBUF"}
     */
    public String name() {
        return name;
    }

    /**
     * The option's level: the {@code level} argument of {@code setsockopt}.
     *
     * @return e.g. {@link SocketOptions#SOL_SOCKET} or {@link Protocol#IPPROTO_TCP}
     */
    public int level() {
        return level;
    }

    /**
     * The option's number: the {@code optname} argument of {@code setsockopt}.
     *
     * @return the number at its level, e.g. 8 for {@code SO_RCVBUF} on Linux
     */
    public int option() {
        return option;
    }

    Codec<T> codec() {
        return codec;
    }

    @Override
    public String toString() {
        return name;
    }
}
