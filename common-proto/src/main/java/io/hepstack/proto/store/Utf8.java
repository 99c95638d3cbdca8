package io.hepstack.proto.store;

import io.netty.buffer.ByteBuf;

/**
 * UTF-8 as PostgreSQL's text type takes it: well-formed per RFC 3629 (no overlong forms, no
 * surrogates, nothing above U+10FFFF) and without NUL, which text cannot hold.
 */
final class Utf8 {

    /** U+FFFD REPLACEMENT CHARACTER, written for NUL and unpaired surrogates. */
    private static final int REPLACEMENT = 0xFFFD;

    private Utf8() {
    }

    /** Whether {@code bytes} can be stored in a text column byte for byte. */
    static boolean isStorableText(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int b = bytes[i];
            if (b > 0) { // ASCII other than NUL
                i++;
                continue;
            }
            if (b == 0) {
                return false;
            }
            int b0 = b & 0xFF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                if (i + 1 >= n || !continuation(bytes[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                if (i + 2 >= n) {
                    return false;
                }
                int b1 = bytes[i + 1] & 0xFF;
                // RFC 3629 §4: E0 needs A0..BF (no overlong), ED needs 80..9F (no surrogates)
                int lo = b0 == 0xE0 ? 0xA0 : 0x80;
                int hi = b0 == 0xED ? 0x9F : 0xBF;
                if (b1 < lo || b1 > hi || !continuation(bytes[i + 2])) {
                    return false;
                }
                i += 3;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                if (i + 3 >= n) {
                    return false;
                }
                int b1 = bytes[i + 1] & 0xFF;
                // RFC 3629 §4: F0 needs 90..BF (no overlong), F4 needs 80..8F (nothing above U+10FFFF)
                int lo = b0 == 0xF0 ? 0x90 : 0x80;
                int hi = b0 == 0xF4 ? 0x8F : 0xBF;
                if (b1 < lo || b1 > hi || !continuation(bytes[i + 2]) || !continuation(bytes[i + 3])) {
                    return false;
                }
                i += 4;
            } else {
                return false; // 80..C1 and F5..FF never start a sequence
            }
        }
        return true;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /**
     * Writes at most {@code maxChars} UTF-16 units of {@code value} as UTF-8, NUL and unpaired
     * surrogates as U+FFFD; a surrogate pair is never cut in half.
     */
    static void write(ByteBuf out, CharSequence value, int maxChars) {
        int n = Math.min(value.length(), maxChars);
        out.ensureWritable(n);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80 && c != 0) {
                out.writeByte(c);
            } else if (c == 0) {
                writeCodePoint(out, REPLACEMENT);
            } else if (c < 0x800) {
                out.writeByte(0xC0 | (c >> 6)).writeByte(0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    if (i + 1 >= n) {
                        return; // the pair does not fit in maxChars
                    }
                    writeCodePoint(out, Character.toCodePoint(c, value.charAt(++i)));
                } else {
                    writeCodePoint(out, REPLACEMENT);
                }
            } else if (Character.isLowSurrogate(c)) {
                writeCodePoint(out, REPLACEMENT);
            } else {
                writeCodePoint(out, c);
            }
        }
    }

    private static void writeCodePoint(ByteBuf out, int cp) {
        if (cp < 0x800) {
            out.writeByte(0xC0 | (cp >> 6)).writeByte(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out.writeByte(0xE0 | (cp >> 12)).writeByte(0x80 | ((cp >> 6) & 0x3F)).writeByte(0x80 | (cp & 0x3F));
        } else {
            out.writeByte(0xF0 | (cp >> 18)).writeByte(0x80 | ((cp >> 12) & 0x3F))
                    .writeByte(0x80 | ((cp >> 6) & 0x3F)).writeByte(0x80 | (cp & 0x3F));
        }
    }

    /** {@code value} with NUL and unpaired surrogates replaced by U+FFFD; the same instance when clean. */
    static String sanitize(String value) {
        int n = value.length();
        int i = 0;
        while (i < n) {
            char c = value.charAt(i);
            if (c == 0 || Character.isLowSurrogate(c)) {
                break;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i += 2;
                    continue;
                }
                break;
            }
            i++;
        }
        if (i == n) {
            return value;
        }
        StringBuilder sb = new StringBuilder(n).append(value, 0, i);
        for (; i < n; i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                sb.append(c).append(value.charAt(++i));
            } else if (c == 0 || Character.isSurrogate(c)) {
                sb.append((char) REPLACEMENT);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
