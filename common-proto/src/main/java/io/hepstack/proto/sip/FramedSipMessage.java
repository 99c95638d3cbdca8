package io.hepstack.proto.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The {@link SipMessage} {@link SipParser} builds: start line fields, an index of header lines as
 * offsets into the caller's buffer, the CSeq and the body bounds. Other fields are parsed from their
 * header slice on first access and cached (one bit per field in {@link #done}).
 */
final class FramedSipMessage implements SipMessage {
    // Header index layout: SLOTS ints per header line.
    private static final int NAME_START = 0;
    private static final int NAME_END = 1;
    private static final int VALUE_START = 2;
    private static final int VALUE_END = 3;
    private static final int KIND = 4;
    private static final int SLOTS = 5;
    /** Header lines the index holds before it grows: more than most messages have. */
    private static final int INITIAL_HEADERS = 12;
    /** Set in the KIND slot when the value region spans continuation lines. */
    private static final int FOLDED = 0x100;
    /** Set in the KIND slot when every byte of the value region is plain ASCII (0x01-0x7f). */
    private static final int PLAIN = 0x200;
    private static final int KIND_MASK = 0xff;

    // Bits of `done`: which lazy fields are cached.
    private static final int F_URI = 1;
    private static final int F_REASON_PHRASE = 1 << 1;
    private static final int F_CALL_ID = 1 << 2;
    private static final int F_FROM = 1 << 3;
    private static final int F_TO = 1 << 4;
    private static final int F_VIA = 1 << 5;
    private static final int F_CONTACT = 1 << 6;
    private static final int F_USER_AGENT = 1 << 7;
    private static final int F_SERVER = 1 << 8;
    private static final int F_PAI = 1 << 9;
    private static final int F_AUTH_USER = 1 << 10;
    private static final int F_CONTENT_TYPE = 1 << 11;
    private static final int F_SDP = 1 << 12;
    private static final int F_CONTENT_LENGTH = 1 << 13;
    private static final int F_REASON = 1 << 14;
    private static final int F_EXPIRES = 1 << 15;
    private static final int F_MAX_FORWARDS = 1 << 16;
    private static final int F_DIVERSION = 1 << 17;
    private static final int F_FROM_FAST = 1 << 18;
    private static final int F_TO_FAST = 1 << 19;
    private static final int F_URI_USER = 1 << 20;
    private static final int F_VIA_BRANCH = 1 << 21;

    private final byte[] buf;
    private final int offset;
    private final int length;

    // Start line, set by the parser.
    boolean request;
    /** Whether the start line is plain ASCII (0x01-0x7f). */
    boolean startLinePlain;
    String method;
    int uriStart;
    int uriEnd;
    int statusCode;
    int reasonStart;
    int reasonEnd;

    // Framing results, set by the parser.
    CSeq cseq;
    /** Why the header block ended early, or {@code null}. */
    SipParseException damage;
    int bodyOffset;
    int bodyLength;
    int count;
    private int[] index = new int[INITIAL_HEADERS * SLOTS];
    /** Bit k set when a header line of kind k (k < 64) is indexed: absent kinds cost no scan. */
    private long kinds;

    private int done;
    private SipUri requestUri;
    private String reasonPhrase;
    private String callId;
    private NameAddress from;
    private NameAddress to;
    private Via via;
    private NameAddress contact;
    private String userAgent;
    private String server;
    private NameAddress pAssertedIdentity;
    private String authorizationUser;
    private String contentType;
    private Sdp sdp;
    private Integer contentLength;
    private String reason;
    private Integer expires;
    private Integer maxForwards;
    private NameAddress diversion;
    private String fromUser;
    private String fromTag;
    private String toUser;
    private String toTag;
    private String requestUriUser;
    private String viaBranch;

    FramedSipMessage(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.offset = offset;
        this.length = length;
    }

    // ---- index, used by the parser ----

    void addHeader(int nameStart, int nameEnd, int valueStart, int valueEnd, int kind, boolean plain) {
        int base = count * SLOTS;
        if (base == index.length) {
            index = Arrays.copyOf(index, index.length * 2);
        }
        index[base + NAME_START] = nameStart;
        index[base + NAME_END] = nameEnd;
        index[base + VALUE_START] = valueStart;
        index[base + VALUE_END] = valueEnd;
        index[base + KIND] = plain ? kind | PLAIN : kind;
        kinds |= 1L << kind;
        count++;
    }

    /** Joins a continuation line's content {@code [start, end)} to the last header's value. */
    void continueLast(int start, int end, boolean plain) {
        int base = (count - 1) * SLOTS;
        if (!plain) {
            index[base + KIND] &= ~PLAIN;
        }
        if (index[base + VALUE_START] == index[base + VALUE_END]) {
            index[base + VALUE_START] = start;
        } else {
            index[base + KIND] |= FOLDED;
        }
        index[base + VALUE_END] = end;
    }

    /** Removes the last header line from the index (it was cut); returns its name, for the error message. */
    String dropLast() {
        count--;
        int base = count * SLOTS;
        String name = SipText.excerpt(buf, index[base + NAME_START], index[base + NAME_END]);
        kinds = 0;
        for (int i = 0; i < count; i++) {
            kinds |= 1L << (index[i * SLOTS + KIND] & KIND_MASK);
        }
        return name;
    }

    /** Index of the first header line of this kind, or -1. */
    int first(int kind) {
        if ((kinds & (1L << kind)) == 0) {
            return -1;
        }
        for (int i = 0, base = KIND; i < count; i++, base += SLOTS) {
            if ((index[base] & KIND_MASK) == kind) {
                return i;
            }
        }
        return -1;
    }

    int valueStart(int header) {
        return index[header * SLOTS + VALUE_START];
    }

    int valueEnd(int header) {
        return index[header * SLOTS + VALUE_END];
    }

    int nameStart(int header) {
        return index[header * SLOTS + NAME_START];
    }

    /** The value of header line {@code header}, unfolded and decoded. */
    private String value(int header) {
        int base = header * SLOTS;
        int start = index[base + VALUE_START];
        int end = index[base + VALUE_END];
        if ((index[base + KIND] & FOLDED) != 0) {
            return SipText.decodeUnfolded(buf, start, end).trim();
        }
        if ((index[base + KIND] & PLAIN) != 0) {
            return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
        }
        return SipText.decode(buf, start, end);
    }

    /** Whether the value of the header at {@code base}, {@code buf[vs, ve)}, is plain ASCII. */
    private boolean plain(int base, int vs, int ve) {
        return (index[base + KIND] & PLAIN) != 0 || SipBytes.plainAscii(buf, vs, ve);
    }

    /** The value of the first header line of this kind, or {@code null}. */
    private String firstValue(int kind) {
        int h = first(kind);
        return h < 0 ? null : value(h);
    }

    // ---- start line ----

    @Override
    public boolean isRequest() {
        return request;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public SipUri requestUri() {
        if ((done & F_URI) == 0) {
            requestUri = request ? SipValues.uri(SipText.decode(buf, uriStart, uriEnd)) : null;
            done |= F_URI;
        }
        return requestUri;
    }

    @Override
    public int statusCode() {
        return statusCode;
    }

    @Override
    public String reasonPhrase() {
        if ((done & F_REASON_PHRASE) == 0) {
            reasonPhrase = request ? null : SipText.decode(buf, reasonStart, reasonEnd);
            done |= F_REASON_PHRASE;
        }
        return reasonPhrase;
    }

    // ---- mandatory headers ----

    @Override
    public String callId() {
        if ((done & F_CALL_ID) == 0) {
            callId = firstValue(HeaderNames.CALL_ID);
            done |= F_CALL_ID;
        }
        return callId;
    }

    @Override
    public CSeq cseq() {
        return cseq;
    }

    @Override
    public SipParseException damage() {
        return damage;
    }

    // ---- typed headers ----

    @Override
    public NameAddress from() {
        if ((done & F_FROM) == 0) {
            from = SipValues.nameAddress(firstValue(HeaderNames.FROM));
            done |= F_FROM;
        }
        return from;
    }

    @Override
    public NameAddress to() {
        if ((done & F_TO) == 0) {
            to = SipValues.nameAddress(firstValue(HeaderNames.TO));
            done |= F_TO;
        }
        return to;
    }

    // ---- storage fast path: straight from the bytes when the value is plain ASCII, else via the records ----

    @Override
    public String fromUser() {
        fastFrom();
        return fromUser;
    }

    @Override
    public String fromTag() {
        fastFrom();
        return fromTag;
    }

    @Override
    public String toUser() {
        fastTo();
        return toUser;
    }

    @Override
    public String toTag() {
        fastTo();
        return toTag;
    }

    @Override
    public String requestUriUser() {
        if ((done & F_URI_USER) == 0) {
            if (!request) {
                requestUriUser = null;
            } else if ((done & F_URI) == 0 && (startLinePlain || SipBytes.plainAscii(buf, uriStart, uriEnd))) {
                requestUriUser = SipBytes.uriUser(buf, uriStart, uriEnd);
            } else {
                SipUri uri = requestUri();
                requestUriUser = uri == null ? null : uri.user();
            }
            done |= F_URI_USER;
        }
        return requestUriUser;
    }

    @Override
    public String viaBranch() {
        if ((done & F_VIA_BRANCH) == 0) {
            String branch = SipBytes.QUOTED;
            int h = first(HeaderNames.VIA);
            if (h < 0) {
                branch = null;
            } else if ((done & F_VIA) == 0) {
                int base = h * SLOTS;
                int vs = index[base + VALUE_START];
                int ve = index[base + VALUE_END];
                if ((index[base + KIND] & FOLDED) == 0 && plain(base, vs, ve)) {
                    branch = SipBytes.viaBranch(buf, vs, ve);
                }
            }
            if (branch == SipBytes.QUOTED) {
                Via v = via();
                branch = v == null ? null : v.branch();
            }
            viaBranch = branch;
            done |= F_VIA_BRANCH;
        }
        return viaBranch;
    }

    private void fastFrom() {
        if ((done & F_FROM_FAST) == 0) {
            if ((done & F_FROM) != 0 || !nameAddressFast(true)) {
                NameAddress a = from();
                fromUser = a == null || a.uri() == null ? null : a.uri().user();
                fromTag = a == null ? null : a.tag();
            }
            done |= F_FROM_FAST;
        }
    }

    private void fastTo() {
        if ((done & F_TO_FAST) == 0) {
            if ((done & F_TO) != 0 || !nameAddressFast(false)) {
                NameAddress a = to();
                toUser = a == null || a.uri() == null ? null : a.uri().user();
                toTag = a == null ? null : a.tag();
            }
            done |= F_TO_FAST;
        }
    }

    /**
     * Sets user and tag of From ({@code from}) or To as {@code SipValues.nameAddress} reads them,
     * scanning the bytes (RFC 3261 §20.10 name-addr / addr-spec). Returns {@code false}, setting
     * nothing and leaving the work to the String path, when the value is folded, not plain ASCII, or
     * has a quoted tag.
     */
    private boolean nameAddressFast(boolean from) {
        int h = first(from ? HeaderNames.FROM : HeaderNames.TO);
        if (h < 0) {
            return true; // absent: user and tag stay null, as from()/to() give null
        }
        int base = h * SLOTS;
        int vs = index[base + VALUE_START];
        int ve = index[base + VALUE_END];
        if ((index[base + KIND] & FOLDED) != 0 || !plain(base, vs, ve)) {
            return false;
        }
        int i = SipBytes.skipWs(buf, vs, ve);
        if (i >= ve) {
            return true;
        }
        int searchFrom = i;
        if (buf[i] == '"') {
            int j = i + 1;
            while (j < ve) {
                byte c = buf[j];
                if (c == '\\' && j + 1 < ve) {
                    j += 2;
                } else if (c == '"') {
                    break;
                } else {
                    j++;
                }
            }
            searchFrom = Math.min(ve, j + 1);
        }
        int lt = SipBytes.indexOf(buf, searchFrom, ve, '<');
        int uriStartAt;
        int uriEndAt;
        int paramsFrom;
        if (lt >= 0) {
            int gt = SipBytes.indexOf(buf, lt + 1, ve, '>');
            uriStartAt = lt + 1;
            uriEndAt = gt < 0 ? ve : gt;
            paramsFrom = gt < 0 ? ve : gt + 1;
        } else {
            int semi = SipBytes.indexOf(buf, searchFrom, ve, ';');
            uriStartAt = searchFrom;
            uriEndAt = semi < 0 ? ve : semi;
            paramsFrom = uriEndAt;
        }
        int a = uriStartAt;
        int e = uriEndAt;
        while (a < e && buf[a] <= ' ') {
            a++;
        }
        while (e > a && buf[e - 1] <= ' ') {
            e--;
        }
        if (e - a == 1 && buf[a] == '*') {
            return true; // "*" is no address
        }
        String tag = SipBytes.param(buf, paramsFrom, ve, "tag");
        if (tag == SipBytes.QUOTED) {
            return false;
        }
        String user = e > a ? SipBytes.uriUser(buf, a, e) : null;
        if (from) {
            fromUser = user;
            fromTag = tag;
        } else {
            toUser = user;
            toTag = tag;
        }
        return true;
    }

    @Override
    public Via via() {
        if ((done & F_VIA) == 0) {
            via = SipValues.via(firstValue(HeaderNames.VIA));
            done |= F_VIA;
        }
        return via;
    }

    @Override
    public NameAddress contact() {
        if ((done & F_CONTACT) == 0) {
            contact = SipValues.nameAddress(SipValues.firstOfList(firstValue(HeaderNames.CONTACT)));
            done |= F_CONTACT;
        }
        return contact;
    }

    @Override
    public String userAgent() {
        if ((done & F_USER_AGENT) == 0) {
            userAgent = firstValue(HeaderNames.USER_AGENT);
            done |= F_USER_AGENT;
        }
        return userAgent;
    }

    @Override
    public String server() {
        if ((done & F_SERVER) == 0) {
            server = firstValue(HeaderNames.SERVER);
            done |= F_SERVER;
        }
        return server;
    }

    @Override
    public NameAddress pAssertedIdentity() {
        if ((done & F_PAI) == 0) {
            pAssertedIdentity = SipValues.nameAddress(SipValues.firstOfList(firstValue(HeaderNames.P_ASSERTED_IDENTITY)));
            done |= F_PAI;
        }
        return pAssertedIdentity;
    }

    @Override
    public String authorizationUser() {
        if ((done & F_AUTH_USER) == 0) {
            String user = SipValues.authUser(firstValue(HeaderNames.AUTHORIZATION));
            authorizationUser = user != null ? user : SipValues.authUser(firstValue(HeaderNames.PROXY_AUTHORIZATION));
            done |= F_AUTH_USER;
        }
        return authorizationUser;
    }

    @Override
    public String contentType() {
        if ((done & F_CONTENT_TYPE) == 0) {
            contentType = firstValue(HeaderNames.CONTENT_TYPE);
            done |= F_CONTENT_TYPE;
        }
        return contentType;
    }

    @Override
    public Integer contentLength() {
        if ((done & F_CONTENT_LENGTH) == 0) {
            int h = first(HeaderNames.CONTENT_LENGTH);
            int value = h < 0 ? -1 : SipParser.contentLength(buf, valueStart(h), valueEnd(h));
            contentLength = value < 0 ? null : value;
            done |= F_CONTENT_LENGTH;
        }
        return contentLength;
    }

    @Override
    public String reason() {
        if ((done & F_REASON) == 0) {
            reason = firstValue(HeaderNames.REASON);
            done |= F_REASON;
        }
        return reason;
    }

    @Override
    public Integer expires() {
        if ((done & F_EXPIRES) == 0) {
            expires = SipValues.smallInt(firstValue(HeaderNames.EXPIRES));
            done |= F_EXPIRES;
        }
        return expires;
    }

    @Override
    public Integer maxForwards() {
        if ((done & F_MAX_FORWARDS) == 0) {
            maxForwards = SipValues.smallInt(firstValue(HeaderNames.MAX_FORWARDS));
            done |= F_MAX_FORWARDS;
        }
        return maxForwards;
    }

    @Override
    public NameAddress diversion() {
        if ((done & F_DIVERSION) == 0) {
            diversion = SipValues.nameAddress(SipValues.firstOfList(firstValue(HeaderNames.DIVERSION)));
            done |= F_DIVERSION;
        }
        return diversion;
    }

    // ---- any header ----

    @Override
    public String header(String name) {
        if (name == null) {
            return null;
        }
        String trimmed = name.trim();
        int h = find(HeaderNames.kindOf(trimmed), trimmed, 0);
        return h < 0 ? null : value(h);
    }

    @Override
    public List<String> headers(String name) {
        if (name == null) {
            return List.of();
        }
        String trimmed = name.trim();
        int kind = HeaderNames.kindOf(trimmed);
        boolean list = HeaderNames.isList(kind);
        List<String> values = new ArrayList<>(2);
        for (int h = find(kind, trimmed, 0); h >= 0; h = find(kind, trimmed, h + 1)) {
            String value = value(h);
            if (list) {
                SipValues.splitList(value, values);
            } else if (!value.isEmpty()) {
                values.add(value);
            }
        }
        return Collections.unmodifiableList(values);
    }

    /**
     * Index of the first header line at or after {@code from} of this kind, or for {@link
     * HeaderNames#OTHER} named {@code name} ignoring ASCII case; -1 when there is none.
     */
    private int find(int kind, String name, int from) {
        if ((kinds & (1L << kind)) == 0) {
            return -1;
        }
        for (int i = from; i < count; i++) {
            int base = i * SLOTS;
            if ((index[base + KIND] & KIND_MASK) != kind) {
                continue;
            }
            if (kind != HeaderNames.OTHER
                    || HeaderNames.nameEquals(buf, index[base + NAME_START], index[base + NAME_END], name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public List<String> headerNames() {
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = SipText.decode(buf, index[i * SLOTS + NAME_START], index[i * SLOTS + NAME_END]);
        }
        return List.of(names);
    }

    // ---- body ----

    @Override
    public int bodyOffset() {
        return bodyOffset;
    }

    @Override
    public int bodyLength() {
        return bodyLength;
    }

    @Override
    public byte[] bodyBytes() {
        return Arrays.copyOfRange(buf, bodyOffset, bodyOffset + bodyLength);
    }

    @Override
    public Sdp sdp() {
        if ((done & F_SDP) == 0) {
            sdp = SdpParser.find(contentType(), buf, bodyOffset, bodyOffset + bodyLength);
            done |= F_SDP;
        }
        return sdp;
    }

    // ---- buffer ----

    @Override
    public byte[] buffer() {
        return buf;
    }

    @Override
    public int offset() {
        return offset;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public String toString() {
        String first = request ? method + " " + SipText.decode(buf, uriStart, uriEnd) : statusCode + " " + reasonPhrase();
        return "SipMessage[" + first + ", Call-ID " + callId() + ", CSeq " + cseq.number() + " " + cseq.method() + "]";
    }
}
