package io.hepstack.ingest.listen;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;

/** Hands each UDP datagram to the pipeline and releases it. Consumes what it reads. */
@ChannelHandler.Sharable
final class DatagramHandler extends ChannelInboundHandlerAdapter {

    private final HepReceiver pipeline;

    DatagramHandler(HepReceiver pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof DatagramPacket packet) {
                pipeline.acceptDatagram(packet.content(), Transport.UDP, packet.sender());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }
}
