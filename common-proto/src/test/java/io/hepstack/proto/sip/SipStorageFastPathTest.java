package io.hepstack.proto.sip;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage fast path (fromUser, fromTag, toUser, toTag, requestUriUser), which scans bytes, gives
 * exactly what the records give, on every fixture message and on values chosen to trip a scanner.
 */
class SipStorageFastPathTest {

    static Stream<byte[]> capturePayloads() {
        Stream<byte[]> hep = Pcap.udp("/fixtures/kamailio-siptrace/hep.pcap").stream()
                .map(d -> Pcap.hep3Payload(d.payload()));
        Stream<byte[]> files = Stream.of("invite-sdp", "invite-xcid", "100-trying", "180-ringing", "200-invite-sdp",
                "486-busy", "ack", "bye", "register", "options").map(n -> SipFixtures.resource(n + ".sip"));
        return Stream.concat(hep, files);
    }

    @ParameterizedTest
    @MethodSource("capturePayloads")
    void agreesWithTheRecordsOnEveryCapturedMessage(byte[] sip) throws SipParseException {
        assertAgrees(sip);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<sip:alice@example.com>;tag=abc",
            "\"Alice <boss>\" <sip:alice@example.com>;tag=a1",
            "\"Quote \\\" inside\" <sip:q@h>;tag=t",
            "sip:bob@example.com;tag=xyz",
            "sip:bob@example.com",
            "<SIP:Carol@example.com:5060;transport=tcp>;TAG=Up",
            "<sips:dave:secret@example.com>;tag=s",
            "<tel:+4930123;phone-context=x>;tag=t1",
            "tel:+4930123",
            "<sip:example.com>;tag=nouser",
            "<sip:+49;npdi@h>;tag=p",
            "*",
            "<*>",
            "",
            "   ",
            "<mailto:x@y>;tag=m",
            "<sip:u@[2001:db8::1]:5060>;tag=v6",
            "<sip:u@h>;tag=\"quoted tag\"",
            "<sip:u@h>;tag",
            "<sip:u@h> ; tag = spaced ; x=y",
            "<sip:u@h;tag=inside-uri>",
            "Alice <sip:a@h>;x=\"semi;colon\";tag=after-quote",
            "<sip:u@h",
            "sip:;tag=@weird",
            "1x:foo@bar;tag=t",
            "<sip:us\u00e9r@h>;tag=nonascii",
    })
    void agreesWithTheRecordsOnTrickyNameAddresses(String value) throws SipParseException {
        String uri = value.replace("<", "").replace(">", "").split(";")[0].trim();
        String ruri = uri.isEmpty() || uri.contains(" ") ? "sip:x@y" : uri;
        assertAgrees(("INVITE " + ruri + " SIP/2.0\r\nFrom: " + value + "\r\nTo: " + value
                + "\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1",
            "SIP/2.0/UDP 10.0.0.1:5060;rport;BRANCH=z9hG4bK2;received=1.2.3.4",
            "SIP / 2.0 / tcp host ; branch = z9hG4bK3",
            "SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK4",
            "SIP/2.0/UDP [2001:db8::1;branch=unclosed",
            "SIP/2.0/UDP h;branch=\"quoted\"",
            "SIP/2.0/UDP h:99999;branch=bigport",
            "SIP/2.0/UDP a;branch=first, SIP/2.0/TCP b;branch=second",
            ", SIP/2.0/UDP late;branch=afterblank",
            "SIP/2.0/UDP (comment, with comma);branch=c",
            "SIP/2.0/UDP h",
            "SIP/2.0 broken;branch=x",
            "garbage",
            "SIP/2.0/UDP h;maddr=\"a;b\";branch=q",
            "SIP/2.0/UDP h:5060 ;branch=sp",
    })
    void agreesWithTheRecordsOnTrickyVias(String via) throws SipParseException {
        assertAgrees(("OPTIONS sip:a@b SIP/2.0\r\nVia: " + via + "\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"From: <sip:a@h>;\r\n tag=folded", "f: sip:compact@h;tag=c", "From: <sip:a@h>;tag=x\u0000y"})
    void agreesWithTheRecordsOnFoldedCompactAndNulValues(String from) throws SipParseException {
        assertAgrees(("SIP/2.0 200 OK\r\n" + from + "\r\nTo: <sip:b@h>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    static void assertAgrees(byte[] sip) throws SipParseException {
        SipMessage fast = SipParser.parse(sip);
        SipMessage slow = SipParser.parse(sip);
        List<String> viaRecords = List.of(
                String.valueOf(slow.from() == null || slow.from().uri() == null ? null : slow.from().uri().user()),
                String.valueOf(slow.from() == null ? null : slow.from().tag()),
                String.valueOf(slow.to() == null || slow.to().uri() == null ? null : slow.to().uri().user()),
                String.valueOf(slow.to() == null ? null : slow.to().tag()),
                String.valueOf(slow.requestUri() == null ? null : slow.requestUri().user()),
                String.valueOf(slow.via() == null ? null : slow.via().branch()));
        List<String> viaBytes = List.of(String.valueOf(fast.fromUser()), String.valueOf(fast.fromTag()),
                String.valueOf(fast.toUser()), String.valueOf(fast.toTag()), String.valueOf(fast.requestUriUser()),
                String.valueOf(fast.viaBranch()));
        assertThat(viaBytes).as(new String(sip, StandardCharsets.UTF_8)).isEqualTo(viaRecords);
    }
}
