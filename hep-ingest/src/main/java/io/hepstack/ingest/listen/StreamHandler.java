package io.hepstack.ingest.listen;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per connection: enforces the connection limit, hands each frame to the pipeline (which pauses
 * reading while the queue is high), and closes idle connections unless they are paused.
 */
final class StreamHandler extends ChannelInboundHandlerAdapter {

    private final HepReceiver pipeline;
    private final ListenerMetrics metrics;
    private final Transport transport;
    private final AtomicInteger connections;
    private final int maxConnections;
    private final AtomicLong lastReadNanos;
    private boolean counted;

    StreamHandler(HepReceiver pipeline, ListenerMetrics metrics, Transport transport, AtomicInteger connections,
                  int maxConnections, AtomicLong lastReadNanos) {
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.transport = transport;
        this.connections = connections;
        this.maxConnections = maxConnections;
        this.lastReadNanos = lastReadNanos;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        lastReadNanos.lazySet(System.nanoTime()); // a new connection counts as stream activity (shutdown drain)
        super.channelActive(ctx);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (connections.incrementAndGet() > maxConnections) {
            connections.decrementAndGet();
            metrics.connectionClosed("connection_limit");
            ctx.channel().config().setAutoRead(false);
            ctx.close();
            return;
        }
        counted = true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ByteBuf frame) {
                lastReadNanos.lazySet(System.nanoTime());
                pipeline.acceptFrame(frame, transport, ctx.channel());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (ctx.channel().config().isAutoRead()) { // paused connections are idle by our choice
                metrics.connectionClosed("idle");
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        pipeline.closed(ctx.channel());
        if (counted) {
            counted = false;
            connections.decrementAndGet();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        metrics.connectionClosed("error");
        ctx.close();
    }
}
