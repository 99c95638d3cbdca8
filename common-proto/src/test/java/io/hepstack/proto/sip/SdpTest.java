package io.hepstack.proto.sip;

import static io.hepstack.proto.sip.SipFixtures.crlf;
import static io.hepstack.proto.sip.SipFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The SDP a message carries, directly or in a multipart body. */
class SdpTest {

    private static final String OFFER = """
            v=0
            o=- 1 1 IN IP4 192.0.2.1
            s=-
            c=IN IP4 192.0.2.1
            t=0 0
            m=audio 49170 RTP/AVP 0 8 18 101
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-15
            m=video 51372/2 RTP/SAVP 99
            c=IN IP6 2001:db8::2
            a=rtpmap:99 H264/90000
            m=image 0 udptl t38
            """;

    private static SipMessage withBody(String contentType, String body) throws SipParseException {
        return parse(crlf("INVITE sip:b@h SIP/2.0\nCall-ID: a\nCSeq: 1 INVITE\nContent-Type: " + contentType
                + "\n\n" + body));
    }

    @Test
    void readsConnectionMediaPortsAndCodecs() throws Exception {
        Sdp sdp = withBody("application/sdp", OFFER).sdp();

        assertThat(sdp.connectionAddress()).isEqualTo("192.0.2.1");
        assertThat(sdp.media()).containsExactly(
                new SdpMedia("audio", 49170, "RTP/AVP", List.of("PCMU/8000", "PCMA/8000", "18", "telephone-event/8000"), null),
                new SdpMedia("video", 51372, "RTP/SAVP", List.of("H264/90000"), "2001:db8::2"),
                new SdpMedia("image", 0, "udptl", List.of("t38"), null));
    }

    @Test
    void matchesTheContentTypeIgnoringCaseAndParameters() throws Exception {
        assertThat(withBody("Application/SDP; charset=utf-8", OFFER).sdp()).isNotNull();
        assertThat(withBody("text/plain", OFFER).sdp()).isNull();
    }

    @Test
    void stripsTheMulticastTtlFromTheAddress() throws Exception {
        Sdp sdp = withBody("application/sdp", "v=0\nc=IN IP4 233.252.0.1/127\nm=audio 5000 RTP/AVP 0\n").sdp();

        assertThat(sdp.connectionAddress()).isEqualTo("233.252.0.1");
        assertThat(sdp.media().get(0).codecs()).containsExactly("0");
    }

    @Test
    void findsTheSdpPartOfAMultipartBody() throws Exception {
        String body = """
                --boundary1
                Content-Type: application/isup;version=itu-t92+
                Content-Disposition: signal;handling=optional

                binary-isup
                --boundary1
                content-type: application/sdp

                v=0
                c=IN IP4 198.51.100.7
                m=audio 7078 RTP/AVP 8
                a=rtpmap:8 PCMA/8000
                --boundary1--
                """;
        Sdp sdp = withBody("multipart/mixed;boundary=\"boundary1\"", body).sdp();

        assertThat(sdp).isEqualTo(new Sdp("198.51.100.7",
                List.of(new SdpMedia("audio", 7078, "RTP/AVP", List.of("PCMA/8000"), null))));
    }

    @Test
    void findsNoSdpInAMultipartBodyWithoutOne() throws Exception {
        String body = "--b\nContent-Type: text/plain\n\nhi\n--b--\n";

        assertThat(withBody("multipart/mixed; boundary=b", body).sdp()).isNull();
        assertThat(withBody("multipart/mixed", body).sdp()).isNull();
    }

    @Test
    void hasNoSdpWithoutBody() throws Exception {
        assertThat(withBody("application/sdp", "").sdp()).isNull();
    }
}
