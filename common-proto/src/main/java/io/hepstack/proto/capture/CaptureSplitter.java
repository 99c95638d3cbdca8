package io.hepstack.proto.capture;

import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepRejectReason;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepStreamFramer;
import io.hepstack.proto.pcap.FlowKey;
import io.hepstack.proto.pcap.PcapPacket;
import io.hepstack.proto.pcap.PcapVisitor;
import io.hepstack.proto.pcap.TcpCloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link PcapVisitor} that finds, on any port, the HEP packets and the plain SIP messages a capture
 * holds, in capture order:
 *
 * <ul>
 *   <li>a UDP datagram that decodes as HEP (v1, v2, v3), or would but for a gzip payload that does not
 *       inflate within the cap, is one HEP packet; else one that starts with
 *       a SIP start line is one SIP message; else it is skipped ({@link Skip#NEITHER_HEP_NOR_SIP});</li>
 *   <li>a TCP direction whose first 4 bytes are a HEP header is cut into frames by
 *       {@link HepStreamFramer}; any other is cut into SIP messages by Content-Length (RFC 3261 §18.3).
 *       A stream that stops making sense (a bad frame, a message without Content-Length, bytes lost
 *       inside a message) is reported once and the rest of that direction is ignored.</li>
 * </ul>
 *
 * Not thread-safe; one instance per capture read. Holds at most one partial frame or message per TCP
 * direction (bounded by the reader's per-flow limit).
 */
public final class CaptureSplitter implements PcapVisitor {

    /** Receives what the capture holds. */
    public interface Listener {

        /** A HEP packet, its bytes as captured (a TCP frame is cut exactly; UDP HEP has decoded once). */
        void onHep(byte[] packet, long timestampMicros);

        /**
         * A plain SIP message.
         *
         * @param ipProto 17 for a UDP datagram, 6 for a message cut from a TCP stream
         */
        void onSip(byte[] message, long timestampMicros, InetAddress srcIp, int srcPort, InetAddress dstIp,
                   int dstPort, int ipProto);

        /** Something that was neither: counted by {@code reason}, {@code detail} says what. */
        void onSkip(Skip reason, String detail);
    }

    /** Why a datagram or a stream's rest was not delivered. */
    public enum Skip {
        /** A UDP datagram or a message of a TCP stream that is neither HEP nor a SIP start line. */
        NEITHER_HEP_NOR_SIP,
        /** A HEP stream whose next frame does not decode: the rest of that direction is ignored. */
        HEP_STREAM_CORRUPT,
        /** A SIP stream that cannot be cut (no Content-Length, header over 64 KiB): the rest is ignored. */
        SIP_STREAM_UNFRAMED,
        /** The capture lost bytes inside a frame or message of a TCP stream: the rest is ignored. */
        TCP_GAP;

        /** The lower-case name, as counted in reports. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Listener listener;
    private final int maxFrame;
    private final HepDecoder decoder = new HepDecoder();
    private final Map<FlowKey, Stream> streams = new HashMap<>();

    /**
     * @param maxFrame largest HEP frame accepted on a TCP stream (bytes)
     */
    public CaptureSplitter(Listener listener, int maxFrame) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.maxFrame = maxFrame;
    }

    @Override
    public void onUdp(PcapPacket p) {
        byte[] d = p.payload();
        if (isHep(d)) {
            listener.onHep(d, p.timestampMicros());
        } else if (isSip(d, 0, d.length)) {
            listener.onSip(d, p.timestampMicros(), p.srcIp(), p.srcPort(), p.dstIp(), p.dstPort(), 17);
        } else {
            listener.onSkip(Skip.NEITHER_HEP_NOR_SIP, "UDP " + p.srcIp().getHostAddress() + ":" + p.srcPort()
                    + " > " + p.dstIp().getHostAddress() + ":" + p.dstPort() + ", " + d.length + " bytes");
        }
    }

    @Override
    public void onData(FlowKey flow, byte[] data, long timestampMicros, long frameNumber) {
        Stream s = streams.computeIfAbsent(flow, k -> new Stream());
        if (s.broken) {
            return;
        }
        s.buf.writeBytes(data);
        try {
            if (s.hep == null) {
                if (s.buf.readableBytes() < 4) {
                    return;
                }
                s.hep = isHepStart(s.buf);
            }
            if (s.hep) {
                ByteBuf frame;
                while ((frame = s.framer.nextFrame(s.buf)) != null) {
                    try {
                        listener.onHep(ByteBufUtil.getBytes(frame), timestampMicros);
                    } finally {
                        frame.release();
                    }
                }
            } else {
                int len;
                while ((len = SipStreamFraming.messageLength(s.buf)) > 0) {
                    byte[] msg = new byte[len];
                    s.buf.readBytes(msg);
                    if (isSip(msg, 0, msg.length)) {
                        listener.onSip(msg, timestampMicros, flow.srcIp(), flow.srcPort(), flow.dstIp(), flow.dstPort(), 6);
                    } else {
                        listener.onSkip(Skip.NEITHER_HEP_NOR_SIP, "TCP " + flow + ", frame " + frameNumber);
                    }
                }
                if (len < 0) {
                    s.broken = true;
                    listener.onSkip(Skip.SIP_STREAM_UNFRAMED, "TCP " + flow + ", frame " + frameNumber
                            + ": no Content-Length or header section over " + SipStreamFraming.MAX_HEADER + " bytes");
                }
            }
            s.buf.discardReadBytes();
        } catch (HepDecodeException e) {
            s.broken = true;
            listener.onSkip(Skip.HEP_STREAM_CORRUPT, "TCP " + flow + ", frame " + frameNumber + ": " + e.getMessage());
        }
    }

    @Override
    public void onGap(FlowKey flow, long skippedBytes, long frameNumber) {
        Stream s = streams.get(flow);
        if (s != null && !s.broken && s.buf.isReadable()) {
            s.broken = true;
            listener.onSkip(Skip.TCP_GAP, "TCP " + flow + ", frame " + frameNumber + ": " + skippedBytes
                    + " bytes not captured inside a frame or message");
        }
    }

    @Override
    public void onClose(FlowKey flow, TcpCloseReason reason) {
        Stream s = streams.remove(flow);
        if (s != null) {
            s.buf.release();
        }
    }

    private boolean isHep(byte[] d) {
        if (d.length < 4 || d[0] != 'H' && d[0] != 1 && d[0] != 2) {
            return false;
        }
        try {
            decoder.decode(d);
            return true;
        } catch (HepDecodeException e) {
            // well framed up to a gzip payload that does not inflate or inflates too far: HEP, which the
            // listener's own decoder rejects with that reason (counted as such, not as "neither")
            return e.reason() == HepRejectReason.PAYLOAD_TOO_LARGE || e.reason() == HepRejectReason.BAD_COMPRESSED_PAYLOAD;
        }
    }

    /** HEPv3 {@code HEP3}, or HEPv1/v2: version 1 or 2 then a header length of 16 (IPv4) or 40 (IPv6). */
    static boolean isHepStart(ByteBuf b) {
        int i = b.readerIndex();
        return b.getByte(i) == 'H' && b.getByte(i + 1) == 'E' && b.getByte(i + 2) == 'P' && b.getByte(i + 3) == '3'
                || (b.getByte(i) == 1 || b.getByte(i) == 2) && (b.getByte(i + 1) == 16 || b.getByte(i + 1) == 40);
    }

    /** A SIP start line within the first 2 kB: {@code SIP/2.0 NNN ...} or {@code METHOD uri SIP/2.0}. */
    public static boolean isSip(byte[] d, int off, int len) {
        int eol = -1;
        for (int i = off; i < off + len - 1 && i < off + 2048; i++) {
            if (d[i] == '\r' && d[i + 1] == '\n') {
                eol = i;
                break;
            }
        }
        if (eol < 0) {
            return false;
        }
        String line = new String(d, off, eol - off, StandardCharsets.US_ASCII);
        return line.startsWith("SIP/2.0 ") || line.endsWith(" SIP/2.0");
    }

    private final class Stream {
        final HepStreamFramer framer = new HepStreamFramer(maxFrame);
        final ByteBuf buf = Unpooled.buffer();
        Boolean hep;
        boolean broken;
    }
}
