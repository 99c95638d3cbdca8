package io.hepstack.proto.pcap;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes messages as a classic libpcap file (microsecond timestamps, little-endian, Ethernet link type
 * with zero MAC addresses) that Wireshark and tshark decode: real IPv4/IPv6 headers, UDP and TCP with
 * correct checksums.
 *
 * <p>UDP: one datagram per message, never fragmented; a payload beyond what one IP datagram holds
 * (65,507 bytes over IPv4, 65,527 over IPv6) is truncated to fit and counted in
 * {@link #truncatedMessages()}. TCP: one PSH/ACK segment per message, or consecutive segments of at most
 * {@link #MAX_TCP_SEGMENT} bytes for a larger one, all with the message's timestamp; each direction's
 * sequence numbers continue where its previous message ended and acknowledge the reverse direction.
 * No handshake is invented. Not thread-safe. Closing the writer closes the stream.
 */
public final class PcapWriter implements Closeable, Flushable {
    /** Snapshot length written in the header: tcpdump's default, above any frame written. */
    public static final int SNAPLEN = 262_144;
    /** Largest TCP payload per segment: what an IPv4 datagram holds after 20 + 20 header bytes. */
    public static final int MAX_TCP_SEGMENT = 65_535 - 40;
    private static final int MAX_UDP_V4 = 65_535 - 20 - 8;
    private static final int MAX_UDP_V6 = 65_535 - 8;
    private static final int ETHERNET = 14;

    private final OutputStream out;
    private final Map<FlowKey, long[]> nextSeq = new HashMap<>();
    private final byte[] recordHeader = new byte[16];
    private int ipv4Id;
    private long frames;
    private long truncated;

    /** Writes the global header; the messages follow with {@link #write}. */
    public PcapWriter(OutputStream out) throws IOException {
        this.out = new BufferedOutputStream(Objects.requireNonNull(out, "out"), 1 << 16);
        byte[] header = new byte[24];
        Bytes.put32le(header, 0, Integer.toUnsignedLong(ClassicPcapFile.MAGIC_MICROS));
        header[4] = 2; // version 2.4, little-endian
        header[6] = 4;
        Bytes.put32le(header, 16, SNAPLEN);
        Bytes.put32le(header, 20, FrameDecoder.LINKTYPE_ETHERNET);
        this.out.write(header);
    }

    /** Writes every message, in order, to a new pcap on {@code out}, which is closed. */
    public static void write(OutputStream out, Iterable<PcapMessage> messages) throws IOException {
        try (PcapWriter writer = new PcapWriter(out)) {
            for (PcapMessage m : messages) {
                writer.write(m);
            }
        }
    }

    /** Writes one message as one packet, or several TCP segments. */
    public void write(PcapMessage m) throws IOException {
        Objects.requireNonNull(m, "message");
        if (m.transport() == Transport.UDP) {
            int max = m.srcIp() instanceof Inet4Address ? MAX_UDP_V4 : MAX_UDP_V6;
            int len = m.payload().length;
            if (len > max) {
                truncated++;
                len = max;
            }
            byte[] segment = new byte[8 + len];
            Bytes.put16(segment, 0, m.srcPort());
            Bytes.put16(segment, 2, m.dstPort());
            Bytes.put16(segment, 4, segment.length);
            System.arraycopy(m.payload(), 0, segment, 8, len);
            writePacket(m, segment, 6);
            return;
        }
        FlowKey flow = new FlowKey(m.srcIp(), m.srcPort(), m.dstIp(), m.dstPort());
        long[] seq = nextSeq.computeIfAbsent(flow, PcapWriter::initialSequence);
        long[] peer = nextSeq.get(flow.reversed());
        int off = 0;
        do {
            int len = Math.min(MAX_TCP_SEGMENT, m.payload().length - off);
            byte[] segment = new byte[20 + len];
            Bytes.put16(segment, 0, m.srcPort());
            Bytes.put16(segment, 2, m.dstPort());
            Bytes.put32(segment, 4, seq[0]);
            Bytes.put32(segment, 8, peer == null ? 0 : peer[0]);
            segment[12] = 0x50; // data offset 5 words
            segment[13] = peer == null ? (byte) 0x08 : (byte) 0x18; // PSH, plus ACK once the peer is known
            Bytes.put16(segment, 14, 65_535); // window
            System.arraycopy(m.payload(), off, segment, 20, len);
            writePacket(m, segment, 16);
            seq[0] = (seq[0] + len) & 0xFFFF_FFFFL;
            off += len;
        } while (off < m.payload().length);
    }

    /** Records written so far. */
    public long framesWritten() {
        return frames;
    }

    /** UDP messages cut to fit one IP datagram so far. */
    public long truncatedMessages() {
        return truncated;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** A deterministic initial sequence number per direction (RFC 9293 only asks for unpredictability on the wire). */
    private static long[] initialSequence(FlowKey flow) {
        return new long[] {Integer.toUnsignedLong(flow.hashCode() * 0x9E3779B1)};
    }

    /** Wraps a transport segment in IP and Ethernet, fills the transport checksum at {@code checksumAt}. */
    private void writePacket(PcapMessage m, byte[] segment, int checksumAt) throws IOException {
        boolean v4 = m.srcIp() instanceof Inet4Address;
        byte[] src = m.srcIp().getAddress();
        byte[] dst = m.dstIp().getAddress();
        int proto = m.transport().protocolNumber();
        int ipHeader = v4 ? 20 : 40;
        byte[] frame = new byte[ETHERNET + ipHeader + segment.length];
        // Ethernet II: zero destination and source MACs
        Bytes.put16(frame, 12, v4 ? 0x0800 : 0x86DD);
        int ip = ETHERNET;
        if (v4) {
            // RFC 791: version 4, IHL 5, DF, TTL 64
            frame[ip] = 0x45;
            Bytes.put16(frame, ip + 2, ipHeader + segment.length);
            Bytes.put16(frame, ip + 4, ipv4Id++ & 0xFFFF);
            Bytes.put16(frame, ip + 6, 0x4000);
            frame[ip + 8] = 64;
            frame[ip + 9] = (byte) proto;
            System.arraycopy(src, 0, frame, ip + 12, 4);
            System.arraycopy(dst, 0, frame, ip + 16, 4);
            Bytes.put16(frame, ip + 10, ~sum(frame, ip, 20, 0) & 0xFFFF);
        } else {
            // RFC 8200: version 6, hop limit 64
            frame[ip] = 0x60;
            Bytes.put16(frame, ip + 4, segment.length);
            frame[ip + 6] = (byte) proto;
            frame[ip + 7] = 64;
            System.arraycopy(src, 0, frame, ip + 8, 16);
            System.arraycopy(dst, 0, frame, ip + 24, 16);
        }
        // pseudo-header (RFC 768, RFC 9293 §3.1, RFC 8200 §8.1) + segment
        long pseudo = sum(src, 0, src.length, 0);
        pseudo = sum(dst, 0, dst.length, pseudo);
        pseudo += proto + segment.length;
        int checksum = ~sum(segment, 0, segment.length, pseudo) & 0xFFFF;
        if (checksum == 0 && proto == Transport.UDP.protocolNumber()) {
            checksum = 0xFFFF; // 0 means "no checksum" in UDP
        }
        Bytes.put16(segment, checksumAt, checksum);
        System.arraycopy(segment, 0, frame, ip + ipHeader, segment.length);

        long micros = m.timestampMicros();
        Bytes.put32le(recordHeader, 0, micros / 1_000_000L);
        Bytes.put32le(recordHeader, 4, micros % 1_000_000L);
        Bytes.put32le(recordHeader, 8, frame.length);
        Bytes.put32le(recordHeader, 12, frame.length);
        out.write(recordHeader);
        out.write(frame);
        frames++;
    }

    /** Ones' complement sum of 16-bit big-endian words, folded. */
    private static int sum(byte[] b, int off, int len, long acc) {
        int i = off;
        for (; i + 1 < off + len; i += 2) {
            acc += Bytes.u16(b, i);
        }
        if (i < off + len) {
            acc += (b[i] & 0xFF) << 8;
        }
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xFFFF) + (acc >>> 16);
        }
        return (int) acc;
    }
}
