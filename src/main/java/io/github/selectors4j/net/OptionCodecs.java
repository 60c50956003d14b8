package io.github.selectors4j.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/** The value layouts of the socket options selectors4j models. */
final class OptionCodecs {

    private OptionCodecs() {
    }

    static final SocketOption.Codec<Integer> INT = new Fixed<>(4) {
        @Override
        public int encode(Integer value, ByteBuffer buffer, int offset) {
            buffer.putInt(offset, Objects.requireNonNull(value, "value"));
            return 4;
        }

        @Override
        Integer read(ByteBuffer buffer, int offset) {
            return buffer.getInt(offset);
        }
    };

    static final SocketOption.Codec<Boolean> BOOLEAN = new Fixed<>(4) {
        @Override
        public int encode(Boolean value, ByteBuffer buffer, int offset) {
            buffer.putInt(offset, Objects.requireNonNull(value, "value") ? 1 : 0);
            return 4;
        }

        @Override
        Boolean read(ByteBuffer buffer, int offset) {
            return buffer.getInt(offset) != 0;
        }
    };

    /** {@code IP_MULTICAST_LOOP} and {@code IP_MULTICAST_TTL} may be set as a byte or an int; Linux returns an int. */
    static final SocketOption.Codec<Boolean> BYTE_OR_INT_BOOLEAN = new SocketOption.Codec<>() {
        @Override
        public int encode(Boolean value, ByteBuffer buffer, int offset) {
            return BOOLEAN.encode(value, buffer, offset);
        }

        @Override
        public Boolean decode(ByteBuffer buffer, int offset, int length) {
            return length == 1 ? buffer.get(offset) != 0 : BOOLEAN.decode(buffer, offset, length);
        }

        @Override
        public int maxLength() {
            return 4;
        }
    };

    /** {@code struct linger { int l_onoff; int l_linger; }}. */
    static final SocketOption.Codec<Linger> LINGER = new Fixed<>(8) {
        @Override
        public int encode(Linger value, ByteBuffer buffer, int offset) {
            buffer.putInt(offset, value.enabled() ? 1 : 0).putInt(offset + 4, value.seconds());
            return 8;
        }

        @Override
        Linger read(ByteBuffer buffer, int offset) {
            return new Linger(buffer.getInt(offset) != 0, buffer.getInt(offset + 4));
        }
    };

    /** {@code struct ucred { pid_t pid; uid_t uid; gid_t gid; }}: read only. */
    static final SocketOption.Codec<Credentials> UCRED = new Fixed<>(Credentials.SIZE) {
        @Override
        public int encode(Credentials value, ByteBuffer buffer, int offset) {
            throw new UnsupportedOperationException("this option can only be read");
        }

        @Override
        public boolean writable() {
            return false;
        }

        @Override
        Credentials read(ByteBuffer buffer, int offset) {
            return new Credentials(buffer.getInt(offset), buffer.getInt(offset + 4), buffer.getInt(offset + 8));
        }
    };

    /** {@code struct ip_mreqn { struct in_addr imr_multiaddr, imr_address; int imr_ifindex; }}: write only. */
    static final SocketOption.Codec<MulticastMembership> IP_MREQN = new WriteOnly<>(12) {
        @Override
        public int encode(MulticastMembership value, ByteBuffer buffer, int offset) {
            if (!(value.group() instanceof IPv4SocketAddress group)) {
                throw new IllegalArgumentException("an IPv4 membership needs an IPv4 group: " + value.group());
            }
            buffer.put(offset, group.address());
            byte[] local = value.interfaceAddress() == null ? new byte[4] : value.interfaceAddress().address();
            buffer.put(offset + 4, local);
            buffer.putInt(offset + 8, value.interfaceIndex());
            return 12;
        }
    };

    /** {@code IP_MULTICAST_IF} by interface index: {@code struct ip_mreqn} with only {@code imr_ifindex} set. Write only. */
    static final SocketOption.Codec<Integer> IP_MREQN_INTERFACE = new WriteOnly<>(12) {
        @Override
        public int encode(Integer interfaceIndex, ByteBuffer buffer, int offset) {
            buffer.putInt(offset, 0).putInt(offset + 4, 0).putInt(offset + 8, interfaceIndex);
            return 12;
        }
    };

    /** {@code struct ipv6_mreq { struct in6_addr ipv6mr_multiaddr; unsigned ipv6mr_interface; }}: write only. */
    static final SocketOption.Codec<MulticastMembership> IPV6_MREQ = new WriteOnly<>(20) {
        @Override
        public int encode(MulticastMembership value, ByteBuffer buffer, int offset) {
            if (!(value.group() instanceof IPv6SocketAddress group)) {
                throw new IllegalArgumentException("an IPv6 membership needs an IPv6 group: " + value.group());
            }
            buffer.put(offset, group.address());
            buffer.putInt(offset + 16, value.interfaceIndex());
            return 20;
        }
    };

    /** {@code struct packet_mreq { int mr_ifindex; unsigned short mr_type, mr_alen; unsigned char mr_address[8]; }}: write only. */
    static final SocketOption.Codec<PacketMembership> PACKET_MREQ = new WriteOnly<>(16) {
        @Override
        public int encode(PacketMembership value, ByteBuffer buffer, int offset) {
            byte[] address = value.address();
            buffer.putInt(offset, value.interfaceIndex());
            buffer.putShort(offset + 4, (short) value.type());
            buffer.putShort(offset + 6, (short) address.length);
            for (int i = 0; i < 8; i++) {
                buffer.put(offset + 8 + i, i < address.length ? address[i] : 0);
            }
            return 16;
        }
    };

    static SocketOption.Codec<byte[]> bytes(int maxLength) {
        return new SocketOption.Codec<>() {
            @Override
            public int encode(byte[] value, ByteBuffer buffer, int offset) {
                buffer.put(offset, value);
                return value.length;
            }

            @Override
            public byte[] decode(ByteBuffer buffer, int offset, int length) {
                byte[] value = new byte[length];
                buffer.get(offset, value);
                return value;
            }

            @Override
            public int maxLength() {
                return maxLength;
            }
        };
    }

    /** A value of a fixed size; a shorter answer from the kernel is an error, not a partial read. */
    private abstract static class Fixed<T> implements SocketOption.Codec<T> {
        private final int size;

        Fixed(int size) {
            this.size = size;
        }

        abstract T read(ByteBuffer buffer, int offset);

        @Override
        public T decode(ByteBuffer buffer, int offset, int length) {
            if (length < size) {
                throw new IllegalStateException("option value of " + length + " bytes, expected " + size);
            }
            return read(buffer.order(ByteOrder.nativeOrder()), offset);
        }

        @Override
        public int maxLength() {
            return size;
        }
    }

    /** A value that can only be set (memberships). */
    private abstract static class WriteOnly<T> implements SocketOption.Codec<T> {
        private final int size;

        WriteOnly(int size) {
            this.size = size;
        }

        @Override
        public T decode(ByteBuffer buffer, int offset, int length) {
            throw new UnsupportedOperationException("this option can only be set");
        }

        @Override
        public boolean readable() {
            return false;
        }

        @Override
        public int maxLength() {
            return size;
        }
    }
}
