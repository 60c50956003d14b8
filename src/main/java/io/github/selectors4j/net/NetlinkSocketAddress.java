package io.github.selectors4j.net;

import io.github.selectors4j.internal.SockaddrCodec;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An {@code AF_NETLINK} address ({@code struct sockaddr_nl}): Python's {@code (pid, groups)} tuple.
 *
 * <pre>{@code
 * NetlinkSocketAddress.kernel();                  // (0, 0): the kernel, or "assign me a port id" in bind
 * NetlinkSocketAddress.groups(Rtnetlink.RTMGRP_LINK);   // bind and listen to link multicast group 1
 * new NetlinkSocketAddress(4242, 0);              // another process's socket, by port id
 * }</pre>
 *
 * <p>Both fields are unsigned 32-bit in the kernel; every {@code int} is a valid value and is read as
 * unsigned ({@link Integer#toUnsignedLong(int)}). The port id is only conventionally a process id:
 * binding with 0 lets the kernel pick a free one, which {@code getsockname} then reports.
 *
 * @param pid    {@code nl_pid}, the socket's port id; 0 is the kernel as a destination, and "let the
 *               kernel assign one" in {@code bind}
 * @param groups {@code nl_groups}, a bit mask of multicast groups 1 to 32 (bit {@code n - 1} for
 *               group {@code n}); groups above 32 are joined with the {@code NETLINK_ADD_MEMBERSHIP}
 *               socket option instead
 */
public record NetlinkSocketAddress(int pid, int groups) implements NativeSocketAddress {

    /** {@code sizeof(struct sockaddr_nl)}. */
    public static final int SIZE = 12;

    // Offsets in struct sockaddr_nl, /usr/include/linux/netlink.h:
    // __kernel_sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups;
    private static final int PAD = 2;
    private static final int PID = 4;
    private static final int GROUPS = 8;

    private static final NetlinkSocketAddress KERNEL = new NetlinkSocketAddress(0, 0);

    /**
     * The kernel as a peer, or, for {@code bind}, "assign a port id and join no group".
     *
     * @return {@code (0, 0)}
     */
    public static NetlinkSocketAddress kernel() {
        return KERNEL;
    }

    /**
     * An address for binding to multicast groups with a kernel-assigned port id.
     *
     * @param groups the group bit mask, e.g. {@code 1} for {@code RTMGRP_LINK}
     * @return {@code (0, groups)}
     */
    public static NetlinkSocketAddress groups(int groups) {
        return new NetlinkSocketAddress(0, groups);
    }

    static NetlinkSocketAddress decode(ByteBuffer buffer, int offset, int length) {
        // netlink_bind refuses anything shorter than the whole struct, and getsockname returns all of it.
        SockaddrCodec.check(buffer, offset, length, AddressFamily.AF_NETLINK, SIZE, "AF_NETLINK sockaddr");
        return new NetlinkSocketAddress(buffer.getInt(offset + PID), buffer.getInt(offset + GROUPS));
    }

    @Override
    public int family() {
        return AddressFamily.AF_NETLINK;
    }

    @Override
    public int encode(ByteBuffer buffer, int offset) {
        Objects.checkFromIndexSize(offset, SIZE, Objects.requireNonNull(buffer, "buffer").limit());
        ByteBuffer out = SockaddrCodec.nativeView(buffer);
        for (int i = 0; i < SIZE; i++) {
            out.put(offset + i, (byte) 0);
        }
        SockaddrCodec.putHeader(out, offset, AddressFamily.AF_NETLINK, SIZE);
        out.putShort(offset + PAD, (short) 0);
        out.putInt(offset + PID, pid);
        out.putInt(offset + GROUPS, groups);
        return SIZE;
    }

    /**
     * The port id as the kernel's unsigned value.
     *
     * @return 0 to 2<sup>32</sup>-1
     */
    public long unsignedPid() {
        return Integer.toUnsignedLong(pid);
    }

    /**
     * Whether this address names a multicast group.
     *
     * @param group a group number, 1 to 32
     * @return whether bit {@code group - 1} is set
     * @throws IllegalArgumentException for a group outside 1 to 32
     */
    public boolean hasGroup(int group) {
        if (group < 1 || group > 32) {
            throw new IllegalArgumentException("nl_groups holds groups 1-32: " + group);
        }
        return (groups & (1 << (group - 1))) != 0;
    }

    /**
     * A readable form.
     *
     * @return e.g. {@code netlink[pid=0, groups=0x1]}
     */
    @Override
    public String toString() {
        return "netlink[pid=" + Integer.toUnsignedString(pid) + ", groups=0x" + Integer.toHexString(groups) + "]";
    }
}
