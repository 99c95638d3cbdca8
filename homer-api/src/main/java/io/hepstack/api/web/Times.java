package io.hepstack.api.web;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Times on the wire: responses carry ISO-8601 UTC with microseconds
 * ({@code 2026-11-22T10:15:30.123456Z}); requests may give ISO-8601 with a zone or offset, or epoch
 * milliseconds.
 */
public final class Times {

    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    /** Earliest and latest times a request may name: what PostgreSQL and pcap both hold comfortably. */
    private static final Instant MIN = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("2999-12-31T23:59:59Z");

    private Times() {
    }

    public static String format(Instant t) {
        return MICROS.format(t);
    }

    /** Microseconds since the epoch. */
    public static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    public static Instant ofMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    /**
     * A request time.
     *
     * @throws ApiException 400 naming {@code param} when the value is neither form or out of range
     */
    public static Instant parse(String param, String value) {
        String v = value.trim().replace(' ', '+'); // a '+' of an offset that a client did not percent-encode
        Instant t;
        if (!v.isEmpty() && v.length() <= 15 && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            t = Instant.ofEpochMilli(Long.parseLong(v));
        } else {
            if (v.length() > 40) {
                throw ApiException.badRequest(param + ": not a time (expected: ISO-8601 with a zone, e.g. "
                        + "2026-11-22T10:15:30Z, or epoch milliseconds)");
            }
            try {
                t = OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeException e) {
                throw ApiException.badRequest(param + ": not a time: " + quote(v) + " (expected: ISO-8601 with a zone, "
                        + "e.g. 2026-11-22T10:15:30Z, or epoch milliseconds)");
            }
        }
        if (t.isBefore(MIN) || t.isAfter(MAX)) {
            throw ApiException.badRequest(param + ": time out of range (expected: between 1970 and 2999)");
        }
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * The range {@code [from, to)} of a request that looks back: without {@code to}, {@code now}; without
     * {@code from}, {@code to} minus {@code lookBack}.
     *
     * @param maxRange the longest range, {@code null} for any
     * @throws ApiException 400 naming the parameter that is wrong, or a range over {@code maxRange}
     */
    public static Instant[] lookBack(String from, String to, Duration lookBack, Duration maxRange, Instant now) {
        Instant end = blank(to) ? now : parse("to", to);
        Instant start = blank(from) ? end.minus(lookBack) : parse("from", from);
        return checkRange(start, end, maxRange);
    }

    /**
     * {@code [from, to)} when {@code from} is before {@code to} and they are at most {@code maxRange} apart (any when
     * {@code null}).
     *
     * @throws ApiException 400 saying which of the two is not so
     */
    public static Instant[] checkRange(Instant from, Instant to, Duration maxRange) {
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from: must be before to");
        }
        if (maxRange != null && Duration.between(from, to).compareTo(maxRange) > 0) {
            long hours = maxRange.toHours();
            throw ApiException.badRequest("time range longer than " + (hours % 24 == 0 ? hours / 24 + " days" : hours + " h")
                    + ": narrow from/to");
        }
        return new Instant[] {from, to};
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** A value for an error message: at most 64 characters, control characters shown as '?'. */
    public static String quote(String v) {
        String cut = v.length() > 64 ? v.substring(0, 64) + "..." : v;
        StringBuilder b = new StringBuilder(cut.length() + 2).append('"');
        cut.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.append('"').toString();
    }
}
