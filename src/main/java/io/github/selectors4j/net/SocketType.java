package io.github.selectors4j.net;

import io.github.selectors4j.internal.NetConstants;

/**
 * Socket types ({@code SOCK_*}) and the creation flags that may be or-ed into them on Linux.
 *
 * <pre>{@code
 * NativeSocket stream = NativeSocket.open(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0);  // non-blocking, close-on-exec
 * NativeSocket blocking = NativeSocket.open(AddressFamily.AF_UNIX, SocketType.SOCK_SEQPACKET, 0,
 *         SocketType.SOCK_CLOEXEC);                          // exactly these flags: blocking
 * }</pre>
 */
public final class SocketType {

    /** Reliable byte stream (TCP, UNIX stream). */
    public static final int SOCK_STREAM = NetConstants.value("SOCK_STREAM", 1);
    /** Datagrams (UDP, UNIX datagram, netlink). */
    public static final int SOCK_DGRAM = NetConstants.value("SOCK_DGRAM", 2);
    /** Raw protocol access (raw IP, netlink, packet). */
    public static final int SOCK_RAW = NetConstants.value("SOCK_RAW", 3);
    /** Reliably delivered messages. */
    public static final int SOCK_RDM = NetConstants.value("SOCK_RDM", 4);
    /** Sequenced, reliable, connection-based datagrams (UNIX seqpacket, SCTP). */
    public static final int SOCK_SEQPACKET = NetConstants.value("SOCK_SEQPACKET", 5);
    /** Creation flag: non-blocking (Linux). */
    public static final int SOCK_NONBLOCK = NetConstants.value("SOCK_NONBLOCK", 0);
    /** Creation flag: close-on-exec (Linux). */
    public static final int SOCK_CLOEXEC = NetConstants.value("SOCK_CLOEXEC", 0);

    private SocketType() {
    }

    /**
     * The name of a socket type, for messages.
     *
     * @param type a {@code SOCK_*} type, creation flags ignored
     * @return its name, or the number for a type selectors4j does not name
     */
    public static String name(int type) {
        int bare = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
        String[] names = {"SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET"};
        int[] values = {SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_RDM, SOCK_SEQPACKET};
        for (int i = 0; i < values.length; i++) {
            if (values[i] == bare) {
                return names[i];
            }
        }
        return Integer.toString(type);
    }
}
