package io.hepstack.proto.hep;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.testing.Captures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class HepTransportTest {

    /** The numbers the HEP receivers read (Kamailio sipcapture, OpenSIPS proto_hep) and the names users type. */
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            6   | TCP  | tcp
            17  | UDP  | udp
            22  | TLS  | tls
            50  | WS   | ws
            132 | SCTP | sctp
            """)
    void everyTransportRoundTripsByNumberAndByName(int number, String label, String name) {
        HepTransport t = HepTransport.ofNumber(number);
        assertThat(t.number()).isEqualTo(number);
        assertThat(t.label()).isEqualTo(label);
        assertThat(HepTransport.labelOf(number)).isEqualTo(label);
        assertThat(HepTransport.named(name)).isSameAs(t);
        assertThat(HepTransport.named(label)).isSameAs(t);
    }

    @Test
    void secureWebSocketHasNoNumberOfItsOwnAndIsReadAsWebSocket() {
        assertThat(HepTransport.named("WSS")).isSameAs(HepTransport.WS);
    }

    @Test
    void anotherNumberIsShownAsItsIpProtocolAndZeroAsUnknown() {
        assertThat(HepTransport.ofNumber(47)).isNull();
        assertThat(HepTransport.labelOf(47)).isEqualTo("IP/47");
        assertThat(HepTransport.labelOf(0)).isNull();
        assertThat(HepTransport.ofNumber(-1)).isNull();
        assertThat(HepTransport.ofNumber(256)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"quic", "udp6", "", "17", "dtls"})
    void otherWordsNameNoTransport(String name) {
        assertThat(HepTransport.named(name)).isNull();
    }

    @Test
    void kamailioMarksItsUdpTrafficWithIpProtocol17() {
        assertThat(Captures.kamailio(ExtractionSettings.DEFAULT)).extracting((CapturedMessage m) -> m.envelope().transport())
                .containsOnly(HepTransport.UDP.number());
    }
}
