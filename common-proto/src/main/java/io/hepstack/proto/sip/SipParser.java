package io.hepstack.proto.sip;

import static io.hepstack.proto.sip.SipText.excerpt;
import static io.hepstack.proto.sip.SipText.isDigit;
import static io.hepstack.proto.sip.SipText.isLws;
import static io.hepstack.proto.sip.SipText.isToken;
import static io.hepstack.proto.sip.SipText.isWs;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Frames SIP messages (RFC 3261 §7) over the caller's bytes, without copying them.
 *
 * <p>{@link #parse} does one pass: it checks the start line, indexes every header line (name and
 * value offsets, continuation lines joined to their header, compact forms resolved), finds the
 * body, and parses the two headers every message must have: Call-ID (present, non-empty) and CSeq.
 * Everything else is parsed on first access by the returned {@link SipMessage}.
 *
 * <p>Tolerated: CRLF, LF or mixed line endings; CRLF keep-alives before the start line; folded
 * header lines; whitespace around the colon; any case in header names; a missing Content-Length;
 * NUL and non-UTF-8 bytes in values and body. Damage at the end (the input ends inside a header line
 * or without the empty line, a line that is not a header line) ends the header block: the complete
 * header lines before it are kept and {@link SipMessage#damage()} says what happened, unless the
 * start line, Call-ID or CSeq is missing. Any input gives a {@link SipMessage} or a {@link
 * SipParseException}, in time linear in its length.
 */
public final class SipParser {
    /** Header lines accepted in one message; more is {@link SipParseError#TOO_MANY_HEADERS}. */
    public static final int MAX_HEADERS = 256;

    /** Largest CSeq number accepted: RFC 3261 §8.1.1.5 wants it below 2^31; 32-bit senders are tolerated. */
    static final long MAX_CSEQ = 0xFFFF_FFFFL;

    private static final byte[] SIP_2_0 = "sip/2.0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIP_SLASH = "sip/".getBytes(StandardCharsets.US_ASCII);

    private static final String[] METHODS = {
        "INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "PRACK", "SUBSCRIBE", "NOTIFY",
        "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE"
    };
    private static final byte[][] METHOD_BYTES = new byte[METHODS.length][];

    static {
        for (int i = 0; i < METHODS.length; i++) {
            METHOD_BYTES[i] = METHODS[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    private SipParser() {
    }

    /** Parses a whole array as one SIP message. */
    public static SipMessage parse(byte[] buf) throws SipParseException {
        return parse(buf, 0, buf.length);
    }

    /**
     * Parses {@code buf[offset, offset + length)} as one SIP message. The message keeps a reference
     * to {@code buf}.
     *
     * @throws SipParseException        when the bytes are not an acceptable SIP message
     * @throws IndexOutOfBoundsException when offset and length do not lie within {@code buf} (a
     *                                   caller bug, never a property of the bytes)
     */
    public static SipMessage parse(byte[] buf, int offset, int length) throws SipParseException {
        Objects.checkFromIndexSize(offset, length, buf.length);
        return frame(buf, offset, length);
    }

    private static FramedSipMessage frame(byte[] buf, int offset, int length) throws SipParseException {
        int end = offset + length;
        int p = offset;
        while (p < end && (buf[p] == '\r' || buf[p] == '\n')) {
            p++;
        }
        if (p == end) {
            throw new SipParseException(SipParseError.EMPTY,
                    length == 0 ? "empty input" : "only CRLF keep-alive bytes (" + length + ")", -1);
        }
        FramedSipMessage m = new FramedSipMessage(buf, offset, length);
        int p0 = p;
        long scan = SipText.scanLine(buf, p, end);
        int lf = (int) scan;
        m.startLinePlain = (scan & SipText.NOT_PLAIN) == 0;
        int lineEnd = lf < 0 ? end : lf;
        if (lineEnd > p && buf[lineEnd - 1] == '\r') {
            lineEnd--;
        }
        startLine(m, buf, p, lineEnd, offset);
        if (lf < 0) {
            throw new SipParseException(SipParseError.TRUNCATED,
                    "line 1: message ends inside the start line (offset " + length + ")", length);
        }
        p = lf + 1;
        int line = 2;
        int bodyStart = end;
        boolean closed = false;
        // Damage that ended the header block early: a line cut by the end of the input, or a line
        // that is not a header line. Lines before it are kept; a Call-ID or CSeq it may have hidden
        // makes it the rejection.
        SipParseException stop = null;
        while (p < end) {
            scan = SipText.scanLine(buf, p, end);
            lf = (int) scan;
            boolean plain = (scan & SipText.NOT_PLAIN) == 0;
            int next = lf < 0 ? end : lf + 1;
            int ce = lf < 0 ? end : lf;
            if (ce > p && buf[ce - 1] == '\r') {
                ce--;
            }
            if (ce == p) {
                closed = true;
                bodyStart = next;
                break;
            }
            if (ce == end) {
                stop = cutLine(m, buf, p, end, line, offset);
                break;
            }
            try {
                if (isWs(buf[p])) {
                    continuation(m, buf, p, ce, plain, line, offset);
                } else {
                    header(m, buf, p, ce, plain, line, offset);
                }
            } catch (SipParseException e) {
                if (e.reason() != SipParseError.BAD_HEADER) {
                    throw e;
                }
                stop = e;
                break;
            }
            p = next;
            line++;
        }

        int callId = m.first(HeaderNames.CALL_ID);
        if (callId < 0) {
            if (stop != null) {
                throw stop;
            }
            throw new SipParseException(SipParseError.MISSING_CALL_ID, "no Call-ID header", -1);
        }
        if (m.valueStart(callId) == m.valueEnd(callId)) {
            throw new SipParseException(SipParseError.MISSING_CALL_ID,
                    "line " + lineOf(buf, p0, m.nameStart(callId)) + ": Call-ID is empty (offset " + (m.valueStart(callId) - offset) + ")",
                    m.valueStart(callId) - offset);
        }
        int cseq = m.first(HeaderNames.CSEQ);
        if (cseq < 0) {
            if (stop != null) {
                throw stop;
            }
            throw new SipParseException(SipParseError.MISSING_CSEQ, "no CSeq header", -1);
        }
        m.cseq = cseq(buf, m.valueStart(cseq), m.valueEnd(cseq), p0, m.nameStart(cseq), offset);
        if (stop != null || !closed) {
            m.damage = stop != null ? stop : new SipParseException(SipParseError.TRUNCATED, "line " + line
                    + ": message ends before the empty line after the headers (offset " + length + ")", length);
        }

        int available = end - bodyStart;
        int contentLength = -1;
        int cl = m.first(HeaderNames.CONTENT_LENGTH);
        if (cl >= 0) {
            contentLength = contentLength(buf, m.valueStart(cl), m.valueEnd(cl));
        }
        m.bodyOffset = bodyStart;
        m.bodyLength = contentLength >= 0 && contentLength <= available ? contentLength : available;
        return m;
    }

    // ---- start line (RFC 3261 §7.1, §7.2) ----

    private static void startLine(FramedSipMessage m, byte[] buf, int from, int to, int base)
            throws SipParseException {
        if (startsWithLower(buf, from, to, SIP_SLASH)) {
            statusLine(m, buf, from, to, base);
        } else {
            requestLine(m, buf, from, to, base);
        }
    }

    private static void statusLine(FramedSipMessage m, byte[] buf, int from, int to, int base)
            throws SipParseException {
        int versionEnd = skipNonWs(buf, from, to);
        if (versionEnd - from != SIP_2_0.length || !SipText.equalsLowerAscii(buf, from, SIP_2_0)) {
            throw new SipParseException(SipParseError.NOT_SIP, "line 1: version \"" + excerpt(buf, from, versionEnd)
                    + "\" is not SIP/2.0 (offset " + (from - base) + ")", from - base);
        }
        int code = skipWs(buf, versionEnd, to);
        int codeEnd = skipNonWs(buf, code, to);
        if (code == codeEnd) {
            throw new SipParseException(SipParseError.BAD_START_LINE,
                    "line 1: status line has no status code (offset " + (code - base) + ")", code - base);
        }
        if (codeEnd - code != 3 || !isDigit(buf[code]) || !isDigit(buf[code + 1]) || !isDigit(buf[code + 2])) {
            throw new SipParseException(SipParseError.BAD_START_LINE, "line 1: status code \"" + excerpt(buf, code, codeEnd)
                    + "\" is not 3 digits (offset " + (code - base) + ")", code - base);
        }
        int status = (buf[code] - '0') * 100 + (buf[code + 1] - '0') * 10 + (buf[code + 2] - '0');
        if (status < 100 || status > 699) {
            throw new SipParseException(SipParseError.BAD_START_LINE, "line 1: status code " + status
                    + " is not in 100-699 (offset " + (code - base) + ")", code - base);
        }
        int reason = skipWs(buf, codeEnd, to);
        int reasonEnd = to;
        while (reasonEnd > reason && isWs(buf[reasonEnd - 1])) {
            reasonEnd--;
        }
        m.request = false;
        m.statusCode = status;
        m.reasonStart = reason;
        m.reasonEnd = reasonEnd;
    }

    private static void requestLine(FramedSipMessage m, byte[] buf, int from, int to, int base)
            throws SipParseException {
        int lastEnd = to;
        while (lastEnd > from && isWs(buf[lastEnd - 1])) {
            lastEnd--;
        }
        int lastStart = lastEnd;
        while (lastStart > from && !isWs(buf[lastStart - 1])) {
            lastStart--;
        }
        if (lastEnd - lastStart != SIP_2_0.length || !SipText.equalsLowerAscii(buf, lastStart, SIP_2_0)) {
            throw new SipParseException(SipParseError.NOT_SIP, "line 1: \"" + excerpt(buf, from, to)
                    + "\" is neither \"METHOD SP URI SP SIP/2.0\" nor \"SIP/2.0 SP CODE SP REASON\" (offset "
                    + (from - base) + ")", from - base);
        }
        int methodEnd = skipNonWs(buf, from, lastStart);
        for (int i = from; i < methodEnd; i++) {
            if (!isToken(buf[i])) {
                throw new SipParseException(SipParseError.BAD_START_LINE, "line 1: method \"" + excerpt(buf, from, methodEnd)
                        + "\" is not a token (offset " + (i - base) + ")", i - base);
            }
        }
        if (methodEnd == from) {
            throw new SipParseException(SipParseError.BAD_START_LINE,
                    "line 1: request line starts with whitespace (offset " + (from - base) + ")", from - base);
        }
        int uri = skipWs(buf, methodEnd, lastStart);
        if (uri == lastStart) {
            throw new SipParseException(SipParseError.BAD_START_LINE,
                    "line 1: request line has no Request-URI (offset " + (uri - base) + ")", uri - base);
        }
        int uriEnd = skipNonWs(buf, uri, lastStart);
        int rest = skipWs(buf, uriEnd, lastStart);
        if (rest != lastStart) {
            throw new SipParseException(SipParseError.BAD_START_LINE,
                    "line 1: request line has more than 3 words (offset " + (rest - base) + ")", rest - base);
        }
        m.request = true;
        m.method = method(buf, from, methodEnd);
        m.uriStart = uri;
        m.uriEnd = uriEnd;
    }

    // ---- header lines (RFC 3261 §7.3) ----

    private static void header(FramedSipMessage m, byte[] buf, int from, int to, boolean plain, int line, int base)
            throws SipParseException {
        int colon = SipText.indexOfColonOrWs(buf, from, to);
        if (colon < 0 || buf[colon] != ':') {
            colon = colonAfterSpace(buf, from, to, line, base);
        }
        int nameEnd = colon;
        while (nameEnd > from && isWs(buf[nameEnd - 1])) {
            nameEnd--;
        }
        if (nameEnd == from || m.count == MAX_HEADERS) {
            throw headerError(nameEnd == from, from, line, base);
        }
        int valueStart = skipWs(buf, colon + 1, to);
        int valueEnd = to;
        while (valueEnd > valueStart && isWs(buf[valueEnd - 1])) {
            valueEnd--;
        }
        m.addHeader(from, nameEnd, valueStart, valueEnd, HeaderNames.kindOf(buf, from, nameEnd), plain);
    }

    // The error paths of header() live apart so that header() stays small enough for the JIT to
    // inline into the framing loop, which runs it for every line.

    /**
     * The colon of a header line whose name is followed by whitespace, or that has none: allowed
     * before the colon ("Name : value"), refused inside the name or when there is no colon.
     */
    private static int colonAfterSpace(byte[] buf, int from, int to, int line, int base) throws SipParseException {
        int colon = SipText.indexOf(buf, from, to, (byte) ':');
        if (colon < 0) {
            throw new SipParseException(SipParseError.BAD_HEADER, "line " + line + ": header line \""
                    + excerpt(buf, from, to) + "\" has no colon (offset " + (from - base) + ")", from - base);
        }
        int nameEnd = colon;
        while (nameEnd > from && isWs(buf[nameEnd - 1])) {
            nameEnd--;
        }
        for (int i = from; i < nameEnd; i++) {
            if (isWs(buf[i])) {
                throw new SipParseException(SipParseError.BAD_HEADER, "line " + line + ": header name \""
                        + excerpt(buf, from, nameEnd) + "\" contains whitespace (offset " + (i - base) + ")", i - base);
            }
        }
        return colon;
    }

    /** The error for a header line with an empty name, else for one header line too many. */
    private static SipParseException headerError(boolean emptyName, int from, int line, int base) {
        if (emptyName) {
            return new SipParseException(SipParseError.BAD_HEADER,
                    "line " + line + ": header name is empty (offset " + (from - base) + ")", from - base);
        }
        return new SipParseException(SipParseError.TOO_MANY_HEADERS, "line " + line + ": more than "
                + MAX_HEADERS + " header lines (offset " + (from - base) + ")", from - base);
    }

    /**
     * The damage of a line that the end of the input cuts (no LF, no CR): the header it starts or
     * continues may go on beyond the cut, so it is not indexed (a header it continues is removed).
     * A continuation line before any header stays {@link SipParseError#BAD_HEADER}.
     */
    private static SipParseException cutLine(FramedSipMessage m, byte[] buf, int from, int to, int line, int base) {
        if (isWs(buf[from])) {
            if (m.count == 0) {
                return new SipParseException(SipParseError.BAD_HEADER, "line " + line
                        + ": continuation line before any header (offset " + (from - base) + ")", from - base);
            }
            String name = m.dropLast();
            return new SipParseException(SipParseError.TRUNCATED, "line " + line + ": message ends inside a continuation"
                    + " line of header \"" + name + "\" (offset " + (from - base) + ")", from - base);
        }
        int colon = SipText.indexOf(buf, from, to, (byte) ':');
        if (colon < 0) {
            return new SipParseException(SipParseError.TRUNCATED, "line " + line + ": message ends inside header name \""
                    + excerpt(buf, from, to) + "\" (offset " + (from - base) + ")", from - base);
        }
        int nameEnd = colon;
        while (nameEnd > from && isWs(buf[nameEnd - 1])) {
            nameEnd--;
        }
        return new SipParseException(SipParseError.TRUNCATED, "line " + line + ": message ends inside header \""
                + excerpt(buf, from, nameEnd) + "\" (offset " + (from - base) + ")", from - base);
    }

    /** A line starting with SP or HTAB continues the previous header's value (RFC 3261 §7.3.1). */
    private static void continuation(FramedSipMessage m, byte[] buf, int from, int to, boolean plain, int line,
            int base) throws SipParseException {
        if (m.count == 0) {
            throw new SipParseException(SipParseError.BAD_HEADER, "line " + line
                    + ": continuation line before any header (offset " + (from - base) + ")", from - base);
        }
        int start = skipWs(buf, from, to);
        int end = to;
        while (end > start && isWs(buf[end - 1])) {
            end--;
        }
        if (end > start) {
            m.continueLast(start, end, plain);
        }
    }

    // ---- values the framing needs ----

    /**
     * Parses the CSeq value {@code buf[from, to)}; {@code startLine} and {@code nameStart} locate the
     * header for the line number of an error.
     */
    private static CSeq cseq(byte[] buf, int from, int to, int startLine, int nameStart, int base)
            throws SipParseException {
        int i = from;
        long number = 0;
        while (i < to && isDigit(buf[i])) {
            number = number * 10 + (buf[i] - '0');
            if (number > MAX_CSEQ) {
                throw new SipParseException(SipParseError.BAD_CSEQ, "line " + lineOf(buf, startLine, nameStart) + ": CSeq number \""
                        + excerpt(buf, from, skipDigits(buf, i, to)) + "\" is above " + MAX_CSEQ
                        + " (offset " + (from - base) + ")", from - base);
            }
            i++;
        }
        if (i == from) {
            throw new SipParseException(SipParseError.BAD_CSEQ, "line " + lineOf(buf, startLine, nameStart) + ": CSeq \"" + excerpt(buf, from, to)
                    + "\" does not start with a number (offset " + (from - base) + ")", from - base);
        }
        int gap = i;
        while (i < to && isLws(buf[i])) {
            i++;
        }
        int methodStart = i;
        while (i < to && isToken(buf[i])) {
            i++;
        }
        if (i == methodStart || gap == methodStart) {
            throw new SipParseException(SipParseError.BAD_CSEQ, "line " + lineOf(buf, startLine, nameStart) + ": CSeq \"" + excerpt(buf, from, to)
                    + "\" is not NUMBER SP METHOD (offset " + (gap - base) + ")", gap - base);
        }
        int methodEnd = i;
        while (i < to && isLws(buf[i])) {
            i++;
        }
        if (i != to) {
            throw new SipParseException(SipParseError.BAD_CSEQ, "line " + lineOf(buf, startLine, nameStart) + ": CSeq \"" + excerpt(buf, from, to)
                    + "\" has text after the method (offset " + (i - base) + ")", i - base);
        }
        return new CSeq(number, method(buf, methodStart, methodEnd));
    }

    /** Content-Length as a number of at most 9 digits with optional LWS around, else -1. */
    static int contentLength(byte[] buf, int from, int to) {
        int i = from;
        while (i < to && isLws(buf[i])) {
            i++;
        }
        int digits = i;
        int value = 0;
        while (i < to && isDigit(buf[i])) {
            if (i - digits == 9) {
                return -1;
            }
            value = value * 10 + (buf[i] - '0');
            i++;
        }
        if (i == digits) {
            return -1;
        }
        while (i < to && isLws(buf[i])) {
            i++;
        }
        return i == to ? value : -1;
    }

    /** A method token as a String; the RFC 3261 and common extension methods are shared constants. */
    static String method(byte[] buf, int from, int to) {
        int len = to - from;
        for (int k = 0; k < METHOD_BYTES.length; k++) {
            byte[] candidate = METHOD_BYTES[k];
            if (candidate.length == len && java.util.Arrays.equals(buf, from, to, candidate, 0, len)) {
                return METHODS[k];
            }
        }
        return SipText.decode(buf, from, to);
    }

    /** The line number (the start line is 1) of the line holding {@code at}: error messages only. */
    private static int lineOf(byte[] buf, int startLine, int at) {
        int line = 1;
        for (int i = SipText.indexOfLf(buf, startLine, at); i >= 0; i = SipText.indexOfLf(buf, i + 1, at)) {
            line++;
        }
        return line;
    }

    // ---- scanning ----

    private static boolean startsWithLower(byte[] buf, int from, int to, byte[] lower) {
        return to - from >= lower.length && SipText.equalsLowerAscii(buf, from, lower);
    }

    private static int skipWs(byte[] buf, int from, int to) {
        int i = from;
        while (i < to && isWs(buf[i])) {
            i++;
        }
        return i;
    }

    private static int skipNonWs(byte[] buf, int from, int to) {
        int i = from;
        while (i < to && !isWs(buf[i])) {
            i++;
        }
        return i;
    }

    private static int skipDigits(byte[] buf, int from, int to) {
        int i = from;
        while (i < to && isDigit(buf[i])) {
            i++;
        }
        return i;
    }
}
