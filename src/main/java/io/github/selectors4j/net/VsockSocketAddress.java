package io.github.selectors4j.net;

import io.github.selectors4j.internal.SockaddrCodec;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An {@code AF_VSOCK} address ({@code struct sockaddr_vm}): Python's {@code (cid, port)} tuple, plus
 * the {@code svm_flags} byte Linux added later.
 *
 * <pre>{@code
 * new VsockSocketAddress(VsockSocketAddress.VMADDR_CID_HOST, 1234);          // connect to the host
 * new VsockSocketAddress(VsockSocketAddress.VMADDR_CID_ANY, VsockSocketAddress.VMADDR_PORT_ANY); // bind anywhere
 * new VsockSocketAddress(5, 1234, VsockSocketAddress.VMADDR_FLAG_TO_HOST);  // nested VM: route via the host
 * }</pre>
 *
 * <p>The context id and port are unsigned 32-bit values, held in {@code long}s so that
 * {@link #VMADDR_CID_ANY} reads as 4294967295 rather than -1.
 *
 * @param cid   {@code svm_cid}, the context id: 0 to {@code 0xffffffff}
 * @param port  {@code svm_port}: 0 to {@code 0xffffffff}
 * @param flags {@code svm_flags}, 0 to 255; the kernel accepts only {@link #VMADDR_FLAG_TO_HOST}
 */
public record VsockSocketAddress(long cid, long port, int flags) implements NativeSocketAddress {

    /** {@code sizeof(struct sockaddr_vm)}, the same as {@code struct sockaddr}. */
    public static final int SIZE = 16;

    /** Any context id ({@code -1U}): bind on every CID this host has. */
    public static final long VMADDR_CID_ANY = 0xffff_ffffL;
    /** The hypervisor's context id. */
    public static final long VMADDR_CID_HYPERVISOR = 0;
    /** This host, through the local (loopback) transport. */
    public static final long VMADDR_CID_LOCAL = 1;
    /** The host, seen from a guest. */
    public static final long VMADDR_CID_HOST = 2;
    /** Any port ({@code -1U}): let the kernel pick one in {@code bind}. */
    public static final long VMADDR_PORT_ANY = 0xffff_ffffL;
    /** {@code svm_flags}: forward to the host even when the CID is that of a sibling VM. */
    public static final int VMADDR_FLAG_TO_HOST = 0x01;

    // Offsets in struct sockaddr_vm, /usr/include/linux/vm_sockets.h:
    // __kernel_sa_family_t svm_family; unsigned short svm_reserved1; unsigned int svm_port;
    // unsigned int svm_cid; __u8 svm_flags; unsigned char svm_zero[3];
    private static final int RESERVED1 = 2;
    private static final int PORT = 4;
    private static final int CID = 8;
    private static final int FLAGS = 12;

    /**
     * Validates the components.
     *
     * @param cid   0 to {@code 0xffffffff}
     * @param port  0 to {@code 0xffffffff}
     * @param flags 0 to 255
     * @throws IllegalArgumentException naming a value out of range
     */
    public VsockSocketAddress {
        if (cid < 0 || cid > 0xffff_ffffL) {
            throw new IllegalArgumentException("svm_cid must be 0-0xffffffff: " + cid);
        }
        if (port < 0 || port > 0xffff_ffffL) {
            throw new IllegalArgumentException("svm_port must be 0-0xffffffff: " + port);
        }
        if (flags < 0 || flags > 0xff) {
            throw new IllegalArgumentException("svm_flags must be 0-255: " + flags);
        }
    }

    /**
     * An address without flags, as Python's {@code (cid, port)}.
     *
     * @param cid  0 to {@code 0xffffffff}
     * @param port 0 to {@code 0xffffffff}
     * @throws IllegalArgumentException naming a value out of range
     */
    public VsockSocketAddress(long cid, long port) {
        this(cid, port, 0);
    }

    static VsockSocketAddress decode(ByteBuffer buffer, int offset, int length) {
        // vsock_addr_cast refuses anything shorter than the whole struct; getsockname returns all of it.
        SockaddrCodec.check(buffer, offset, length, AddressFamily.AF_VSOCK, SIZE, "AF_VSOCK sockaddr");
        return new VsockSocketAddress(Integer.toUnsignedLong(buffer.getInt(offset + CID)),
                Integer.toUnsignedLong(buffer.getInt(offset + PORT)), buffer.get(offset + FLAGS) & 0xff);
    }

    @Override
    public int family() {
        return AddressFamily.AF_VSOCK;
    }

    @Override
    public int encode(ByteBuffer buffer, int offset) {
        Objects.checkFromIndexSize(offset, SIZE, Objects.requireNonNull(buffer, "buffer").limit());
        ByteBuffer out = SockaddrCodec.nativeView(buffer);
        // svm_reserved1 and svm_zero must be zero: older kernels refuse a non-zero svm_zero[0].
        for (int i = 0; i < SIZE; i++) {
            out.put(offset + i, (byte) 0);
        }
        SockaddrCodec.putHeader(out, offset, AddressFamily.AF_VSOCK, SIZE);
        out.putShort(offset + RESERVED1, (short) 0);
        out.putInt(offset + PORT, (int) port);
        out.putInt(offset + CID, (int) cid);
        out.put(offset + FLAGS, (byte) flags);
        return SIZE;
    }

    /**
     * A readable form; the well-known CIDs and "any" are named.
     *
     * @return e.g. {@code vsock[cid=host(2), port=1234]} or {@code vsock[cid=any, port=any]}
     */
    @Override
    public String toString() {
        String cidText = cid == VMADDR_CID_ANY ? "any"
                : cid == VMADDR_CID_HYPERVISOR ? "hypervisor(0)"
                : cid == VMADDR_CID_LOCAL ? "local(1)"
                : cid == VMADDR_CID_HOST ? "host(2)"
                : String.valueOf(cid);
        String portText = port == VMADDR_PORT_ANY ? "any" : String.valueOf(port);
        String flagsText = flags == 0 ? "" : flags == VMADDR_FLAG_TO_HOST ? ", flags=TO_HOST" : ", flags=0x" + Integer.toHexString(flags);
        return "vsock[cid=" + cidText + ", port=" + portText + flagsText + "]";
    }
}
