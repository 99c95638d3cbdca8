package io.hepstack.proto.hep;

import io.netty.buffer.ByteBuf;

import static io.hepstack.proto.hep.HepRejectReason.*;

/**
 * Cuts a TCP or TLS byte stream into HEP packets, back to back. One instance per connection; it keeps
 * no bytes itself: the caller accumulates input (Netty's cumulation) and calls {@link #nextFrame}
 * until it returns {@code null}.
 *
 * <p>HEPv3 frames are cut by their total length field. HEPv1/v2 carry no total length, so their frame
 * is the fixed header followed by one SIP message, cut at the end of its headers plus its
 * Content-Length (absent: no body). A corrupt frame throws: the stream cannot be resynchronised
 * reliably, so the caller closes that connection.
 */
public final class HepStreamFramer {

    private static final int MAX_SIP_HEADER_LOOKAHEAD = 0xFFFF;

    private final int maxFrameLength;

    /**
     * @param maxFrameLength largest frame accepted, at most 65,535 for HEPv3 by its length field;
     *                       also the cap on a HEPv1/v2 frame
     */
    public HepStreamFramer(int maxFrameLength) {
        if (maxFrameLength < HepDecoder.V1_IPV6_HEADER + HepDecoder.V2_TIME_HEADER || maxFrameLength > 1 << 24) {
            throw new IllegalArgumentException("maxFrameLength out of range: " + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
    }

    /**
     * Returns the next complete frame as a retained slice of {@code in} (the caller releases it) and
     * advances the reader index past it, or returns {@code null} without moving when more bytes are
     * needed.
     *
     * @throws HepDecodeException when the stream is corrupt at the reader index
     */
    public ByteBuf nextFrame(ByteBuf in) throws HepDecodeException {
        int length = frameLength(in);
        return length < 0 ? null : in.readRetainedSlice(length);
    }

    /** The length of the frame at the reader index, or -1 when more bytes are needed. */
    int frameLength(ByteBuf in) throws HepDecodeException {
        int avail = in.readableBytes();
        if (avail < 1) {
            return -1;
        }
        int start = in.readerIndex();
        int first = in.getUnsignedByte(start);
        if (first == 'H') {
            return v3Length(in, start, avail);
        }
        if (first == 1 || first == 2) {
            return v1v2Length(in, start, avail, first);
        }
        throw new HepDecodeException(UNKNOWN_VERSION,
                "stream byte 0x" + HepDecoder.hex2(first) + " (expected: 0x01, 0x02 or \"HEP3\")");
    }

    private int v3Length(ByteBuf in, int start, int avail) throws HepDecodeException {
        for (int i = 1; i < Math.min(4, avail); i++) {
            if (in.getUnsignedByte(start + i) != "HEP3".charAt(i)) {
                throw new HepDecodeException(UNKNOWN_VERSION, "stream magic byte " + i + " is 0x"
                        + HepDecoder.hex2(in.getUnsignedByte(start + i)) + " (expected: \"HEP3\")");
            }
        }
        if (avail < HepDecoder.V3_HEADER) {
            return -1;
        }
        int total = in.getUnsignedShort(start + 4);
        if (total < HepDecoder.V3_HEADER) {
            throw new HepDecodeException(LENGTH_MISMATCH, "total length " + total + " (expected: at least 6)");
        }
        if (total > maxFrameLength) {
            throw new HepDecodeException(FRAME_TOO_LARGE,
                    "total length " + total + " exceeds the maximum frame length " + maxFrameLength);
        }
        return avail < total ? -1 : total;
    }

    private int v1v2Length(ByteBuf in, int start, int avail, int version) throws HepDecodeException {
        if (avail < 4) {
            return -1;
        }
        int headerLength = in.getUnsignedByte(start + 1);
        int family = in.getUnsignedByte(start + 2);
        int minHeader = family == 2 ? HepDecoder.V1_IPV4_HEADER : family == 10 ? HepDecoder.V1_IPV6_HEADER : -1;
        if (minHeader < 0) {
            throw new HepDecodeException(BAD_IP_FAMILY, "HEPv" + version + " IP family " + family + " (expected: 2 or 10)");
        }
        if (headerLength < minHeader) {
            throw new HepDecodeException(BAD_HEADER_LENGTH,
                    "HEPv" + version + " header length " + headerLength + " (expected: " + minHeader + ")");
        }
        int sipStart = headerLength + (version == 2 ? HepDecoder.V2_TIME_HEADER : 0);
        int limit = Math.min(avail, Math.min(maxFrameLength, sipStart + MAX_SIP_HEADER_LOOKAHEAD));
        int headersEnd = endOfHeaders(in, start + sipStart, start + limit);
        if (headersEnd < 0) {
            if (avail >= maxFrameLength) {
                throw new HepDecodeException(FRAME_TOO_LARGE, "HEPv" + version
                        + " SIP headers do not end within " + maxFrameLength + " bytes");
            }
            return -1;
        }
        long frame = (long) (headersEnd - start) + contentLength(in, start + sipStart, headersEnd);
        if (frame > maxFrameLength) {
            throw new HepDecodeException(FRAME_TOO_LARGE,
                    "HEPv" + version + " frame of " + frame + " bytes exceeds " + maxFrameLength);
        }
        return avail < frame ? -1 : (int) frame;
    }

    /** Index just past the blank line ending the SIP headers (CRLFCRLF or LFLF), or -1. */
    private static int endOfHeaders(ByteBuf in, int from, int to) {
        for (int i = from; i < to; i++) {
            if (in.getByte(i) != '\n') {
                continue;
            }
            if (i + 1 < to && in.getByte(i + 1) == '\n') {
                return i + 2;
            }
            if (i + 2 < to && in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    /** The value of Content-Length (or compact {@code l}) between {@code from} and {@code to}; 0 if absent. */
    private static long contentLength(ByteBuf in, int from, int to) throws HepDecodeException {
        int line = from;
        while (line < to) {
            int eol = in.indexOf(line, to, (byte) '\n');
            int end = eol < 0 ? to : eol;
            int colon = in.indexOf(line, end, (byte) ':');
            if (colon > line && isContentLength(in, line, colon)) {
                long v = 0;
                boolean digits = false;
                for (int i = colon + 1; i < end; i++) {
                    byte b = in.getByte(i);
                    if (b >= '0' && b <= '9') {
                        v = v * 10 + (b - '0');
                        digits = true;
                        if (v > Integer.MAX_VALUE) {
                            break;
                        }
                    } else if (b != ' ' && b != '\t' && b != '\r') {
                        break;
                    }
                }
                if (!digits) {
                    throw new HepDecodeException(BAD_HEADER_LENGTH, "HEPv1/v2 SIP Content-Length is not a number");
                }
                return v;
            }
            line = end + 1;
        }
        return 0;
    }

    private static boolean isContentLength(ByteBuf in, int from, int colon) {
        int end = colon;
        while (end > from && (in.getByte(end - 1) == ' ' || in.getByte(end - 1) == '\t')) {
            end--;
        }
        int len = end - from;
        if (len == 1) {
            return (in.getByte(from) | 0x20) == 'l';
        }
        String name = "content-length";
        if (len != name.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if ((in.getByte(from + i) | 0x20) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
