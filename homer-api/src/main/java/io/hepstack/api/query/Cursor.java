package io.hepstack.api.query;

import io.hepstack.api.web.ApiException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where the next page of a search starts: the sort key of the last item returned, opaque to the
 * client (base64url of {@code <kind>:<tsMicros>:<key>}). Pages are keyset pages, so rows stored
 * meanwhile never shift a page: no duplicates, no gaps.
 *
 * @param kind     which listing it belongs to ({@code m} messages, {@code c} calls)
 * @param tsMicros the last item's time
 * @param key      the last item's tie-breaker (row id, Call-ID)
 */
public record Cursor(char kind, long tsMicros, String key) {

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + ":" + tsMicros + ":" + key).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @throws ApiException 400 when {@code raw} is not a cursor of this listing
     */
    public static Cursor decode(String raw, char kind) {
        ApiException bad = ApiException.badRequest("cursor: not a cursor of this search (pass nextCursor unchanged)");
        if (raw.length() > 1200) {
            throw bad;
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw bad;
        }
        String[] parts = text.split(":", 3);
        if (parts.length != 3 || parts[0].length() != 1 || parts[0].charAt(0) != kind || parts[2].isEmpty()
                || parts[2].chars().anyMatch(Character::isISOControl)) {
            throw bad;
        }
        try {
            return new Cursor(kind, Long.parseLong(parts[1]), parts[2]);
        } catch (NumberFormatException e) {
            throw bad;
        }
    }

    /** The key as a row id. */
    public long rowId() {
        try {
            return Long.parseLong(key);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("cursor: not a cursor of this search (pass nextCursor unchanged)");
        }
    }
}
