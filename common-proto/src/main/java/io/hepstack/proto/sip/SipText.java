package io.hepstack.proto.sip;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level helpers for SIP text: character classes of RFC 3261 §25.1, ASCII case folding, and
 * the one way bytes become Strings (UTF-8 with replacement, NUL replaced, since every String the
 * parser returns may end up in a PostgreSQL text column).
 */
final class SipText {
    static final char REPLACEMENT = '\uFFFD';

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** RFC 3261 §25.1 {@code token} characters. */
    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c : "-.!%*_+`'~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    private SipText() {
    }

    static boolean isToken(byte b) {
        return b >= 0 && TOKEN[b];
    }

    static boolean isToken(char c) {
        return c < 128 && TOKEN[c];
    }

    /** SP or HTAB. */
    static boolean isWs(byte b) {
        return b == ' ' || b == '\t';
    }

    /** SP, HTAB, CR or LF: inside a header value region, folding is just whitespace. */
    static boolean isLws(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** ASCII lower case of a byte, other bytes unchanged. */
    static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    /** Whether {@code buf[from, from + lower.length)} equals {@code lower} ignoring ASCII case. */
    static boolean equalsLowerAscii(byte[] buf, int from, byte[] lower) {
        if (from < 0 || from + lower.length > buf.length) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            if (lower(buf[from + i]) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The 8 bytes of {@code buf[at, to)} from {@code at} as a little-endian word, bytes at or past
     * {@code to} zero, ASCII upper-case letters lowered (exactly as {@link #lower} does, byte by
     * byte): a letter is a byte whose low 7 bits are in 'A'-'Z' and whose top bit is clear.
     */
    static long lowerWord(byte[] buf, int at, int to) {
        int n = Math.min(Long.BYTES, to - at);
        long w;
        if (at + Long.BYTES <= buf.length) {
            w = (long) LONGS.get(buf, at);
            if (n < Long.BYTES) {
                w &= (1L << (n << 3)) - 1;
            }
        } else {
            w = 0;
            for (int i = n - 1; i >= 0; i--) {
                w = (w << 8) | (buf[at + i] & 0xff);
            }
        }
        long low7 = w & 0x7f7f_7f7f_7f7f_7f7fL;
        long atLeastA = low7 + 0x3f3f_3f3f_3f3f_3f3fL; // top bit set where low7 >= 'A' (0x41)
        long pastZ = low7 + 0x2525_2525_2525_2525L; // top bit set where low7 >= '[' (0x5b)
        long upper = atLeastA & ~pastZ & ~w & 0x8080_8080_8080_8080L;
        return w | (upper >>> 2);
    }

    /**
     * The top bit of each byte of {@code word} equal to the byte repeated in {@code pattern} (a SWAR
     * zero-byte test on their XOR). Bytes above the first equal one may be flagged falsely by the
     * borrow; the lowest flag is exact, and it is the only one callers read. Flags of several tests
     * may be OR-ed: the lowest flag of the union is still exact.
     */
    private static long equalBytes(long word, long pattern) {
        long v = word ^ pattern;
        return (v - 0x0101_0101_0101_0101L) & ~v & 0x8080_8080_8080_8080L;
    }

    /** Set in a {@link #scanLine} result when the line is not plain ASCII. */
    static final long NOT_PLAIN = 1L << 32;

    /**
     * One pass over a line: the index of the first LF in {@code buf[from, to)} (-1 when there is none)
     * in the low 32 bits, and {@link #NOT_PLAIN} set unless every byte before that LF (or before
     * {@code to}) is in 0x01-0x7f, the {@link #plainAscii} test. Framing needs the first, and the
     * header fast paths the second, which then costs no second pass over the values.
     */
    static long scanLine(byte[] buf, int from, int to) {
        long dirty = 0;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long w = (long) LONGS.get(buf, i);
            long lf = equalBytes(w, 0x0A0A_0A0A_0A0A_0A0AL);
            // a borrow only runs to higher bytes, so a flag below the LF comes from a byte below it
            long nonPlain = ((w - 0x0101_0101_0101_0101L) | w) & 0x8080_8080_8080_8080L;
            if (lf != 0) {
                long below = ((lf & -lf) >>> 7) - 1;
                return line(i + (Long.numberOfTrailingZeros(lf) >>> 3), dirty | (nonPlain & below));
            }
            dirty |= nonPlain;
        }
        for (; i < to; i++) {
            byte b = buf[i];
            if (b == '\n') {
                return line(i, dirty);
            }
            if (b <= 0) {
                dirty = 1;
            }
        }
        return line(-1, dirty);
    }

    private static long line(int lf, long dirty) {
        return (dirty != 0 ? NOT_PLAIN : 0) | (lf & 0xFFFF_FFFFL);
    }

    /**
     * End of a parameter value in {@code buf[from, to)}: the first byte that is a control character,
     * SP, ';', ',' or from 0x80 (a byte {@code <= ' '} as a signed byte, ';' or ','), or {@code to}.
     * Eight bytes per step, like {@link #indexOf}.
     */
    static int paramValueEnd(byte[] buf, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long w = (long) LONGS.get(buf, i);
            long stop = ((w - 0x2121_2121_2121_2121L) & ~w & 0x8080_8080_8080_8080L) // below '!', top bit clear
                    | (w & 0x8080_8080_8080_8080L) // top bit set: 0x80 and up
                    | equalBytes(w, 0x3B3B_3B3B_3B3B_3B3BL) // ';'
                    | equalBytes(w, 0x2C2C_2C2C_2C2C_2C2CL); // ','

            if (stop != 0) {
                return i + (Long.numberOfTrailingZeros(stop) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte c = buf[i];
            if (c <= ' ' || c == ';' || c == ',') {
                return i;
            }
        }
        return to;
    }

    /** First index of ':', SP or HTAB in {@code buf[from, to)}, or -1: where a header name ends. */
    static int indexOfColonOrWs(byte[] buf, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long w = (long) LONGS.get(buf, i);
            long hit = equalBytes(w, 0x3A3A_3A3A_3A3A_3A3AL) // ':'
                    | equalBytes(w, 0x2020_2020_2020_2020L) // SP
                    | equalBytes(w, 0x0909_0909_0909_0909L); // HTAB
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte c = buf[i];
            if (c == ':' || c == ' ' || c == '\t') {
                return i;
            }
        }
        return -1;
    }

    /** First index of LF in {@code buf[from, to)}, or -1: line ends are what framing looks for. */
    static int indexOfLf(byte[] buf, int from, int to) {
        return indexOf(buf, from, to, (byte) '\n');
    }

    /**
     * First index of {@code b} in {@code buf[from, to)}, or -1. Looks at 8 bytes per step (a SWAR
     * zero-byte test on the word XOR {@code b} in every byte; the lowest flagged byte is exact).
     */
    static int indexOf(byte[] buf, int from, int to, byte b) {
        long pattern = (b & 0xffL) * 0x0101_0101_0101_0101L;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long hit = equalBytes((long) LONGS.get(buf, i), pattern);
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code buf[from, to)} as a String: UTF-8, malformed sequences replaced by U+FFFD, NUL
     * replaced by U+FFFD. Plain ASCII takes the copy-only Latin-1 path.
     */
    static String decode(byte[] buf, int from, int to) {
        if (to <= from) {
            return "";
        }
        if (!plainAscii(buf, from, to)) {
            return decodeSlow(buf, from, to);
        }
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether every byte of {@code buf[from, to)} is in 0x01-0x7f, 8 bytes per step: in a word whose
     * bytes are all 0x01-0x7f, subtracting 1 from each byte borrows nowhere and sets no top bit, while a
     * 0x00 byte becomes 0xff and a byte from 0x80 has its top bit already.
     */
    static boolean plainAscii(byte[] buf, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long w = (long) LONGS.get(buf, i);
            if ((((w - 0x0101_0101_0101_0101L) | w) & 0x8080_8080_8080_8080L) != 0) {
                return false;
            }
        }
        for (; i < to; i++) {
            if (buf[i] <= 0) {
                return false;
            }
        }
        return true;
    }

    private static String decodeSlow(byte[] buf, int from, int to) {
        String s = new String(buf, from, to - from, StandardCharsets.UTF_8);
        return s.indexOf('\0') >= 0 ? s.replace('\0', REPLACEMENT) : s;
    }

    /**
     * A header value region that spans continuation lines, decoded with each line break and the
     * whitespace around it (RFC 3261 §7.3.1 LWS) replaced by one SP.
     */
    static String decodeUnfolded(byte[] buf, int from, int to) {
        byte[] out = new byte[to - from];
        int n = 0;
        int i = from;
        while (i < to) {
            byte b = buf[i];
            if (b == '\r' || b == '\n') {
                while (n > 0 && isWs(out[n - 1])) {
                    n--;
                }
                while (i < to && isLws(buf[i])) {
                    i++;
                }
                out[n++] = ' ';
            } else {
                out[n++] = b;
                i++;
            }
        }
        return decode(out, 0, n);
    }

    /** Up to 40 characters of {@code buf[from, to)} for an error message, non-printables as {@code ?}. */
    static String excerpt(byte[] buf, int from, int to) {
        int end = Math.min(to, from + 40);
        StringBuilder sb = new StringBuilder(end - from + 3);
        for (int i = from; i < end; i++) {
            byte b = buf[i];
            sb.append(b >= 0x20 && b < 0x7f ? (char) b : '?');
        }
        if (end < to) {
            sb.append("...");
        }
        return sb.toString();
    }
}
