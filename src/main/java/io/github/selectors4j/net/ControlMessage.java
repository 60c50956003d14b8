package io.github.selectors4j.net;

import io.github.selectors4j.internal.NetConstants;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One ancillary-data item of {@link NativeSocket#sendMsg} and {@link NativeSocket#recvMsg}: a
 * {@code struct cmsghdr}'s level, type and data. Python's {@code (level, type, data)} tuple.
 *
 * <pre>{@code
 * // Hand an open file to another process over AF_UNIX:
 * socket.sendMsg(ByteBuffer.wrap(new byte[] {1}), List.of(ControlMessage.rights(fileFd)), 0, null);
 * // ...and on the other side:
 * ReceivedMessage message = socket.recvMsg(ByteBuffer.allocate(16), 64, 0);
 * int[] fds = message.controls().get(0).fds();   // new fds in this process, close-on-exec
 * }</pre>
 *
 * @param level the protocol level, e.g. {@link #SOL_SOCKET}
 * @param type  the message type, e.g. {@link #SCM_RIGHTS}
 * @param data  the data (the record copies it)
 */
public record ControlMessage(int level, int type, byte[] data) {

    /** The socket level. */
    public static final int SOL_SOCKET = NetConstants.value("SOL_SOCKET", 1);
    /** File descriptors to pass (AF_UNIX). */
    public static final int SCM_RIGHTS = NetConstants.value("SCM_RIGHTS", 1);
    /** Sender credentials (AF_UNIX, Linux; the receiver must set {@code SO_PASSCRED}). */
    public static final int SCM_CREDENTIALS = NetConstants.value("SCM_CREDENTIALS", 2);

    /**
     * Creates a message.
     *
     * @param level the level
     * @param type  the type
     * @param data  the data, copied
     */
    public ControlMessage {
        data = Objects.requireNonNull(data, "data").clone();
    }

    /**
     * An {@code SCM_RIGHTS} message passing file descriptors.
     *
     * @param fds the fds to pass; the receiver gets new fds for the same open files
     * @return the message
     */
    public static ControlMessage rights(int... fds) {
        Objects.requireNonNull(fds, "fds");
        if (fds.length == 0) {
            throw new IllegalArgumentException("SCM_RIGHTS needs at least one fd");
        }
        ByteBuffer data = ByteBuffer.allocate(4 * fds.length).order(ByteOrder.nativeOrder());
        for (int fd : fds) {
            if (fd < 0) {
                throw new IllegalArgumentException("Invalid file descriptor: " + fd);
            }
            data.putInt(fd);
        }
        return new ControlMessage(SOL_SOCKET, SCM_RIGHTS, data.array());
    }

    /**
     * An {@code SCM_CREDENTIALS} message. A process may send only its own ids unless privileged.
     *
     * @param credentials the credentials to send
     * @return the message
     */
    public static ControlMessage credentials(Credentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        ByteBuffer data = ByteBuffer.allocate(Credentials.SIZE).order(ByteOrder.nativeOrder());
        data.putInt(credentials.pid()).putInt(credentials.uid()).putInt(credentials.gid());
        return new ControlMessage(SOL_SOCKET, SCM_CREDENTIALS, data.array());
    }

    /**
     * The data.
     *
     * @return a copy
     */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /**
     * Reads the fds of an {@code SCM_RIGHTS} message. The receiver owns them and must close them.
     *
     * @return the fds
     * @throws IllegalStateException if this is not an {@code SCM_RIGHTS} message
     */
    public int[] fds() {
        if (level != SOL_SOCKET || type != SCM_RIGHTS) {
            throw new IllegalStateException("not an SCM_RIGHTS message: " + this);
        }
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        int[] fds = new int[data.length / 4];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = buffer.getInt(4 * i);
        }
        return fds;
    }

    /**
     * Reads the credentials of an {@code SCM_CREDENTIALS} message.
     *
     * @return the credentials
     * @throws IllegalStateException if this is not a complete {@code SCM_CREDENTIALS} message
     */
    public Credentials credentials() {
        if (level != SOL_SOCKET || type != SCM_CREDENTIALS || data.length < Credentials.SIZE) {
            throw new IllegalStateException("not an SCM_CREDENTIALS message: " + this);
        }
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        return new Credentials(buffer.getInt(0), buffer.getInt(4), buffer.getInt(8));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ControlMessage message && message.level == level && message.type == type
                && Arrays.equals(message.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(level, type, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        String name = level == SOL_SOCKET && type == SCM_RIGHTS ? "SCM_RIGHTS " + Arrays.toString(fds())
                : level == SOL_SOCKET && type == SCM_CREDENTIALS && data.length >= Credentials.SIZE ? "SCM_CREDENTIALS " + credentials()
                : "level=" + level + ", type=" + type + ", data=" + HexFormat.of().formatHex(data);
        return "ControlMessage[" + name + "]";
    }
}
