package io.hepstack.ingest;

import io.hepstack.ingest.listen.HepReceiver;
import io.hepstack.ingest.listen.Transport;
import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.BodyCensor;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.MethodFilter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * What every listener does with a HEP packet, on its event-loop thread: count it, decode it, check
 * its authentication key, discard it if it is a duplicate (optional), forward it (optional), censor
 * its SIP body (optional), extract the row, observe it for SIP KPIs, drop it if its method is
 * discarded by configuration, place it by its agent's clock ({@link AgentClocks}), and queue it. Never blocks; never throws; does not release buffers.
 */
public final class IngestPipeline implements HepReceiver {

    private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);

    private final HepDecoder decoder;
    private final AuthPolicy auth;
    private final DuplicateFilter dedup;
    private final HepForwarder forwarder;
    private final BodyCensor censor;
    private final RowExtractor extractor;
    private final Consumer<CapturedMessage> observer;
    private final MethodFilter discard;
    private final MessageQueue queue;
    private final IngestMetrics metrics;
    private final AgentClocks clocks;

    /** {@code dedup} and {@code forwarder} are {@code null} when the feature is off; {@code censor} may be {@link BodyCensor#OFF}. */
    IngestPipeline(HepDecoder decoder, AuthPolicy auth, DuplicateFilter dedup, HepForwarder forwarder,
                   BodyCensor censor, RowExtractor extractor, Consumer<CapturedMessage> observer,
                   IngestProperties.Filter filter, MessageQueue queue, IngestMetrics metrics, AgentClocks clocks) {
        this.decoder = decoder;
        this.auth = auth;
        this.dedup = dedup;
        this.forwarder = forwarder;
        this.censor = censor;
        this.extractor = extractor;
        this.clocks = clocks;
        this.observer = observer;
        this.discard = filter.discard();
        this.queue = queue;
        this.metrics = metrics;
    }

    /** A datagram: queued, or dropped and counted when the queue is full. */
    @Override
    public void acceptDatagram(ByteBuf datagram, Transport transport, InetSocketAddress sender) {
        CapturedMessage m = admit(datagram, transport, sender);
        if (m != null && !queue.offer(m)) {
            metrics.dropped("queue", "full", 1);
        }
    }

    /** A frame of a stream: always queued; the channel stops reading while the queue is high. */
    @Override
    public void acceptFrame(ByteBuf frame, Transport transport, Channel channel) {
        CapturedMessage m = admit(frame, transport, channel);
        if (m != null) {
            queue.put(m, channel);
        }
    }

    /** Whether some stream connection is paused by backpressure (it has unread data). */
    @Override
    public boolean anyPaused() {
        return queue.anyPaused();
    }

    /** A stream connection closed: it no longer waits to be resumed. */
    @Override
    public void closed(Channel channel) {
        queue.forget(channel);
        clocks.forget(channel);
    }

    /** {@code source}: what the agent's clock is tracked by, a UDP sender's address or a stream's channel. */
    private CapturedMessage admit(ByteBuf buf, Transport transport, Object source) {
        metrics.received(transport, version(buf));
        HepPacket packet;
        try {
            packet = decoder.decode(buf);
        } catch (HepDecodeException e) {
            metrics.rejected(IngestMetrics.label(e.reason()));
            log.debug("rejected {} packet: {}", transport.label(), e.getMessage());
            return null;
        }
        String authFailure = auth.check(packet);
        if (authFailure != null) {
            metrics.rejected(authFailure);
            log.debug("rejected {} packet of capture id {}: {}", transport.label(), packet.captureId(), authFailure);
            return null;
        }
        if (dedup != null && dedup.isDuplicate(packet.captureId(), packet.payload())) {
            metrics.discarded(IngestMetrics.DISCARD_DUPLICATE, "any");
            return null;
        }
        CapturedMessage m;
        try {
            HepPacket censored = censor.censor(packet);
            if (censored != packet) {
                packet = censored;
                metrics.censored();
            }
            if (forwarder != null) { // after censoring: what is not stored is not passed on either
                forwarder.forward(packet);
            }
            m = extractor.extract(packet);
            observer.accept(m);
        } catch (RuntimeException e) { // a bug, not an input problem: count and keep serving
            log.error("extraction failed for {}", packet, e);
            metrics.dropped("extract", "error", 1);
            return null;
        }
        String discarded = discard.discarded(m);
        if (discarded != null) {
            metrics.discarded(IngestMetrics.DISCARD_FILTER, discarded);
            return null;
        }
        return clocks.place(m, source);
    }

    private static int version(ByteBuf buf) {
        if (!buf.isReadable()) {
            return 0;
        }
        int first = buf.getUnsignedByte(buf.readerIndex());
        return first == 'H' ? 3 : first == 1 || first == 2 ? first : 0;
    }
}
