package io.hepstack.ingest.listen;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per connection: enforces the connection limits (the listener's, and the source address's across TCP and
 * TLS), hands each frame to the pipeline (which pauses reading while the queue is high), closes a
 * connection that delivers no frame within the first-frame timeout, and closes idle connections unless
 * they are paused. Each close is counted with its reason.
 */
final class StreamHandler extends ChannelInboundHandlerAdapter {

    /**
     * The bounds a connection is held to.
     *
     * @param connections        open connections of the listener
     * @param maxConnections     the listener's bound
     * @param perSource          open connections per source address, of every stream listener
     * @param maxPerSource       a source address's bound
     * @param firstFrameMillis   time to deliver a first frame, 0 for no bound
     */
    record Limits(AtomicInteger connections, int maxConnections, Map<InetAddress, Integer> perSource,
                  int maxPerSource, long firstFrameMillis) {
    }

    private final HepReceiver pipeline;
    private final ListenerMetrics metrics;
    private final Transport transport;
    private final Limits limits;
    private final AtomicLong lastReadNanos;
    private boolean counted;
    private InetAddress source;
    private boolean framed;
    private ScheduledFuture<?> firstFrameDeadline;

    StreamHandler(HepReceiver pipeline, ListenerMetrics metrics, Transport transport, Limits limits,
                  AtomicLong lastReadNanos) {
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.transport = transport;
        this.limits = limits;
        this.lastReadNanos = lastReadNanos;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        lastReadNanos.lazySet(System.nanoTime()); // a new connection counts as stream activity (shutdown drain)
        super.channelActive(ctx);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (limits.connections().incrementAndGet() > limits.maxConnections()) {
            limits.connections().decrementAndGet();
            refuse(ctx, "connection_limit");
            return;
        }
        counted = true;
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null) {
            source = remote.getAddress();
            if (limits.perSource().merge(source, 1, Integer::sum) > limits.maxPerSource()) {
                leave();
                refuse(ctx, "source_limit");
                return;
            }
        }
        if (limits.firstFrameMillis() > 0) {
            firstFrameDeadline = ctx.executor().schedule(() -> {
                if (!framed && ctx.channel().isActive()) {
                    metrics.connectionClosed("no_frame");
                    ctx.close();
                }
            }, limits.firstFrameMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Gives the source's slot back (once); a count leaves the map at 0, so it holds only sources connected now. */
    private void leave() {
        if (source != null) {
            limits.perSource().computeIfPresent(source, (a, n) -> n <= 1 ? null : n - 1);
            source = null;
        }
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        metrics.connectionClosed(reason);
        ctx.channel().config().setAutoRead(false);
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ByteBuf frame) {
                if (!framed) {
                    framed = true;
                    if (firstFrameDeadline != null) {
                        firstFrameDeadline.cancel(false);
                    }
                }
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
        if (firstFrameDeadline != null) {
            firstFrameDeadline.cancel(false);
        }
        if (counted) {
            counted = false;
            limits.connections().decrementAndGet();
        }
        leave();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        metrics.connectionClosed("error");
        ctx.close();
    }
}
