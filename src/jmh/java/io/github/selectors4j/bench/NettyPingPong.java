package io.github.selectors4j.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The ping-pong on Netty's native epoll transport: one {@link EpollEventLoopGroup} thread with
 * both channels, the server end being Netty's canonical echo handler (write on read, flush on
 * read-complete) and the client end sending pooled direct buffers.
 */
final class NettyPingPong implements PingPong {

    private final EventLoopGroup group;
    private final Channel listener;
    private final Channel client;
    private final BatchCompletion completion = new BatchCompletion();
    private final Runnable start = this::sendMessage;
    private int remaining;
    private int received;

    NettyPingPong() throws InterruptedException {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's native epoll transport is not available here",
                    Epoll.unavailabilityCause());
        }
        group = new EpollEventLoopGroup(1);
        boolean opened = false;
        try {
            listener = new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new Echo())
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            client = new Bootstrap()
                    .group(group)
                    .channel(EpollSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ClientEnd())
                    .connect(listener.localAddress()).sync().channel();
            opened = true;
        } finally {
            if (!opened) {
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void bounce(int roundTrips) throws Exception {
        remaining = roundTrips;
        completion.arm();
        client.eventLoop().execute(start);
        completion.await();
    }

    private void sendMessage() {
        ByteBuf message = client.alloc().directBuffer(MESSAGE_SIZE).writeZero(MESSAGE_SIZE);
        client.writeAndFlush(message, client.voidPromise());
    }

    /** Netty's echo: write what was read, flush once the read burst is over. */
    @ChannelHandler.Sharable
    private final class Echo extends ChannelInboundHandlerAdapter {
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
            completion.fail(cause);
        }
    }

    /** Counts the reply's bytes and sends the next message when all 64 are back. */
    private final class ClientEnd extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf reply = (ByteBuf) msg;
            received += reply.readableBytes();
            reply.release();
            if (received < MESSAGE_SIZE) {
                return;
            }
            received = 0;
            if (--remaining == 0) {
                completion.complete();
            } else {
                sendMessage();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            completion.fail(new IllegalStateException("the server closed the connection"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            completion.fail(cause);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            client.close().sync();
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }
}
