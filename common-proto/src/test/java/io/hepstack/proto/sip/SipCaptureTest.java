package io.hepstack.proto.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every SIP message of the Kamailio siptrace capture (see the fixture README): 580 HEPv3 datagrams
 * and the plain SIP seen on the wire at the same time.
 */
class SipCaptureTest {
    private static final int HEP_PORT = 9060;

    @Test
    void parsesEveryHepPayloadIntoEightyCalls() throws Exception {
        List<Pcap.Datagram> datagrams = Pcap.udp("/fixtures/kamailio-siptrace/hep.pcap");
        Set<String> callIds = new HashSet<>();
        for (Pcap.Datagram d : datagrams) {
            SipMessage m = SipParser.parse(Pcap.hep3Payload(d.payload()));
            callIds.add(m.callId());
            assertThat(m.from().tag()).isNotNull();
            assertThat(m.via().branch()).startsWith("z9hG4bK");
        }
        assertThat(datagrams).hasSize(580);
        assertThat(callIds).hasSize(80);
    }

    @Test
    void parsesEveryPlainSipPacketOnTheWire() throws Exception {
        List<Pcap.Datagram> sip = Pcap.udp("/fixtures/kamailio-siptrace/sip.pcap").stream()
                .filter(d -> d.dstPort() != HEP_PORT)
                .toList();
        Set<String> callIds = new HashSet<>();
        for (Pcap.Datagram d : sip) {
            SipMessage m = SipParser.parse(d.payload());
            callIds.add(m.callId());
            assertThat(m.cseq().number()).isPositive();
        }
        assertThat(sip).hasSize(580);
        assertThat(callIds).hasSize(80);
    }

    @Test
    void rejectsTheHepDatagramsOfTheWireCaptureAsNotSip() {
        List<Pcap.Datagram> hep = Pcap.udp("/fixtures/kamailio-siptrace/sip.pcap").stream()
                .filter(d -> d.dstPort() == HEP_PORT)
                .toList();
        assertThat(hep).hasSize(580);
        for (Pcap.Datagram d : hep) {
            assertThatThrownBy(() -> SipParser.parse(d.payload()))
                    .isInstanceOfSatisfying(SipParseException.class,
                            e -> assertThat(e.reason()).isEqualTo(SipParseError.NOT_SIP));
        }
    }

    @Test
    void findsTheALegOfEveryBusyCall() throws Exception {
        HeaderExtractor xcid = HeaderExtractor.parse("X-CID");
        Set<String> aLegs = new HashSet<>();
        for (Pcap.Datagram d : Pcap.udp("/fixtures/kamailio-siptrace/hep.pcap")) {
            SipMessage m = SipParser.parse(Pcap.hep3Payload(d.payload()));
            String aLeg = xcid.extract(m);
            if (aLeg != null) {
                assertThat(aLeg).isEqualTo("aleg-" + m.callId());
                aLegs.add(aLeg);
            }
        }
        assertThat(aLegs).hasSize(10);
    }
}
