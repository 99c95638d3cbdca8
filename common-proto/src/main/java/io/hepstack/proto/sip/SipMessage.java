package io.hepstack.proto.sip;

import java.util.List;

/**
 * A framed SIP message (RFC 3261 §7) over the caller's bytes. {@link SipParser} has split it into
 * start line, header lines and body, and checked Call-ID and CSeq; every other field is parsed from
 * its header slice on first access and cached. A message damaged at its end holds the header lines
 * before the damage, which {@link #damage()} names.
 *
 * <p>Contract of every accessor: it never throws. A header that is absent or cannot be read gives
 * {@code null} (or -1 / 0 as documented). Returned Strings are decoded as UTF-8 with malformed bytes
 * replaced by U+FFFD, and never contain NUL (replaced by U+FFFD too), so they fit a PostgreSQL text
 * column. Header names are matched case-insensitively and compact forms (RFC 3261 §7.3.3) are
 * understood; folded header lines are unfolded to one space.
 *
 * <p>The message keeps a reference to the caller's buffer, which must not change while the message
 * is used. It caches lazily without locks: hand it between threads only with a happens-before edge
 * (as a reactive pipeline or a queue does).
 */
public interface SipMessage {

    /** Whether the start line is a Request-Line rather than a Status-Line. */
    boolean isRequest();

    /** Request method as written (case-sensitive, RFC 3261 §7.1), or {@code null} for replies. */
    String method();

    /** The Request-URI, or {@code null} for replies or when it cannot be parsed. */
    SipUri requestUri();

    /** Status code, 100-699, or 0 for requests. */
    int statusCode();

    /** Reason phrase (may be empty), or {@code null} for requests. */
    String reasonPhrase();

    /** The Call-ID value; never {@code null} on a parsed message. */
    String callId();

    /** The CSeq; never {@code null} on a parsed message. */
    CSeq cseq();

    /**
     * What damage ended the header block before its empty line, or {@code null} for a message framed
     * up to its empty line. A message damaged at its end (a cut capture, a payload cut by its agent,
     * a binary trailer) is still accepted when its start line, Call-ID and CSeq are intact: every
     * complete header line before the damage is indexed, nothing after it is read, and it has no
     * body. Reasons: {@link SipParseError#TRUNCATED} when the input ends inside a header line (that
     * line is left out, and so is a header it continues) or where the empty line should be;
     * {@link SipParseError#BAD_HEADER} for the first line that is not a header line. Bytes after the
     * empty line are the body and never damage, whatever they are.
     */
    SipParseException damage();

    /** The From header. */
    NameAddress from();

    /** The To header. */
    NameAddress to();

    /** The first Via value (the topmost hop). */
    Via via();

    /** The first Contact value; {@code null} also for {@code Contact: *}. */
    NameAddress contact();

    /** The User-Agent header. */
    String userAgent();

    /** The Server header. */
    String server();

    /** The first P-Asserted-Identity value (RFC 3325). */
    NameAddress pAssertedIdentity();

    /** The {@code username} parameter of Authorization, else of Proxy-Authorization (RFC 3261 §22.4). */
    String authorizationUser();

    /** The Content-Type header, parameters included. */
    String contentType();

    /** The Content-Length header value, or {@code null} when absent or not a number. */
    Integer contentLength();

    /** The Reason header (RFC 3326), whole. */
    String reason();

    /** The Expires header, or {@code null} when absent or not a number. */
    Integer expires();

    /** The Max-Forwards header, or {@code null} when absent or not a number. */
    Integer maxForwards();

    /** The first Diversion value (RFC 5806). */
    NameAddress diversion();

    /**
     * The value of the first header line with this name (compact forms understood), whole and
     * trimmed, not split at commas; {@code null} when absent.
     */
    String header(String name);

    /**
     * Every value of this header: each header line in order, list-valued headers split at top-level
     * commas (outside quotes, {@code <>} and comments). Headers whose values are not comma lists
     * (Call-ID, CSeq, From, To, Subject, User-Agent, Server, Date, the four authentication headers
     * and the other single-valued ones) are never split. Empty when absent.
     */
    List<String> headers(String name);

    /** Header names as written, one per header line, in order. */
    List<String> headerNames();

    /** Offset of the body in {@link #buffer()}; the end of the message when there is no body. */
    int bodyOffset();

    /**
     * Body length: Content-Length when present and no more than the bytes there, otherwise every
     * byte after the blank line (a cut datagram keeps what arrived).
     */
    int bodyLength();

    /** A copy of the body bytes. */
    byte[] bodyBytes();

    /**
     * The SDP body: the body when Content-Type is {@code application/sdp}, or the first
     * {@code application/sdp} part of a {@code multipart/*} body; {@code null} otherwise.
     */
    Sdp sdp();

    /** The caller's buffer this message was parsed from (not a copy). */
    byte[] buffer();

    /** Offset of the message in {@link #buffer()}, as passed to the parser. */
    int offset();

    /** Length of the message in {@link #buffer()}, as passed to the parser. */
    int length();

    // ---- the storage fast path: one String each, no records built (same values as the records give) ----

    /** The From URI's user part: {@code from().uri().user()}, or {@code null}. */
    default String fromUser() {
        return from() == null || from().uri() == null ? null : from().uri().user();
    }

    /** The From tag: {@code from().tag()}, or {@code null}. */
    default String fromTag() {
        return from() == null ? null : from().tag();
    }

    /** The To URI's user part: {@code to().uri().user()}, or {@code null}. */
    default String toUser() {
        return to() == null || to().uri() == null ? null : to().uri().user();
    }

    /** The To tag: {@code to().tag()}, or {@code null}. */
    default String toTag() {
        return to() == null ? null : to().tag();
    }

    /** The Request-URI's user part: {@code requestUri().user()}; {@code null} for replies. */
    default String requestUriUser() {
        return requestUri() == null ? null : requestUri().user();
    }

    /** The branch of the first Via: {@code via().branch()}, or {@code null}. */
    default String viaBranch() {
        return via() == null ? null : via().branch();
    }
}
