package io.hepstack.api.query;

import io.hepstack.api.web.ApiException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where the next (or previous) page of a search starts: the sort key of the item next to it, opaque to the
 * client (base64url of {@code <kind>:<tsMicros>:<key>}, or {@code <kind>:<tsMicros>:<value>:<key>} with the
 * value base64url-encoded again when the listing is sorted on another column). Pages are keyset pages, so rows
 * stored meanwhile never shift a page: no duplicates, no gaps.
 *
 * @param kind     which listing and way it belongs to ({@code m} messages; the call list's {@code a} after,
 *                 {@code b} before)
 * @param tsMicros the item's time
 * @param value    the item's place in a sorted listing (the call list's column and its value), or {@code null}
 * @param key      the item's tie-breaker (row id, Call-ID)
 */
public record Cursor(char kind, long tsMicros, String value, String key) {

    private static final String BAD = "cursor: not a cursor of this search (pass nextCursor or prevCursor unchanged)";

    /** A cursor of a listing in time order. */
    public Cursor(char kind, long tsMicros, String key) {
        this(kind, tsMicros, null, key);
    }

    public String encode() {
        String text = value == null ? kind + ":" + tsMicros + ":" + key
                : kind + ":" + tsMicros + ":" + base64(value.getBytes(StandardCharsets.UTF_8)) + ":" + key;
        return base64(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A cursor without value of {@code kind}.
     *
     * @throws ApiException 400 when {@code raw} is not a cursor of this listing
     */
    public static Cursor decode(String raw, char kind) {
        return decode(raw, kind, false);
    }

    /**
     * A cursor of {@code kind}, with a value when {@code valued}.
     *
     * @throws ApiException 400 when {@code raw} is not a cursor of this listing
     */
    public static Cursor decode(String raw, char kind, boolean valued) {
        ApiException bad = ApiException.badRequest(BAD);
        if (raw.length() > 1200) {
            throw bad;
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw bad;
        }
        String[] parts = text.split(":", valued ? 4 : 3);
        int keyAt = valued ? 3 : 2;
        if (parts.length != keyAt + 1 || parts[0].length() != 1 || parts[0].charAt(0) != kind || parts[keyAt].isEmpty()
                || parts[keyAt].chars().anyMatch(Character::isISOControl)) {
            throw bad;
        }
        try {
            String value = valued ? new String(Base64.getUrlDecoder().decode(parts[2]), StandardCharsets.UTF_8) : null;
            return new Cursor(kind, Long.parseLong(parts[1]), value, parts[keyAt]);
        } catch (IllegalArgumentException e) { // NumberFormatException too
            throw bad;
        }
    }

    /** The key as a row id. */
    public long rowId() {
        try {
            return Long.parseLong(key);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(BAD);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
