package io.hepstack.proto.sip;

import static io.hepstack.proto.sip.SipFixtures.crlf;
import static io.hepstack.proto.sip.SipFixtures.parse;
import static io.hepstack.proto.sip.SipFixtures.raw;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What real traffic does that RFC 3261 frowns on, and the parser accepts. */
class SipParserToleranceTest {

    static Stream<Arguments> tolerated() {
        return Stream.of(
                Arguments.of("LF-only line ends", raw("""
                        INVITE sip:bob@example.com SIP/2.0
                        Call-ID: abc@host
                        CSeq: 7 INVITE

                        """)),
                Arguments.of("mixed line ends", raw("INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: abc@host\n"
                        + "CSeq: 7 INVITE\r\n\n")),
                Arguments.of("compact headers", crlf("""
                        INVITE sip:bob@example.com SIP/2.0
                        i: abc@host
                        CSeq: 7 INVITE
                        f: <sip:alice@example.com>;tag=1
                        t: <sip:bob@example.com>
                        v: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKx
                        l: 0

                        """)),
                Arguments.of("folded headers", crlf("""
                        INVITE sip:bob@example.com SIP/2.0
                        Call-ID:
                         abc@host
                        CSeq: 7
                        \tINVITE

                        """)),
                Arguments.of("no body and no blank line", crlf("""
                        INVITE sip:bob@example.com SIP/2.0
                        Call-ID: abc@host
                        CSeq: 7 INVITE
                        """)),
                Arguments.of("the last line end cut after its CR", raw("INVITE sip:bob@example.com SIP/2.0\r\n"
                        + "CSeq: 7 INVITE\r\nCall-ID: abc@host\r")),
                Arguments.of("CRLF keep-alives before the start line", crlf("""


                        INVITE sip:bob@example.com SIP/2.0
                        Call-ID: abc@host
                        CSeq: 7 INVITE

                        """)),
                Arguments.of("whitespace around the colon and any name case", crlf("""
                        INVITE sip:bob@example.com SIP/2.0
                        CALL-id \t:  abc@host \t
                        cseq:7 INVITE

                        """)),
                Arguments.of("NUL and non-UTF-8 bytes in a header value", concat(
                        crlf("INVITE sip:bob@example.com SIP/2.0\nCall-ID: abc@host\nCSeq: 7 INVITE\nSubject: a"),
                        new byte[] {0, (byte) 0xff, (byte) 0xc3, 0},
                        crlf("z\n\n"))),
                Arguments.of("NUL and non-UTF-8 bytes in the body", concat(
                        crlf("INVITE sip:bob@example.com SIP/2.0\nCall-ID: abc@host\nCSeq: 7 INVITE\nContent-Length: 4\n\n"),
                        new byte[] {0, (byte) 0xff, (byte) 0xfe, 0})),
                Arguments.of("a tel: Request-URI", crlf("""
                        INVITE tel:+4930123456;phone-context=example.com SIP/2.0
                        Call-ID: abc@host
                        CSeq: 7 INVITE

                        """)),
                Arguments.of("an IPv6 Via host", crlf("""
                        INVITE sip:bob@[2001:db8::1]:5062 SIP/2.0
                        Via: SIP/2.0/TCP [2001:db8::9]:5060;branch=z9hG4bK6
                        Call-ID: abc@host
                        CSeq: 7 INVITE

                        """)),
                Arguments.of("lower-case version", crlf("""
                        INVITE sip:bob@example.com sip/2.0
                        Call-ID: abc@host
                        CSeq: 7 INVITE

                        """)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tolerated")
    void acceptsWhatRealTrafficDoes(String what, byte[] input) throws Exception {
        SipMessage m = parse(input);

        assertThat(m.callId()).isEqualTo("abc@host");
        assertThat(m.cseq()).isEqualTo(new CSeq(7, "INVITE"));
        assertThat(m.method()).isEqualTo("INVITE");
    }

    @Test
    void parsesCompactHeaders() throws Exception {
        SipMessage m = parse(crlf("""
                INVITE sip:bob@example.com SIP/2.0
                i: abc@host
                CSeq: 7 INVITE
                f: "A" <sip:alice@example.com>;tag=1
                t: <sip:bob@example.com>
                v: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bKx
                m: <sip:alice@10.0.0.1:5070>
                c: application/sdp
                l: 0
                k: timer
                s: hello
                o: presence
                r: <sip:carol@example.com>
                b: <sip:alice@example.com>
                u: talk, hold
                x: 1800
                y: abc
                a: *;audio
                j: *;video
                d: proxy

                """));

        assertThat(m.callId()).isEqualTo("abc@host");
        assertThat(m.from().tag()).isEqualTo("1");
        assertThat(m.to().uri().user()).isEqualTo("bob");
        assertThat(m.via()).isEqualTo(new Via("UDP", "10.0.0.1", 5070, "z9hG4bKx"));
        assertThat(m.contact().uri().port()).isEqualTo(5070);
        assertThat(m.contentType()).isEqualTo("application/sdp");
        assertThat(m.contentLength()).isZero();
        assertThat(m.header("Call-ID")).isEqualTo("abc@host");
        assertThat(m.header("Supported")).isEqualTo("timer");
        assertThat(m.header("Subject")).isEqualTo("hello");
        assertThat(m.header("Event")).isEqualTo("presence");
        assertThat(m.header("Refer-To")).isEqualTo("<sip:carol@example.com>");
        assertThat(m.header("Referred-By")).isEqualTo("<sip:alice@example.com>");
        assertThat(m.headers("Allow-Events")).containsExactly("talk", "hold");
        assertThat(m.header("Session-Expires")).isEqualTo("1800");
        assertThat(m.header("Identity")).isEqualTo("abc");
        assertThat(m.header("Accept-Contact")).isEqualTo("*;audio");
        assertThat(m.header("Reject-Contact")).isEqualTo("*;video");
        assertThat(m.header("Request-Disposition")).isEqualTo("proxy");
        assertThat(m.header("v")).startsWith("SIP/2.0/UDP");
        assertThat(m.header("I")).isEqualTo("abc@host");
    }

    @Test
    void unfoldsContinuationLinesToOneSpace() throws Exception {
        SipMessage m = parse(crlf("""
                INVITE sip:bob@example.com SIP/2.0
                Call-ID: abc@host
                CSeq: 7 INVITE
                Subject: I know you're there,\s\s
                   pick up the phone
                \tand talk to me!
                Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1,
                 SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2
                X-Empty:
                 late value

                """));

        assertThat(m.header("Subject")).isEqualTo("I know you're there, pick up the phone and talk to me!");
        assertThat(m.headers("Via")).containsExactly("SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1",
                "SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2");
        assertThat(m.header("X-Empty")).isEqualTo("late value");
        assertThat(m.headerNames()).containsExactly("Call-ID", "CSeq", "Subject", "Via", "X-Empty");
    }

    @Test
    void foldsInsideCSeqAndContentLengthToo() throws Exception {
        SipMessage m = parse(crlf("""
                SIP/2.0 200 OK
                Call-ID: abc@host
                CSeq: 7
                 INVITE
                Content-Length:
                 2

                ab"""));

        assertThat(m.cseq()).isEqualTo(new CSeq(7, "INVITE"));
        assertThat(m.contentLength()).isEqualTo(2);
        assertThat(m.bodyLength()).isEqualTo(2);
    }

    @Test
    void hasNoBodyWithoutTheBlankLine() throws Exception {
        byte[] input = crlf("INVITE sip:bob@example.com SIP/2.0\nCall-ID: abc@host\nCSeq: 7 INVITE\n");
        SipMessage m = parse(input);

        assertThat(m.bodyOffset()).isEqualTo(input.length);
        assertThat(m.bodyLength()).isZero();
        assertThat(m.bodyBytes()).isEmpty();
        assertThat(m.damage().reason()).isEqualTo(SipParseError.TRUNCATED);
    }

    @Test
    void flagsNothingOnAWellFramedMessage() throws Exception {
        assertThat(parse(crlf("INVITE sip:bob@example.com SIP/2.0\nCall-ID: abc@host\nCSeq: 7 INVITE\n\n")).damage())
                .isNull();
        assertThat(parse(raw("INVITE sip:bob@example.com SIP/2.0\nCall-ID: abc@host\nCSeq: 7 INVITE\n\n")).damage())
                .isNull();
    }

    @Test
    void takesTheRestAsBodyWithoutContentLength() throws Exception {
        SipMessage m = parse(crlf("INVITE sip:bob@example.com SIP/2.0\nCall-ID: abc@host\nCSeq: 7 INVITE\n\nhello\n"));

        assertThat(m.contentLength()).isNull();
        assertThat(new String(m.bodyBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello\r\n");
    }

    @Test
    void cutsTheBodyAtContentLength() throws Exception {
        SipMessage m = parse(crlf("INVITE sip:bob@example.com SIP/2.0\nCall-ID: abc@host\nCSeq: 7 INVITE\n"
                + "Content-Length: 3\n\nhello"));

        assertThat(new String(m.bodyBytes(), StandardCharsets.US_ASCII)).isEqualTo("hel");
    }

    @Test
    void keepsWhatArrivedWhenContentLengthAnnouncesMore() throws Exception {
        SipMessage m = parse(crlf("INVITE sip:bob@example.com SIP/2.0\nCall-ID: abc@host\nCSeq: 7 INVITE\n"
                + "Content-Length: 500\n\nhello"));

        assertThat(m.contentLength()).isEqualTo(500);
        assertThat(m.bodyLength()).isEqualTo(5);
    }

    @Test
    void ignoresAContentLengthThatIsNotANumber() throws Exception {
        SipMessage m = parse(crlf("INVITE sip:bob@example.com SIP/2.0\nCall-ID: abc@host\nCSeq: 7 INVITE\n"
                + "Content-Length: -3\n\nhello"));

        assertThat(m.contentLength()).isNull();
        assertThat(m.bodyLength()).isEqualTo(5);
    }

    @Test
    void replacesNulAndMalformedUtf8InValues() throws Exception {
        SipMessage m = parse(concat(
                crlf("INVITE sip:bob@example.com SIP/2.0\nCall-ID: abc"),
                new byte[] {0},
                crlf("@host\nCSeq: 7 INVITE\nUser-Agent: caf"),
                new byte[] {(byte) 0xc3, (byte) 0xa9, ' ', (byte) 0xff, 0, 'x'},
                crlf("\n\n")));

        assertThat(m.callId()).isEqualTo("abc\uFFFD@host");
        assertThat(m.userAgent()).isEqualTo("café \uFFFD\uFFFDx");
        assertThat(m.headerNames()).noneMatch(n -> n.indexOf('\0') >= 0);
    }

    @Test
    void replacesNulInHeaderNamesAndTheReasonPhrase() throws Exception {
        SipMessage m = parse(concat(
                crlf("SIP/2.0 200 O"), new byte[] {0}, crlf("K\nCall-ID: a\nCSeq: 1 BYE\nX-"),
                new byte[] {0}, crlf(": 1\n\n")));

        assertThat(m.reasonPhrase()).isEqualTo("O\uFFFDK");
        assertThat(m.headerNames()).containsExactly("Call-ID", "CSeq", "X-\uFFFD");
    }

    @Test
    void keepsNulAndBinaryBytesOfTheBody() throws Exception {
        byte[] body = {0, (byte) 0xff, (byte) 0xfe, 0};
        SipMessage m = parse(concat(
                crlf("MESSAGE sip:bob@example.com SIP/2.0\nCall-ID: abc@host\nCSeq: 7 MESSAGE\n"
                        + "Content-Type: application/octet-stream\nContent-Length: 4\n\n"), body));

        assertThat(m.bodyBytes()).containsExactly(body);
        assertThat(m.sdp()).isNull();
    }

    @Test
    void parsesAMessageInsideALargerBufferWithoutCopying() throws Exception {
        byte[] message = SipFixtures.resource("invite-sdp.sip");
        byte[] buffer = concat(raw("HEP3-and-other-bytes"), message, raw("trailer"));
        SipMessage m = SipParser.parse(buffer, 20, message.length);

        assertThat(m.buffer()).isSameAs(buffer);
        assertThat(m.offset()).isEqualTo(20);
        assertThat(m.length()).isEqualTo(message.length);
        assertThat(m.bodyOffset()).isEqualTo(20 + message.length - 129);
        assertThat(m.sdp().media()).hasSize(1);
        assertThat(m.callId()).isEqualTo("1-10898@127.0.0.1");
    }

    @Test
    void acceptsReplyWithEmptyReasonPhrase() throws Exception {
        SipMessage m = parse(crlf("SIP/2.0 503\nCall-ID: a\nCSeq: 1 INVITE\n\n"));

        assertThat(m.statusCode()).isEqualTo(503);
        assertThat(m.reasonPhrase()).isEmpty();
    }

    @Test
    void acceptsTheLargestCSeqNumber() throws Exception {
        SipMessage m = parse(crlf("INVITE sip:b@h SIP/2.0\nCall-ID: a\nCSeq: 4294967295 INVITE\n\n"));

        assertThat(m.cseq()).isEqualTo(new CSeq(4294967295L, "INVITE"));
    }

    @Test
    void acceptsExactlyTheMaximumNumberOfHeaders() throws Exception {
        StringBuilder sb = new StringBuilder("INVITE sip:b@h SIP/2.0\nCall-ID: a\nCSeq: 1 INVITE\n");
        for (int i = 2; i < SipParser.MAX_HEADERS; i++) {
            sb.append("X-H: ").append(i).append('\n');
        }
        SipMessage m = parse(crlf(sb.append('\n').toString()));

        assertThat(m.headerNames()).hasSize(SipParser.MAX_HEADERS);
        assertThat(m.headers("x-h")).hasSize(SipParser.MAX_HEADERS - 2).startsWith("2", "3");
    }

    @Test
    void returnsNullForAbsentHeaders() throws Exception {
        SipMessage m = parse(crlf("OPTIONS sip:h SIP/2.0\nCall-ID: a\nCSeq: 1 OPTIONS\n\n"));

        assertThat(m.from()).isNull();
        assertThat(m.to()).isNull();
        assertThat(m.via()).isNull();
        assertThat(m.contact()).isNull();
        assertThat(m.userAgent()).isNull();
        assertThat(m.server()).isNull();
        assertThat(m.pAssertedIdentity()).isNull();
        assertThat(m.authorizationUser()).isNull();
        assertThat(m.contentType()).isNull();
        assertThat(m.contentLength()).isNull();
        assertThat(m.reason()).isNull();
        assertThat(m.expires()).isNull();
        assertThat(m.maxForwards()).isNull();
        assertThat(m.diversion()).isNull();
        assertThat(m.header("X-Nope")).isNull();
        assertThat(m.header(null)).isNull();
        assertThat(m.headers("X-Nope")).isEmpty();
        assertThat(m.headers(null)).isEmpty();
        assertThat(m.sdp()).isNull();
        assertThat(m.requestUri()).isEqualTo(new SipUri("sip", null, "h", -1, "sip:h"));
    }

    @Test
    void returnsNullForUnreadableValues() throws Exception {
        SipMessage m = parse(crlf("""
                INVITE foo SIP/2.0
                Call-ID: a
                CSeq: 1 INVITE
                From: "unterminated <sip:a@b>
                To: bob
                Via: garbage
                Expires: soon
                Max-Forwards: 99999999999
                Contact: *

                """));

        assertThat(m.requestUri()).isNull();
        assertThat(m.from().uri()).isNull();
        assertThat(m.to().uri()).isNull();
        assertThat(m.via()).isNull();
        assertThat(m.expires()).isNull();
        assertThat(m.maxForwards()).isNull();
        assertThat(m.contact()).isNull();
        assertThat(m.header("Contact")).isEqualTo("*");
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void listsHeaderNamesInOrderAsWritten() throws Exception {
        SipMessage m = parse(crlf("BYE sip:b@h SIP/2.0\nv: x\ncall-id: a\nCSEQ: 1 BYE\nVia: y\n\n"));

        assertThat(m.headerNames()).isEqualTo(List.of("v", "call-id", "CSEQ", "Via"));
        assertThat(m.headers("VIA")).containsExactly("x", "y");
    }
}
