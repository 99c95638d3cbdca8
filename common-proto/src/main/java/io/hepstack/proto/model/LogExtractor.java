package io.hepstack.proto.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.hepstack.proto.hep.HepPacket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * The log family ({@link HepPayloadType#LOG}, HEP type 100): a log line as text or as a JSON object, with
 * the packet's correlation id (Kamailio's {@code hlog("$ci", ...)} and other agents name the call's
 * Call-ID in chunk 0x0011). Reads the line's {@link LogLevel}:
 * <ul>
 * <li>a JSON object: its top-level {@code level}, {@code severity}, {@code lvl}, {@code log_level},
 *     {@code loglevel} or {@code levelname}, a word ({@code "warn"}) or a syslog number ({@code 3});</li>
 * <li>text: a {@code level=} or {@code lvl=} key (logfmt), else the first upper-case level word among the
 *     first {@value #SCAN} characters, standing alone ({@code ERROR: tm [t_reply.c:...]},
 *     {@code [ERR] switch_core.c}, {@code WARNING[1234][C-00000001]: chan_sip.c}).</li>
 * </ul>
 * A line that names no level is stored without one; nothing here fails on any payload.
 */
final class LogExtractor implements PayloadExtractor {

    static final LogExtractor INSTANCE = new LogExtractor();

    /** How far into a text line its level word is looked for: agents put it in the line's prefix. */
    static final int SCAN = 160;

    private static final Set<String> JSON_LEVEL_FIELDS =
            Set.of("level", "severity", "lvl", "log_level", "loglevel", "levelname");

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build();

    private LogExtractor() {
    }

    @Override
    public CapturedMessage extract(HepPacket packet, HepPayloadType type, ExtractionSettings settings) {
        byte[] payload = packet.payload();
        LogLevel level = startsWithBrace(payload) ? jsonLevel(payload) : null;
        if (level == null) {
            level = textLevel(payload);
        }
        LogLine part = level == null ? LogLine.UNLEVELLED : new LogLine(level);
        return Extras.row(packet, type.kind(), packet.correlationId(), part, Extras.NONE);
    }

    private static boolean startsWithBrace(byte[] b) {
        for (byte c : b) {
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return c == '{';
            }
        }
        return false;
    }

    /** The level of a JSON object line's top-level level field, or {@code null} (also for JSON that does not parse). */
    static LogLevel jsonLevel(byte[] payload) {
        try (JsonParser p = JSON.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (JSON_LEVEL_FIELDS.contains(name)) {
                    if (v == JsonToken.VALUE_STRING) {
                        LogLevel l = LogLevel.ofWord(p.getText().trim());
                        if (l != null) {
                            return l;
                        }
                    } else if (v == JsonToken.VALUE_NUMBER_INT) {
                        LogLevel l = LogLevel.ofSeverity(p.getLongValue());
                        if (l != null) {
                            return l;
                        }
                    }
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // not JSON after all: read as text
        }
    }

    /** The level a text line names in its first {@link #SCAN} characters, or {@code null}. */
    static LogLevel textLevel(byte[] payload) {
        int end = Math.min(payload.length, SCAN);
        LogLevel logfmt = logfmtLevel(payload, end);
        if (logfmt != null) {
            return logfmt;
        }
        int i = 0;
        while (i < end) {
            if (!isUpper(payload[i])) {
                i++;
                continue;
            }
            int start = i;
            while (i < end && isUpper(payload[i])) {
                i++;
            }
            boolean alone = (start == 0 || !isWordByte(payload[start - 1])) && (i == payload.length || !isWordByte(payload[i]));
            if (alone && i - start <= 13) {
                LogLevel l = LogLevel.ofWord(new String(payload, start, i - start, StandardCharsets.US_ASCII));
                if (l != null) {
                    return l;
                }
            }
        }
        return null;
    }

    /** {@code level=warn} or {@code lvl=ERROR} (the value may be quoted), or {@code null}. */
    private static LogLevel logfmtLevel(byte[] b, int end) {
        for (int i = 0; i < end; i++) {
            if (b[i] != '=' || i == 0) {
                continue;
            }
            int k = i;
            while (k > 0 && isLower(b[k - 1] | 0x20)) {
                k--;
            }
            String key = new String(b, k, i - k, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
            if ((k > 0 && isWordByte(b[k - 1])) || !(key.equals("level") || key.equals("lvl"))) {
                continue;
            }
            int v = i + 1;
            if (v < b.length && b[v] == '"') {
                v++;
            }
            int e = v;
            while (e < b.length && e - v <= 13 && isLower(b[e] | 0x20)) {
                e++;
            }
            if (e > v) {
                return LogLevel.ofWord(new String(b, v, e - v, StandardCharsets.US_ASCII));
            }
        }
        return null;
    }

    private static boolean isUpper(int c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isLower(int c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isWordByte(int c) {
        return isUpper(c) || isLower(c) || (c >= '0' && c <= '9') || c == '_';
    }
}
