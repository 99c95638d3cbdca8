package io.hepstack.proto.hep;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HepDecoderTest {

    private final HepDecoder decoder = new HepDecoder();

    @Test
    void decodesEveryKamailioDatagramInto80CallIds() throws Exception {
        List<byte[]> datagrams = KamailioCapture.hepDatagrams();
        assertThat(datagrams).hasSize(580);
        Pattern callId = Pattern.compile("\r\nCall-ID: *([^\r]+)", Pattern.CASE_INSENSITIVE);
        Set<String> callIds = new HashSet<>();
        for (byte[] d : datagrams) {
            HepPacket p = decoder.decode(d);
            assertThat(p.version()).isEqualTo(3);
            assertThat(p.captureId()).isEqualTo(2001);
            assertThat(p.protoType()).isEqualTo(1);
            assertThat(p.chunks()).isEmpty();
            Matcher m = callId.matcher(new String(p.payload(), StandardCharsets.UTF_8));
            assertThat(m.find()).isTrue();
            callIds.add(m.group(1));
        }
        assertThat(callIds).hasSize(80);
    }

    @Test
    void decodesTheFirstInviteFieldByField() throws Exception {
        HepPacket p = decoder.decode(KamailioCapture.hepDatagrams().get(0));
        assertThat(p.ipFamily()).isEqualTo(2);
        assertThat(p.ipProto()).isEqualTo(17);
        assertThat(p.srcIp()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(p.dstIp()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(p.srcPort()).isEqualTo(5080);
        assertThat(p.dstPort()).isEqualTo(5060);
        assertThat(p.tsSec()).isEqualTo(1795375683L);
        assertThat(p.tsUsec()).isEqualTo(366306);
        assertThat(p.timestampMicros()).isEqualTo(1795375683_366306L);
        assertThat(p.payload()).hasSize(500);
        assertThat(new String(p.payload(), StandardCharsets.US_ASCII))
                .startsWith("INVITE sip:1000@127.0.0.1:5060 SIP/2.0\r\n")
                .contains("Call-ID: 1-10898@127.0.0.1");
        assertThat(p.authKey()).isNull();
        assertThat(p.correlationId()).isNull();
        assertThat(p.node()).isNull();
        assertThat(p.vlan()).isNull();
        assertThat(p.compressed()).isFalse();
    }

    @Test
    void decodesABusyReplyFieldByField() throws Exception {
        HepPacket p = decoder.decode(KamailioCapture.hepDatagrams().get(13));
        assertThat(p.srcPort()).isEqualTo(5071);
        assertThat(p.dstPort()).isEqualTo(5060);
        assertThat(p.tsSec()).isEqualTo(1795375683L);
        assertThat(p.tsUsec()).isEqualTo(371142);
        assertThat(p.payload()).hasSize(343);
        assertThat(new String(p.payload(), StandardCharsets.US_ASCII)).startsWith("SIP/2.0 486 Busy Here\r\n");
    }

    @Test
    void leavesTheReaderIndexAndReferenceCountAlone() throws Exception {
        ByteBuf buf = Unpooled.wrappedBuffer(KamailioCapture.hepDatagrams().get(1));
        int before = buf.readerIndex();
        decoder.decode(buf);
        assertThat(buf.readerIndex()).isEqualTo(before);
        assertThat(buf.refCnt()).isEqualTo(1);
        buf.release();
    }

    @Test
    void decodesTheSameFromAnArrayAHeapSliceAndADirectBuffer() throws Exception {
        for (byte[] d : KamailioCapture.hepDatagrams()) {
            HepPacket expected = decoder.decode(d);
            // a heap buffer whose array holds other bytes around the packet (arrayOffset and readerIndex > 0)
            byte[] padded = new byte[d.length + 20];
            java.util.Arrays.fill(padded, (byte) 'H');
            System.arraycopy(d, 0, padded, 13, d.length);
            ByteBuf heap = Unpooled.wrappedBuffer(padded).slice(3, d.length + 15).readerIndex(10).writerIndex(10 + d.length);
            ByteBuf direct = Unpooled.directBuffer(d.length + 7).writeBytes(new byte[7]).writeBytes(d).readerIndex(7);
            try {
                assertThat(decoder.decode(heap)).isEqualTo(expected);
                assertThat(decoder.decode(direct)).isEqualTo(expected);
                assertThat(direct.readerIndex()).isEqualTo(7);
            } finally {
                direct.release();
            }
        }
    }

    @Test
    void packetsFromDirectBuffersShareNoBytesWithEachOtherOrTheScratchArray() throws Exception {
        List<byte[]> datagrams = KamailioCapture.hepDatagrams();
        HepPacket first = decodeDirect(datagrams.get(0));
        byte[] payloadBefore = first.payload().clone();
        for (byte[] d : datagrams.subList(1, 50)) {
            decodeDirect(d);
        }
        assertThat(first.payload()).isEqualTo(payloadBefore);
        assertThat(first).isEqualTo(decoder.decode(datagrams.get(0)));
    }

    @Test
    void aLargePacketGrowsTheScratchArrayAndSmallOnesStillDecodeAfterIt() throws Exception {
        byte[] small = KamailioCapture.hepDatagrams().get(3);
        String body = "v=0\r\n" + "a=x-filler:" + "y".repeat(60_000) + "\r\n";
        byte[] large = HepEncoder.encode(HepPackets.sip("INVITE sip:a@b SIP/2.0\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body, List.of()));
        assertThat(large.length).isGreaterThan(60_000);

        assertThat(decodeDirect(small)).isEqualTo(decoder.decode(small));
        assertThat(decodeDirect(large)).isEqualTo(decoder.decode(large));
        assertThat(decodeDirect(small)).isEqualTo(decoder.decode(small));
    }

    private HepPacket decodeDirect(byte[] d) throws HepDecodeException {
        ByteBuf direct = Unpooled.directBuffer(d.length).writeBytes(d);
        try {
            return decoder.decode(direct);
        } finally {
            direct.release();
        }
    }

    @Test
    void keepsVendorUnknownAndSecondaryChunksRawInOrder() throws Exception {
        byte[] wire = HepEncoder.encode(HepPackets.sip("INVITE sip:a@b SIP/2.0\r\n\r\n",
                List.of(new HepChunk(2, 0x0020, new byte[]{1, 2, 3}),   // Kamailio vendor chunk
                        new HepChunk(0, 0x0023, new byte[]{0, (byte) 0xff}), // jitter, secondary generic
                        new HepChunk(0, 0x7777, new byte[0]))));           // unknown generic type
        HepPacket p = decoder.decode(wire);
        assertThat(p.chunks()).extracting(HepChunk::vendor, HepChunk::type, HepChunk::hex)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2, 0x0020, "010203"),
                        org.assertj.core.groups.Tuple.tuple(0, 0x0023, "00ff"),
                        org.assertj.core.groups.Tuple.tuple(0, 0x7777, ""));
        assertThat(p.chunk(0, 0x0023).value()).containsExactly(0, 0xff);
    }

    @Test
    void decodesNodeCorrelationIdVlanAndAuthKeyDroppingCStringNuls() throws Exception {
        HepPacket sent = new HepPacket(3, 10, 6, InetAddress.getByName("2001:db8::1"),
                InetAddress.getByName("2001:db8::2"), 5061, 5062, 1_700_000_000L, 999_999, 5, 0xFFFF_FFFFL,
                "secret\0", "call-1@host", 4094, "sbc-1\0", "{\"x\":1}".getBytes(), false, null);
        HepPacket p = decoder.decode(HepEncoder.encode(sent));
        assertThat(p.authKey()).isEqualTo("secret");
        assertThat(p.node()).isEqualTo("sbc-1");
        assertThat(p.correlationId()).isEqualTo("call-1@host");
        assertThat(p.vlan()).isEqualTo(4094);
        assertThat(p.captureId()).isEqualTo(0xFFFF_FFFFL);
        assertThat(p.srcIp()).isEqualTo(InetAddress.getByName("2001:db8::1"));
        assertThat(p.ipFamily()).isEqualTo(10);
    }

    @Test
    void inflatesGzipPayloadChunk() throws Exception {
        HepPacket sent = HepPackets.withPayload(HepPackets.sip("OPTIONS sip:x SIP/2.0\r\n\r\n", List.of()),
                "OPTIONS sip:x SIP/2.0\r\n\r\n".repeat(50).getBytes(StandardCharsets.US_ASCII), true);
        byte[] wire = HepEncoder.encode(sent);
        assertThat(wire.length).isLessThan(sent.payload().length);
        HepPacket p = decoder.decode(wire);
        assertThat(p.compressed()).isTrue();
        assertThat(p.payload()).isEqualTo(sent.payload());
    }

    @Test
    void capsTheInflatedSizeOfAGzipPayload() {
        HepPacket bomb = HepPackets.withPayload(HepPackets.sip("x", List.of()), new byte[60_000], true);
        byte[] wire = HepEncoder.encode(bomb);
        assertThatThrownBy(() -> new HepDecoder(50_000).decode(wire))
                .isInstanceOfSatisfying(HepDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(HepRejectReason.PAYLOAD_TOO_LARGE))
                .hasMessageContaining("inflates beyond 50000 bytes");
    }

    @Test
    void aSmallDatagramDoesNotInflateToAMegabyteByDefault() throws Exception {
        // 1 MiB of zeros compresses to about 1 KB: one datagram, as the security test sent
        HepPacket bomb = HepPackets.withPayload(HepPackets.sip("x", List.of()), new byte[1 << 20], true);
        byte[] wire = HepEncoder.encode(bomb);
        assertThat(wire.length).isLessThan(1500);
        assertThatThrownBy(() -> new HepDecoder().decode(wire))
                .isInstanceOfSatisfying(HepDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(HepRejectReason.PAYLOAD_TOO_LARGE))
                .hasMessageContaining("inflates beyond 262144 bytes");
        HepPacket large = HepPackets.withPayload(HepPackets.sip("x", List.of()), new byte[HepDecoder.DEFAULT_MAX_INFLATED_PAYLOAD], true);
        assertThat(new HepDecoder().decode(HepEncoder.encode(large)).payload()).hasSize(HepDecoder.DEFAULT_MAX_INFLATED_PAYLOAD);
    }

    @Test
    void infersTheFamilyFromAddressesWhenTheFamilyChunkIsAbsent() throws Exception {
        HepPacket sent = new HepPacket(3, 0, 17, InetAddress.getByName("10.0.0.1"),
                InetAddress.getByName("10.0.0.2"), 1, 2, 0, 0, 1, 0, null, null, null, null, new byte[]{'x'},
                false, null);
        assertThat(decoder.decode(HepEncoder.encode(sent)).ipFamily()).isEqualTo(2);
    }

    @Test
    void decodesHepV1Ipv4() throws Exception {
        byte[] sip = "BYE sip:a@b SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] header = {
                0x01,                   // version 1
                0x10,                   // header length 16
                0x02,                   // IPv4
                0x11,                   // UDP
                0x13, (byte) 0xc4,      // source port 5060
                0x13, (byte) 0xc5,      // destination port 5061
                10, 0, 0, 1,            // source 10.0.0.1
                10, 0, 0, 2};           // destination 10.0.0.2
        HepPacket p = decoder.decode(HepPackets.concat(header, sip));
        assertThat(p.version()).isEqualTo(1);
        assertThat(p.srcIp()).isEqualTo(InetAddress.getByName("10.0.0.1"));
        assertThat(p.dstIp()).isEqualTo(InetAddress.getByName("10.0.0.2"));
        assertThat(p.srcPort()).isEqualTo(5060);
        assertThat(p.dstPort()).isEqualTo(5061);
        assertThat(p.ipProto()).isEqualTo(17);
        assertThat(p.protoType()).isEqualTo(1);
        assertThat(p.tsSec()).isZero();
        assertThat(p.payload()).isEqualTo(sip);
    }

    @Test
    void decodesHepV2Ipv6WithLittleEndianTimeHeaderAsKamailioSendsIt() throws Exception {
        byte[] sip = "SIP/2.0 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] header = HepPackets.concat(new byte[]{
                        0x02,                   // version 2
                        0x28,                   // header length 40
                        0x0a,                   // IPv6
                        0x06,                   // TCP
                        0x13, (byte) 0xc4,      // source port 5060
                        0x16, 0x2e},            // destination port 5678
                InetAddress.getByName("2001:db8::a").getAddress(),
                InetAddress.getByName("2001:db8::b").getAddress(),
                new byte[]{
                        0x00, (byte) 0xf1, 0x53, 0x65,  // seconds 1700000000 (0x6553f100), little-endian
                        0x40, (byte) 0xe2, 0x01, 0x00,  // microseconds 123456 (0x0001e240), little-endian
                        (byte) 0xd1, 0x07,              // capture id 2001 (0x07d1), little-endian
                        0x00, 0x00});                   // padding
        HepPacket p = decoder.decode(HepPackets.concat(header, sip));
        assertThat(p.version()).isEqualTo(2);
        assertThat(p.ipFamily()).isEqualTo(10);
        assertThat(p.ipProto()).isEqualTo(6);
        assertThat(p.srcIp()).isEqualTo(InetAddress.getByName("2001:db8::a"));
        assertThat(p.dstPort()).isEqualTo(5678);
        assertThat(p.tsSec()).isEqualTo(1_700_000_000L);
        assertThat(p.tsUsec()).isEqualTo(123_456);
        assertThat(p.captureId()).isEqualTo(2001);
        assertThat(p.payload()).isEqualTo(sip);
    }

    @Test
    void honoursALongerV1HeaderLength() throws Exception {
        byte[] header = {
                0x01, 0x14, 0x02, 0x11,         // v1, header length 20 (4 bytes beyond the addresses), IPv4, UDP
                0x00, 0x01, 0x00, 0x02,         // ports 1 -> 2
                1, 1, 1, 1, 2, 2, 2, 2,         // addresses
                (byte) 0xee, (byte) 0xee, (byte) 0xee, (byte) 0xee}; // extra header bytes to skip
        HepPacket p = decoder.decode(HepPackets.concat(header, new byte[]{'S'}));
        assertThat(p.payload()).containsExactly('S');
    }
}
