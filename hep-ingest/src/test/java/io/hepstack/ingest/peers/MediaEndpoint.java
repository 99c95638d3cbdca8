package io.hepstack.ingest.peers;

import io.hepstack.proto.media.ReportBlock;
import io.hepstack.proto.media.RtcpReport;
import io.hepstack.proto.media.RtcpWriter;
import io.hepstack.proto.media.SenderInfo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One side of a call's media in a peer test: an RTP socket on an even loopback port and its RTCP socket on the
 * next, as an SDP {@code m=} line without {@code a=rtcp} promises. It sends real RTP (G.711, 20 ms of 160
 * samples a packet), counts what arrives, and sends the RTCP reports it is given, written by
 * {@link RtcpWriter}, keeping what RTCP arrives from the far side.
 */
final class MediaEndpoint implements AutoCloseable {

    /** RTP payload type 8 (PCMA, RFC 3551). */
    static final int PCMA = 8;
    static final int SAMPLES_PER_PACKET = 160;

    final long ssrc;
    private final int rtpPort;
    private final DatagramChannel rtp;
    private final DatagramChannel rtcp;
    private final ByteBuffer in = ByteBuffer.allocate(2048);
    private InetSocketAddress remoteRtp;
    private InetSocketAddress remoteRtcp;
    private int seq;
    private long rtpTimestamp;
    private long packetsSent;
    private long packetsReceived;
    private int highestSeqReceived = -1;
    private InetSocketAddress rtpFrom;
    private final List<byte[]> rtcpSent = new ArrayList<>();
    private final List<byte[]> rtcpReceived = new ArrayList<>();

    private MediaEndpoint(long ssrc, int rtpPort, DatagramChannel rtp, DatagramChannel rtcp) {
        this.ssrc = ssrc;
        this.rtpPort = rtpPort;
        this.rtp = rtp;
        this.rtcp = rtcp;
        this.seq = (int) (ssrc & 0x7FFF);
        this.rtpTimestamp = ssrc & 0xFFFF;
    }

    /** An endpoint on a free even port of 127.0.0.1 and the odd port after it. */
    static MediaEndpoint open(long ssrc) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 100; attempt++) {
            DatagramChannel a = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(lo, 0));
            int port = ((InetSocketAddress) a.getLocalAddress()).getPort();
            if (port % 2 != 0 || port == 65534) {
                a.close();
                continue;
            }
            try {
                DatagramChannel b = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(lo, port + 1));
                a.configureBlocking(false);
                b.configureBlocking(false);
                return new MediaEndpoint(ssrc, port, a, b);
            } catch (IOException taken) {
                a.close();
            }
        }
        throw new IOException("no free pair of even and odd UDP ports on 127.0.0.1 in 100 attempts");
    }

    int rtpPort() {
        return rtpPort;
    }

    int rtcpPort() {
        return rtpPort() + 1;
    }

    /** Where the far side's media goes: the relay's ports from the SDP this side received. */
    void sendTo(int remoteRtpPort, int remoteRtcpPort) {
        InetAddress lo = InetAddress.getLoopbackAddress();
        this.remoteRtp = new InetSocketAddress(lo, remoteRtpPort);
        this.remoteRtcp = new InetSocketAddress(lo, remoteRtcpPort);
    }

    /** Sends one RTP packet: 20 ms of PCMA silence. */
    void sendRtp() throws IOException {
        ByteBuffer p = ByteBuffer.allocate(12 + SAMPLES_PER_PACKET);
        p.put((byte) 0x80).put((byte) PCMA).putShort((short) seq).putInt((int) rtpTimestamp).putInt((int) ssrc);
        byte[] silence = new byte[SAMPLES_PER_PACKET];
        Arrays.fill(silence, (byte) 0xD5);
        p.put(silence).flip();
        rtp.send(p, remoteRtp);
        seq = (seq + 1) & 0xFFFF;
        rtpTimestamp = (rtpTimestamp + SAMPLES_PER_PACKET) & 0xFFFF_FFFFL;
        packetsSent++;
    }

    /** Reads whatever RTP and RTCP has arrived. */
    void drain() throws IOException {
        InetSocketAddress from;
        while ((from = (InetSocketAddress) rtp.receive(in.clear())) != null) {
            in.flip();
            if (in.remaining() >= 12) {
                packetsReceived++;
                highestSeqReceived = in.getShort(2) & 0xFFFF;
                rtpFrom = from;
            }
        }
        while (rtcp.receive(in.clear()) != null) {
            in.flip();
            byte[] b = new byte[in.remaining()];
            in.get(b);
            rtcpReceived.add(b);
        }
    }

    /**
     * Sends a compound RTCP packet: a sender report when this side sends media, else a receiver report, with
     * {@code block} (or none: nothing received) and an SDES CNAME.
     */
    byte[] sendRtcp(ReportBlock block, String cname, long nowMicros) throws IOException {
        SenderInfo sender = packetsSent == 0 ? null
                : new SenderInfo(nowMicros, rtpTimestamp, packetsSent, packetsSent * SAMPLES_PER_PACKET);
        byte[] report = RtcpWriter.write(new RtcpReport(List.of(new RtcpReport.SenderOrReceiver(ssrc, sender,
                block == null ? List.of() : List.of(block))), List.of(), cname));
        rtcp.send(ByteBuffer.wrap(report), remoteRtcp);
        rtcpSent.add(report);
        return report;
    }

    long packetsReceived() {
        return packetsReceived;
    }

    long packetsSent() {
        return packetsSent;
    }

    /** The highest RTP sequence number received, or 0 when nothing was. */
    long highestSeqReceived() {
        return Math.max(highestSeqReceived, 0);
    }

    /** Where the RTP received came from, or {@code null}. */
    InetSocketAddress rtpFrom() {
        return rtpFrom;
    }

    List<byte[]> rtcpSent() {
        return rtcpSent;
    }

    List<byte[]> rtcpReceived() {
        return rtcpReceived;
    }

    @Override
    public void close() throws IOException {
        try (rtp; rtcp) {
            // both closed
        }
    }
}
