package io.hepstack.api.web;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.http.server.HttpServer;

import java.util.concurrent.TimeUnit;

/**
 * Lingering close (as Apache httpd and nginx do it): when the server closes an HTTP connection, it
 * first sends FIN and reads and discards what the client is still sending, then closes. The services
 * close every connection after its response (docs/operations.md, "HTTP keep-alive"); a socket closed
 * while it still holds unread bytes makes the kernel send a reset, and a client still sending the body
 * of a refused upload (a 401 for an expired token on a pcap import) would see "connection reset"
 * instead of the answer. Bounded: at most {@link #MAX_DISCARD} bytes and {@link #MAX_LINGER_MS} ms,
 * then the connection is closed as before.
 */
@Component
class LingeringClose implements NettyServerCustomizer {

    static final long MAX_DISCARD = 64L << 20;
    static final long MAX_LINGER_MS = 5_000;

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, address) -> {
            if (channel instanceof DuplexChannel) {
                channel.pipeline().addFirst("hepstack.lingeringClose", new Handler());
            }
        });
    }

    /** Per connection; runs on the connection's event loop. */
    static final class Handler extends ChannelDuplexHandler {
        private ChannelPromise closing;
        private long discarded;
        private ScheduledFuture<?> deadline;

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            DuplexChannel ch = (DuplexChannel) ctx.channel();
            if (closing != null || !ch.isActive() || ch.isInputShutdown() || ch.isOutputShutdown()) {
                ctx.close(promise);
                return;
            }
            closing = promise;
            deadline = ctx.executor().schedule(() -> finish(ctx), MAX_LINGER_MS, TimeUnit.MILLISECONDS);
            ch.shutdownOutput().addListener(f -> {
                if (!f.isSuccess()) {
                    finish(ctx);
                    return;
                }
                ch.config().setAutoRead(true);
                ctx.read();
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (closing == null) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (msg instanceof ByteBuf b) {
                discarded += b.readableBytes();
            }
            ReferenceCountUtil.release(msg);
            if (discarded > MAX_DISCARD) {
                finish(ctx);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (closing != null && evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
                finish(ctx); // the client closed its side: everything it sent has been read
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (closing != null) {
                finish(ctx);
            }
            super.channelInactive(ctx);
        }

        private void finish(ChannelHandlerContext ctx) {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
            ChannelPromise p = closing;
            if (p != null && !p.isDone()) {
                ctx.close(p);
            }
        }
    }
}
