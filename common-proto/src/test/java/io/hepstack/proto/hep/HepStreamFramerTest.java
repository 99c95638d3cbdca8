package io.hepstack.proto.hep;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HepStreamFramerTest {

    private static final byte[] V1_HEADER = {
            0x01, 0x10, 0x02, 0x06,             // v1, header length 16, IPv4, TCP
            0x13, (byte) 0xc4, 0x13, (byte) 0xc4, // ports 5060 -> 5060
            127, 0, 0, 1, 127, 0, 0, 2};        // addresses

    private final HepDecoder decoder = new HepDecoder();

    /** Three Kamailio datagrams, a v1 SIP message with a body, and a v2 one without, back to back. */
    private static List<byte[]> frames() {
        List<byte[]> d = KamailioCapture.hepDatagrams();
        byte[] withBody = HepPackets.concat(V1_HEADER, ascii(
                "MESSAGE sip:a@b SIP/2.0\r\nCall-ID: m1\r\nContent-Length: 5\r\n\r\nhello"));
        byte[] v2 = HepPackets.concat(new byte[]{0x02, 0x10, 0x02, 0x11, 0, 1, 0, 2, 1, 1, 1, 1, 2, 2, 2, 2},
                new byte[12], // time header
                ascii("SIP/2.0 200 OK\nCall-ID: x\nl: 0\n\n")); // LF only, compact Content-Length
        return List.of(d.get(0), d.get(1), withBody, d.get(2), v2);
    }

    @Test
    void cutsFramesAtEverySplitPointOfTheStream() throws Exception {
        List<byte[]> frames = frames();
        byte[] stream = HepPackets.concat(frames.toArray(byte[][]::new));
        for (int split = 0; split <= stream.length; split++) {
            assertThat(feed(stream, split, stream.length)).as("split at %d", split).containsExactlyElementsOf(frames);
        }
    }

    @Test
    void cutsFramesWhenTheStreamArrivesOneByteAtATime() throws Exception {
        List<byte[]> frames = frames();
        byte[] stream = HepPackets.concat(frames.toArray(byte[][]::new));
        assertThat(feedInPieces(stream, 1)).containsExactlyElementsOf(frames);
    }

    @Test
    void framesDecodeToTheSamePacketsAsDatagrams() throws Exception {
        for (byte[] f : feedInPieces(HepPackets.concat(frames().toArray(byte[][]::new)), 7)) {
            assertThat(decoder.decode(f).payload()).isNotEmpty();
        }
    }

    @Test
    void rejectsAStreamThatIsNotHep() {
        assertThatThrownBy(() -> feed(ascii("GET / HTTP/1.1\r\n\r\n"), 3, 100))
                .isInstanceOfSatisfying(HepDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(HepRejectReason.UNKNOWN_VERSION));
    }

    @Test
    void rejectsABrokenMagicAsSoonAsItsSecondByteArrives() {
        HepStreamFramer framer = new HepStreamFramer(65_535);
        ByteBuf in = Unpooled.wrappedBuffer(ascii("HX"));
        assertThatThrownBy(() -> framer.nextFrame(in)).isInstanceOf(HepDecodeException.class)
                .hasMessageContaining("stream magic byte 1 is 0x58");
        in.release();
    }

    @Test
    void rejectsAFrameLargerThanTheMaximum() {
        byte[] d = KamailioCapture.hepDatagrams().get(0); // 599 bytes
        HepStreamFramer framer = new HepStreamFramer(512);
        ByteBuf in = Unpooled.wrappedBuffer(d, 0, 6);
        assertThatThrownBy(() -> framer.nextFrame(in))
                .isInstanceOfSatisfying(HepDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(HepRejectReason.FRAME_TOO_LARGE))
                .hasMessageContaining("total length 599 exceeds the maximum frame length 512");
        in.release();
    }

    @Test
    void rejectsALengthFieldBelowTheHeaderSize() {
        ByteBuf in = Unpooled.wrappedBuffer(HepMalformedInputTest.v3Raw(ascii("HEP3"), 5));
        assertThatThrownBy(() -> new HepStreamFramer(65_535).nextFrame(in))
                .isInstanceOfSatisfying(HepDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(HepRejectReason.LENGTH_MISMATCH));
        in.release();
    }

    @Test
    void rejectsAV1MessageWhoseHeadersNeverEnd() {
        byte[] endless = HepPackets.concat(V1_HEADER, ascii("INVITE sip:a@b SIP/2.0\r\n" + "X: y\r\n".repeat(200)));
        ByteBuf in = Unpooled.wrappedBuffer(endless);
        assertThatThrownBy(() -> new HepStreamFramer(1024).nextFrame(in))
                .isInstanceOfSatisfying(HepDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(HepRejectReason.FRAME_TOO_LARGE));
        in.release();
    }

    /** Feeds {@code stream} as [0, split) then the rest in pieces of at most {@code piece}. */
    private static List<byte[]> feed(byte[] stream, int split, int piece) throws HepDecodeException {
        HepStreamFramer framer = new HepStreamFramer(65_535);
        ByteBuf cumulation = Unpooled.buffer();
        List<byte[]> out = new ArrayList<>();
        try {
            cumulation.writeBytes(stream, 0, split);
            drain(framer, cumulation, out);
            for (int at = split; at < stream.length; at += piece) {
                cumulation.writeBytes(stream, at, Math.min(piece, stream.length - at));
                drain(framer, cumulation, out);
            }
            assertThat(cumulation.readableBytes()).isZero();
            return out;
        } finally {
            cumulation.release();
        }
    }

    private static List<byte[]> feedInPieces(byte[] stream, int piece) throws HepDecodeException {
        return feed(stream, 0, piece);
    }

    private static void drain(HepStreamFramer framer, ByteBuf cumulation, List<byte[]> out) throws HepDecodeException {
        ByteBuf frame;
        while ((frame = framer.nextFrame(cumulation)) != null) {
            byte[] b = new byte[frame.readableBytes()];
            frame.readBytes(b);
            frame.release();
            out.add(b);
        }
        cumulation.discardReadBytes();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
