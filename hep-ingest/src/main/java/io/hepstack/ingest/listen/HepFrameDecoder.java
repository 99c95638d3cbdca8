package io.hepstack.ingest.listen;

import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepStreamFramer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Cuts a TCP/TLS byte stream into HEP frames (retained slices, released downstream). A corrupt stream
 * cannot be resynchronised: the reason is counted and this connection, only, is closed.
 */
final class HepFrameDecoder extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(HepFrameDecoder.class);

    private final HepStreamFramer framer;
    private final ListenerMetrics metrics;
    private boolean corrupt;

    HepFrameDecoder(HepStreamFramer framer, ListenerMetrics metrics) {
        this.framer = framer;
        this.metrics = metrics;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (corrupt) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            ByteBuf frame = framer.nextFrame(in);
            if (frame != null) {
                out.add(frame);
            }
        } catch (HepDecodeException e) {
            corrupt = true;
            in.skipBytes(in.readableBytes());
            metrics.rejected(e.reason());
            metrics.connectionClosed("corrupt_stream");
            log.info("closing HEP stream from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
            ctx.close();
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (in.isReadable() && !corrupt) {
            metrics.streamTruncated();
            log.debug("HEP stream from {} ended inside a frame ({} bytes)", ctx.channel().remoteAddress(),
                    in.readableBytes());
            in.skipBytes(in.readableBytes());
        }
    }
}
