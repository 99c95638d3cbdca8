package io.hepstack.api.query;

import io.hepstack.proto.query.Sql;
import io.hepstack.api.net.IpLiteral;
import io.hepstack.api.net.Network;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Times;
import io.hepstack.proto.call.CallState;
import io.hepstack.proto.call.HangupBy;
import io.hepstack.proto.media.CallMedia;
import io.hepstack.proto.hep.HepTransport;
import io.hepstack.proto.model.LogLevel;
import io.hepstack.proto.model.LogLine;
import io.hepstack.proto.model.MessageKind;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A search parameter turned into a condition on the {@code messages} table. The parameter names and
 * the columns they map to are a fixed allowlist ({@link Field}); values become bound parameters.
 * Positive values are alternatives (OR), negated ones all apply (AND): {@code a,b,!c} is
 * {@code (x = a OR x = b) AND x IS DISTINCT FROM c}. Conditions are written so that PostgreSQL can
 * use the partial indexes of docs/schema.md.
 */
public final class Filter {

    /**
     * The searchable fields: request parameter, column, how values are read, and the label a form shows.
     * The one definition of a search filter: the searches that take it ({@link SearchFamily}), their
     * OpenAPI parameters and {@code GET /api/v1/meta/search} (from which the UI builds its search form
     * and live filters) all follow from it.
     */
    public enum Field {
        CALL_ID("callId", "call_id", Type.TEXT, "Call-ID"),
        /**
         * The correlation id (HEP chunk 0x0011, a configured A-leg header, else the Call-ID); its index holds
         * only the rows where it differs from the Call-ID, the others are found through the Call-ID's.
         */
        CORRELATION_ID("correlationId", "correlation_id", "call_id", Type.CORRELATION, "Correlation id"),
        FROM_USER("fromUser", "from_user", Type.TEXT, "From user"),
        FROM_TAG("fromTag", "from_tag", Type.TEXT, "From tag"),
        TO_USER("toUser", "to_user", Type.TEXT, "To user"),
        TO_TAG("toTag", "to_tag", Type.TEXT, "To tag"),
        /** The R-URI user; its index holds only the rows where it differs from the To user, the others are found through the To user's. */
        RURI_USER("ruriUser", "ruri_user", "to_user", Type.RURI, "R-URI user"),
        METHOD("method", "method", Type.TEXT, "Method"),
        STATUS("status", "status", Type.STATUS, "Status"),
        /** The CSeq number (its method is {@code method}'s for requests). */
        CSEQ("cseq", "cseq", Type.UINT32, "CSeq number"),
        /** The branch of the top Via. */
        VIA_BRANCH("viaBranch", "via_branch", Type.TEXT, "Via branch"),
        SRC_IP("srcIp", "src_ip", Type.INET, "Source IP"),
        SRC_PORT("srcPort", "src_port", Type.PORT, "Source port"),
        DST_IP("dstIp", "dst_ip", Type.INET, "Destination IP"),
        DST_PORT("dstPort", "dst_port", Type.PORT, "Destination port"),
        /** The HEP envelope's transport byte (chunk 0x0002), by {@link HepTransport} name or number. */
        TRANSPORT("transport", "transport", Type.TRANSPORT, "Transport"),
        USER_AGENT("userAgent", "user_agent", Type.TEXT, "User-Agent"),
        /** The capture node (HEP chunk 0x0013, else the agent's id); the call list matches it on its record's nodes. */
        NODE("node", "node", Type.TEXT, "Node", "nodes"),
        /** The capture agent's id (HEP chunk 0x000c). */
        CAPTURE_ID("captureId", "capture_id", Type.UINT32, "Capture agent id"),
        PROTO_TYPE("protoType", "proto_type", Type.BYTE, "Payload type"),
        TEXT("text", "payload_text", Type.PAYLOAD, "Free text"),
        /**
         * Any SIP header by name, given as the parameter {@code header.NAME} ({@code header.X-Customer-Id=acme*}): a
         * line of the raw message, so bounded like {@code text} (no index serves it).
         */
        HEADER("header", "payload_text", Type.HEADER, "SIP header (header.NAME)"),
        /**
         * A field of a JSON payload (logs, QoS reports, any agent's JSON) by path, given as the parameter {@code
         * json.PATH} ({@code json.level=error}, {@code json.stats.mos=<3.5}): read from the raw payload, so bounded
         * like {@code text}.
         */
        JSON("json", "payload_text", Type.JSON, "JSON field (json.PATH)"),
        // Fields read from a line of the raw SIP message (bounded like text): the value between the two patterns.
        /** The user of a Contact header ({@code Contact: <sip:USER@host>}, compact form {@code m}). */
        CONTACT_USER("contactUser", Type.LINE, "Contact user", "(" + anyCase("Contact") + "|[Mm])[ \t]*:[^\r\n]*<?sips?:", "@"),
        /** The user of the P-Asserted-Identity ({@code sip:USER@host} or {@code tel:USER}). */
        PAI_USER("paiUser", Type.LINE, "P-Asserted-Identity user", "(" + anyCase("P-Asserted-Identity")
                + ")[ \t]*:[^\r\n]*(sips?|tel):", "([@;>,]|[ \t]*\r?$)"),
        /** The user name of an Authorization or Proxy-Authorization header ({@code username="USER"}). */
        AUTH_USER("authUser", Type.LINE, "Authorization user name", "(" + anyCase("Proxy-") + ")?" + anyCase("Authorization")
                + "[ \t]*:[^\r\n]*" + anyCase("username") + "[ \t]*=[ \t]*\"", "\""),
        /** The media type of the body ({@code Content-Type}, compact form {@code c}), without its parameters. */
        CONTENT_TYPE("contentType", Type.LINE, "Content-Type", "(" + anyCase("Content-Type") + "|[Cc])[ \t]*:[ \t]*",
                "[ \t]*(;[^\r\n]*)?\r?$"),
        /** The text of a Reason header ({@code Reason: Q.850;cause=16;text="TEXT"}). */
        REASON("reason", Type.LINE, "Reason text", "(" + anyCase("Reason") + ")[ \t]*:[^\r\n]*" + anyCase("text")
                + "[ \t]*=[ \t]*\"", "\""),
        /** An address of an SDP connection line ({@code c=IN IP4 ADDRESS}): for media questions. */
        SDP_ADDRESS("sdpAddress", Type.LINE, "SDP address (c=)", "c=IN IP[46] ", "(/[0-9]+)*[ \t]*\r?$"),
        /** A log line's level (the log family, HEP type 100: {@code extra.log.level}); only log rows have one. */
        LOG_LEVEL("logLevel", LogLine.LEVEL_SQL, Type.LEVEL, "Log level", MessageKind.LOG),

        // A call record's fields (call_records, kept by the collectors): only the call list takes them.
        /** The record's state ({@link CallState}). */
        STATE("state", "state", Type.CALL_STATE, "Call state", true),
        /** Who ended the call ({@link HangupBy}). */
        HANGUP_BY("hangupBy", "hangup_by", Type.HANGUP_BY, "Hung up by", true),
        /** The cause of the ending message's {@code Reason} header (Q.850 for most). */
        REASON_CAUSE("reasonCause", "reason_cause", Type.CAUSE, "Reason cause (Q.850)", true),
        /** Answer to end. */
        DURATION("duration", "duration_ms", Type.DURATION, "Duration", true),
        /** First INVITE to first 180/183 (post-dial delay). */
        PDD("pdd", "pdd_ms", Type.DURATION, "Post-dial delay", true),
        /** First INVITE to the answer. */
        SETUP("setup", "setup_ms", Type.DURATION, "Setup time", true),
        /** The worse direction's mean MOS (docs/media.md, "In the call record"). */
        MOS("mos", "mos", Type.DECIMAL, "MOS (worse direction)", true),
        /** The highest of the streams' mean packet loss, percent. */
        LOSS("loss", "loss_percent", Type.PERCENT, "Packet loss (worst stream)", true),
        /** The highest jitter of one media report. */
        JITTER("jitter", "jitter_ms", Type.DURATION, "Jitter (worst report)", true),
        /** A media verdict of the call. */
        VERDICT("verdict", "verdicts", Type.VERDICT, "Media verdict", true),
        /** The final reply to the call's INVITE: the record's, so that the list is cut in the index's order. */
        FINAL_STATUS("finalStatus", "final_status", Type.STATUS, "Final status", true),
        /** A codec of the answer's audio media line, as the SDP names it ({@code PCMU}, {@code opus}), in any case. */
        CODEC("codec", "codecs", Type.CODEC, "Codec (negotiated)", true),
        /** The caller: the From user of the first INVITE, matched as a number in any of its forms ({@link NumberPlan}). */
        CALLER("caller", "caller_user", Type.NUMBER, "Caller (number)", true),
        /** The callee: the To user of the first INVITE, matched as a number in any of its forms ({@link NumberPlan}). */
        CALLEE("callee", "callee_user", Type.NUMBER, "Callee (number)", true);

        private final String param;
        private final String column;
        private final String twin;
        private final Type type;
        private final String label;
        private final MessageKind onlyKind;
        private final boolean ofRecord;
        /** The column of {@code call_records} the call list matches it on, or {@code null}. */
        private final String recordColumn;
        /** Of a {@link Type#LINE} field: the patterns of its line before and after the value, else {@code null}. */
        private final String lineBefore;
        private final String lineAfter;

        /**
         * A field read from a line of the raw message: a line that matches {@code lineBefore} (PostgreSQL's
         * newline-sensitive regular expression, from the line's start), the value, then {@code lineAfter}.
         */
        Field(String param, Type type, String label, String lineBefore, String lineAfter) {
            this.param = param;
            this.column = "payload_text";
            this.twin = null;
            this.type = type;
            this.label = label;
            this.onlyKind = null;
            this.ofRecord = false;
            this.recordColumn = null;
            this.lineBefore = lineBefore;
            this.lineAfter = lineAfter;
        }

        Field(String param, String column, Type type, String label) {
            this(param, column, null, type, label, null);
        }

        /**
         * A field of a message that the call list matches on its record's {@code recordColumn} instead, a
         * {@code text[]} of which one element is to match.
         */
        Field(String param, String column, Type type, String label, String recordColumn) {
            this(param, column, null, type, label, null, false, recordColumn);
        }

        /** A column of a call record ({@code ofRecord} true), not of a message. */
        Field(String param, String column, Type type, String label, boolean ofRecord) {
            this(param, column, null, type, label, null, ofRecord);
        }

        /**
         * A field only messages of {@code onlyKind} have: a positive condition on it also names their kind,
         * so that PostgreSQL reads that kind's partitions (and its index) alone.
         */
        Field(String param, String column, Type type, String label, MessageKind onlyKind) {
            this(param, column, null, type, label, onlyKind);
        }

        /**
         * A field whose partial index leaves out the rows where it equals {@code twin}, an indexed column
         * too: a positive value is looked for in each index, where it is.
         */
        Field(String param, String column, String twin, Type type, String label) {
            this(param, column, twin, type, label, null);
        }

        Field(String param, String column, String twin, Type type, String label, MessageKind onlyKind) {
            this(param, column, twin, type, label, onlyKind, false);
        }

        Field(String param, String column, String twin, Type type, String label, MessageKind onlyKind, boolean ofRecord) {
            this(param, column, twin, type, label, onlyKind, ofRecord, ofRecord ? column : null);
        }

        Field(String param, String column, String twin, Type type, String label, MessageKind onlyKind, boolean ofRecord,
              String recordColumn) {
            this.param = param;
            this.column = column;
            this.twin = twin;
            this.type = type;
            this.label = label;
            this.onlyKind = onlyKind;
            this.ofRecord = ofRecord;
            this.recordColumn = recordColumn;
            this.lineBefore = null;
            this.lineAfter = null;
        }

        /** Whether it reads the raw payloads, which no index serves: its search is bounded by max-text-range. */
        public boolean readsPayloads() {
            return "payload_text".equals(column);
        }

        /** Whether it is a field of a call record ({@code call_records}) rather than of a message. */
        public boolean ofRecord() {
            return ofRecord;
        }

        /**
         * Whether the call list matches it on the call's record ({@code call_records}): a record's own field, or a
         * message's that the record keeps too (the nodes).
         */
        public boolean onRecord() {
            return recordColumn != null;
        }

        /** The fields of a message: every field but a call record's. */
        public static EnumSet<Field> ofMessages() {
            EnumSet<Field> fields = EnumSet.noneOf(Field.class);
            for (Field f : values()) {
                if (!f.ofRecord) {
                    fields.add(f);
                }
            }
            return fields;
        }

        /** The fields of a call record. */
        public static EnumSet<Field> ofRecords() {
            return EnumSet.complementOf(ofMessages());
        }

        public String param() {
            return param;
        }

        /** What a form calls it. */
        public String label() {
            return label;
        }

        /** The values it takes, beyond the common forms ({@code a,b}, {@code !v}, escapes). */
        public String syntax() {
            return type.syntax;
        }
    }

    enum Type {
        TEXT("exact value; * matches any characters (+4930*); a,b any of them; !v not v"),
        RURI("as text; matched against the R-URI user, or the To user where they are the same"),
        CORRELATION("as text; matched against the correlation id, or the Call-ID where they are the same"),
        PAYLOAD("case-insensitive substring of the raw message, * allowed inside; at most "
                + "homer.api.search.max-text-range of messages"),
        LINE("the exact value as written on its line; * matches any characters (alice*); a lone * any value (the line "
                + "is there); a,b any of them; !v not v; at most homer.api.search.max-text-range of messages"),
        HEADER("as header.NAME=value, NAME any header name (case-insensitive): the header's whole value, exact; * "
                + "matches any characters (acme*), a lone * any value (the header is present); a,b any of them; !v not v; "
                + "at most homer.api.search.max-text-range of messages"),
        JSON("as json.PATH=value, PATH keys and array indexes joined by dots (json.stats.mos, json.report_blocks.0.fraction_lost): "
                + "a number compares as a number (3.5, >3.5, >=3.5, <3.5, <=3.5), true/false as a boolean, anything else as "
                + "text (exact, * any characters), a lone * any value (the field is present); a,b any of them; !v not v; "
                + "at most homer.api.search.max-text-range of messages"),
        STATUS("486, a range 400-499, a class 4xx or a prefix 4* / 18*; a,b any of them; !v not v", 999),
        BYTE("a number 0-255 or a range 1-5; a,b any of them; !v not v", 255),
        PORT("a port 0-65535 or a range 5060-5080; a,b any of them; !v not v", 65535),
        UINT32("a number 0-4294967295 or a range 1-5; a,b any of them; !v not v", 0xFFFF_FFFFL),
        TRANSPORT(Arrays.stream(HepTransport.values()).map(t -> t.label().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")) + " (wss is ws: the agents send no number of their own for it), "
                + "or the HEP protocol byte 0-255 or a range; a,b any of them; !v not v", HepTransport.MAX_NUMBER),
        INET("an IPv4/IPv6 address, a CIDR block 10.0.0.0/8 or 10.1.* (trailing octets); names are never resolved"),
        LEVEL("emergency, alert, critical, error, warning, notice, info or debug (err, warn, fatal... too); "
                + "warning+ for warning and every level above it; a,b any of them; !v not v"),
        CALL_STATE(codes(CallState.values(), CallState::code) + "; a,b any of them; !v not v"),
        HANGUP_BY(codes(HangupBy.values(), HangupBy::code) + "; a,b any of them; !v not v"),
        CAUSE("a cause number 0-999 (Q.850: 16 normal clearing, 17 busy, 34 no circuit...) or a range 1-31; "
                + "a,b any of them; !v not v", 999),
        DURATION(">30s, >=30s, <2s, <=2s, a range 10s-1m or one value 500ms, in ms, s, m or h; a,b any of them; "
                + "!v not v (also a call without one)"),
        DECIMAL("<3.5, <=3.5, >4, >=4, a range 3-3.6 or one value 4.1 (to two decimals); a,b any of them; "
                + "!v not v (also a call without media reports)"),
        PERCENT(">5%, >=5%, <1%, <=1%, a range 1%-5% or one value 0% (the % may be left out); a,b any of them; "
                + "!v not v (also a call without media reports)"),
        VERDICT(String.join(", ", CallMedia.VERDICTS) + "; a,b any of them; !v not v"),
        CODEC("a codec name as the SDP gives it (PCMU, PCMA, G722, opus, telephone-event), any case; * matches any "
                + "characters (G7*); a,b any of them; !v not v (also a call without an answer's SDP)"),
        NUMBER("a number in any of its forms: +4930123, 004930123 and 030123 are the same number (homer.api.numbers.*); "
                + "anything else exactly; * matches any characters (*0123* contains 0123); a,b any of them; !v not v");

        private final String syntax;
        /** The largest value of a numeric type, else 0. */
        private final long max;

        Type(String syntax) {
            this(syntax, 0);
        }

        Type(String syntax, long max) {
            this.syntax = syntax;
            this.max = max;
        }

        boolean numeric() {
            return max > 0;
        }

        private static <E> String codes(E[] values, java.util.function.Function<E, String> code) {
            return Arrays.stream(values).map(code).collect(Collectors.joining(", "));
        }
    }

    private static final Pattern NUMBER = Pattern.compile("\\d{1,10}");
    private static final Pattern NUMBER_RANGE = Pattern.compile("(\\d{1,10})-(\\d{1,10})");
    private static final Pattern STATUS_CLASS = Pattern.compile("([1-6])[xX]{2}");
    private static final Pattern STATUS_PREFIX = Pattern.compile("([1-6]\\d?)%");
    private static final Pattern IPV4_WILDCARD = Pattern.compile("((?:\\d{1,3}\\.){1,3})%");
    private static final String DURATION_VALUE = "(\\d{1,9})(ms|s|m|h)";
    private static final Pattern DURATION_BOUND = Pattern.compile("(<=|>=|<|>)?" + DURATION_VALUE);
    private static final Pattern DURATION_RANGE = Pattern.compile(DURATION_VALUE + "-" + DURATION_VALUE);
    private static final String DECIMAL_VALUE = "(\\d{1,6}(?:\\.\\d{1,6})?)";
    private static final Pattern DECIMAL_BOUND = Pattern.compile("(<=|>=|<|>)?" + DECIMAL_VALUE);
    private static final Pattern DECIMAL_RANGE = Pattern.compile(DECIMAL_VALUE + "-" + DECIMAL_VALUE);
    private static final Pattern PERCENT_BOUND = Pattern.compile("(<=|>=|<|>)?" + DECIMAL_VALUE + "%?");
    private static final Pattern PERCENT_RANGE = Pattern.compile(DECIMAL_VALUE + "%?-" + DECIMAL_VALUE + "%?");

    /** A header name as RFC 3261 writes them (a token), at most 64 characters. */
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!%'*+._`~-]{1,64}");
    /** The prefix of a {@link Field#HEADER} parameter: {@code header.NAME}. */
    public static final String HEADER_PREFIX = "header.";
    /** The prefix of a {@link Field#JSON} parameter: {@code json.PATH}. */
    public static final String JSON_PREFIX = "json.";
    /** A JSON path: up to 8 keys or array indexes joined by dots, each of letters, digits, {@code _} and {@code -}. */
    private static final Pattern JSON_PATH = Pattern.compile("[A-Za-z0-9_-]{1,64}(\\.[A-Za-z0-9_-]{1,64}){0,7}");
    private static final Pattern JSON_NUMBER = Pattern.compile("(<=|>=|<|>)?(-?\\d{1,15}(\\.\\d{1,15})?)");

    private final Field field;
    private final List<Term> terms;
    /** How the numbers of a {@link Type#NUMBER} field are written. */
    private final NumberPlan numbers;
    /** What the parameter names: the header of a {@link Field#HEADER} filter, the path of a {@link Field#JSON} one, else {@code null}. */
    private final String key;
    /** A {@link Field#HEADER} filter of a header the collectors extract: read from {@code extra.headers}, not the payload. */
    private final boolean extracted;

    private Filter(Field field, List<Term> terms, String key) {
        this(field, terms, key, NumberPlan.NONE, false);
    }

    private Filter(Field field, List<Term> terms, String key, NumberPlan numbers, boolean extracted) {
        this.field = field;
        this.terms = terms;
        this.key = key;
        this.numbers = numbers;
        this.extracted = extracted;
    }

    /**
     * The filter of the request parameter {@code param} of {@code field} ({@link #field(String)}): a header's
     * parameter names its header ({@code header.X-Customer-Id}).
     *
     * @throws ApiException 400 when a value or the header's name does not fit
     */
    public static Filter of(String param, Field field, String raw, int maxValues, int maxLength) {
        return of(param, field, raw, maxValues, maxLength, NumberPlan.NONE, Map.of());
    }

    /**
     * The filter of the request parameter {@code param}, a number of {@link Type#NUMBER} matched in each of its
     * forms in {@code numbers}, and a header the collectors extract whole into {@code extra.headers}
     * ({@code homer.ingest.extraction.extra-headers}) searched there: {@code extracted} maps each such header's name in
     * lower case to its name as configured (the key it is stored under). Such a search reads no payload, so no text
     * range bounds it, and a whole value is found through the {@code messages_extra_headers} index.
     *
     * @throws ApiException 400 when a value or the header's name does not fit
     */
    public static Filter of(String param, Field field, String raw, int maxValues, int maxLength, NumberPlan numbers,
                            Map<String, String> extracted) {
        if (field == Field.JSON) {
            String path = param.startsWith(JSON_PREFIX) ? param.substring(JSON_PREFIX.length()) : "";
            if (!JSON_PATH.matcher(path).matches()) {
                throw ApiException.badRequest(Times.quote(param) + ": not a JSON path (expected json.PATH, PATH up to 8 "
                        + "keys or array indexes of letters, digits, _ and - joined by dots: json.stats.mos)");
            }
            return new Filter(field, Term.parse(param, raw, maxValues, maxLength), path);
        }
        if (field != Field.HEADER) {
            return of(field, raw, maxValues, maxLength, numbers);
        }
        String name = param.startsWith(HEADER_PREFIX) ? param.substring(HEADER_PREFIX.length()) : "";
        if (!HEADER_NAME.matcher(name).matches()) {
            throw ApiException.badRequest(Times.quote(param) + ": not a header name (expected header.NAME, NAME a token "
                    + "of at most 64 characters: header.X-Customer-Id)");
        }
        String stored = extracted.get(name.toLowerCase(Locale.ROOT));
        return new Filter(field, Term.parse(param, raw, maxValues, maxLength), stored != null ? stored : name, NumberPlan.NONE,
                stored != null);
    }

    /** Whether its search reads the raw payloads, which no index serves: then it is bounded by max-text-range. */
    public boolean readsPayloads() {
        return field.readsPayloads() && !extracted;
    }

    /**
     * The filter of one parameter.
     *
     * @throws ApiException 400 when a value does not fit the field
     */
    public static Filter of(Field field, String raw, int maxValues, int maxLength) {
        return of(field, raw, maxValues, maxLength, NumberPlan.NONE);
    }

    /**
     * The filter of one parameter, the numbers of a {@link Type#NUMBER} field written as {@code numbers} says.
     *
     * @throws ApiException 400 when a value does not fit the field
     */
    public static Filter of(Field field, String raw, int maxValues, int maxLength, NumberPlan numbers) {
        if (field == Field.HEADER || field == Field.JSON) {
            throw new IllegalArgumentException("a header's or JSON field's filter is made with of(param, field, ...)");
        }
        List<Term> terms = Term.parse(field.param, raw, maxValues, maxLength);
        Filter f = new Filter(field, terms, null, numbers, false);
        for (Term t : terms) {
            f.validate(t); // every value is checked before any SQL is written
        }
        return f;
    }

    public Field field() {
        return field;
    }

    /** Appends {@code AND (...)} for this filter, on the table alias {@code alias} ("" for none). */
    public void appendTo(Sql sql, String alias) {
        String column = extracted ? alias + "extra" : alias + field.column;
        boolean positive = appendTerms(sql, column, field.twin == null ? null : alias + field.twin);
        if (positive && field.onlyKind != null) {
            sql.append(" AND ").append(alias).append("kind = '").append(field.onlyKind.code()).append("'");
        }
    }

    /**
     * Appends {@code AND (...)} for this filter on the call record of table alias {@code alias} ({@code "c."}):
     * its {@link Field#onRecord() record column}, one element of it for an array ({@code nodes}, {@code codecs}).
     */
    public void appendToRecord(Sql sql, String alias) {
        if (!field.onRecord()) {
            throw new IllegalStateException(field.param + " is not matched on a call record");
        }
        String column = alias + field.recordColumn;
        if (field.ofRecord) {
            appendTerms(sql, column, null);
            return;
        }
        List<String> positive = new ArrayList<>();
        for (Term t : terms) {
            String element = elementCondition(sql, column, t, false);
            if (t.negated()) {
                sql.append(" AND ").append(element);
            } else {
                positive.add(element);
            }
        }
        if (!positive.isEmpty()) {
            sql.append(" AND (").append(String.join(" OR ", positive)).append(")");
        }
    }

    /**
     * Whether an element of the {@code text[]} {@code column} matches the term (its negation: none does): exact or
     * {@code LIKE}; of a {@code codec}, its name or the whole in any case; a lone {@code *}, whether there is any element.
     */
    private static String elementCondition(Sql sql, String column, Term t, boolean codec) {
        String cond;
        if (t.matchesAnything()) {
            cond = "cardinality(" + column + ") > 0";
        } else if (!codec) {
            cond = t.like() == null ? column + " @> ARRAY[" + sql.bind(t.literal()) + "]::text[]"
                    : "EXISTS (SELECT 1 FROM unnest(" + column + ") AS e(v) WHERE e.v LIKE " + sql.bind(t.like()) + ")";
        } else { // an SDP codec is NAME/RATE[/CHANNELS] (a=rtpmap): its name, or the whole, in any case
            String p = sql.bind(t.like() == null ? likeEscape(t.literal()) : t.like());
            cond = "EXISTS (SELECT 1 FROM unnest(" + column + ") AS e(v) WHERE split_part(e.v, '/', 1) ILIKE " + p
                    + " OR e.v ILIKE " + p + ")";
        }
        return t.negated() ? "NOT (" + cond + ")" : cond;
    }

    /**
     * Appends {@code AND (...)} for this filter applied to the SQL expression {@code column}, and
     * {@code twinColumn} for a field that has a twin (R-URI user: the To user).
     */
    public void appendTo(Sql sql, String column, String twinColumn) {
        appendTerms(sql, column, twinColumn);
    }

    /** Appends the conditions of the terms on {@code column}; whether there were positive ones. */
    private boolean appendTerms(Sql sql, String column, String twinColumn) {
        List<String> positive = new ArrayList<>();
        List<String> negative = new ArrayList<>();
        for (Term t : terms) {
            String condition = condition(sql, column, twinColumn, t);
            (t.negated() ? negative : positive).add(condition);
        }
        if (!positive.isEmpty()) {
            sql.append(" AND (").append(String.join(" OR ", positive)).append(")");
        }
        for (String n : negative) {
            sql.append(" AND ").append(n);
        }
        return !positive.isEmpty();
    }

    private void validate(Term t) {
        if (field.type.numeric()) {
            numbers(t);
        }
        switch (field.type) {
            case INET -> inet(t);
            case LEVEL -> levels(t);
            case CALL_STATE, HANGUP_BY, VERDICT -> code(t);
            case DURATION -> millis(t);
            case DECIMAL, PERCENT -> decimals(t);
            default -> {
            }
        }
    }

    /** A value of a field that takes one of a fixed set of codes ({@code completed}, {@code caller}...). */
    private String code(Term t) {
        String v = t.like() == null ? t.literal() : null;
        boolean known = v != null && switch (field.type) {
            case CALL_STATE -> Arrays.stream(CallState.values()).anyMatch(s -> s.code().equals(v));
            case HANGUP_BY -> Arrays.stream(HangupBy.values()).anyMatch(h -> h.code().equals(v));
            case VERDICT -> CallMedia.VERDICTS.contains(v);
            default -> false;
        };
        if (!known) {
            throw ApiException.badRequest(field.param + ": not one of the values: " + Times.quote(t.like() == null ? t.literal()
                    : t.like().replace('%', '*')) + " (expected: " + field.type.syntax + ")");
        }
        return v;
    }

    /**
     * {@code [low, high]} in milliseconds of a duration value, either bound {@code null} when open:
     * {@code >30s} is {@code (30000, null]} as {@code [30001, null]}.
     */
    private Long[] millis(Term t) {
        String v = t.like() == null ? t.literal() : "";
        Matcher m;
        if ((m = DURATION_RANGE.matcher(v)).matches()) {
            long low = millis(m.group(1), m.group(2));
            long high = millis(m.group(3), m.group(4));
            if (low > high) {
                throw ApiException.badRequest(field.param + ": empty range: " + Times.quote(v));
            }
            return new Long[] {low, high};
        }
        if ((m = DURATION_BOUND.matcher(v)).matches()) {
            long value = millis(m.group(2), m.group(3));
            String op = m.group(1) == null ? "=" : m.group(1);
            return switch (op) {
                case ">" -> new Long[] {value + 1, null};
                case ">=" -> new Long[] {value, null};
                case "<" -> new Long[] {null, value - 1};
                case "<=" -> new Long[] {null, value};
                default -> new Long[] {value, value};
            };
        }
        throw ApiException.badRequest(field.param + ": not a duration: " + Times.quote(t.like() == null ? t.literal()
                : t.like().replace('%', '*')) + " (expected: " + field.type.syntax + ")");
    }

    /**
     * {@code [low, high]} of a decimal value, either bound {@code null} when open, with whether each is
     * exclusive: {@code <3.5} is {@code [null, 3.5)}; one value {@code v} is {@code [v - 0.005, v + 0.005)}.
     */
    private Object[] decimals(Term t) {
        String v = t.like() == null ? t.literal() : "";
        boolean percent = field.type == Type.PERCENT;
        Matcher m;
        if ((m = (percent ? PERCENT_RANGE : DECIMAL_RANGE).matcher(v)).matches()) {
            double low = Double.parseDouble(m.group(1));
            double high = Double.parseDouble(m.group(2));
            if (low > high) {
                throw ApiException.badRequest(field.param + ": empty range: " + Times.quote(v));
            }
            return new Object[] {low, false, high, false};
        }
        if ((m = (percent ? PERCENT_BOUND : DECIMAL_BOUND).matcher(v)).matches()) {
            double value = Double.parseDouble(m.group(2));
            String op = m.group(1) == null ? "=" : m.group(1);
            return switch (op) {
                case ">" -> new Object[] {value, true, null, false};
                case ">=" -> new Object[] {value, false, null, false};
                case "<" -> new Object[] {null, false, value, true};
                case "<=" -> new Object[] {null, false, value, false};
                default -> new Object[] {value - 0.005, false, value + 0.005, true};
            };
        }
        throw ApiException.badRequest(field.param + ": not " + (percent ? "a percentage" : "a number") + ": "
                + Times.quote(t.like() == null ? t.literal() : t.like().replace('%', '*')) + " (expected: " + field.type.syntax + ")");
    }

    private static long millis(String amount, String unit) {
        long n = Long.parseLong(amount);
        return switch (unit) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
        };
    }

    private String condition(Sql sql, String col, String twin, Term t) {
        return switch (field.type) {
            case TEXT -> text(sql, col, t);
            case RURI, CORRELATION -> {
                if (t.negated() || t.matchesAnything()) {
                    yield text(sql, col, t);
                }
                // the column's partial index holds only rows where it differs from its twin (ruri_user from
                // to_user, correlation_id from call_id); the rest are found through the twin's index (docs/schema.md)
                String op = t.like() == null ? " = " : " LIKE ";
                String p = sql.bind(t.like() == null ? t.literal() : t.like());
                yield "((" + col + op + p + " AND " + col + " IS DISTINCT FROM " + twin + ") OR (" + twin + op + p
                        + " AND " + col + " = " + twin + "))";
            }
            case PAYLOAD -> {
                String p = sql.bind("%" + (t.like() == null ? likeEscape(t.literal()) : t.like()) + "%");
                yield t.negated() ? "(" + col + " IS NULL OR " + col + " NOT ILIKE " + p + ")" : col + " ILIKE " + p;
            }
            case JSON -> jsonCondition(sql, col, t);
            case LINE -> lineCondition(sql, col, "(?n)^" + field.lineBefore + valuePattern(t) + field.lineAfter, t);
            case HEADER -> {
                if (extracted) {
                    yield extractedHeader(sql, col, t);
                }
                yield lineCondition(sql, col, headerLine(key, t), t);
            }
            case STATUS, BYTE, PORT, UINT32, TRANSPORT, CAUSE -> {
                long[] r = numbers(t);
                String cond = r[0] == r[1] ? col + " = " + sql.bind(bindable(r[0]))
                        : col + " BETWEEN " + sql.bind(bindable(r[0])) + " AND " + sql.bind(bindable(r[1]));
                yield t.negated() ? "(" + col + " IS NULL OR NOT (" + cond + "))" : cond;
            }
            case CALL_STATE, HANGUP_BY -> text(sql, col, t);
            case CODEC -> elementCondition(sql, col, t, true);
            case NUMBER -> {
                if (t.like() != null) {
                    yield text(sql, col, t);
                }
                String forms = sql.bind(numbers.forms(t.literal()).toArray(String[]::new));
                yield t.negated() ? "(" + col + " IS NULL OR NOT (" + col + " = ANY(" + forms + "::text[])))"
                        : col + " = ANY(" + forms + "::text[])";
            }
            case VERDICT -> {
                String cond = col + " @> ARRAY[" + sql.bind(code(t)) + "]::text[]";
                yield t.negated() ? "NOT (" + cond + ")" : cond;
            }
            case DECIMAL, PERCENT -> {
                Object[] r = decimals(t);
                List<String> parts = new ArrayList<>(2);
                if (r[0] != null) {
                    parts.add(col + ((Boolean) r[1] ? " > " : " >= ") + sql.bind(r[0]));
                }
                if (r[2] != null) {
                    parts.add(col + ((Boolean) r[3] ? " < " : " <= ") + sql.bind(r[2]));
                }
                String cond = String.join(" AND ", parts);
                yield t.negated() ? "(" + col + " IS NULL OR NOT (" + cond + "))" : "(" + cond + ")";
            }
            case DURATION -> {
                Long[] r = millis(t);
                String cond = r[0] != null && r[0].equals(r[1]) ? col + " = " + sql.bind(r[0])
                        : r[0] != null && r[1] != null ? col + " BETWEEN " + sql.bind(r[0]) + " AND " + sql.bind(r[1])
                        : r[0] != null ? col + " >= " + sql.bind(r[0]) : col + " <= " + sql.bind(r[1]);
                yield t.negated() ? "(" + col + " IS NULL OR NOT (" + cond + "))" : cond;
            }
            case LEVEL -> {
                List<String> codes = new ArrayList<>();
                for (LogLevel l : levels(t)) {
                    codes.add(sql.bind(l.code()));
                }
                String in = codes.size() == 1 ? " = " + codes.get(0) : " IN (" + String.join(", ", codes) + ")";
                yield t.negated() ? "(" + col + " IS NULL OR NOT (" + col + in + "))" : col + in;
            }
            case INET -> {
                String[] v = inet(t);
                if (v == null) {
                    yield col + (t.negated() ? " IS NULL" : " IS NOT NULL");
                }
                String cond = v[1] == null ? col + " = " + sql.bind(v[0]) + "::inet"
                        : col + " <<= " + sql.bind(v[0] + "/" + v[1]) + "::inet";
                yield t.negated() ? "(" + col + " IS NULL OR NOT (" + cond + "))" : cond;
            }
        };
    }

    /**
     * The condition on {@code extra} ({@code col}) of an extracted header: a whole value by containment, which the
     * partial GIN index {@code messages_extra_headers} serves (its predicate {@code extra ? 'headers'} repeated so the
     * planner may use it); a wildcard, a presence or a negation on the value as text.
     */
    private String extractedHeader(Sql sql, String col, Term t) {
        if (!t.negated() && !t.matchesAnything() && t.like() == null) {
            com.fasterxml.jackson.databind.node.ObjectNode value = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                    .objectNode().put(key, t.literal());
            return "(" + col + " ? 'headers' AND " + col + "->'headers' @> " + sql.bind(value.toString()) + "::jsonb)";
        }
        return text(sql, "(" + col + "->'headers'->>" + sql.bind(key) + ")", t);
    }

    private static String text(Sql sql, String col, Term t) {
        if (t.matchesAnything()) {
            return col + (t.negated() ? " IS NULL" : " IS NOT NULL");
        }
        if (t.like() == null) {
            String p = sql.bind(t.literal());
            return t.negated() ? col + " IS DISTINCT FROM " + p : col + " = " + p;
        }
        String p = sql.bind(t.like());
        return t.negated() ? "(" + col + " IS NULL OR " + col + " NOT LIKE " + p + ")" : col + " LIKE " + p;
    }

    /** The levels a value names: {@code error}, {@code ERR}, or {@code warning+} (warning and every more severe level). */
    private List<LogLevel> levels(Term t) {
        String v = t.like() == null ? t.literal() : null;
        boolean andAbove = v != null && v.endsWith("+");
        LogLevel level = v == null ? null : LogLevel.ofWord(andAbove ? v.substring(0, v.length() - 1) : v);
        if (level == null) {
            throw ApiException.badRequest(field.param + ": not a log level: " + Times.quote(t.like() == null ? t.literal()
                    : t.like().replace('%', '*')) + " (expected: " + field.type.syntax + ")");
        }
        if (!andAbove) {
            return List.of(level);
        }
        List<LogLevel> levels = new ArrayList<>();
        for (LogLevel l : LogLevel.values()) {
            if (l.severity() <= level.severity()) {
                levels.add(l);
            }
        }
        return levels;
    }

    /**
     * The condition of a JSON path term on the payload: {@code hep_json_at} (V11) reads the value at the path, or
     * NULL for a payload that is no JSON; a number value compares numerically with numbers only, {@code true} and
     * {@code false} with booleans, any other value as text with strings (and numbers and booleans as written).
     */
    private String jsonCondition(Sql sql, String col, Term t) {
        String at = "hep_json_at(" + col + ", " + sql.bind(key.split("\\.")) + ")";
        String cond;
        Matcher m;
        if (t.matchesAnything()) {
            cond = at + " IS NOT NULL";
        } else if (t.like() == null && (m = JSON_NUMBER.matcher(t.literal())).matches()) {
            String op = m.group(1) == null ? "=" : m.group(1);
            cond = "(jsonb_typeof(" + at + ") = 'number' AND (" + at + " #>> '{}')::numeric " + op + " "
                    + sql.bind(new java.math.BigDecimal(m.group(2))) + ")";
        } else if (t.like() == null && (t.literal().equals("true") || t.literal().equals("false"))) {
            cond = at + " = " + sql.bind(t.literal()) + "::jsonb";
        } else if (t.like() == null) {
            cond = "(jsonb_typeof(" + at + ") IN ('string', 'number', 'boolean') AND " + at + " #>> '{}' = "
                    + sql.bind(t.literal()) + ")";
        } else {
            cond = "(jsonb_typeof(" + at + ") IN ('string', 'number', 'boolean') AND " + at + " #>> '{}' LIKE "
                    + sql.bind(t.like()) + ")";
        }
        return t.negated() ? "NOT coalesce(" + cond + ", false)" : cond;
    }

    /**
     * The regular expression (PostgreSQL's, newline-sensitive) of a line of the raw message that is header
     * {@code name} (any case) with the term's value: the whole value, {@code *} for any characters of the line.
     */
    static String headerLine(String name, Term t) {
        StringBuilder re = new StringBuilder("(?n)^").append(anyCase(name));
        re.append("[ \t]*:[ \t]*").append(valuePattern(t));
        return re.append("[ \t]*\r?$").toString();
    }

    /**
     * {@code col} (the raw message) has a line matching {@code regex}, or not when the term is negated. The regular
     * expression runs only on the messages that contain the value's longest literal part (its characters between
     * wildcards, case as typed, as the expression matches them): {@code strpos} rejects the others at a fraction of the
     * expression's cost, so an unextracted header over an hour costs a scan of the hour, not a regular expression
     * per message (docs/performance.md). The {@code CASE} keeps that order: PostgreSQL orders the conditions of an
     * {@code AND} by their cost, and would run the expression first.
     */
    private static String lineCondition(Sql sql, String col, String regex, Term t) {
        String part = longestLiteral(t);
        String re = sql.bind(regex);
        if (part.isEmpty()) {
            return t.negated() ? "(" + col + " IS NULL OR " + col + " !~ " + re + ")" : col + " ~ " + re;
        }
        String contains = "strpos(" + col + ", " + sql.bind(part) + ") > 0";
        return t.negated()
                ? "(" + col + " IS NULL OR CASE WHEN " + contains + " THEN " + col + " !~ " + re + " ELSE true END)"
                : "CASE WHEN " + contains + " THEN " + col + " ~ " + re + " ELSE false END";
    }

    /** The longest run of literal characters in a term's value (all of it without wildcards), empty with none. */
    static String longestLiteral(Term t) {
        return t.parts().stream().max(java.util.Comparator.comparingInt(String::length)).orElse("");
    }

    /** A term's value as a regular expression of one line: its characters literally, {@code *} any characters. */
    private static String valuePattern(Term t) {
        List<String> parts = t.parts();
        StringBuilder re = new StringBuilder();
        for (int p = 0; p < parts.size(); p++) {
            if (p > 0) {
                re.append("[^\r\n]*");
            }
            String part = parts.get(p);
            for (int i = 0; i < part.length(); i++) {
                re.append(regexLiteral(part.charAt(i)));
            }
        }
        return re.toString();
    }

    /** {@code word} as a regular expression of any case: {@code [Cc][Oo]...}. */
    static String anyCase(String word) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (Character.isLetter(c)) {
                re.append('[').append(Character.toUpperCase(c)).append(Character.toLowerCase(c)).append(']');
            } else {
                re.append(regexLiteral(c));
            }
        }
        return re.toString();
    }

    private static String regexLiteral(char c) {
        return Character.isLetterOrDigit(c) || c == ' ' || c > 127 ? String.valueOf(c) : "\\" + c;
    }

    static String likeEscape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '_' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** A number of this field as bound: a {@code bigint} column's as a long, the smaller ones' as an int. */
    private Object bindable(long value) {
        return field.type.max > Integer.MAX_VALUE ? (Object) value : (Object) (int) value;
    }

    /**
     * {@code [low, high]} of a numeric value: {@code 486}, {@code 400-499}; for status also {@code 4xx} or
     * {@code 4*}, for a transport also its name ({@link HepTransport#named}).
     */
    private long[] numbers(Term t) {
        boolean status = field.type == Type.STATUS;
        long max = field.type.max;
        String v = t.like() == null ? t.literal() : t.like();
        Matcher m;
        long low;
        long high;
        HepTransport named;
        if (field.type == Type.TRANSPORT && t.like() == null && (named = HepTransport.named(v)) != null) {
            low = high = named.number();
        } else if (t.like() == null && NUMBER.matcher(v).matches()) {
            low = high = Long.parseLong(v);
        } else if (t.like() == null && (m = NUMBER_RANGE.matcher(v)).matches()) {
            low = Long.parseLong(m.group(1));
            high = Long.parseLong(m.group(2));
        } else if (status && t.like() == null && (m = STATUS_CLASS.matcher(v)).matches()) {
            low = Integer.parseInt(m.group(1)) * 100L;
            high = low + 99;
        } else if (status && (m = STATUS_PREFIX.matcher(v)).matches()) {
            int digits = m.group(1).length();
            int scale = digits == 1 ? 100 : 10;
            low = Integer.parseInt(m.group(1)) * (long) scale;
            high = low + scale - 1;
        } else if (field.type == Type.TRANSPORT) {
            throw ApiException.badRequest(field.param + ": not a transport: " + Times.quote(t.literal())
                    + " (expected: " + field.type.syntax + ")");
        } else {
            throw ApiException.badRequest(field.param + ": not a number: " + Times.quote(t.literal())
                    + (status ? " (expected: 486, 400-499, 4xx or 4*)" : " (expected: a number or a range a-b)"));
        }
        if (low > high || high > max) {
            throw ApiException.badRequest(field.param + ": out of range: " + Times.quote(v.replace('%', '*'))
                    + " (expected: 0 to " + max + ")");
        }
        return new long[] {low, high};
    }

    /**
     * {@code [address, prefix]} of an address value ({@code prefix} null for one host); {@code null}
     * for a lone {@code *}. IPv4 values may end in {@code *} octets ({@code 10.1.*} is {@code 10.1.0.0/16}).
     */
    private String[] inet(Term t) {
        if (t.matchesAnything()) {
            return null;
        }
        String v = t.literal();
        if (t.like() != null) {
            Matcher m = IPV4_WILDCARD.matcher(t.like());
            if (!m.matches()) {
                throw badAddress(v);
            }
            String[] octets = m.group(1).split("\\.");
            // the given octets, then zeros: one IP literal, held to its rules (no octet over 255, no leading zero)
            InetAddress address = IpLiteral.parse(m.group(1) + "0.0.0.0".substring(2 * octets.length));
            if (address == null) {
                throw badAddress(m.group(1) + "*"); // as typed: the term's literal lacks its wildcard
            }
            return new String[] {address.getHostAddress(), String.valueOf(octets.length * 8)};
        }
        Network network = Network.parse(v);
        if (network == null) {
            throw badAddress(v);
        }
        return new String[] {network.address().getHostAddress(), v.indexOf('/') < 0 ? null : String.valueOf(network.prefix())};
    }

    private ApiException badAddress(String v) {
        return ApiException.badRequest(field.param + ": not an address: " + Times.quote(v)
                + " (expected: an IPv4 or IPv6 address, a CIDR block like 10.0.0.0/8, or 10.1.*)");
    }

    /** The allowlisted field of a parameter name ({@code header.NAME}: {@link Field#HEADER}), or {@code null}. */
    public static Field field(String param) {
        if (param.startsWith(HEADER_PREFIX)) {
            return Field.HEADER;
        }
        if (param.startsWith(JSON_PREFIX)) {
            return Field.JSON;
        }
        for (Field f : Field.values()) {
            if (f.param.equals(param)) {
                return f;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return field.param.toLowerCase(Locale.ROOT) + (key == null ? "" : "." + key) + terms;
    }
}
