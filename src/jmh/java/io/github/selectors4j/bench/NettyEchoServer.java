package io.github.selectors4j.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The Netty echo server of the end-to-end benchmarks: Netty 4.1's native epoll transport with one
 * {@link EpollEventLoopGroup} thread for the listener and every connection, and Netty's canonical
 * echo handler (write in {@code channelRead}, flush in {@code channelReadComplete}).
 *
 * <p>Usage: {@code NettyEchoServer PORT} (0 for any free port); see {@link EchoServerControl}
 * for what it prints and reads.
 */
public final class NettyEchoServer {

    private NettyEchoServer() {
    }

    /**
     * Serves until stdin ends.
     *
     * @param args the port
     * @throws Exception if the server cannot listen
     */
    public static void main(String[] args) throws Exception {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's native epoll transport is not available here",
                    Epoll.unavailabilityCause());
        }
        EventLoopGroup group = new EpollEventLoopGroup(1);
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new Echo())
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])))
                    .sync().channel();
            EchoServerControl.listening(((InetSocketAddress) listener.localAddress()).getPort());
            listener.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /** Netty's echo: write what was read, flush once the read burst is over. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
