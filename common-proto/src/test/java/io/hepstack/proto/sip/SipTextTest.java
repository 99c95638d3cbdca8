package io.hepstack.proto.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The byte helpers under the framing pass. */
class SipTextTest {

    @Test
    void findsTheFirstLineFeedAtEveryPositionAndAlignment() {
        byte[] fillers = {'a', 0x0b, 0x09, (byte) 0x8a, (byte) 0xff, 0x00, 0x0d, 0x0a - 1, 0x0a + 1};
        for (byte filler : fillers) {
            for (int length = 0; length <= 40; length++) {
                for (int from = 0; from <= Math.min(length, 9); from++) {
                    for (int lf = -1; lf < length; lf++) {
                        byte[] buf = new byte[length];
                        java.util.Arrays.fill(buf, filler);
                        if (lf >= 0) {
                            buf[lf] = '\n';
                            if (lf + 1 < length) {
                                buf[lf + 1] = '\n';
                            }
                        }
                        int expected = naiveIndexOfLf(buf, from, length);
                        assertThat(SipText.indexOfLf(buf, from, length))
                                .as("filler %02x length %d from %d lf %d", filler, length, from, lf)
                                .isEqualTo(expected);
                    }
                }
            }
        }
    }

    private static int naiveIndexOfLf(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsTheFirstOfAnyByteAtEveryPositionAndAlignment() {
        byte[] targets = {':', ';', ',', '"', '@', '>', (byte) 0x80, (byte) 0xff, 0x00, 0x7f};
        for (byte target : targets) {
            for (int length = 0; length <= 24; length++) {
                for (int from = 0; from <= Math.min(length, 9); from++) {
                    for (int at = -1; at < length; at++) {
                        byte[] buf = new byte[length];
                        // neighbours of the target value, which a faulty borrow in the word test would flag
                        java.util.Arrays.fill(buf, (byte) (target ^ 1));
                        if (at >= 0) {
                            buf[at] = target;
                        }
                        int expected = at >= from ? at : -1;
                        assertThat(SipText.indexOf(buf, from, length, target))
                                .as("target %02x length %d from %d at %d", target, length, from, at)
                                .isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void scansALineForItsEndAndWhetherTheBytesBeforeItArePlainAscii() {
        byte[] odd = {0x00, (byte) 0x80, (byte) 0xff, (byte) 0xc3, 0x01, 0x7f};
        for (byte bad : odd) {
            for (int length = 0; length <= 20; length++) {
                for (int from = 0; from <= Math.min(length, 3); from++) {
                    for (int lf = -1; lf < length; lf++) {
                        for (int at = -1; at < length; at++) {
                            byte[] buf = new byte[length];
                            java.util.Arrays.fill(buf, (byte) 'a');
                            if (at >= 0) {
                                buf[at] = bad;
                            }
                            if (lf >= 0) {
                                buf[lf] = '\n';
                            }
                            int expectedLf = naiveIndexOfLf(buf, from, length);
                            int lineEnd = expectedLf < 0 ? length : expectedLf;
                            boolean expectedPlain = SipText.plainAscii(buf, from, lineEnd);
                            long scan = SipText.scanLine(buf, from, length);
                            String what = String.format("bad %02x at %d, length %d from %d lf %d", bad, at, length, from, lf);
                            assertThat((int) scan).as(what).isEqualTo(expectedLf);
                            assertThat((scan & SipText.NOT_PLAIN) == 0).as(what).isEqualTo(expectedPlain);
                        }
                    }
                }
            }
        }
    }

    @Test
    void findsTheEndOfAParameterValueForEveryByteAtEveryPosition() {
        forEveryByteAtEveryPosition((buf, from, what) -> assertThat(SipText.paramValueEnd(buf, from, buf.length))
                .as(what)
                .isEqualTo(naiveIndexOf(buf, from, c -> c <= ' ' || c == ';' || c == ',', buf.length)));
    }

    @Test
    void findsWhereAHeaderNameEndsForEveryByteAtEveryPosition() {
        forEveryByteAtEveryPosition((buf, from, what) -> assertThat(SipText.indexOfColonOrWs(buf, from, buf.length))
                .as(what)
                .isEqualTo(naiveIndexOf(buf, from, c -> c == ':' || c == ' ' || c == '\t', -1)));
    }

    private interface ScanCheck {
        void check(byte[] buf, int from, String what);
    }

    /** Buffers of 0-18 'z' bytes with any one byte value at any position, scanned from 0, 1 and 2. */
    private static void forEveryByteAtEveryPosition(ScanCheck check) {
        for (int value = 0; value < 256; value++) {
            for (int length = 0; length <= 18; length++) {
                for (int at = -1; at < length; at++) {
                    byte[] buf = new byte[length];
                    java.util.Arrays.fill(buf, (byte) 'z');
                    if (at >= 0) {
                        buf[at] = (byte) value;
                    }
                    for (int from = 0; from <= Math.min(length, 2); from++) {
                        check.check(buf, from, String.format("byte %02x at %d, length %d, from %d", value, at, length, from));
                    }
                }
            }
        }
    }

    private static int naiveIndexOf(byte[] buf, int from, java.util.function.IntPredicate stop, int absent) {
        for (int i = from; i < buf.length; i++) {
            if (stop.test(buf[i])) {
                return i;
            }
        }
        return absent;
    }

    @Test
    void lowersEachByteOfAWordExactlyAsTheByteRuleDoes() {
        for (int b = 0; b < 256; b++) {
            for (int position = 0; position < 8; position++) {
                byte[] buf = new byte[8];
                java.util.Arrays.fill(buf, (byte) (255 - b)); // a different byte beside it
                buf[position] = (byte) b;
                long word = SipText.lowerWord(buf, 0, 8);
                for (int i = 0; i < 8; i++) {
                    assertThat((int) (word >>> (i * 8)) & 0xff)
                            .as("byte %02x at %d, position %d", b, position, i)
                            .isEqualTo(SipText.lower(buf[i]) & 0xff);
                }
            }
        }
    }

    @Test
    void aWordStopsAtTheGivenEndAndAtTheEndOfTheArray() {
        byte[] buf = "ABCDEFGHIJ".getBytes(StandardCharsets.US_ASCII);

        assertThat(SipText.lowerWord(buf, 0, 3)).isEqualTo(SipText.lowerWord("abc".getBytes(StandardCharsets.US_ASCII), 0, 3));
        assertThat(SipText.lowerWord(buf, 0, 3) >>> 24).isZero();
        assertThat(SipText.lowerWord(buf, 5, 10)).isEqualTo(SipText.lowerWord("fghij".getBytes(StandardCharsets.US_ASCII), 0, 5));
        assertThat(SipText.lowerWord(buf, 9, 10)).isEqualTo('j');
    }

    @Test
    void stopsLookingAtTheGivenEnd() {
        byte[] buf = "abcdefghijklmnop\n".getBytes(StandardCharsets.US_ASCII);

        assertThat(SipText.indexOfLf(buf, 0, 16)).isEqualTo(-1);
        assertThat(SipText.indexOfLf(buf, 0, 17)).isEqualTo(16);
    }

    @Test
    void decodesAsciiUtf8AndReplacesNulAndMalformedBytes() {
        assertThat(SipText.decode("plain".getBytes(StandardCharsets.US_ASCII), 0, 5)).isEqualTo("plain");
        assertThat(SipText.decode(new byte[] {'a', (byte) 0xc3, (byte) 0xa9, 0, (byte) 0xed, (byte) 0xa0, (byte) 0x80}, 0, 7))
                .doesNotContain("\0").startsWith("a\u00e9\uFFFD").doesNotContainPattern("[\\uD800-\\uDFFF]");
    }

    @Test
    void unfoldsEachLineBreakAndItsBlanksToOneSpace() {
        byte[] folded = "a  \r\n \t b\n\tc".getBytes(StandardCharsets.US_ASCII);

        assertThat(SipText.decodeUnfolded(folded, 0, folded.length)).isEqualTo("a b c");
    }

    @Test
    void quotesAtMostFortyPrintableCharactersInErrors() {
        byte[] bytes = ("\u0001" + "x".repeat(60)).getBytes(StandardCharsets.US_ASCII);

        assertThat(SipText.excerpt(bytes, 0, bytes.length)).isEqualTo("?" + "x".repeat(39) + "...");
    }

    /** The 8-bytes-per-step test agrees with the byte loop for every byte value at every position and alignment. */
    @Test
    void plainAsciiAgreesWithTheByteByByteDefinition() {
        for (int len = 0; len <= 20; len++) {
            for (int offset = 0; offset <= 3; offset++) {
                byte[] buf = new byte[offset + len + 3];
                java.util.Arrays.fill(buf, (byte) 'a');
                buf[0] = 0;
                buf[buf.length - 1] = (byte) 0x80; // outside the region: never looked at
                assertThat(SipText.plainAscii(buf, offset + (offset == 0 ? 1 : 0), offset + len))
                        .as("len %d offset %d", len, offset).isTrue();
                for (int pos = 0; pos < len; pos++) {
                    for (int v = -128; v < 128; v++) {
                        byte[] b = buf.clone();
                        b[offset + pos] = (byte) v;
                        boolean expected = true;
                        for (int i = offset; i < offset + len; i++) {
                            expected &= b[i] > 0;
                        }
                        assertThat(SipText.plainAscii(b, offset, offset + len))
                                .as("byte 0x%02x at %d of %d (offset %d)", v & 0xff, pos, len, offset).isEqualTo(expected);
                    }
                }
            }
        }
    }
}
