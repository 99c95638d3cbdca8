package io.hepstack.proto.sip;

import static io.hepstack.proto.sip.SipFixtures.crlf;
import static io.hepstack.proto.sip.SipParserToleranceTest.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed input, each with the exact rejection reason and what the message must say. Damage after
 * the Call-ID and CSeq lines is accepted: see {@link SipParserDamageTest}.
 */
class SipParserRejectionTest {

    private static final String HEADERS = "Call-ID: abc@host\nCSeq: 1 INVITE\n";

    static Stream<Arguments> malformed() {
        return Stream.of(
                row("empty input", new byte[0],
                        SipParseError.EMPTY, "empty input"),
                row("only CRLF keep-alives", crlf("\n\n"),
                        SipParseError.EMPTY, "only CRLF keep-alive bytes (4)"),
                row("binary garbage", garbage(),
                        SipParseError.NOT_SIP, "is neither \"METHOD SP URI SP SIP/2.0\""),
                row("an HTTP response", crlf("HTTP/1.1 200 OK\nContent-Length: 0\n\n"),
                        SipParseError.NOT_SIP, "line 1: \"HTTP/1.1 200 OK\" is neither"),
                row("another SIP version", crlf("SIP/3.0 200 OK\n" + HEADERS + "\n"),
                        SipParseError.NOT_SIP, "line 1: version \"SIP/3.0\" is not SIP/2.0 (offset 0)"),
                row("a request line missing the version", crlf("INVITE sip:bob@example.com\n" + HEADERS + "\n"),
                        SipParseError.NOT_SIP, "line 1: \"INVITE sip:bob@example.com\" is neither"),
                row("a status code with a letter", crlf("SIP/2.0 2x0 OK\n" + HEADERS + "\n"),
                        SipParseError.BAD_START_LINE, "line 1: status code \"2x0\" is not 3 digits (offset 8)"),
                row("a 4-digit status code", crlf("SIP/2.0 2000 OK\n" + HEADERS + "\n"),
                        SipParseError.BAD_START_LINE, "line 1: status code \"2000\" is not 3 digits (offset 8)"),
                row("a status code out of range", crlf("SIP/2.0 700 Odd\n" + HEADERS + "\n"),
                        SipParseError.BAD_START_LINE, "line 1: status code 700 is not in 100-699 (offset 8)"),
                row("a status line without code", crlf("SIP/2.0\n" + HEADERS + "\n"),
                        SipParseError.BAD_START_LINE, "line 1: status line has no status code (offset 7)"),
                row("a request line missing the URI", crlf("INVITE SIP/2.0\n" + HEADERS + "\n"),
                        SipParseError.BAD_START_LINE, "line 1: request line has no Request-URI (offset 7)"),
                row("a method that is not a token", crlf("INV(ITE sip:bob@example.com SIP/2.0\n" + HEADERS + "\n"),
                        SipParseError.BAD_START_LINE, "line 1: method \"INV(ITE\" is not a token (offset 3)"),
                row("a URI with a blank", crlf("INVITE sip:bob @example.com SIP/2.0\n" + HEADERS + "\n"),
                        SipParseError.BAD_START_LINE, "line 1: request line has more than 3 words (offset 15)"),
                row("a start line cut before its end", crlf("INVITE sip:bob@example.com SIP/2.0"),
                        SipParseError.TRUNCATED, "line 1: message ends inside the start line (offset 34)"),
                row("a message cut inside a header name before its CSeq", crlf("INVITE sip:b@h SIP/2.0\nCall-ID: abc@host\nCSe"),
                        SipParseError.TRUNCATED, "line 3: message ends inside header name \"CSe\" (offset 43)"),
                row("a message cut inside its Call-ID", crlf("INVITE sip:b@h SIP/2.0\nCSeq: 1 INVITE\nCall-ID: abc@ho"),
                        SipParseError.TRUNCATED, "line 3: message ends inside header \"Call-ID\" (offset 40)"),
                row("a message cut inside its CSeq", crlf("INVITE sip:b@h SIP/2.0\nCall-ID: abc@host\nCSeq: 1 INV"),
                        SipParseError.TRUNCATED, "line 3: message ends inside header \"CSeq\" (offset 43)"),
                row("a message cut inside a continuation line of its CSeq",
                        crlf("INVITE sip:b@h SIP/2.0\nCall-ID: abc@host\nCSeq: 1\n INV"),
                        SipParseError.TRUNCATED, "line 4: message ends inside a continuation line of header \"CSeq\" (offset 52)"),
                row("a message cut inside a header line before its Call-ID",
                        crlf("INVITE sip:b@h SIP/2.0\nCSeq: 1 INVITE\nFrom: <sip:a"),
                        SipParseError.TRUNCATED, "line 3: message ends inside header \"From\" (offset 40)"),
                row("a binary trailer before the CSeq", concat(crlf("INVITE sip:b@h SIP/2.0\nCall-ID: abc@host\n"),
                        new byte[] {(byte) 0xff, (byte) 0xfe, 0, ' ', 'x', '\r', '\n'}, crlf("CSeq: 1 INVITE\n\n")),
                        SipParseError.BAD_HEADER, "line 3: header line \"??? x\" has no colon (offset 43)"),
                row("a header without colon", crlf("INVITE sip:b@h SIP/2.0\nCall-ID abc@host\nCSeq: 1 INVITE\n\n"),
                        SipParseError.BAD_HEADER, "line 2: header line \"Call-ID abc@host\" has no colon (offset 24)"),
                row("a header name with a blank", crlf("INVITE sip:b@h SIP/2.0\nCall ID: abc@host\nCSeq: 1 INVITE\n\n"),
                        SipParseError.BAD_HEADER, "line 2: header name \"Call ID\" contains whitespace (offset 28)"),
                row("an empty header name", crlf("INVITE sip:b@h SIP/2.0\n: abc\n" + HEADERS + "\n"),
                        SipParseError.BAD_HEADER, "line 2: header name is empty (offset 24)"),
                row("a continuation line before any header", crlf("INVITE sip:b@h SIP/2.0\n folded\n" + HEADERS + "\n"),
                        SipParseError.BAD_HEADER, "line 2: continuation line before any header (offset 24)"),
                row("too many headers", tooManyHeaders(),
                        SipParseError.TOO_MANY_HEADERS, "line 258: more than 256 header lines"),
                row("no Call-ID", crlf("INVITE sip:b@h SIP/2.0\nCSeq: 1 INVITE\n\n"),
                        SipParseError.MISSING_CALL_ID, "no Call-ID header"),
                row("an empty Call-ID", crlf("INVITE sip:b@h SIP/2.0\nCall-ID:  \nCSeq: 1 INVITE\n\n"),
                        SipParseError.MISSING_CALL_ID, "line 2: Call-ID is empty"),
                row("no CSeq", crlf("INVITE sip:b@h SIP/2.0\nCall-ID: abc@host\n\n"),
                        SipParseError.MISSING_CSEQ, "no CSeq header"),
                row("a CSeq without number", crlf("INVITE sip:b@h SIP/2.0\nCall-ID: abc@host\nCSeq: abc INVITE\n\n"),
                        SipParseError.BAD_CSEQ, "line 3: CSeq \"abc INVITE\" does not start with a number (offset 49)"),
                row("a CSeq number beyond 64 bits",
                        crlf("INVITE sip:b@h SIP/2.0\nCall-ID: abc@host\nCSeq: 99999999999999999999 INVITE\n\n"),
                        SipParseError.BAD_CSEQ, "line 3: CSeq number \"99999999999999999999\" is above 4294967295"),
                row("a CSeq number of 2^32", crlf("INVITE sip:b@h SIP/2.0\nCall-ID: abc@host\nCSeq: 4294967296 INVITE\n\n"),
                        SipParseError.BAD_CSEQ, "CSeq number \"4294967296\" is above 4294967295"),
                row("a CSeq without method", crlf("INVITE sip:b@h SIP/2.0\nCall-ID: abc@host\nCSeq: 1\n\n"),
                        SipParseError.BAD_CSEQ, "line 3: CSeq \"1\" is not NUMBER SP METHOD"),
                row("a CSeq number glued to its method", crlf("INVITE sip:b@h SIP/2.0\nCall-ID: abc@host\nCSeq: 1INVITE\n\n"),
                        SipParseError.BAD_CSEQ, "CSeq \"1INVITE\" is not NUMBER SP METHOD"),
                row("a CSeq with text after the method",
                        crlf("INVITE sip:b@h SIP/2.0\nCall-ID: abc@host\nCSeq: 1 INVITE now\n\n"),
                        SipParseError.BAD_CSEQ, "CSeq \"1 INVITE now\" has text after the method"));
    }

    @ParameterizedTest(name = "{0} is {2}")
    @MethodSource("malformed")
    void rejectsMalformedInputWithItsReason(String what, byte[] input, SipParseError reason, String message) {
        assertThatThrownBy(() -> SipParser.parse(input))
                .isInstanceOfSatisfying(SipParseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).contains(message);
                    assertThat(e.getStackTrace()).isEmpty();
                });
    }

    @ParameterizedTest(name = "{0} is {2}")
    @MethodSource("malformed")
    void rejectsTheSameBytesInsideALargerBuffer(String what, byte[] input, SipParseError reason, String message) {
        byte[] padded = new byte[input.length + 20];
        java.util.Arrays.fill(padded, (byte) 'Z');
        System.arraycopy(input, 0, padded, 10, input.length);
        assertThatThrownBy(() -> SipParser.parse(padded, 10, input.length))
                .isInstanceOfSatisfying(SipParseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    private static Arguments row(String what, byte[] input, SipParseError reason, String message) {
        return Arguments.of(what, input, reason, message);
    }

    private static byte[] garbage() {
        byte[] bytes = new byte[300];
        long x = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < bytes.length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            bytes[i] = (byte) x;
        }
        return bytes;
    }

    private static byte[] tooManyHeaders() {
        StringBuilder sb = new StringBuilder("INVITE sip:b@h SIP/2.0\n").append(HEADERS);
        for (int i = 0; i < SipParser.MAX_HEADERS; i++) {
            sb.append("X-H").append(i).append(": ").append(i).append('\n');
        }
        return sb.append('\n').toString().replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
