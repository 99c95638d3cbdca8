package io.hepstack.proto.sip;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level twins of the {@link SipValues} scanners for the storage fast path, valid only on
 * plain-ASCII regions (bytes 0x01-0x7f, see {@link #plainAscii}): there byte and char indices
 * coincide and the String rules (trim at {@code <= ' '}, token chars, case-insensitive names) read
 * the same, so each method returns exactly what its String twin returns. Callers fall back to the
 * String path for anything else (non-ASCII, NUL, folded values).
 */
final class SipBytes {

    private SipBytes() {
    }

    /** Whether every byte of {@code b[from, to)} is in 0x01-0x7f. */
    static boolean plainAscii(byte[] b, int from, int to) {
        return SipText.plainAscii(b, from, to);
    }

    static int skipWs(byte[] b, int from, int to) {
        int i = from;
        while (i < to && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    static int indexOf(byte[] b, int from, int to, char c) {
        return SipText.indexOf(b, from, to, (byte) c);
    }

    /** {@code b[from, to)} trimmed of chars {@code <= ' '} as a String, or {@code null} when empty. */
    static String trimToNull(byte[] b, int from, int to) {
        int a = from;
        int e = to;
        while (a < e && b[a] <= ' ') {
            a++;
        }
        while (e > a && b[e - 1] <= ' ') {
            e--;
        }
        return e > a ? new String(b, a, e - a, StandardCharsets.ISO_8859_1) : null;
    }

    /**
     * The user part of the URI {@code b[from, to)}, taken as it is (like the String path, no trimming:
     * a Request-URI is parsed untrimmed, a name-addr's URI is trimmed by the caller), as
     * {@code SipValues.uri(raw).user()} returns it: {@code null} for an empty or unparseable URI,
     * schemes other than sip, sips and tel, and sip URIs without '@'.
     */
    static String uriUser(byte[] b, int from, int to) {
        int a = from;
        int n = to;
        if (a == n) {
            return null;
        }
        int colon = indexOf(b, a, n, ':');
        if (colon <= a || !isAsciiLetter(b[a])) {
            return null;
        }
        for (int i = a + 1; i < colon; i++) {
            byte c = b[i];
            if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
                return null;
            }
        }
        int schemeLength = colon - a;
        int p = colon + 1;
        if (schemeLength == 3 && regionMatchesLower(b, a, "tel")) {
            int end = p;
            while (end < n && b[end] != ';' && b[end] != '?') {
                end++;
            }
            return trimToNull(b, p, end);
        }
        boolean sip = schemeLength == 3 && regionMatchesLower(b, a, "sip")
                || schemeLength == 4 && regionMatchesLower(b, a, "sips");
        if (!sip) {
            return null;
        }
        int at = indexOf(b, p, n, '@');
        if (at < 0) {
            return null;
        }
        int userEnd = p;
        while (userEnd < at && b[userEnd] != ':' && b[userEnd] != ';') {
            userEnd++;
        }
        return trimToNull(b, p, userEnd);
    }

    /**
     * The value of parameter {@code name} among the {@code ;name=value} parameters in
     * {@code b[from, to)}, as {@code SipValues.param} returns it ("" for a parameter without value,
     * {@code null} when absent). A quoted value returns {@link #QUOTED}: the caller then takes the
     * String path, which unescapes it.
     */
    static String param(byte[] b, int from, int to, String name) {
        if (SipText.indexOf(b, from, to, (byte) '"') < 0) {
            return unquotedParam(b, from, to, name);
        }
        int n = to;
        int i = from;
        while (i < n) {
            boolean quoted = false;
            while (i < n) {
                byte c = b[i];
                if (quoted) {
                    if (c == '\\') {
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ';') {
                    break;
                }
                i++;
            }
            if (i >= n) {
                return null;
            }
            String value = paramAt(b, i, n, name);
            if (value != null) {
                return value;
            }
            i = Math.max(afterParamName(b, i, n), i + 1);
        }
        return null;
    }

    /** {@link #param} over a region without '"': each ';' starts a parameter. */
    private static String unquotedParam(byte[] b, int from, int to, String name) {
        int i = SipText.indexOf(b, from, to, (byte) ';');
        while (i >= 0) {
            String value = paramAt(b, i, to, name);
            if (value != null) {
                return value;
            }
            i = SipText.indexOf(b, Math.max(afterParamName(b, i, to), i + 1), to, (byte) ';');
        }
        return null;
    }

    /**
     * The value of the parameter whose ';' is at {@code semi} when it is named {@code name} ("" when
     * it has no value, {@link #QUOTED} when quoted), else {@code null}.
     */
    private static String paramAt(byte[] b, int semi, int n, String name) {
        int nameStart = skipWs(b, semi + 1, n);
        int nameEnd = tokenEnd(b, nameStart, n);
        if (nameEnd - nameStart != name.length() || !regionMatchesLower(b, nameStart, name)) {
            return null;
        }
        int j = skipWs(b, nameEnd, n);
        if (j < n && b[j] == '=') {
            int v = skipWs(b, j + 1, n);
            if (v < n && b[v] == '"') {
                return QUOTED;
            }
            int end = SipText.paramValueEnd(b, v, n);
            return new String(b, v, end - v, StandardCharsets.ISO_8859_1);
        }
        return "";
    }

    /** Where the scan for the next parameter resumes after the one whose ';' is at {@code semi}. */
    private static int afterParamName(byte[] b, int semi, int n) {
        return skipWs(b, tokenEnd(b, skipWs(b, semi + 1, n), n), n);
    }

    private static int tokenEnd(byte[] b, int from, int to) {
        int i = from;
        while (i < to && SipText.isToken(b[i])) {
            i++;
        }
        return i;
    }

    /**
     * End of the list element starting at {@code from} in {@code b[from, to)}: the first comma
     * outside quotes, angle brackets and parentheses, or {@code to} ({@code SipValues.elementEnd}).
     */
    static int elementEnd(byte[] b, int from, int to) {
        if (SipText.indexOf(b, from, to, (byte) ',') < 0) {
            return to;
        }
        boolean quoted = false;
        int angle = 0;
        int paren = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                angle++;
            } else if (c == '>') {
                angle = Math.max(0, angle - 1);
            } else if (c == '(') {
                paren++;
            } else if (c == ')') {
                paren = Math.max(0, paren - 1);
            } else if (c == ',' && angle == 0 && paren == 0) {
                return i;
            }
        }
        return to;
    }

    /**
     * The branch parameter of the Via value {@code b[vs, ve)} as {@code SipValues.via(value).branch()}
     * reads it (RFC 3261 §20.42), or {@link #QUOTED} when the caller must take the String path (a
     * blank first element, or a quoted branch).
     */
    static String viaBranch(byte[] b, int vs, int ve) {
        int n = elementEnd(b, vs, ve);
        boolean blank = true;
        for (int i = vs; i < n && blank; i++) {
            blank = b[i] <= ' ';
        }
        if (blank) {
            return QUOTED;
        }
        int slash1 = indexOfOr(b, vs, n, '/', n);
        int slash2 = indexOfOr(b, Math.min(n, slash1 + 1), n, '/', n);
        if (slash2 >= n) {
            return null;
        }
        int t = skipWs(b, slash2 + 1, n);
        while (t < n && SipText.isToken(b[t])) {
            t++;
        }
        int h = skipWs(b, t, n);
        int p;
        if (h < n && b[h] == '[') {
            int close = indexOf(b, h + 1, ve, ']');
            if (close >= n) {
                close = -1;
            }
            p = close < 0 ? indexOfOr(b, h + 1, n, ';', n) : close + 1;
        } else {
            p = h;
            while (p < n && b[p] != ':' && b[p] != ';' && b[p] != ' ' && b[p] != '\t') {
                p++;
            }
        }
        p = skipWs(b, p, n);
        if (p < n && b[p] == ':') {
            p = skipWs(b, p + 1, n);
            while (p < n && b[p] >= '0' && b[p] <= '9') {
                p++;
            }
        }
        int semi = indexOfOr(b, p, n, ';', n);
        return semi >= n ? null : param(b, semi, n, "branch");
    }

    private static int indexOfOr(byte[] b, int from, int to, char c, int absent) {
        int i = indexOf(b, from, to, c);
        return i < 0 ? absent : i;
    }

    /** Marker returned by {@link #param} for a quoted value (compared by identity). */
    static final String QUOTED = new String("\"quoted\"");

    /** Whether {@code b[at, at + lower.length())} equals the lower-case ASCII {@code lower}, ignoring case. */
    private static boolean regionMatchesLower(byte[] b, int at, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            int c = b[at + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
