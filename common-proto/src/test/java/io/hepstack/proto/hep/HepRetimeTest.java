package io.hepstack.proto.hep;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HepRetimeTest {

    private static HepPacket packet(long micros) throws Exception {
        return HepPacket.builder().addresses(InetAddress.getByName("192.0.2.1"), 5060, InetAddress.getByName("192.0.2.2"), 5080)
                .ipProto(17).timestampMicros(micros).protoType(1).captureId(2001).node("edge-1").correlationId("c1")
                .payload("OPTIONS sip:a@b SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).build();
    }

    @Test
    void rewritesOnlyTheTimeChunksOfAHep3Packet() throws Exception {
        byte[] original = HepEncoder.encode(packet(1_795_375_683_366_405L));

        byte[] retimed = HepEncoder.retimed(original, 1_796_000_000_000_001L);

        assertThat(retimed).isEqualTo(HepEncoder.encode(packet(1_796_000_000_000_001L)));
        assertThat(new HepDecoder().decode(retimed).timestampMicros()).isEqualTo(1_796_000_000_000_001L);
        assertThat(original).as("the input is left as it was").isEqualTo(HepEncoder.encode(packet(1_795_375_683_366_405L)));
    }

    @Test
    void answersNullForWhatIsNotAWholeHep3PacketWithBothTimeChunks() throws Exception {
        byte[] hep3 = HepEncoder.encode(packet(1_000_000L));
        assertThat(HepEncoder.retimed(new byte[] {1, 2, 3}, 0)).isNull();
        assertThat(HepEncoder.retimed("HEP2xxxxxxxx".getBytes(StandardCharsets.US_ASCII), 0)).isNull();
        assertThat(HepEncoder.retimed(Arrays.copyOf(hep3, 20), 0)).as("cut inside its chunks").isNull();
    }

    @Test
    void refusesATimeThirtyTwoBitSecondsCannotHold() throws Exception {
        byte[] hep3 = HepEncoder.encode(packet(1_000_000L));
        assertThatThrownBy(() -> HepEncoder.retimed(hep3, -1)).hasMessageContaining("expected: 0 to 2^32 s");
        assertThatThrownBy(() -> HepEncoder.retimed(hep3, (1L << 32) * 1_000_000L)).hasMessageContaining("4294967296000000");
    }
}
