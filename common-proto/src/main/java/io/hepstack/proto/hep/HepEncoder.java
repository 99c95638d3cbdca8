package io.hepstack.proto.hep;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Encodes a {@link HepPacket} as HEPv3, whatever version it was decoded from. Chunks are written in
 * the order Kamailio and heplify use (family, protocol, addresses, ports, time, type, capture id,
 * auth key, payload, correlation id, VLAN, node), then the raw chunks in their original order, so
 * that a decoded v3 packet from such an agent re-encodes to the same bytes. Absent fields
 * ({@code null}, or 0 family) are omitted.
 */
public final class HepEncoder {

    /** "HEP3" as a big-endian int. */
    static final int HEP3_MAGIC = 0x48455033;

    /** The largest packet HEPv3's u16 total length can describe. */
    public static final int MAX_PACKET = 0xFFFF;

    private HepEncoder() {
    }

    /** Encodes into a new heap array. */
    public static byte[] encode(HepPacket p) {
        byte[] payload = payloadOnWire(p);
        int total = checkedSize(p, payload);
        byte[] out = new byte[total];
        write(p, payload, total, Unpooled.wrappedBuffer(out).writerIndex(0));
        return out;
    }

    /**
     * A copy of the HEPv3 packet {@code packet} whose capture time (chunks 0x0009 and 0x000a, HEP3
     * §"Chunk types") is {@code micros}, every other byte as it was; {@code null} when {@code packet} is not
     * HEPv3 with both time chunks of 4 bytes within its announced length (decode and encode it instead).
     *
     * @throws IllegalArgumentException when {@code micros} is before the epoch or beyond what 32-bit
     *                                  seconds hold
     */
    public static byte[] retimed(byte[] packet, long micros) {
        long seconds = Math.floorDiv(micros, 1_000_000L);
        if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("capture time " + micros + " µs (expected: 0 to 2^32 s since the epoch)");
        }
        if (packet.length < 6 || Unpooled.wrappedBuffer(packet).getInt(0) != HEP3_MAGIC) {
            return null;
        }
        ByteBuf in = Unpooled.wrappedBuffer(packet);
        int total = Math.min(in.getUnsignedShort(4), packet.length);
        int secAt = -1;
        int usecAt = -1;
        for (int at = 6; at + 6 <= total; ) {
            int vendor = in.getUnsignedShort(at);
            int type = in.getUnsignedShort(at + 2);
            int length = in.getUnsignedShort(at + 4);
            if (length < 6 || at + length > total) {
                return null;
            }
            if (vendor == 0 && length == 10 && type == HepChunkType.TS_SEC.code()) {
                secAt = at + 6;
            } else if (vendor == 0 && length == 10 && type == HepChunkType.TS_USEC.code()) {
                usecAt = at + 6;
            }
            at += length;
        }
        if (secAt < 0 || usecAt < 0) {
            return null;
        }
        byte[] out = packet.clone();
        ByteBuf w = Unpooled.wrappedBuffer(out);
        w.setInt(secAt, (int) seconds);
        w.setInt(usecAt, (int) Math.floorMod(micros, 1_000_000L));
        return out;
    }

    /** Encodes into a buffer from {@code alloc}; the caller owns (and releases) the result. */
    public static ByteBuf encode(HepPacket p, ByteBufAllocator alloc) {
        byte[] payload = payloadOnWire(p);
        int total = checkedSize(p, payload);
        ByteBuf buf = alloc.buffer(total);
        write(p, payload, total, buf);
        return buf;
    }

    private static int checkedSize(HepPacket p, byte[] payload) {
        int total = size(p, payload);
        if (total > MAX_PACKET) {
            throw new IllegalArgumentException("HEPv3 packet of " + total + " bytes exceeds " + MAX_PACKET);
        }
        return total;
    }

    private static void write(HepPacket p, byte[] payload, int total, ByteBuf buf) {
        buf.writeInt(HEP3_MAGIC).writeShort(total);
        if (p.ipFamily() != 0) {
            u8(buf, HepChunkType.IP_FAMILY, p.ipFamily());
        }
        u8(buf, HepChunkType.IP_PROTO, p.ipProto());
        boolean v4 = p.srcIp() instanceof Inet4Address || p.dstIp() instanceof Inet4Address;
        if (p.srcIp() != null) {
            bytes(buf, v4 ? HepChunkType.IPV4_SRC : HepChunkType.IPV6_SRC, p.srcIp().getAddress());
        }
        if (p.dstIp() != null) {
            bytes(buf, v4 ? HepChunkType.IPV4_DST : HepChunkType.IPV6_DST, p.dstIp().getAddress());
        }
        u16(buf, HepChunkType.SRC_PORT, p.srcPort());
        u16(buf, HepChunkType.DST_PORT, p.dstPort());
        u32(buf, HepChunkType.TS_SEC, p.tsSec());
        u32(buf, HepChunkType.TS_USEC, p.tsUsec());
        u8(buf, HepChunkType.PROTO_TYPE, p.protoType());
        u32(buf, HepChunkType.CAPTURE_ID, p.captureId());
        if (p.authKey() != null) {
            bytes(buf, HepChunkType.AUTH_KEY, utf8(p.authKey()));
        }
        bytes(buf, p.compressed() ? HepChunkType.PAYLOAD_GZIP : HepChunkType.PAYLOAD, payload);
        if (p.correlationId() != null) {
            bytes(buf, HepChunkType.CORRELATION_ID, utf8(p.correlationId()));
        }
        if (p.vlan() != null) {
            u16(buf, HepChunkType.VLAN, p.vlan());
        }
        if (p.node() != null) {
            bytes(buf, HepChunkType.NODE_NAME, utf8(p.node()));
        }
        for (HepChunk c : p.chunks()) {
            buf.writeShort(c.vendor()).writeShort(c.type()).writeShort(HepDecoder.CHUNK_HEADER + c.value().length);
            buf.writeBytes(c.value());
        }
    }

    private static int size(HepPacket p, byte[] payload) {
        int n = HepDecoder.V3_HEADER;
        int c = HepDecoder.CHUNK_HEADER;
        n += p.ipFamily() != 0 ? c + 1 : 0;
        n += c + 1; // ip proto
        boolean v4 = p.srcIp() instanceof Inet4Address || p.dstIp() instanceof Inet4Address;
        int addr = v4 ? 4 : 16;
        n += p.srcIp() != null ? c + addr : 0;
        n += p.dstIp() != null ? c + addr : 0;
        n += 2 * (c + 2) + 2 * (c + 4) + (c + 1) + (c + 4); // ports, time, type, capture id
        n += p.authKey() != null ? c + utf8(p.authKey()).length : 0;
        n += c + payload.length;
        n += p.correlationId() != null ? c + utf8(p.correlationId()).length : 0;
        n += p.vlan() != null ? c + 2 : 0;
        n += p.node() != null ? c + utf8(p.node()).length : 0;
        for (HepChunk ch : p.chunks()) {
            n += c + ch.value().length;
        }
        return n;
    }

    private static byte[] payloadOnWire(HepPacket p) {
        if (!p.compressed()) {
            return p.payload();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(p.payload().length / 2 + 32);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(p.payload());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void header(ByteBuf buf, HepChunkType t, int bodyLen) {
        buf.writeShort(0).writeShort(t.code()).writeShort(HepDecoder.CHUNK_HEADER + bodyLen);
    }

    private static void u8(ByteBuf buf, HepChunkType t, int v) {
        header(buf, t, 1);
        buf.writeByte(v);
    }

    private static void u16(ByteBuf buf, HepChunkType t, int v) {
        header(buf, t, 2);
        buf.writeShort(v);
    }

    private static void u32(ByteBuf buf, HepChunkType t, long v) {
        header(buf, t, 4);
        buf.writeInt((int) v);
    }

    private static void bytes(ByteBuf buf, HepChunkType t, byte[] v) {
        header(buf, t, v.length);
        buf.writeBytes(v);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
