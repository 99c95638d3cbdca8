package io.hepstack.proto.hep;

import io.netty.buffer.ByteBuf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

import static io.hepstack.proto.hep.HepRejectReason.*;

/**
 * Decodes one HEP packet (v1, v2 or v3) from a datagram or a frame cut by {@link HepStreamFramer}.
 * Transport-agnostic and stateless: one instance may be shared by every listener thread.
 *
 * <p>The decoder reads with absolute indices and never moves the buffer's reader index; it does not
 * release the buffer. Every read is preceded by a bounds check, so any input yields either a packet
 * or a {@link HepDecodeException} naming the reason, the offset and what was expected. The payload
 * becomes the stored row.
 */
public final class HepDecoder {

    /**
     * Default cap on the inflated size of a gzip payload chunk (0x0010): 256 KiB, four times the largest
     * HEP frame and far above any real SIP message, while one datagram can no longer become a megabyte
     * (gzip inflates up to about 1000 times).
     */
    public static final int DEFAULT_MAX_INFLATED_PAYLOAD = 256 * 1024;

    static final int V3_HEADER = 6;
    static final int CHUNK_HEADER = 6;
    static final int V1_IPV4_HEADER = 16;
    static final int V1_IPV6_HEADER = 40;
    static final int V2_TIME_HEADER = 12;

    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int MAX_SCRATCH = 0xFFFF;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[2048]);

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
        return decode(datagram, 0, datagram.length);
    }

    /**
     * Decodes the readable bytes of {@code buf} as exactly one packet. The reader index is left as
     * it was and the buffer is not released. A buffer without a backing array (a direct socket
     * buffer) is first copied in one piece into this thread's scratch array: reading a byte array is
     * cheaper than the ~50 checked accessor calls a packet needs, and the payload is then cut from it
     * without zeroing a new array first.
     */
    public HepPacket decode(ByteBuf buf) throws HepDecodeException {
        int start = buf.readerIndex();
        int size = buf.readableBytes();
        if (buf.hasArray()) {
            return decode(buf.array(), buf.arrayOffset() + start, size);
        }
        byte[] copy = scratch(size);
        buf.getBytes(start, copy, 0, size);
        return decode(copy, 0, size);
    }

    /** This thread's scratch array of at least {@code size} bytes (a HEPv3 packet is at most 64 KiB). */
    private static byte[] scratch(int size) {
        if (size > MAX_SCRATCH) {
            return new byte[size];
        }
        byte[] s = SCRATCH.get();
        if (s.length < size) {
            s = new byte[Math.min(MAX_SCRATCH, Math.max(size, s.length * 2))];
            SCRATCH.set(s);
        }
        return s;
    }

    /**
     * Decodes {@code d[base, base + size)} as exactly one packet. The packet never shares the array:
     * its payload, addresses and raw chunks are copies.
     */
    public HepPacket decode(byte[] d, int base, int size) throws HepDecodeException {
        Objects.checkFromIndexSize(base, size, d.length);
        if (size < 1) {
            throw new HepDecodeException(TRUNCATED_HEADER, "empty packet");
        }
        int first = d[base] & 0xff;
        if (first == 'H') {
            return decodeV3(d, base, size);
        }
        if (first == 1 || first == 2) {
            return decodeV1V2(d, base, size, first);
        }
        throw new HepDecodeException(UNKNOWN_VERSION,
                "offset 0: first byte 0x" + hex2(first) + " (expected: 0x01, 0x02 or \"HEP3\")");
    }

    // HEP3 §header: "HEP3", u16 total length; then chunks of u16 vendor, u16 type, u16 length.
    private HepPacket decodeV3(byte[] d, int base, int size) throws HepDecodeException {
        if (size < V3_HEADER) {
            throw new HepDecodeException(TRUNCATED_HEADER,
                    "HEPv3 header cut: " + size + " bytes (expected: 6)");
        }
        if ((int) INT_BE.get(d, base) != HepEncoder.HEP3_MAGIC) {
            throw new HepDecodeException(UNKNOWN_VERSION, "offset 0: magic \"" + ascii(d, base, 4)
                    + "\" (expected: \"HEP3\")");
        }
        int total = u16(d, base + 4);
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
            int at = base + pos;
            int vendor = u16(d, at);
            int type = u16(d, at + 2);
            int length = u16(d, at + 4);
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
            int expected = HepChunkType.bodySizeOf(vendor, type);
            if (expected == HepChunkType.KEPT_RAW) {
                f.raw(new HepChunk(vendor, type, Arrays.copyOfRange(d, bodyAt, bodyAt + bodyLen)));
            } else {
                if (expected != HepChunkType.VARIABLE && expected != bodyLen) {
                    throw new HepDecodeException(CHUNK_BAD_LENGTH, "offset " + pos + ": chunk 0x" + hex4(type)
                            + " length " + length + " (expected: " + (expected + CHUNK_HEADER) + ")");
                }
                f.set(type, d, bodyAt, bodyLen, pos);
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

        /**
         * Sets the field of generic chunk {@code type}, whose body size has been checked. The
         * fixed-size numbers, most chunks of a packet, are set here, in a method small enough to be
         * inlined into the chunk loop; byte strings go to {@link #setBytes}.
         */
        void set(int type, byte[] d, int at, int len, int pos) throws HepDecodeException {
            switch (type) {
                case 0x0001 -> ipFamily = d[at] & 0xff;
                case 0x0002 -> ipProto = d[at] & 0xff;
                case 0x0007 -> srcPort = u16(d, at);
                case 0x0008 -> dstPort = u16(d, at);
                case 0x0009 -> tsSec = u32(d, at);
                case 0x000a -> tsUsec = (int) Math.min(u32(d, at), Integer.MAX_VALUE);
                case 0x000b -> protoType = d[at] & 0xff;
                case 0x000c -> captureId = u32(d, at);
                default -> setBytes(type, d, at, len, pos);
            }
        }

        private void setBytes(int type, byte[] d, int at, int len, int pos) throws HepDecodeException {
            switch (type) {
                case 0x0003 -> src4 = Arrays.copyOfRange(d, at, at + 4);
                case 0x0004 -> dst4 = Arrays.copyOfRange(d, at, at + 4);
                case 0x0005 -> src6 = Arrays.copyOfRange(d, at, at + 16);
                case 0x0006 -> dst6 = Arrays.copyOfRange(d, at, at + 16);
                case 0x000e -> authKey = text(d, at, len);
                case 0x0011 -> correlationId = text(d, at, len);
                case 0x0012 -> vlan = u16(d, at);
                case 0x0013 -> node = text(d, at, len);
                case 0x000f -> {
                    if (payload == null) {
                        payload = Arrays.copyOfRange(d, at, at + len);
                    } else {
                        raw(new HepChunk(0, type, Arrays.copyOfRange(d, at, at + len)));
                    }
                }
                case 0x0010 -> {
                    if (payload == null) {
                        payload = inflate(d, at, len, pos);
                        compressed = true;
                    } else {
                        raw(new HepChunk(0, type, Arrays.copyOfRange(d, at, at + len)));
                    }
                }
                default -> throw new IllegalStateException("chunk type 0x" + hex4(type) + " has no field");
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
    private HepPacket decodeV1V2(byte[] d, int base, int size, int version) throws HepDecodeException {
        if (size < 4) {
            throw new HepDecodeException(TRUNCATED_HEADER,
                    "HEPv" + version + " header cut: " + size + " bytes (expected: at least 16)");
        }
        int headerLength = d[base + 1] & 0xff;
        int family = d[base + 2] & 0xff;
        int ipProto = d[base + 3] & 0xff;
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
        int srcPort = u16(d, base + 4);
        int dstPort = u16(d, base + 6);
        int addrAt = base + 8;
        InetAddress src = address(Arrays.copyOfRange(d, addrAt, addrAt + addrLen));
        InetAddress dst = address(Arrays.copyOfRange(d, addrAt + addrLen, addrAt + 2 * addrLen));
        long tsSec = 0;
        int tsUsec = 0;
        long captureId = 0;
        if (version == 2) {
            int t = base + headerLength;
            tsSec = Integer.toUnsignedLong((int) INT_LE.get(d, t));
            tsUsec = (int) Math.min(Integer.toUnsignedLong((int) INT_LE.get(d, t + 4)), Integer.MAX_VALUE);
            captureId = Short.toUnsignedInt((short) SHORT_LE.get(d, t + 8));
        }
        int payloadAt = headerLength + timeHeader;
        if (size == payloadAt) {
            throw new HepDecodeException(MISSING_PAYLOAD, "HEPv" + version + " packet without payload");
        }
        byte[] payload = Arrays.copyOfRange(d, base + payloadAt, base + size);
        return new HepPacket(version, family, ipProto, src, dst, srcPort, dstPort, tsSec, tsUsec,
                1, captureId, null, null, null, null, payload, false, null);
    }

    private byte[] inflate(byte[] d, int at, int len, int pos) throws HepDecodeException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(d, at, len), 4096)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxInflatedPayload, len * 4 + 64));
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (out.size() + n > maxInflatedPayload) {
                    throw new HepDecodeException(PAYLOAD_TOO_LARGE, "offset " + pos
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

    private static int u16(byte[] d, int at) {
        return Short.toUnsignedInt((short) SHORT_BE.get(d, at));
    }

    private static long u32(byte[] d, int at) {
        return Integer.toUnsignedLong((int) INT_BE.get(d, at));
    }

    /** A C-string tolerant text value: trailing NULs (sent by some C agents) are dropped. */
    private static String text(byte[] d, int at, int len) {
        int end = at + len;
        while (end > at && d[end - 1] == 0) {
            end--;
        }
        return new String(d, at, end - at, StandardCharsets.UTF_8).replace('\0', '\uFFFD');
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

    private static String ascii(byte[] d, int at, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            int c = d[at + i] & 0xff;
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
