package io.hepstack.proto.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Kamailio capture converted by Wireshark's editcap to other formats decodes identically (see pcap/README.md). */
class ConvertedFixtureTest {

    private static RecordingVisitor read(String resource) throws IOException {
        RecordingVisitor v = new RecordingVisitor();
        try (InputStream in = ConvertedFixtureTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            PcapReader.read(in, v);
        }
        return v;
    }

    @ParameterizedTest
    @ValueSource(strings = {"/pcap/kamailio-hep-first50.pcapng", "/pcap/kamailio-hep-first50-nsec.pcap"})
    void decodesTheSameDatagramsAsTheOriginalCapture(String resource) throws IOException {
        List<PcapPacket> original = read("/fixtures/kamailio-siptrace/hep.pcap").udp.subList(0, 50);

        RecordingVisitor converted = read(resource);

        assertThat(converted.udp).containsExactlyElementsOf(original);
        assertThat(converted.events).isEmpty();
    }
}
