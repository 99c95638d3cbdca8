package io.hepstack.proto.sip;

import java.util.List;
import java.util.Locale;

/**
 * Tolerant parsers for decoded header values: name-addr, URIs, Via, parameters, comma lists and
 * small numbers. Each returns {@code null} (or -1) for what it cannot read and never throws; every
 * loop advances its index, so the work is linear in the value length.
 */
final class SipValues {
    // Sets of ASCII delimiters below 64, as bit masks for indexOfAny.
    private static final long SEMI_QUESTION = mask(";?");
    private static final long COLON_SEMI = mask(":;");
    private static final long HOST_END = mask(":;?>");
    private static final long PORT_END = mask(";?>");
    private static final long SEMI = mask(";");
    private static final long SLASH = mask("/");
    private static final long SEMI_COMMA = mask(";,");
    private static final long COMMA = mask(",");
    private static final long VIA_HOST_END = mask(":; \t");

    private SipValues() {
    }

    private static long mask(String chars) {
        long m = 0;
        for (int i = 0; i < chars.length(); i++) {
            m |= 1L << chars.charAt(i);
        }
        return m;
    }

    // ---- comma lists (RFC 3261 §7.3.1) ----

    /** Splits at commas outside quoted strings, {@code <>} and comments; trims, drops empty elements. */
    static void splitList(String s, List<String> out) {
        int n = s.length();
        int start = 0;
        while (start <= n) {
            int end = elementEnd(s, start);
            addTrimmed(s, start, end, out);
            start = end + 1;
        }
    }

    /** The first non-empty element of a comma list, or {@code null} when there is none. */
    static String firstOfList(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        int start = 0;
        while (start <= n) {
            int end = elementEnd(s, start);
            String element = trimToNull(s, start, end);
            if (element != null) {
                return element;
            }
            start = end + 1;
        }
        return null;
    }

    /** Index of the first comma at or after {@code from} outside quotes, {@code <>} and comments, or the length. */
    private static int elementEnd(String s, int from) {
        int n = s.length();
        boolean quoted = false;
        int angle = 0;
        int paren = 0;
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
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
        return n;
    }

    private static void addTrimmed(String s, int from, int to, List<String> out) {
        String element = trimToNull(s, from, to);
        if (element != null) {
            out.add(element);
        }
    }

    // ---- name-addr / addr-spec (RFC 3261 §20.10, §25.1) ----

    static NameAddress nameAddress(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        int i = skipWs(s, 0, n);
        if (i >= n) {
            return null;
        }
        String display = null;
        int searchFrom = i;
        if (s.charAt(i) == '"') {
            StringBuilder sb = new StringBuilder();
            int j = unquote(s, i + 1, n, sb);
            display = sb.toString();
            searchFrom = Math.min(n, j + 1);
        }
        int lt = s.indexOf('<', searchFrom);
        String uriText;
        int paramsFrom;
        if (lt >= 0) {
            if (display == null) {
                display = trimToNull(s, i, lt);
            }
            int gt = s.indexOf('>', lt + 1);
            int uriEnd = gt < 0 ? n : gt;
            uriText = trimToNull(s, lt + 1, uriEnd);
            paramsFrom = gt < 0 ? n : gt + 1;
        } else {
            // addr-spec: header parameters start at the first ';' (a URI with ';' must be in <>).
            int semi = s.indexOf(';', searchFrom);
            int uriEnd = semi < 0 ? n : semi;
            uriText = trimToNull(s, searchFrom, uriEnd);
            paramsFrom = uriEnd;
        }
        if (uriText != null && uriText.equals("*")) {
            return null;
        }
        SipUri uri = uriText == null ? null : uri(uriText);
        String tag = param(s, paramsFrom, n, "tag");
        return new NameAddress(display == null || display.isEmpty() ? null : display, uri, tag);
    }

    // ---- URIs (RFC 3261 §19.1.1, RFC 3966) ----

    static SipUri uri(String raw) {
        if (raw == null) {
            return null;
        }
        int n = raw.length();
        int colon = raw.indexOf(':');
        if (colon <= 0 || !isAsciiLetter(raw.charAt(0))) {
            return null;
        }
        for (int i = 1; i < colon; i++) {
            char c = raw.charAt(i);
            if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
                return null;
            }
        }
        String scheme = scheme(raw, colon);
        int p = colon + 1;
        if (scheme.equals("tel")) {
            int end = indexOfAny(raw, p, n, SEMI_QUESTION);
            return new SipUri(scheme, trimToNull(raw, p, end), null, -1, raw);
        }
        if (!scheme.equals("sip") && !scheme.equals("sips")) {
            return new SipUri(scheme, null, null, -1, raw);
        }
        String user = null;
        int at = raw.indexOf('@', p);
        if (at >= 0) {
            int userEnd = indexOfAny(raw, p, at, COLON_SEMI);
            user = trimToNull(raw, p, userEnd);
            p = at + 1;
        }
        String host;
        int port = -1;
        if (p < n && raw.charAt(p) == '[') {
            int close = raw.indexOf(']', p + 1);
            int hostEnd = close < 0 ? indexOfAny(raw, p + 1, n, SEMI_QUESTION) : close;
            host = trimToNull(raw, p + 1, hostEnd);
            p = close < 0 ? hostEnd : close + 1;
        } else {
            int hostEnd = indexOfAny(raw, p, n, HOST_END);
            host = trimToNull(raw, p, hostEnd);
            p = hostEnd;
        }
        if (p < n && raw.charAt(p) == ':') {
            port = port(raw, p + 1, indexOfAny(raw, p + 1, n, PORT_END));
        }
        return new SipUri(scheme, user, host, port, raw);
    }

    private static String scheme(String raw, int colon) {
        if (colon == 3 && raw.regionMatches(true, 0, "sip", 0, 3)) {
            return "sip";
        }
        if (colon == 4 && raw.regionMatches(true, 0, "sips", 0, 4)) {
            return "sips";
        }
        if (colon == 3 && raw.regionMatches(true, 0, "tel", 0, 3)) {
            return "tel";
        }
        return raw.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    // ---- Via (RFC 3261 §20.42) ----

    /** The first Via of a (possibly comma-separated) Via header value. */
    static Via via(String s) {
        if (s == null) {
            return null;
        }
        int n = elementEnd(s, 0);
        if (isBlank(s, 0, n)) {
            return n == s.length() ? null : via(firstOfList(s));
        }
        // sent-protocol = protocol-name SLASH protocol-version SLASH transport, LWS allowed around SLASH
        int slash1 = indexOfAny(s, 0, n, SLASH);
        int slash2 = indexOfAny(s, Math.min(n, slash1 + 1), n, SLASH);
        if (slash2 >= n) {
            return null;
        }
        int t = skipWs(s, slash2 + 1, n);
        int tEnd = t;
        while (tEnd < n && isTokenChar(s.charAt(tEnd))) {
            tEnd++;
        }
        String transport = tEnd > t ? s.substring(t, tEnd).toUpperCase(Locale.ROOT) : null;
        int h = skipWs(s, tEnd, n);
        String host;
        int port = -1;
        int p;
        if (h < n && s.charAt(h) == '[') {
            int close = s.indexOf(']', h + 1);
            if (close >= n) {
                close = -1;
            }
            int hostEnd = close < 0 ? indexOfAny(s, h + 1, n, SEMI) : close;
            host = trimToNull(s, h + 1, hostEnd);
            p = close < 0 ? hostEnd : close + 1;
        } else {
            int hostEnd = indexOfAny(s, h, n, VIA_HOST_END);
            host = trimToNull(s, h, hostEnd);
            p = hostEnd;
        }
        p = skipWs(s, p, n);
        if (p < n && s.charAt(p) == ':') {
            int portStart = skipWs(s, p + 1, n);
            int portEnd = portStart;
            while (portEnd < n && s.charAt(portEnd) >= '0' && s.charAt(portEnd) <= '9') {
                portEnd++;
            }
            port = port(s, portStart, portEnd);
            p = portEnd;
        }
        int semi = indexOfAny(s, p, n, SEMI);
        String branch = semi >= n ? null : param(s, semi, n, "branch");
        return new Via(transport, host, port, branch);
    }

    // ---- parameters ----

    /**
     * The value of {@code ;name=value} parameter {@code name} in {@code s[from, to)}: unquoted,
     * {@code ""} for a parameter without value, {@code null} when absent.
     */
    static String param(String s, int from, int to, String name) {
        int n = Math.min(to, s.length());
        int i = from;
        while (i < n) {
            // move to the next ';' outside quotes
            boolean quoted = false;
            while (i < n) {
                char c = s.charAt(i);
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
            int nameStart = skipWs(s, i + 1, n);
            int nameEnd = nameStart;
            while (nameEnd < n && isTokenChar(s.charAt(nameEnd))) {
                nameEnd++;
            }
            int j = skipWs(s, nameEnd, n);
            boolean match = nameEnd - nameStart == name.length()
                    && s.regionMatches(true, nameStart, name, 0, name.length());
            if (match) {
                if (j < n && s.charAt(j) == '=') {
                    return value(s, skipWs(s, j + 1, n), n, SEMI_COMMA);
                }
                return "";
            }
            i = Math.max(j, i + 1);
        }
        return null;
    }

    /**
     * The content of a quoted-string (RFC 3261 §25.1) whose opening quote is just before {@code from},
     * backslash escapes undone, appended to {@code out}; returns the index of the closing quote, or
     * {@code n} when the string is not closed.
     */
    private static int unquote(String s, int from, int n, StringBuilder out) {
        int j = from;
        while (j < n) {
            char c = s.charAt(j);
            if (c == '\\' && j + 1 < n) {
                out.append(s.charAt(j + 1));
                j += 2;
            } else if (c == '"') {
                break;
            } else {
                out.append(c);
                j++;
            }
        }
        return j;
    }

    /** A token or quoted-string value starting at {@code from}, ending at whitespace or a stop char. */
    private static String value(String s, int from, int n, long stops) {
        if (from < n && s.charAt(from) == '"') {
            StringBuilder sb = new StringBuilder();
            unquote(s, from + 1, n, sb);
            return sb.toString();
        }
        int end = from;
        while (end < n) {
            char c = s.charAt(end);
            if (c <= ' ' || (c < 64 && (stops >>> c & 1) != 0)) {
                break;
            }
            end++;
        }
        return s.substring(from, end);
    }

    /**
     * The {@code username} of a credentials value {@code scheme name=value, name="value"...}
     * (RFC 3261 §25.1 {@code credentials}), or {@code null}.
     */
    static String authUser(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        int i = skipWs(s, 0, n);
        while (i < n && isTokenChar(s.charAt(i))) {
            i++; // auth-scheme
        }
        while (i < n) {
            while (i < n && (s.charAt(i) <= ' ' || s.charAt(i) == ',')) {
                i++;
            }
            int nameStart = i;
            while (i < n && isTokenChar(s.charAt(i))) {
                i++;
            }
            int nameEnd = i;
            i = skipWs(s, i, n);
            if (i >= n || s.charAt(i) != '=') {
                // not a name=value pair: skip one char so the loop always advances
                i = Math.max(i, nameEnd) + (nameEnd == nameStart ? 1 : 0);
                continue;
            }
            i = skipWs(s, i + 1, n);
            int valueStart = i;
            if (i < n && s.charAt(i) == '"') {
                i++;
                while (i < n && s.charAt(i) != '"') {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else {
                while (i < n && s.charAt(i) != ',' && s.charAt(i) > ' ') {
                    i++;
                }
            }
            if (nameEnd - nameStart == 8 && s.regionMatches(true, nameStart, "username", 0, 8)) {
                return value(s, valueStart, n, COMMA);
            }
        }
        return null;
    }

    // ---- small helpers ----

    /** A non-negative decimal below 2^31 with optional surrounding whitespace, else {@code null}. */
    static Integer smallInt(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        int i = skipWs(s, 0, n);
        int end = n;
        while (end > i && s.charAt(end - 1) <= ' ') {
            end--;
        }
        if (i == end) {
            return null;
        }
        long v = 0;
        for (int k = i; k < end; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return null;
            }
            v = v * 10 + (c - '0');
            if (v > Integer.MAX_VALUE) {
                return null;
            }
        }
        return (int) v;
    }

    /** A port number in {@code s[from, to)}, or -1 unless it is 1-5 digits in 0-65535. */
    static int port(String s, int from, int to) {
        int len = to - from;
        if (len < 1 || len > 5) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= 65535 ? v : -1;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isTokenChar(char c) {
        return SipText.isToken(c);
    }

    static int skipWs(String s, int from, int n) {
        int i = from;
        while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** First index in {@code s[from, to)} of a character in {@code mask} (see {@link #mask}), or {@code to}. */
    static int indexOfAny(String s, int from, int to, long mask) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 64 && (mask >>> c & 1) != 0) {
                return i;
            }
        }
        return to;
    }

    private static boolean isBlank(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) > ' ') {
                return false;
            }
        }
        return true;
    }

    /** {@code s[from, to)} trimmed, or {@code null} when that is empty. */
    static String trimToNull(String s, int from, int to) {
        int a = Math.max(0, from);
        int b = Math.min(to, s.length());
        while (a < b && s.charAt(a) <= ' ') {
            a++;
        }
        while (b > a && s.charAt(b - 1) <= ' ') {
            b--;
        }
        return b > a ? s.substring(a, b) : null;
    }
}
