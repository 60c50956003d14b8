package io.github.selectors4j.net;

import io.github.selectors4j.internal.SockaddrCodec;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An {@code AF_TIPC} address ({@code struct sockaddr_tipc}) in one of its three forms, Python's
 * {@code (TIPC_ADDR_NAMESEQ, type, lower, upper, scope)}, {@code (TIPC_ADDR_NAME, type, instance, domain, scope)}
 * and {@code (TIPC_ADDR_ID, ref, node, scope)}.
 *
 * <pre>{@code
 * TipcSocketAddress.serviceRange(18888, 1, 10, TipcSocketAddress.TIPC_CLUSTER_SCOPE); // bind a range
 * TipcSocketAddress.service(18888, 5, TipcSocketAddress.TIPC_NODE_SCOPE);            // connect/sendto
 * TipcSocketAddress.socket(ref, node, 0);                                            // one socket
 * }</pre>
 *
 * <p>Every 32-bit field is unsigned in the kernel; every {@code int} is a valid value, read as
 * unsigned. {@code getsockname} and {@code recvfrom} always report the {@link Kind#SOCKET} form.
 * Decoding follows {@code addrtype}; an unknown one is refused. For a group message {@code recvmsg}
 * reports 32 bytes, a {@code struct sockaddr_pair} of the sending socket and its group member
 * address; decoding reads the first, the socket.
 *
 * <p>The scope is a signed byte: {@link #TIPC_ZONE_SCOPE} (deprecated, treated as cluster),
 * {@link #TIPC_CLUSTER_SCOPE} (0 means the same) or {@link #TIPC_NODE_SCOPE}; a negative scope in
 * {@code bind} withdraws the binding made with the positive one.
 *
 * <p>Two addresses are equal when kind, scope and the fields of that kind are.
 */
public final class TipcSocketAddress implements NativeSocketAddress {

    /** {@code sizeof(struct sockaddr_tipc)}. */
    public static final int SIZE = 16;

    /** {@code addrtype} of a service range ({@code TIPC_SERVICE_RANGE}, also {@code TIPC_ADDR_MCAST}). */
    public static final int TIPC_ADDR_NAMESEQ = 1;
    /** {@code addrtype} of a service address ({@code TIPC_SERVICE_ADDR}). */
    public static final int TIPC_ADDR_NAME = 2;
    /** {@code addrtype} of a socket address ({@code TIPC_SOCKET_ADDR}). */
    public static final int TIPC_ADDR_ID = 3;

    /** Scope: zone (deprecated; the kernel treats it as cluster). */
    public static final int TIPC_ZONE_SCOPE = 1;
    /** Scope: the cluster. */
    public static final int TIPC_CLUSTER_SCOPE = 2;
    /** Scope: this node only. */
    public static final int TIPC_NODE_SCOPE = 3;

    /** The topology server's service type. */
    public static final int TIPC_TOP_SRV = 1;
    /** The lowest service type applications may bind. */
    public static final int TIPC_RESERVED_TYPES = 64;

    /** Which member of the {@code addr} union an address uses, with its {@code addrtype}. */
    public enum Kind {
        /** {@code nameseq}: a range of service instances ({@code TIPC_SERVICE_RANGE}). */
        SERVICE_RANGE(TIPC_ADDR_NAMESEQ),
        /** {@code name}: one service instance and a lookup domain ({@code TIPC_SERVICE_ADDR}). */
        SERVICE(TIPC_ADDR_NAME),
        /** {@code id}: one socket, by port reference and node ({@code TIPC_SOCKET_ADDR}). */
        SOCKET(TIPC_ADDR_ID);

        private final int addressType;

        Kind(int addressType) {
            this.addressType = addressType;
        }

        /**
         * The {@code addrtype} value.
         *
         * @return 1, 2 or 3
         */
        public int addressType() {
            return addressType;
        }
    }

    // Offsets in struct sockaddr_tipc, /usr/include/linux/tipc.h:
    // unsigned short family; unsigned char addrtype; signed char scope; union { struct tipc_socket_addr
    // id {__u32 ref, node}; struct tipc_service_range nameseq {__u32 type, lower, upper};
    // struct { struct tipc_service_addr name {__u32 type, instance}; __u32 domain; } name; } addr;
    private static final int ADDRTYPE = 2;
    private static final int SCOPE = 3;
    private static final int WORD0 = 4;
    private static final int WORD1 = 8;
    private static final int WORD2 = 12;

    private final Kind kind;
    private final int scope;
    // The union's three words: (type, lower, upper), (type, instance, domain) or (ref, node, 0).
    private final int word0;
    private final int word1;
    private final int word2;

    private TipcSocketAddress(Kind kind, int word0, int word1, int word2, int scope) {
        if (scope < Byte.MIN_VALUE || scope > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("TIPC scope is a signed byte, -128 to 127: " + scope);
        }
        this.kind = kind;
        this.scope = scope;
        this.word0 = word0;
        this.word1 = word1;
        this.word2 = word2;
    }

    /**
     * A range of instances of a service, for {@code bind} (publish) or multicast {@code sendto}.
     *
     * @param type  the service type
     * @param lower the lowest instance
     * @param upper the highest instance, not below {@code lower} (compared unsigned)
     * @param scope a scope, -128 to 127
     * @return the address
     * @throws IllegalArgumentException if {@code upper < lower} or the scope is out of range
     */
    public static TipcSocketAddress serviceRange(int type, int lower, int upper, int scope) {
        if (Integer.compareUnsigned(upper, lower) < 0) {
            throw new IllegalArgumentException("TIPC service range upper " + Integer.toUnsignedString(upper)
                    + " is below lower " + Integer.toUnsignedString(lower));
        }
        return new TipcSocketAddress(Kind.SERVICE_RANGE, type, lower, upper, scope);
    }

    /**
     * One instance of a service, looked up anywhere.
     *
     * @param type     the service type
     * @param instance the instance
     * @param scope    a scope, -128 to 127
     * @return the address, with domain 0
     * @throws IllegalArgumentException if the scope is out of range
     */
    public static TipcSocketAddress service(int type, int instance, int scope) {
        return service(type, instance, 0, scope);
    }

    /**
     * One instance of a service, looked up in a domain.
     *
     * @param type     the service type
     * @param instance the instance
     * @param domain   the lookup domain (a node address; 0 for anywhere)
     * @param scope    a scope, -128 to 127
     * @return the address
     * @throws IllegalArgumentException if the scope is out of range
     */
    public static TipcSocketAddress service(int type, int instance, int domain, int scope) {
        return new TipcSocketAddress(Kind.SERVICE, type, instance, domain, scope);
    }

    /**
     * One socket.
     *
     * @param ref   its port reference
     * @param node  its node address
     * @param scope a scope, -128 to 127 (the kernel reports 0)
     * @return the address
     * @throws IllegalArgumentException if the scope is out of range
     */
    public static TipcSocketAddress socket(int ref, int node, int scope) {
        return new TipcSocketAddress(Kind.SOCKET, ref, node, 0, scope);
    }

    static TipcSocketAddress decode(ByteBuffer buffer, int offset, int length) {
        // tipc_bind and tipc_connect refuse anything shorter than the whole struct.
        SockaddrCodec.check(buffer, offset, length, AddressFamily.AF_TIPC, SIZE, "AF_TIPC sockaddr");
        int addressType = buffer.get(offset + ADDRTYPE) & 0xff;
        int scope = buffer.get(offset + SCOPE);
        int word0 = buffer.getInt(offset + WORD0);
        int word1 = buffer.getInt(offset + WORD1);
        int word2 = buffer.getInt(offset + WORD2);
        return switch (addressType) {
            case TIPC_ADDR_NAMESEQ -> serviceRange(word0, word1, word2, scope);
            case TIPC_ADDR_NAME -> service(word0, word1, word2, scope);
            // The last word is name.domain, outside the id member; the kernel zeroes it.
            case TIPC_ADDR_ID -> socket(word0, word1, scope);
            default -> throw new IllegalArgumentException("AF_TIPC sockaddr has unknown addrtype " + addressType
                    + " (expected 1 TIPC_SERVICE_RANGE, 2 TIPC_SERVICE_ADDR or 3 TIPC_SOCKET_ADDR)");
        };
    }

    @Override
    public int family() {
        return AddressFamily.AF_TIPC;
    }

    /**
     * The form of this address.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The scope.
     *
     * @return -128 to 127, usually a {@code TIPC_*_SCOPE} value or 0
     */
    public int scope() {
        return scope;
    }

    /**
     * The service type of a {@link Kind#SERVICE_RANGE} or {@link Kind#SERVICE} address.
     *
     * @return the type
     * @throws IllegalStateException for a {@link Kind#SOCKET} address
     */
    public int type() {
        require(kind != Kind.SOCKET, "type");
        return word0;
    }

    /**
     * The lowest instance of a {@link Kind#SERVICE_RANGE}.
     *
     * @return the instance
     * @throws IllegalStateException for other kinds
     */
    public int lower() {
        require(kind == Kind.SERVICE_RANGE, "lower");
        return word1;
    }

    /**
     * The highest instance of a {@link Kind#SERVICE_RANGE}.
     *
     * @return the instance
     * @throws IllegalStateException for other kinds
     */
    public int upper() {
        require(kind == Kind.SERVICE_RANGE, "upper");
        return word2;
    }

    /**
     * The instance of a {@link Kind#SERVICE}.
     *
     * @return the instance
     * @throws IllegalStateException for other kinds
     */
    public int instance() {
        require(kind == Kind.SERVICE, "instance");
        return word1;
    }

    /**
     * The lookup domain of a {@link Kind#SERVICE}.
     *
     * @return the domain, 0 for anywhere
     * @throws IllegalStateException for other kinds
     */
    public int domain() {
        require(kind == Kind.SERVICE, "domain");
        return word2;
    }

    /**
     * The port reference of a {@link Kind#SOCKET}.
     *
     * @return the reference
     * @throws IllegalStateException for other kinds
     */
    public int ref() {
        require(kind == Kind.SOCKET, "ref");
        return word0;
    }

    /**
     * The node address of a {@link Kind#SOCKET}.
     *
     * @return the node
     * @throws IllegalStateException for other kinds
     */
    public int node() {
        require(kind == Kind.SOCKET, "node");
        return word1;
    }

    private void require(boolean applies, String field) {
        if (!applies) {
            throw new IllegalStateException("a " + kind + " TIPC address has no " + field + ": " + this);
        }
    }

    @Override
    public int encode(ByteBuffer buffer, int offset) {
        Objects.checkFromIndexSize(offset, SIZE, Objects.requireNonNull(buffer, "buffer").limit());
        ByteBuffer out = SockaddrCodec.nativeView(buffer);
        for (int i = 0; i < SIZE; i++) {
            out.put(offset + i, (byte) 0);
        }
        SockaddrCodec.putHeader(out, offset, AddressFamily.AF_TIPC, SIZE);
        out.put(offset + ADDRTYPE, (byte) kind.addressType());
        out.put(offset + SCOPE, (byte) scope);
        out.putInt(offset + WORD0, word0);
        out.putInt(offset + WORD1, word1);
        out.putInt(offset + WORD2, word2);
        return SIZE;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TipcSocketAddress tipc && tipc.kind == kind && tipc.scope == scope
                && tipc.word0 == word0 && tipc.word1 == word1 && tipc.word2 == word2;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, scope, word0, word1, word2);
    }

    /**
     * A readable form; numbers unsigned, node addresses in hex.
     *
     * @return e.g. {@code tipc[service-range type=18888, lower=1, upper=10, scope=CLUSTER]},
     *         {@code tipc[service type=18888, instance=5, scope=NODE]} or
     *         {@code tipc[socket ref=3021993, node=0x1001001, scope=0]}
     */
    @Override
    public String toString() {
        String scopeText = switch (scope) {
            case TIPC_ZONE_SCOPE -> "ZONE";
            case TIPC_CLUSTER_SCOPE -> "CLUSTER";
            case TIPC_NODE_SCOPE -> "NODE";
            default -> String.valueOf(scope);
        };
        return switch (kind) {
            case SERVICE_RANGE -> "tipc[service-range type=" + Integer.toUnsignedString(word0) + ", lower="
                    + Integer.toUnsignedString(word1) + ", upper=" + Integer.toUnsignedString(word2) + ", scope=" + scopeText + "]";
            case SERVICE -> "tipc[service type=" + Integer.toUnsignedString(word0) + ", instance=" + Integer.toUnsignedString(word1)
                    + (word2 != 0 ? ", domain=0x" + Integer.toHexString(word2) : "") + ", scope=" + scopeText + "]";
            case SOCKET -> "tipc[socket ref=" + Integer.toUnsignedString(word0) + ", node=0x" + Integer.toHexString(word1)
                    + ", scope=" + scopeText + "]";
        };
    }
}
