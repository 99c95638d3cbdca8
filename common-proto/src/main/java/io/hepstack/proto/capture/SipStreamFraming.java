package io.hepstack.proto.capture;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Cuts SIP messages out of a TCP byte stream by their Content-Length (RFC 3261 §18.3). */
final class SipStreamFraming {

    /** Largest header section looked at before giving up on the stream. */
    static final int MAX_HEADER = 64 * 1024;

    private SipStreamFraming() {
    }

    /**
     * The length of the complete message at the reader index (leading CRLF keep-alives are skipped),
     * 0 when more bytes are needed, -1 when the stream is not SIP a framer can follow.
     */
    static int messageLength(ByteBuf in) {
        while (in.readableBytes() >= 2 && in.getByte(in.readerIndex()) == '\r' && in.getByte(in.readerIndex() + 1) == '\n') {
            in.skipBytes(2);
        }
        int start = in.readerIndex();
        int avail = in.readableBytes();
        int end = -1;
        for (int i = start; i + 3 < start + avail; i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r' && in.getByte(i + 3) == '\n') {
                end = i + 4;
                break;
            }
        }
        if (end < 0) {
            return avail > MAX_HEADER ? -1 : 0;
        }
        String headers = in.toString(start, end - start, StandardCharsets.ISO_8859_1);
        int body = -1;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                if (name.equals("content-length") || name.equals("l")) {
                    try {
                        body = Integer.parseInt(line.substring(colon + 1).trim());
                    } catch (NumberFormatException e) {
                        return -1;
                    }
                }
            }
        }
        if (body < 0) {
            return -1; // a stream transport requires Content-Length
        }
        int total = end - start + body;
        return total <= avail ? total : 0;
    }
}
