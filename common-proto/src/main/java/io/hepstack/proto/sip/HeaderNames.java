package io.hepstack.proto.sip;

import java.nio.charset.StandardCharsets;

/**
 * The header names the parser knows, as small integer kinds, with their compact forms
 * (RFC 3261 §7.3.3, RFC 3265, RFC 3515, RFC 3892, RFC 4028, RFC 3841, RFC 8224) and whether their
 * values are comma-separated lists (RFC 3261 §7.3.1). Names are matched on bytes, ASCII
 * case-insensitively, without building a String.
 */
final class HeaderNames {
    /** A header the table does not know: matched by comparing names. */
    static final int OTHER = 0;

    static final int CALL_ID = 1;
    static final int FROM = 2;
    static final int TO = 3;
    static final int VIA = 4;
    static final int CONTACT = 5;
    static final int CONTENT_LENGTH = 6;
    static final int CONTENT_TYPE = 7;
    static final int CONTENT_ENCODING = 8;
    static final int SUPPORTED = 9;
    static final int SUBJECT = 10;
    static final int EVENT = 11;
    static final int REFER_TO = 12;
    static final int REFERRED_BY = 13;
    static final int ALLOW_EVENTS = 14;
    static final int SESSION_EXPIRES = 15;
    static final int IDENTITY = 16;
    static final int ACCEPT_CONTACT = 17;
    static final int REJECT_CONTACT = 18;
    static final int REQUEST_DISPOSITION = 19;
    static final int CSEQ = 20;
    static final int USER_AGENT = 21;
    static final int SERVER = 22;
    static final int P_ASSERTED_IDENTITY = 23;
    static final int AUTHORIZATION = 24;
    static final int PROXY_AUTHORIZATION = 25;
    static final int REASON = 26;
    static final int EXPIRES = 27;
    static final int MAX_FORWARDS = 28;
    static final int DIVERSION = 29;
    static final int WWW_AUTHENTICATE = 30;
    static final int PROXY_AUTHENTICATE = 31;
    static final int AUTHENTICATION_INFO = 32;
    static final int DATE = 33;
    static final int ORGANIZATION = 34;
    static final int MIN_EXPIRES = 35;
    static final int RETRY_AFTER = 36;
    static final int TIMESTAMP = 37;
    static final int MIME_VERSION = 38;
    static final int REPLY_TO = 39;
    static final int MIN_SE = 40;
    /** Kinds are bits of a {@code long} in {@link FramedSipMessage}: at most 64. */
    private static final int KINDS = 41;

    private static final boolean[] LIST = new boolean[KINDS];
    /** Compact form letter {@code a..z} to kind. */
    private static final int[] COMPACT = new int[26];
    /** Lower-case full names grouped by length, and the kind of each. */
    private static final byte[][][] BY_LENGTH = new byte[32][][];
    private static final int[][] KIND_BY_LENGTH = new int[32][];

    static {
        define(CALL_ID, "Call-ID", 'i', false);
        define(FROM, "From", 'f', false);
        define(TO, "To", 't', false);
        define(VIA, "Via", 'v', true);
        define(CONTACT, "Contact", 'm', true);
        define(CONTENT_LENGTH, "Content-Length", 'l', false);
        define(CONTENT_TYPE, "Content-Type", 'c', false);
        define(CONTENT_ENCODING, "Content-Encoding", 'e', true);
        define(SUPPORTED, "Supported", 'k', true);
        define(SUBJECT, "Subject", 's', false);
        define(EVENT, "Event", 'o', false);
        define(REFER_TO, "Refer-To", 'r', false);
        define(REFERRED_BY, "Referred-By", 'b', false);
        define(ALLOW_EVENTS, "Allow-Events", 'u', true);
        define(SESSION_EXPIRES, "Session-Expires", 'x', false);
        define(IDENTITY, "Identity", 'y', false);
        define(ACCEPT_CONTACT, "Accept-Contact", 'a', true);
        define(REJECT_CONTACT, "Reject-Contact", 'j', true);
        define(REQUEST_DISPOSITION, "Request-Disposition", 'd', true);
        define(CSEQ, "CSeq", 0, false);
        define(USER_AGENT, "User-Agent", 0, false);
        define(SERVER, "Server", 0, false);
        define(P_ASSERTED_IDENTITY, "P-Asserted-Identity", 0, true);
        define(AUTHORIZATION, "Authorization", 0, false);
        define(PROXY_AUTHORIZATION, "Proxy-Authorization", 0, false);
        define(REASON, "Reason", 0, true);
        define(EXPIRES, "Expires", 0, false);
        define(MAX_FORWARDS, "Max-Forwards", 0, false);
        define(DIVERSION, "Diversion", 0, true);
        define(WWW_AUTHENTICATE, "WWW-Authenticate", 0, false);
        define(PROXY_AUTHENTICATE, "Proxy-Authenticate", 0, false);
        define(AUTHENTICATION_INFO, "Authentication-Info", 0, false);
        define(DATE, "Date", 0, false);
        define(ORGANIZATION, "Organization", 0, false);
        define(MIN_EXPIRES, "Min-Expires", 0, false);
        define(RETRY_AFTER, "Retry-After", 0, false);
        define(TIMESTAMP, "Timestamp", 0, false);
        define(MIME_VERSION, "MIME-Version", 0, false);
        define(REPLY_TO, "Reply-To", 0, false);
        define(MIN_SE, "Min-SE", 0, false);
    }

    private HeaderNames() {
    }

    private static void define(int kind, String name, int compact, boolean list) {
        LIST[kind] = list;
        if (compact != 0) {
            COMPACT[compact - 'a'] = kind;
        }
        byte[] lower = name.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        int len = lower.length;
        byte[][] names = BY_LENGTH[len];
        int[] kinds = KIND_BY_LENGTH[len];
        int n = names == null ? 0 : names.length;
        byte[][] grownNames = new byte[n + 1][];
        int[] grownKinds = new int[n + 1];
        if (n > 0) {
            System.arraycopy(names, 0, grownNames, 0, n);
            System.arraycopy(kinds, 0, grownKinds, 0, n);
        }
        grownNames[n] = lower;
        grownKinds[n] = kind;
        BY_LENGTH[len] = grownNames;
        KIND_BY_LENGTH[len] = grownKinds;
    }

    /** The kind of the header name in {@code buf[from, to)}, or {@link #OTHER}. */
    static int kindOf(byte[] buf, int from, int to) {
        int len = to - from;
        if (len == 1) {
            int c = SipText.lower(buf[from]) - 'a';
            return c >= 0 && c < 26 ? COMPACT[c] : OTHER;
        }
        if (len <= 0 || len >= BY_LENGTH.length) {
            return OTHER;
        }
        byte[][] names = BY_LENGTH[len];
        if (names == null) {
            return OTHER;
        }
        for (int i = 0; i < names.length; i++) {
            if (SipText.equalsLowerAscii(buf, from, names[i])) {
                return KIND_BY_LENGTH[len][i];
            }
        }
        return OTHER;
    }

    /** The kind of a header name given as text (surrounding blanks ignored), or {@link #OTHER}. */
    static int kindOf(String name) {
        String n = name.trim();
        int len = n.length();
        if (len == 1) {
            int c = (n.charAt(0) | 0x20) - 'a';
            return c >= 0 && c < 26 ? COMPACT[c] : OTHER;
        }
        if (len <= 0 || len >= BY_LENGTH.length || BY_LENGTH[len] == null) {
            return OTHER;
        }
        byte[][] names = BY_LENGTH[len];
        for (int i = 0; i < names.length; i++) {
            if (equalsLowerAscii(n, names[i])) {
                return KIND_BY_LENGTH[len][i];
            }
        }
        return OTHER;
    }

    private static boolean equalsLowerAscii(String s, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the header name in {@code buf[from, to)} is {@code name} ignoring ASCII case; bytes
     * of a non-ASCII name compare as their UTF-8 encoding would not, so such names never match.
     */
    static boolean nameEquals(byte[] buf, int from, int to, String name) {
        if (to - from != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c > 0x7f || SipText.lower(buf[from + i]) != c) {
                return false;
            }
        }
        return true;
    }

    /** Whether values of this kind are comma-separated lists; unknown headers are treated as lists. */
    static boolean isList(int kind) {
        return kind == OTHER || LIST[kind];
    }
}
