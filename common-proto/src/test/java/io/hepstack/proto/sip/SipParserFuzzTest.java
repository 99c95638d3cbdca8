package io.hepstack.proto.sip;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Coverage-guided fuzzing of {@link SipParser}: any bytes give a {@link SipMessage} whose every
 * accessor returns without throwing and without NUL in Strings, or a {@link SipParseException}; the
 * storage fast path reads what the records read; and a message damaged at its end (no empty line, a
 * binary trailer, cut inside a header line) keeps the fields of its complete header lines.
 *
 * <p>{@code ./mvnw verify} runs this in Jazzer's regression mode: once per seed in
 * {@code src/test/resources/io/hepstack/proto/sip/SipParserFuzzTestInputs/parsesOrRejectsAnyBytes/}
 * (crashes found while fuzzing are written there too, and then stay as regression inputs).
 * A fuzzing run: see docs/sip-parser.md.
 */
class SipParserFuzzTest {

    /** {ff fe 00} " x" CRLF: a line that is neither UTF-8 nor a header line. */
    private static final byte[] BINARY_TRAILER = {(byte) 0xff, (byte) 0xfe, 0, ' ', 'x', '\r', '\n'};

    @FuzzTest(maxDuration = "5m")
    @DictionaryFile(resourcePath = "/fuzz/sip.dict")
    void parsesOrRejectsAnyBytes(byte[] input) {
        SipMessage m;
        try {
            m = SipParser.parse(input);
        } catch (SipParseException e) {
            if (e.reason() == null || e.getMessage() == null) {
                throw new AssertionError("rejection without reason or message", e);
            }
            return;
        }
        touchEverything(m, input.length);
        storageFastPathAgrees(input);

        // The same bytes framed inside a larger buffer give the same answer.
        byte[] padded = new byte[input.length + 2];
        System.arraycopy(input, 0, padded, 1, input.length);
        try {
            SipMessage inside = SipParser.parse(padded, 1, input.length);
            if (!inside.callId().equals(m.callId()) || inside.bodyLength() != m.bodyLength()
                    || !Objects.equals(summary(inside), summary(m))) {
                throw new AssertionError("different result at offset 1");
            }
        } catch (SipParseException e) {
            throw new AssertionError("rejected at offset 1 only", e);
        }
        if (m.damage() == null) {
            damagedCopiesKeepTheCompleteHeaders(input, m);
        }
    }

    /**
     * The message damaged at its end in the ways captures damage it: without its empty line, with a
     * binary trailer in its place, cut inside a header line. Each keeps every complete header line
     * with the same fields, through the records and the storage fast path alike.
     */
    private static void damagedCopiesKeepTheCompleteHeaders(byte[] input, SipMessage m) {
        int bo = m.bodyOffset();
        int headerEnd = bo - (input[bo - 1] == '\n' && input[bo - 2] == '\r' ? 2 : 1);
        List<String> fields = storageFields(m);

        byte[] unterminated = Arrays.copyOf(input, headerEnd);
        expectDamage(unterminated, SipParseError.TRUNCATED, fields);
        byte[] trailer = Arrays.copyOf(input, headerEnd + BINARY_TRAILER.length);
        System.arraycopy(BINARY_TRAILER, 0, trailer, headerEnd, BINARY_TRAILER.length);
        expectDamage(trailer, SipParseError.BAD_HEADER, fields);

        // Cut inside each header line (up to 64): in its middle and just before its line end. The start line
        // may follow empty lines, which the parser skips (RFC 3261 7.5): the header lines begin after it.
        int startLine = 0;
        while (startLine < headerEnd && (input[startLine] == '\r' || input[startLine] == '\n')) {
            startLine++;
        }
        int lineStart = SipText.indexOfLf(input, startLine, headerEnd) + 1;
        for (int line = 0; line < 64 && lineStart > 0 && lineStart < headerEnd; line++) {
            int lf = SipText.indexOfLf(input, lineStart, headerEnd);
            if (lf < 0) {
                break;
            }
            int lineEnd = input[lf - 1] == '\r' ? lf - 1 : lf;
            cut(input, lineStart, lineStart + (lineEnd - lineStart + 1) / 2, m);
            cut(input, lineStart, lineEnd, m);
            lineStart = lf + 1;
        }
    }

    /** {@code input[0, at)}, cut inside the line starting at {@code lineStart}: a prefix of {@code m}'s headers. */
    private static void cut(byte[] input, int lineStart, int at, SipMessage m) {
        if (at <= lineStart || input[at - 1] == '\r') {
            return; // not inside the line, or a CR there would end it
        }
        byte[] cut = Arrays.copyOf(input, at);
        SipMessage d;
        try {
            d = SipParser.parse(cut);
        } catch (SipParseException e) {
            if (e.reason() != SipParseError.TRUNCATED) {
                throw new AssertionError("cut inside a header line, rejected as " + e.summary(), e);
            }
            return; // the Call-ID or CSeq was not complete yet
        }
        if (d.damage() == null || d.damage().reason() != SipParseError.TRUNCATED) {
            throw new AssertionError("cut inside a header line, damage " + summary(d));
        }
        List<String> names = d.headerNames();
        List<String> all = m.headerNames();
        if (names.size() > all.size() || !names.equals(all.subList(0, names.size()))) {
            throw new AssertionError("cut message has headers " + names + " (expected: a prefix of " + all + ")");
        }
        if (!d.callId().equals(m.callId()) || !d.cseq().equals(m.cseq()) || !Objects.equals(d.method(), m.method())
                || d.statusCode() != m.statusCode() || d.bodyLength() != 0) {
            throw new AssertionError("cut message reads " + storageFields(d) + " (expected: " + storageFields(m) + ")");
        }
        touchEverything(d, cut.length);
        storageFastPathAgrees(cut);
    }

    private static void expectDamage(byte[] damaged, SipParseError reason, List<String> fields) {
        SipMessage d;
        try {
            d = SipParser.parse(damaged);
        } catch (SipParseException e) {
            throw new AssertionError("damaged copy rejected: " + e.summary(), e);
        }
        if (d.damage() == null || d.damage().reason() != reason) {
            throw new AssertionError("damaged copy has damage " + summary(d) + " (expected: " + reason + ")");
        }
        if (!storageFields(d).equals(fields)) {
            throw new AssertionError("damaged copy reads " + storageFields(d) + " (expected: " + fields + ")");
        }
        touchEverything(d, damaged.length);
        storageFastPathAgrees(damaged);
    }

    /** What the stored row takes from a message, through the storage fast path, and its header names. */
    private static List<String> storageFields(SipMessage m) {
        return Arrays.asList(m.method(), String.valueOf(m.statusCode()), m.callId(), String.valueOf(m.cseq()),
                m.fromUser(), m.fromTag(), m.toUser(), m.toTag(), m.requestUriUser(), m.viaBranch(), m.userAgent(),
                m.server(), String.valueOf(m.headerNames()));
    }

    private static String summary(SipMessage m) {
        return m.damage() == null ? null : m.damage().summary();
    }

    private static void touchEverything(SipMessage m, int length) {
        if (m.callId() == null || m.callId().isEmpty() || m.cseq() == null || m.cseq().number() < 0) {
            throw new AssertionError("accepted without Call-ID or CSeq");
        }
        if (m.isRequest() == (m.method() == null) || m.isRequest() == (m.statusCode() != 0)) {
            throw new AssertionError("start line fields disagree");
        }
        if (m.bodyOffset() < m.offset() || m.bodyLength() < 0
                || m.bodyOffset() + m.bodyLength() > m.offset() + length) {
            throw new AssertionError("body outside the message");
        }
        text(m.method());
        text(m.reasonPhrase());
        text(m.callId());
        text(m.cseq().method());
        uri(m.requestUri());
        nameAddress(m.from());
        nameAddress(m.to());
        nameAddress(m.contact());
        nameAddress(m.pAssertedIdentity());
        nameAddress(m.diversion());
        Via via = m.via();
        if (via != null) {
            text(via.transport());
            text(via.host());
            text(via.branch());
        }
        text(m.userAgent());
        text(m.server());
        text(m.authorizationUser());
        text(m.contentType());
        m.contentLength();
        text(m.reason());
        m.expires();
        m.maxForwards();
        if (m.bodyBytes().length != m.bodyLength()) {
            throw new AssertionError("bodyBytes length");
        }
        Sdp sdp = m.sdp();
        if (sdp != null) {
            text(sdp.connectionAddress());
            for (SdpMedia media : sdp.media()) {
                text(media.type());
                text(media.protocol());
                text(media.connectionAddress());
                media.codecs().forEach(SipParserFuzzTest::text);
            }
        }
        List<String> names = m.headerNames();
        for (String name : names) {
            text(name);
            text(m.header(name));
            m.headers(name).forEach(SipParserFuzzTest::text);
        }
        m.header("X-CID");
        HeaderExtractor.parse("P-Charging-Vector:icid-value=([^;\\s]+)").extract(m);
        text(m.toString());
    }

    private static void nameAddress(NameAddress a) {
        if (a != null) {
            text(a.displayName());
            text(a.tag());
            uri(a.uri());
        }
    }

    private static void uri(SipUri u) {
        if (u != null) {
            text(u.scheme());
            text(u.user());
            text(u.host());
            text(u.raw());
            if (u.port() < -1 || u.port() > 65535) {
                throw new AssertionError("port " + u.port());
            }
        }
    }

    private static void text(String s) {
        if (s != null && s.indexOf('\0') >= 0) {
            throw new AssertionError("NUL in " + s);
        }
    }

    /** The byte-scanning storage accessors give what the records give (on a fresh parse: no shared cache). */
    private static void storageFastPathAgrees(byte[] input) {
        try {
            SipStorageFastPathTest.assertAgrees(input);
        } catch (SipParseException e) {
            throw new AssertionError("parsed once, rejected the second time", e);
        }
    }
}
