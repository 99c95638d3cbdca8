package io.hepstack.proto.hep;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static io.hepstack.proto.hep.HepRejectReason.*;

/**
 * Decodes one HEP packet (v1, v2 or v3) from a datagram or a frame cut by {@link HepStreamFramer}.
 * Transport-agnostic and stateless: one instance may be shared by every listener thread.
 *
 * <p>The decoder reads with absolute indices and never moves the buffer's reader index; it does not
 * release the buffer. Every read is preceded by a bounds check, so any input yields either a packet
 * or a {@link HepDecodeException} naming the reason, the offset and what was expected. The payload is
 * the one copy made: it becomes the stored row.
 */
public final class HepDecoder {

    /** Default cap on the inflated size of a gzip payload chunk (0x0010). */
    public static final int DEFAULT_MAX_INFLATED_PAYLOAD = 1 << 20;

    static final int V3_HEADER = 6;
    static final int CHUNK_HEADER = 6;
    static final int V1_IPV4_HEADER = 16;
    static final int V1_IPV6_HEADER = 40;
    static final int V2_TIME_HEADER = 12;

    private final int maxInflatedPayload;

    /** A decoder with the default gzip inflation cap. */
    public HepDecoder() {
        this(DEFAULT_MAX_INFLATED_PAYLOAD);
    }

    /** A decoder inflating gzip payloads up to {@code maxInflatedPayload} bytes. */
    public HepDecoder(int maxInflatedPayload) {
        if (maxInflatedPayload < 1) {
            throw new IllegalArgumentException("maxInflatedPayload must be positive: " + maxInflatedPayload);
        }
        this.maxInflatedPayload = maxInflatedPayload;
    }

    /** Decodes the whole array as one packet. */
    public HepPacket decode(byte[] datagram) throws HepDecodeException {
        return decode(Unpooled.wrappedBuffer(datagram));
    }

    /**
     * Decodes the readable bytes of {@code buf} as exactly one packet. The reader index is left as
     * it was and the buffer is not released.
     */
    public HepPacket decode(ByteBuf buf) throws HepDecodeException {
        int start = buf.readerIndex();
        int size = buf.readableBytes();
        if (size < 1) {
            throw new HepDecodeException(TRUNCATED_HEADER, "empty packet");
        }
        int first = buf.getUnsignedByte(start);
        if (first == 'H') {
            return decodeV3(buf, start, size);
        }
        if (first == 1 || first == 2) {
            return decodeV1V2(buf, start, size, first);
        }
        throw new HepDecodeException(UNKNOWN_VERSION,
                "offset 0: first byte 0x" + hex2(first) + " (expected: 0x01, 0x02 or \"HEP3\")");
    }

    // HEP3 §header: "HEP3", u16 total length; then chunks of u16 vendor, u16 type, u16 length.
    private HepPacket decodeV3(ByteBuf buf, int start, int size) throws HepDecodeException {
        if (size < V3_HEADER) {
            throw new HepDecodeException(TRUNCATED_HEADER,
                    "HEPv3 header cut: " + size + " bytes (expected: 6)");
        }
        if (buf.getInt(start) != HepEncoder.HEP3_MAGIC) {
            throw new HepDecodeException(UNKNOWN_VERSION, "offset 0: magic \"" + ascii(buf, start, 4)
                    + "\" (expected: \"HEP3\")");
        }
        int total = buf.getUnsignedShort(start + 4);
        if (total != size) {
            throw new HepDecodeException(LENGTH_MISMATCH,
                    "total length " + total + " (expected: " + size + ", the packet size)");
        }
        V3Fields f = new V3Fields();
        int pos = V3_HEADER;
        while (pos < total) {
            if (total - pos < CHUNK_HEADER) {
                throw new HepDecodeException(CHUNK_PAST_END, "offset " + pos + ": chunk header cut, "
                        + (total - pos) + " bytes left (expected: 6)");
            }
            int at = start + pos;
            int vendor = buf.getUnsignedShort(at);
            int type = buf.getUnsignedShort(at + 2);
            int length = buf.getUnsignedShort(at + 4);
            if (length < CHUNK_HEADER) {
                throw new HepDecodeException(CHUNK_TOO_SHORT, "offset " + pos + ": chunk 0x" + hex4(type)
                        + " length " + length + " (expected: at least 6)");
            }
            if (length > total - pos) {
                throw new HepDecodeException(CHUNK_PAST_END, "offset " + pos + ": chunk 0x" + hex4(type)
                        + " length " + length + " runs past the packet end (" + (total - pos) + " bytes left)");
            }
            int bodyAt = at + CHUNK_HEADER;
            int bodyLen = length - CHUNK_HEADER;
            HepChunkType known = vendor == 0 ? HepChunkType.of(type) : null;
            if (known == null) {
                f.raw(new HepChunk(vendor, type, bytes(buf, bodyAt, bodyLen)));
            } else {
                if (known.bodySize() != HepChunkType.VARIABLE && known.bodySize() != bodyLen) {
                    throw new HepDecodeException(CHUNK_BAD_LENGTH, "offset " + pos + ": chunk 0x" + hex4(type)
                            + " length " + length + " (expected: " + (known.bodySize() + CHUNK_HEADER) + ")");
                }
                f.set(known, buf, bodyAt, bodyLen, pos);
            }
            pos += length;
        }
        return f.toPacket();
    }

    private final class V3Fields {
        int ipFamily;
        int ipProto;
        byte[] src4;
        byte[] dst4;
        byte[] src6;
        byte[] dst6;
        int srcPort;
        int dstPort;
        long tsSec;
        int tsUsec;
        int protoType;
        long captureId;
        String authKey;
        String correlationId;
        Integer vlan;
        String node;
        byte[] payload;
        boolean compressed;
        List<HepChunk> chunks;

        void raw(HepChunk c) {
            if (chunks == null) {
                chunks = new ArrayList<>(4);
            }
            chunks.add(c);
        }

        void set(HepChunkType t, ByteBuf buf, int at, int len, int pos) throws HepDecodeException {
            switch (t) {
                case IP_FAMILY -> ipFamily = buf.getUnsignedByte(at);
                case IP_PROTO -> ipProto = buf.getUnsignedByte(at);
                case IPV4_SRC -> src4 = bytes(buf, at, 4);
                case IPV4_DST -> dst4 = bytes(buf, at, 4);
                case IPV6_SRC -> src6 = bytes(buf, at, 16);
                case IPV6_DST -> dst6 = bytes(buf, at, 16);
                case SRC_PORT -> srcPort = buf.getUnsignedShort(at);
                case DST_PORT -> dstPort = buf.getUnsignedShort(at);
                case TS_SEC -> tsSec = buf.getUnsignedInt(at);
                case TS_USEC -> tsUsec = (int) Math.min(buf.getUnsignedInt(at), Integer.MAX_VALUE);
                case PROTO_TYPE -> protoType = buf.getUnsignedByte(at);
                case CAPTURE_ID -> captureId = buf.getUnsignedInt(at);
                case AUTH_KEY -> authKey = text(buf, at, len);
                case CORRELATION_ID -> correlationId = text(buf, at, len);
                case VLAN -> vlan = buf.getUnsignedShort(at);
                case NODE_NAME -> node = text(buf, at, len);
                case PAYLOAD -> {
                    if (payload == null) {
                        payload = bytes(buf, at, len);
                    } else {
                        raw(new HepChunk(0, t.code(), bytes(buf, at, len)));
                    }
                }
                case PAYLOAD_GZIP -> {
                    if (payload == null) {
                        payload = inflate(buf, at, len, pos);
                        compressed = true;
                    } else {
                        raw(new HepChunk(0, t.code(), bytes(buf, at, len)));
                    }
                }
            }
        }

        HepPacket toPacket() throws HepDecodeException {
            if (payload == null) {
                throw new HepDecodeException(MISSING_PAYLOAD, "no payload chunk (expected: 0x000f or 0x0010)");
            }
            byte[] src = src4 != null ? src4 : src6;
            byte[] dst = dst4 != null ? dst4 : dst6;
            if ((src4 != null || dst4 != null) && (src6 != null || dst6 != null)) {
                throw new HepDecodeException(BAD_IP_FAMILY, "both IPv4 and IPv6 address chunks present");
            }
            int addrFamily = src4 != null || dst4 != null ? 2 : src6 != null || dst6 != null ? 10 : 0;
            int family = ipFamily;
            if (family != 0 && family != 2 && family != 10) {
                throw new HepDecodeException(BAD_IP_FAMILY,
                        "chunk 0x0001 IP family " + family + " (expected: 2 or 10)");
            }
            if (family != 0 && addrFamily != 0 && family != addrFamily) {
                throw new HepDecodeException(BAD_IP_FAMILY, "chunk 0x0001 IP family " + family
                        + " but addresses are " + (addrFamily == 2 ? "IPv4" : "IPv6"));
            }
            if (family == 0) {
                family = addrFamily;
            }
            return new HepPacket(3, family, ipProto, address(src), address(dst), srcPort, dstPort,
                    tsSec, tsUsec, protoType, captureId, authKey, correlationId, vlan, node,
                    payload, compressed, chunks);
        }
    }

    // HEPv1/v2: u8 version, u8 header length, u8 family, u8 protocol, u16 src port, u16 dst port,
    // then both addresses; v2 adds u32 seconds, u32 microseconds, u16 capture id, 2 bytes padding,
    // sent in host byte order (little-endian on the agents seen, see HEP.md).
    private HepPacket decodeV1V2(ByteBuf buf, int start, int size, int version) throws HepDecodeException {
        if (size < 4) {
            throw new HepDecodeException(TRUNCATED_HEADER,
                    "HEPv" + version + " header cut: " + size + " bytes (expected: at least 16)");
        }
        int headerLength = buf.getUnsignedByte(start + 1);
        int family = buf.getUnsignedByte(start + 2);
        int ipProto = buf.getUnsignedByte(start + 3);
        int addrLen;
        int minHeader;
        if (family == 2) {
            addrLen = 4;
            minHeader = V1_IPV4_HEADER;
        } else if (family == 10) {
            addrLen = 16;
            minHeader = V1_IPV6_HEADER;
        } else {
            throw new HepDecodeException(BAD_IP_FAMILY,
                    "offset 2: HEPv" + version + " IP family " + family + " (expected: 2 or 10)");
        }
        if (headerLength < minHeader) {
            throw new HepDecodeException(BAD_HEADER_LENGTH, "offset 1: HEPv" + version + " header length "
                    + headerLength + " (expected: " + minHeader + " for " + (family == 2 ? "IPv4" : "IPv6") + ")");
        }
        int timeHeader = version == 2 ? V2_TIME_HEADER : 0;
        if (size < headerLength + timeHeader) {
            throw new HepDecodeException(TRUNCATED_HEADER, "HEPv" + version + " header cut: " + size
                    + " bytes (expected: at least " + (headerLength + timeHeader) + ")");
        }
        int srcPort = buf.getUnsignedShort(start + 4);
        int dstPort = buf.getUnsignedShort(start + 6);
        InetAddress src = address(bytes(buf, start + 8, addrLen));
        InetAddress dst = address(bytes(buf, start + 8 + addrLen, addrLen));
        long tsSec = 0;
        int tsUsec = 0;
        long captureId = 0;
        if (version == 2) {
            int t = start + headerLength;
            tsSec = buf.getUnsignedIntLE(t);
            tsUsec = (int) Math.min(buf.getUnsignedIntLE(t + 4), Integer.MAX_VALUE);
            captureId = buf.getUnsignedShortLE(t + 8);
        }
        int payloadAt = headerLength + timeHeader;
        if (size == payloadAt) {
            throw new HepDecodeException(MISSING_PAYLOAD, "HEPv" + version + " packet without payload");
        }
        byte[] payload = bytes(buf, start + payloadAt, size - payloadAt);
        return new HepPacket(version, family, ipProto, src, dst, srcPort, dstPort, tsSec, tsUsec,
                1, captureId, null, null, null, null, payload, false, null);
    }

    private byte[] inflate(ByteBuf buf, int at, int len, int pos) throws HepDecodeException {
        byte[] compressed = bytes(buf, at, len);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 4096)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxInflatedPayload, len * 4 + 64));
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (out.size() + n > maxInflatedPayload) {
                    throw new HepDecodeException(BAD_COMPRESSED_PAYLOAD, "offset " + pos
                            + ": chunk 0x0010 inflates beyond " + maxInflatedPayload + " bytes");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new HepDecodeException(BAD_COMPRESSED_PAYLOAD, "offset " + pos
                    + ": chunk 0x0010 is not valid gzip (" + e.getMessage() + ")");
        }
    }

    private static byte[] bytes(ByteBuf buf, int at, int len) {
        byte[] b = new byte[len];
        buf.getBytes(at, b);
        return b;
    }

    /** A C-string tolerant text value: trailing NULs (sent by some C agents) are dropped. */
    private static String text(ByteBuf buf, int at, int len) {
        int end = len;
        while (end > 0 && buf.getByte(at + end - 1) == 0) {
            end--;
        }
        return buf.toString(at, end, StandardCharsets.UTF_8).replace('\0', '\uFFFD');
    }

    private static InetAddress address(byte[] raw) {
        if (raw == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of " + raw.length + " bytes", e); // lengths are 4 or 16
        }
    }

    private static String ascii(ByteBuf buf, int at, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            int c = buf.getUnsignedByte(at + i);
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        return sb.toString();
    }

    static String hex2(int v) {
        return String.format("%02x", v);
    }

    static String hex4(int v) {
        return String.format("%04x", v);
    }
}
