package io.hepstack.proto.hep;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HepCodecRoundTripTest {

    private final HepDecoder decoder = new HepDecoder();

    @Test
    void reencodesEveryKamailioDatagramToTheSameBytes() throws Exception {
        for (byte[] d : KamailioCapture.hepDatagrams()) {
            assertThat(HepEncoder.encode(decoder.decode(d))).isEqualTo(d);
        }
    }

    @Test
    void decodesWhatItEncodesWithEveryFieldSet() throws Exception {
        HepPacket p = new HepPacket(3, 10, 132, InetAddress.getByName("::1"), InetAddress.getByName("fe80::1"),
                65535, 0, 0xFFFF_FFFFL, 999_999, 100, 0xFFFF_FFFFL, "key", "corr", 0, "node-a",
                new byte[]{0, 1, 2, (byte) 0xff}, false,
                List.of(new HepChunk(0x0008, 0x0001, new byte[]{9}), new HepChunk(0, 0x0029, "group".getBytes())));
        assertThat(decoder.decode(HepEncoder.encode(p))).isEqualTo(p);
    }

    @Test
    void decodesWhatItEncodesWithOnlyMandatoryFields() throws Exception {
        HepPacket p = new HepPacket(3, 0, 0, null, null, 0, 0, 0, 0, 0, 0, null, null, null, null,
                new byte[]{'x'}, false, null);
        assertThat(decoder.decode(HepEncoder.encode(p))).isEqualTo(p);
    }

    @Test
    void decodesWhatItEncodesWithACompressedPayload() throws Exception {
        HepPacket p = HepPackets.withPayload(HepPackets.sip("", List.of()), "REGISTER".repeat(100).getBytes(), true);
        assertThat(decoder.decode(HepEncoder.encode(p))).isEqualTo(p);
    }

    @Test
    void encodesIntoAPooledBufferTheSameBytesAsIntoAnArray() throws Exception {
        HepPacket p = decoder.decode(KamailioCapture.hepDatagrams().get(5));
        ByteBuf buf = HepEncoder.encode(p, PooledByteBufAllocator.DEFAULT);
        try {
            byte[] out = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), out);
            assertThat(out).isEqualTo(HepEncoder.encode(p));
        } finally {
            buf.release();
        }
    }

    @Test
    void refusesToEncodeAPacketLargerThanTheLengthFieldAllows() {
        HepPacket p = HepPackets.withPayload(HepPackets.sip("", List.of()), new byte[65_535], false);
        assertThatThrownBy(() -> HepEncoder.encode(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds 65535");
    }
}
