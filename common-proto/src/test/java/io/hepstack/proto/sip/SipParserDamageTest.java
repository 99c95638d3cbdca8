package io.hepstack.proto.sip;

import static io.hepstack.proto.sip.SipParserToleranceTest.concat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SIP damaged at its end (cut captures, payloads cut by their agent, binary trailers): each row with
 * the damage expected (or none) and the fields of the complete header lines, read through the records
 * ({@code from().uri().user()}, ...) and through the storage fast path ({@code fromUser()}, ...).
 */
class SipParserDamageTest {

    /** Lines 1-5, 166 bytes: start line, Via, Call-ID, CSeq, From. */
    private static final String HEAD = """
            INVITE sip:bob@example.com SIP/2.0
            Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK77
            Call-ID: abc@host
            CSeq: 7 INVITE
            From: "Alice" <sip:alice@example.com>;tag=a1
            """;
    /** Line 6, 34 bytes: offsets 166-199. */
    private static final String TO = "To: <sip:bob@example.com>;tag=b2\n";

    private static final List<String> WITH_TO = List.of("Via", "Call-ID", "CSeq", "From", "To");
    private static final List<String> WITHOUT_TO = List.of("Via", "Call-ID", "CSeq", "From");
    /** {ff fe 00 01} " x" CRLF "y": no UTF-8, no colon. */
    private static final byte[] BINARY_TRAILER = {(byte) 0xff, (byte) 0xfe, 0, 1, ' ', 'x', '\r', '\n', 'y'};
    private static final byte[] NON_UTF8 = {(byte) 0xff, (byte) 0xfe, 0, 'b'};

    static Stream<Arguments> damagedAtTheEnd() {
        return Stream.of(
                row("a header block ended by the end of the datagram", wire(HEAD + TO),
                        SipParseError.TRUNCATED, "line 7: message ends before the empty line after the headers (offset 200)",
                        WITH_TO),
                row("a header block not terminated: a binary trailer instead of the empty line",
                        concat(wire(HEAD + TO), BINARY_TRAILER),
                        SipParseError.BAD_HEADER, "line 7: header line \"???? x\" has no colon (offset 200)", WITH_TO),
                row("a header block not terminated: a line without colon, then more headers",
                        wire(HEAD + "this is no header\n" + TO + "\n"),
                        SipParseError.BAD_HEADER, "line 6: header line \"this is no header\" has no colon (offset 166)",
                        WITHOUT_TO),
                row("trailing non-UTF-8 bytes as the body", concat(wire(HEAD + TO + "\n"), NON_UTF8),
                        null, null, WITH_TO),
                row("trailing non-UTF-8 bytes after the body Content-Length announces",
                        concat(wire(HEAD + TO + "Content-Length: 2\n\nok"), NON_UTF8),
                        null, null, List.of("Via", "Call-ID", "CSeq", "From", "To", "Content-Length")),
                row("a header line cut in the middle of its value", wire(HEAD + "To: <sip:bob@exa"),
                        SipParseError.TRUNCATED, "line 6: message ends inside header \"To\" (offset 166)", WITHOUT_TO),
                row("a header line cut in its name", wire(HEAD + TO + "Content-Le"),
                        SipParseError.TRUNCATED, "line 7: message ends inside header name \"Content-Le\" (offset 200)",
                        WITH_TO),
                row("a header line cut in its continuation line", wire(HEAD + "To: <sip:bob@example.com>\n ;tag=b"),
                        SipParseError.TRUNCATED,
                        "line 7: message ends inside a continuation line of header \"To\" (offset 193)", WITHOUT_TO),
                row("a header line cut in the middle of non-UTF-8 bytes",
                        concat(wire(HEAD + "To: <sip:b"), new byte[] {(byte) 0xc3}),
                        SipParseError.TRUNCATED, "line 6: message ends inside header \"To\" (offset 166)", WITHOUT_TO),
                row("the last line end cut after its CR", Arrays.copyOf(wire(HEAD + TO), 199),
                        SipParseError.TRUNCATED, "line 7: message ends before the empty line after the headers (offset 199)",
                        WITH_TO),
                row("the empty line cut after its CR", concat(wire(HEAD + TO), new byte[] {'\r'}),
                        null, null, WITH_TO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedAtTheEnd")
    void keepsEveryCompleteHeaderOfAMessageDamagedAtItsEnd(String what, byte[] input, SipParseError reason,
            String message, List<String> headerNames) throws SipParseException {
        assertDamage(SipParser.parse(input), input, 0, reason, message, headerNames);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedAtTheEnd")
    void keepsTheSameHeadersInsideALargerBuffer(String what, byte[] input, SipParseError reason, String message,
            List<String> headerNames) throws SipParseException {
        byte[] padded = new byte[input.length + 20];
        Arrays.fill(padded, (byte) 'Z');
        System.arraycopy(input, 0, padded, 10, input.length);
        assertDamage(SipParser.parse(padded, 10, input.length), input, 10, reason, message, headerNames);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedAtTheEnd")
    void readsTheSameFieldsThroughTheRecordsAndTheStorageFastPath(String what, byte[] input, SipParseError reason,
            String message, List<String> headerNames) throws SipParseException {
        boolean to = headerNames.contains("To");
        List<String> expected = Arrays.asList("alice", "a1", to ? "bob" : null, to ? "b2" : null, "bob", "z9hG4bK77");

        SipMessage records = SipParser.parse(input);
        assertThat(Arrays.asList(records.from().uri().user(), records.from().tag(),
                records.to() == null ? null : records.to().uri().user(), records.to() == null ? null : records.to().tag(),
                records.requestUri().user(), records.via().branch()))
                .as("record path").isEqualTo(expected);
        SipMessage fast = SipParser.parse(input);
        assertThat(Arrays.asList(fast.fromUser(), fast.fromTag(), fast.toUser(), fast.toTag(), fast.requestUriUser(),
                fast.viaBranch()))
                .as("storage fast path").isEqualTo(expected);
        SipStorageFastPathTest.assertAgrees(input);
    }

    private static void assertDamage(SipMessage m, byte[] input, int at, SipParseError reason, String message,
            List<String> headerNames) {
        assertThat(m.method()).isEqualTo("INVITE");
        assertThat(m.callId()).isEqualTo("abc@host");
        assertThat(m.cseq()).isEqualTo(new CSeq(7, "INVITE"));
        assertThat(m.headerNames()).isEqualTo(headerNames);
        if (reason == null) {
            assertThat(m.damage()).isNull();
            return;
        }
        assertThat(m.damage().reason()).isEqualTo(reason);
        assertThat(m.damage().getMessage()).isEqualTo(message);
        assertThat(m.damage().summary()).isEqualTo(reason.name() + ": " + message);
        assertThat(m.damage().getStackTrace()).isEmpty();
        assertThat(m.bodyOffset()).as("no body after damage").isEqualTo(at + input.length);
        assertThat(m.bodyLength()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedAtTheEnd")
    void keepsTheBodyBytesExactlyAfterTheEmptyLine(String what, byte[] input, SipParseError reason, String message,
            List<String> headerNames) throws SipParseException {
        SipMessage m = SipParser.parse(input);
        if (reason != null) {
            assertThat(m.bodyBytes()).isEmpty();
            return;
        }
        byte[] expected = headerNames.contains("Content-Length") ? "ok".getBytes(StandardCharsets.US_ASCII)
                : input[input.length - 1] == '\r' ? new byte[0] : NON_UTF8;
        assertThat(m.bodyBytes()).containsExactly(expected);
    }

    /** Written with {@code \n}, sent with CRLF; ISO-8859-1 so that a char is a byte. */
    private static byte[] wire(String text) {
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Arguments row(String what, byte[] input, SipParseError reason, String message, List<String> headerNames) {
        return Arguments.of(what, input, reason, message, headerNames);
    }
}
