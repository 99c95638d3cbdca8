package io.hepstack.proto.model;

import io.hepstack.proto.hep.HepPacket;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MethodFilterTest {

    private static CapturedMessage sip(String startLine, String cseq) {
        String text = startLine + "\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\n"
                + "Call-ID: c1\r\n" + (cseq == null ? "" : "CSeq: " + cseq + "\r\n") + "Content-Length: 0\r\n\r\n";
        return new MessageExtractor(ExtractionSettings.DEFAULT).extract(HepPacket.builder()
                .protoType(HepPayloadType.SIP.number()).payload(text.getBytes(StandardCharsets.US_ASCII)).build());
    }

    @Test
    void discardsARequestAndItsRepliesByTheirCseqMethod() {
        MethodFilter f = MethodFilter.of(List.of(" options", "Notify", ""));
        assertThat(f.methods()).containsExactlyInAnyOrder("OPTIONS", "NOTIFY");
        assertThat(f.discarded(sip("OPTIONS sip:x SIP/2.0", "1 OPTIONS"))).isEqualTo("OPTIONS");
        assertThat(f.discarded(sip("SIP/2.0 200 OK", "1 OPTIONS"))).as("its reply").isEqualTo("OPTIONS");
        assertThat(f.discarded(sip("SIP/2.0 200 OK", "1 INVITE"))).isNull();
        assertThat(f.discarded(sip("INVITE sip:x SIP/2.0", "1 INVITE"))).isNull();
        assertThat(MethodFilter.NONE.discarded(sip("OPTIONS sip:x SIP/2.0", "1 OPTIONS"))).isNull();
    }

    @Test
    void aMessageWhoseMethodIsNotKnownIsKept() {
        MethodFilter f = MethodFilter.of(List.of("OPTIONS"));
        CapturedMessage noCseq = sip("OPTIONS sip:x SIP/2.0", null);
        assertThat(noCseq.parsed()).as("SIP without CSeq does not parse").isFalse();
        assertThat(f.discarded(noCseq)).isNull();
        CapturedMessage rtcp = new MessageExtractor(ExtractionSettings.DEFAULT).extract(HepPacket.builder()
                .protoType(HepPayloadType.RTCP.number()).payload("{}".getBytes(StandardCharsets.US_ASCII)).build());
        assertThat(f.discarded(rtcp)).isNull();
    }
}
