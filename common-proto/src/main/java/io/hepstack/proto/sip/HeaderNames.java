package io.hepstack.proto.sip;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

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
    /**
     * Full names in an open-addressing table (linear probing, never more than a sixth full), keyed by
     * length and first {@link SipText#lowerWord}: a name costs one hash and usually one comparison
     * of 8-byte words, and most unknown names end at an empty slot without any.
     */
    private static final int SLOT_BITS = 8;
    private static final int SLOT_MASK = (1 << SLOT_BITS) - 1;
    private static final long[][] SLOT_WORDS = new long[1 << SLOT_BITS][];
    private static final int[] SLOT_LENGTH = new int[1 << SLOT_BITS];
    /** The kind in each slot; {@link #OTHER} (0) marks an empty one. */
    private static final int[] SLOT_KIND = new int[1 << SLOT_BITS];

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
        byte[] lower = name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        int len = lower.length;
        long[] words = new long[(len + Long.BYTES - 1) / Long.BYTES];
        for (int w = 0; w < words.length; w++) {
            words[w] = SipText.lowerWord(lower, w * Long.BYTES, len);
        }
        int s = slot(words[0], len);
        while (SLOT_KIND[s] != OTHER) {
            s = (s + 1) & SLOT_MASK;
        }
        SLOT_WORDS[s] = words;
        SLOT_LENGTH[s] = len;
        SLOT_KIND[s] = kind;
    }

    private static int slot(long firstWord, int length) {
        return (int) (((firstWord ^ length) * 0x9E37_79B9_7F4A_7C15L) >>> (Long.SIZE - SLOT_BITS));
    }

    /** The kind of the header name in {@code buf[from, to)}, or {@link #OTHER}. */
    static int kindOf(byte[] buf, int from, int to) {
        int len = to - from;
        if (len == 1) {
            int c = SipText.lower(buf[from]) - 'a';
            return c >= 0 && c < 26 ? COMPACT[c] : OTHER;
        }
        if (len <= 0) {
            return OTHER;
        }
        long first = SipText.lowerWord(buf, from, to);
        for (int s = slot(first, len); ; s = (s + 1) & SLOT_MASK) {
            int kind = SLOT_KIND[s];
            if (kind == OTHER) {
                return OTHER;
            }
            long[] words = SLOT_WORDS[s];
            if (SLOT_LENGTH[s] == len && words[0] == first && restEquals(buf, from, to, words)) {
                return kind;
            }
        }
    }

    private static boolean restEquals(byte[] buf, int from, int to, long[] words) {
        for (int w = 1; w < words.length; w++) {
            if (words[w] != SipText.lowerWord(buf, from + w * Long.BYTES, to)) {
                return false;
            }
        }
        return true;
    }

    /** The kind of a header name given as text (surrounding blanks ignored), or {@link #OTHER}. */
    static int kindOf(String name) {
        String n = name.trim();
        int len = n.length();
        if (len == 1) {
            int c = (n.charAt(0) | 0x20) - 'a';
            return c >= 0 && c < 26 ? COMPACT[c] : OTHER;
        }
        if (len <= 0) {
            return OTHER;
        }
        long first = lowerWord(n, 0);
        for (int s = slot(first, len); ; s = (s + 1) & SLOT_MASK) {
            int kind = SLOT_KIND[s];
            if (kind == OTHER) {
                return OTHER;
            }
            long[] words = SLOT_WORDS[s];
            boolean equal = SLOT_LENGTH[s] == len;
            for (int w = 0; w < words.length && equal; w++) {
                equal = words[w] == lowerWord(n, w * Long.BYTES);
            }
            if (equal) {
                return kind;
            }
        }
    }

    /** {@link SipText#lowerWord} of the characters of {@code s} from {@code at}; -1 (no name's word) for a non-ASCII one. */
    private static long lowerWord(String s, int at) {
        int n = Math.min(Long.BYTES, s.length() - at);
        long w = 0;
        for (int i = n - 1; i >= 0; i--) {
            char c = s.charAt(at + i);
            if (c > 0x7f) {
                return -1;
            }
            w = (w << 8) | (c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        return w;
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
