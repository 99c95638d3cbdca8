package io.hepstack.proto.hep;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Coverage-guided fuzzing of the HEP decoder and stream framer: any bytes give a packet or a
 * {@link HepDecodeException} with a reason and a message, nothing else; a decoded HEPv3 packet
 * re-encodes and decodes to an equal packet; the framer cuts frames or rejects, never overruns.
 *
 * <p>{@code ./mvnw verify} replays the seeds in
 * {@code src/test/resources/io/hepstack/proto/hep/HepDecoderFuzzTestInputs/}; {@code ./hepstack test}
 * also fuzzes for a bounded time; a long run: see docs/hep-codec.md.
 */
class HepDecoderFuzzTest {

    private static final HepDecoder DECODER = new HepDecoder(64 * 1024);

    @FuzzTest(maxDuration = "5m")
    void decodesOrRejectsAnyBytes(byte[] input) {
        HepPacket p;
        try {
            p = DECODER.decode(input);
        } catch (HepDecodeException e) {
            if (e.reason() == null || e.getMessage() == null || e.getMessage().isEmpty()) {
                throw new AssertionError("rejection without reason or message", e);
            }
            sameFromADirectBuffer(input, null, e);
            frame(input);
            return;
        }
        sameFromADirectBuffer(input, p, null);
        if (p.version() == 3 && !p.compressed()) {
            byte[] again;
            try {
                again = HepEncoder.encode(p);
            } catch (IllegalArgumentException tooLarge) {
                // Replacement characters in text chunks can push a near-maximal packet over 65,535 bytes.
                return;
            }
            try {
                if (!DECODER.decode(again).equals(p)) {
                    throw new AssertionError("encode then decode differs: " + p);
                }
            } catch (HepDecodeException e) {
                throw new AssertionError("re-encoded packet rejected: " + e.getMessage(), e);
            }
        }
        frame(input);
    }

    /** A direct buffer (copied through the decoder's scratch array) gives the same packet or rejection. */
    private static void sameFromADirectBuffer(byte[] input, HepPacket expected, HepDecodeException rejected) {
        ByteBuf direct = Unpooled.directBuffer(Math.max(1, input.length)).writeBytes(input);
        try {
            HepPacket q = DECODER.decode(direct);
            if (expected == null || !expected.equals(q)) {
                throw new AssertionError("direct buffer decoded to " + q + ", array to "
                        + (expected != null ? expected : rejected.reason()));
            }
        } catch (HepDecodeException e) {
            if (rejected == null || e.reason() != rejected.reason() || !e.getMessage().equals(rejected.getMessage())) {
                throw new AssertionError("direct buffer rejected (" + e.getMessage() + "), array gave "
                        + (expected != null ? expected : rejected.getMessage()), e);
            }
        } finally {
            direct.release();
        }
    }

    /** The same bytes as a TCP stream: frames within bounds, each decodable or rejected, or a corrupt stream. */
    private static void frame(byte[] input) {
        HepStreamFramer framer = new HepStreamFramer(4096);
        ByteBuf in = Unpooled.wrappedBuffer(input);
        try {
            ByteBuf frame;
            while ((frame = framer.nextFrame(in)) != null) {
                try {
                    if (frame.readableBytes() == 0 || frame.readableBytes() > 4096) {
                        throw new AssertionError("frame of " + frame.readableBytes() + " bytes");
                    }
                    try {
                        DECODER.decode(frame);
                    } catch (HepDecodeException expected) {
                        // a well-framed but malformed packet
                    }
                } finally {
                    frame.release();
                }
            }
        } catch (HepDecodeException corrupt) {
            if (corrupt.reason() == null) {
                throw new AssertionError("stream rejection without reason", corrupt);
            }
        } finally {
            in.release();
        }
    }
}
