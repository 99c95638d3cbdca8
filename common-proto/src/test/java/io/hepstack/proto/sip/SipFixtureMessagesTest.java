package io.hepstack.proto.sip;

import static io.hepstack.proto.sip.SipFixtures.parseResource;
import static io.hepstack.proto.sip.SipFixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Real messages from the Kamailio siptrace capture ({@code src/test/resources/sip/}), field by field. */
class SipFixtureMessagesTest {

    @Test
    void readsInviteWithSdp() throws Exception {
        SipMessage m = parseResource("invite-sdp.sip");

        assertThat(m.isRequest()).isTrue();
        assertThat(m.method()).isEqualTo("INVITE");
        assertThat(m.statusCode()).isZero();
        assertThat(m.reasonPhrase()).isNull();
        assertThat(m.requestUri()).isEqualTo(new SipUri("sip", "1000", "127.0.0.1", 5060, "sip:1000@127.0.0.1:5060"));
        assertThat(m.callId()).isEqualTo("1-10898@127.0.0.1");
        assertThat(m.cseq()).isEqualTo(new CSeq(1, "INVITE"));
        assertThat(m.from()).isEqualTo(new NameAddress("sipp",
                new SipUri("sip", "sipp", "127.0.0.1", 5080, "sip:sipp@127.0.0.1:5080"), "10898SIPpTag001"));
        assertThat(m.to()).isEqualTo(new NameAddress("1000",
                new SipUri("sip", "1000", "127.0.0.1", 5060, "sip:1000@127.0.0.1:5060"), null));
        assertThat(m.via()).isEqualTo(new Via("UDP", "127.0.0.1", 5080, "z9hG4bK-10898-1-0"));
        assertThat(m.contact().uri().user()).isEqualTo("sipp");
        assertThat(m.maxForwards()).isEqualTo(70);
        assertThat(m.header("Subject")).isEqualTo("Performance Test");
        assertThat(m.userAgent()).isNull();
        assertThat(m.contentType()).isEqualTo("application/sdp");
        assertThat(m.contentLength()).isEqualTo(129);
        assertThat(m.bodyLength()).isEqualTo(129);
        assertThat(m.bodyOffset() + m.bodyLength()).isEqualTo(resource("invite-sdp.sip").length);
        assertThat(m.sdp()).isEqualTo(new Sdp("127.0.0.1",
                List.of(new SdpMedia("audio", 6008, "RTP/AVP", List.of("PCMU/8000"), null))));
        assertThat(m.headerNames()).containsExactly("Via", "From", "To", "Call-ID", "CSeq", "Contact",
                "Max-Forwards", "Subject", "Content-Type", "Content-Length");
    }

    @Test
    void readsTryingFromTheProxy() throws Exception {
        SipMessage m = parseResource("100-trying.sip");

        assertThat(m.isRequest()).isFalse();
        assertThat(m.method()).isNull();
        assertThat(m.requestUri()).isNull();
        assertThat(m.statusCode()).isEqualTo(100);
        assertThat(m.reasonPhrase()).isEqualTo("trying -- your call is important to us");
        assertThat(m.callId()).isEqualTo("1-10898@127.0.0.1");
        assertThat(m.cseq()).isEqualTo(new CSeq(1, "INVITE"));
        assertThat(m.from().uri().user()).isEqualTo("sipp");
        assertThat(m.from().tag()).isEqualTo("10898SIPpTag001");
        assertThat(m.to().tag()).isNull();
        assertThat(m.via().branch()).isEqualTo("z9hG4bK-10898-1-0");
        assertThat(m.server()).isEqualTo("kamailio (5.6.3 (x86_64/linux))");
        assertThat(m.bodyLength()).isZero();
        assertThat(m.sdp()).isNull();
    }

    @Test
    void readsRingingWithTwoViasOnOneLine() throws Exception {
        SipMessage m = parseResource("180-ringing.sip");

        assertThat(m.statusCode()).isEqualTo(180);
        assertThat(m.reasonPhrase()).isEqualTo("Ringing");
        assertThat(m.to().uri().user()).isEqualTo("1000");
        assertThat(m.to().tag()).isEqualTo("10892SIPpTag011");
        assertThat(m.via()).isEqualTo(new Via("UDP", "127.0.0.1", -1,
                "z9hG4bK4ada.5e8bec945d8e3faab6dc176b80d76799.0"));
        assertThat(m.headers("Via")).containsExactly(
                "SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK4ada.5e8bec945d8e3faab6dc176b80d76799.0",
                "SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK-10898-1-0");
        assertThat(m.contact()).isEqualTo(new NameAddress(null,
                new SipUri("sip", null, "127.0.0.1", 5070, "sip:127.0.0.1:5070;transport=UDP"), null));
    }

    @Test
    void readsOkWithSdpAnswer() throws Exception {
        SipMessage m = parseResource("200-invite-sdp.sip");

        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.reasonPhrase()).isEqualTo("OK");
        assertThat(m.callId()).isEqualTo("1-10898@127.0.0.1");
        assertThat(m.cseq()).isEqualTo(new CSeq(1, "INVITE"));
        assertThat(m.from().tag()).isEqualTo("10898SIPpTag001");
        assertThat(m.to().tag()).isEqualTo("10892SIPpTag011");
        assertThat(m.via().branch()).isEqualTo("z9hG4bK4ada.5e8bec945d8e3faab6dc176b80d76799.0");
        assertThat(m.contentLength()).isEqualTo(129);
        assertThat(m.sdp().connectionAddress()).isEqualTo("127.0.0.1");
        assertThat(m.sdp().media()).containsExactly(new SdpMedia("audio", 6000, "RTP/AVP", List.of("PCMU/8000"), null));
    }

    @Test
    void readsAck() throws Exception {
        SipMessage m = parseResource("ack.sip");

        assertThat(m.method()).isEqualTo("ACK");
        assertThat(m.requestUri().user()).isEqualTo("1000");
        assertThat(m.callId()).isEqualTo("1-10898@127.0.0.1");
        assertThat(m.cseq()).isEqualTo(new CSeq(1, "ACK"));
        assertThat(m.from().tag()).isEqualTo("10898SIPpTag001");
        assertThat(m.to().tag()).isEqualTo("10892SIPpTag011");
        assertThat(m.via().branch()).isEqualTo("z9hG4bK-10898-1-5");
        assertThat(m.contact()).isEqualTo(new NameAddress(null,
                new SipUri("sip", "sipp", "127.0.0.1", 5080, "sip:sipp@127.0.0.1:5080"), null));
    }

    @Test
    void readsBye() throws Exception {
        SipMessage m = parseResource("bye.sip");

        assertThat(m.method()).isEqualTo("BYE");
        assertThat(m.requestUri().user()).isEqualTo("1000");
        assertThat(m.callId()).isEqualTo("1-10898@127.0.0.1");
        assertThat(m.cseq()).isEqualTo(new CSeq(2, "BYE"));
        assertThat(m.from().uri().user()).isEqualTo("sipp");
        assertThat(m.to().uri().user()).isEqualTo("1000");
        assertThat(m.via().branch()).isEqualTo("z9hG4bK-10898-1-7");
        assertThat(m.contentLength()).isZero();
    }

    @Test
    void readsBusyHereWithQuotedDisplayName() throws Exception {
        SipMessage m = parseResource("486-busy.sip");

        assertThat(m.statusCode()).isEqualTo(486);
        assertThat(m.reasonPhrase()).isEqualTo("Busy Here");
        assertThat(m.callId()).isEqualTo("busy-1-10899@127.0.0.1");
        assertThat(m.cseq()).isEqualTo(new CSeq(1, "INVITE"));
        assertThat(m.from()).isEqualTo(new NameAddress("Alice",
                new SipUri("sip", "alice1", "127.0.0.1", 5081, "sip:alice1@127.0.0.1:5081"), "10899SIPpTag001"));
        assertThat(m.to()).isEqualTo(new NameAddress(null,
                new SipUri("sip", "busy1", "127.0.0.1", 5060, "sip:busy1@127.0.0.1:5060"), "10894SIPpTag011"));
        assertThat(m.via().branch()).isEqualTo("z9hG4bK0d2c.2e62960f9d71ffc9d66e0c5c8c7f881b.0");
    }

    @Test
    void readsRegister() throws Exception {
        SipMessage m = parseResource("register.sip");

        assertThat(m.method()).isEqualTo("REGISTER");
        assertThat(m.requestUri()).isEqualTo(new SipUri("sip", null, "127.0.0.1", 5060, "sip:127.0.0.1:5060"));
        assertThat(m.callId()).isEqualTo("reg-1-10900@127.0.0.1");
        assertThat(m.cseq()).isEqualTo(new CSeq(1, "REGISTER"));
        assertThat(m.from().uri().user()).isEqualTo("user1");
        assertThat(m.from().tag()).isEqualTo("10900R1");
        assertThat(m.to().uri().user()).isEqualTo("user1");
        assertThat(m.via()).isEqualTo(new Via("UDP", "127.0.0.1", 5082, "z9hG4bK-10900-1-0"));
        assertThat(m.contact().uri()).isEqualTo(new SipUri("sip", "user1", "127.0.0.1", 5082, "sip:user1@127.0.0.1:5082"));
        assertThat(m.expires()).isEqualTo(3600);
        assertThat(m.userAgent()).isEqualTo("harness-reg");
    }

    @Test
    void readsOptionsKeepAlive() throws Exception {
        SipMessage m = parseResource("options.sip");

        assertThat(m.method()).isEqualTo("OPTIONS");
        assertThat(m.requestUri().user()).isNull();
        assertThat(m.callId()).isEqualTo("opt-1-10901@127.0.0.1");
        assertThat(m.cseq()).isEqualTo(new CSeq(1, "OPTIONS"));
        assertThat(m.from().uri().user()).isEqualTo("user1");
        assertThat(m.from().tag()).isEqualTo("10901O1");
        assertThat(m.to().uri()).isEqualTo(new SipUri("sip", null, "127.0.0.1", -1, "sip:127.0.0.1"));
        assertThat(m.via().branch()).isEqualTo("z9hG4bK-10901-1-0");
        assertThat(m.userAgent()).isEqualTo("harness-reg");
        assertThat(m.contact()).isNull();
    }

    @Test
    void extractsTheALegCallIdFromXCid() throws Exception {
        SipMessage m = parseResource("invite-xcid.sip");

        assertThat(m.method()).isEqualTo("INVITE");
        assertThat(m.requestUri().user()).isEqualTo("busy1");
        assertThat(m.callId()).isEqualTo("busy-1-10899@127.0.0.1");
        assertThat(m.from().displayName()).isEqualTo("Alice");
        assertThat(m.from().tag()).isEqualTo("10899SIPpTag001");
        assertThat(m.to().tag()).isNull();
        assertThat(m.via().branch()).isEqualTo("z9hG4bK-10899-1-0");
        assertThat(m.userAgent()).isEqualTo("harness-uac");
        assertThat(HeaderExtractor.parse("X-CID").extract(m)).isEqualTo("aleg-busy-1-10899@127.0.0.1");
        assertThat(HeaderExtractor.parse("x-cid:^aleg-(.+)@").extract(m)).isEqualTo("busy-1-10899");
        assertThat(m.sdp()).isNull();
    }
}
