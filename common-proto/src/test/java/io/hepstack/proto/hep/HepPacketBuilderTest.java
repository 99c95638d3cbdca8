package io.hepstack.proto.hep;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HepPacketBuilderTest {

    private static final byte[] SIP = "OPTIONS sip:x SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void buildsWhatTheConstructorWouldWithTheFamilyOfTheSourceAndTheTimeSplit() throws Exception {
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        InetAddress v4 = InetAddress.getByName("192.0.2.1");
        HepPacket built = HepPacket.builder().addresses(v6, 5060, v6, 5080).ipProto(17)
                .timestampMicros(1_700_000_000_123_456L).protoType(1).captureId(2001).node("edge-1")
                .correlationId("c1").vlan(7).authKey("k").payload(SIP).build();
        assertThat(built).isEqualTo(new HepPacket(3, 10, 17, v6, v6, 5060, 5080, 1_700_000_000L, 123_456, 1, 2001, "k",
                "c1", 7, "edge-1", SIP, false, List.of()));
        assertThat(HepPacket.builder().addresses(v4, 1, v4, 2).payload(SIP).build().ipFamily()).isEqualTo(2);
        assertThat(HepPacket.builder().payload(SIP).build().ipFamily()).as("no address, no family").isZero();
        assertThat(HepPacket.builder().timestampMicros(-1).payload(SIP).build())
                .extracting(HepPacket::tsSec, HepPacket::tsUsec).containsExactly(-1L, 999_999);
        assertThatThrownBy(() -> HepPacket.builder().build()).hasMessageContaining("payload");
    }

    @Test
    void toBuilderKeepsEveryFieldAndTheWithersChangeOnlyTheirs() throws Exception {
        HepPacket p = new HepPacket(2, 2, 6, InetAddress.getByName("10.0.0.1"), InetAddress.getByName("10.0.0.2"), 1, 2,
                3L, 4, 5, 6L, "key", "corr", 8, "node", SIP, true, List.of(new HepChunk(0x1234, 1, new byte[] {9})));
        assertThat(p.toBuilder().build()).isEqualTo(p);
        byte[] other = "x".getBytes(StandardCharsets.US_ASCII);
        assertThat(p.withPayload(other)).isEqualTo(new HepPacket(2, 2, 6, p.srcIp(), p.dstIp(), 1, 2, 3L, 4, 5, 6L, "key",
                "corr", 8, "node", other, true, p.chunks()));
        assertThat(p.withAuthKey(null).authKey()).isNull();
        assertThat(p.withAuthKey(null)).isEqualTo(p.toBuilder().authKey(null).build());
        assertThat(p.withPayload(SIP)).as("the same array: the same packet").isSameAs(p);
        assertThat(p.withAuthKey("key")).isSameAs(p);
    }
}
