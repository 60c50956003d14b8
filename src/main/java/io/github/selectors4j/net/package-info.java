/**
 * Sockets of every family the kernel offers, which the JDK cannot create:
 * {@link io.github.selectors4j.net.NativeSocket} is Python's {@code socket.socket} as a
 * {@link io.github.selectors4j.FileDescriptorLike}, with one address type per family
 * ({@link io.github.selectors4j.net.IPv4SocketAddress}, {@link io.github.selectors4j.net.IPv6SocketAddress},
 * {@link io.github.selectors4j.net.UnixSocketAddress}, {@link io.github.selectors4j.net.NetlinkSocketAddress},
 * {@link io.github.selectors4j.net.PacketSocketAddress} and more, and
 * {@link io.github.selectors4j.net.RawSocketAddress} for any other).
 *
 * <p>Around it: the constants of {@link io.github.selectors4j.net.AddressFamily},
 * {@link io.github.selectors4j.net.SocketType} and {@link io.github.selectors4j.net.Protocol};
 * typed options in {@link io.github.selectors4j.net.SocketOptions}; ancillary data
 * ({@link io.github.selectors4j.net.ControlMessage}) for {@code sendMsg} and {@code recvMsg};
 * network interfaces ({@link io.github.selectors4j.net.Interfaces}); and the netlink message codec
 * with its rtnetlink link and address decoders ({@link io.github.selectors4j.net.NetlinkMessage},
 * {@link io.github.selectors4j.net.Rtnetlink}).
 */
package io.github.selectors4j.net;
