package io.hepstack.proto.sip;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link SipParser}: any bytes give a {@link SipMessage} whose every
 * accessor returns without throwing and without NUL in Strings, or a {@link SipParseException}.
 *
 * <p>{@code ./mvnw verify} runs this in Jazzer's regression mode: once per seed in
 * {@code src/test/resources/io/hepstack/proto/sip/SipParserFuzzTestInputs/parsesOrRejectsAnyBytes/}
 * (crashes found while fuzzing are written there too, and then stay as regression inputs).
 * A fuzzing run: see docs/sip-parser.md.
 */
class SipParserFuzzTest {

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
            if (!inside.callId().equals(m.callId()) || inside.bodyLength() != m.bodyLength()) {
                throw new AssertionError("different result at offset 1");
            }
        } catch (SipParseException e) {
            throw new AssertionError("rejected at offset 1 only", e);
        }
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
