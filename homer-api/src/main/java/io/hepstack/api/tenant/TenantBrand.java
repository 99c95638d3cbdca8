package io.hepstack.api.tenant;

import io.hepstack.api.web.ApiException;

import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A tenant's branding of the customer embed: a name shown above the call, an accent colour and a small logo,
 * each optional. What an admin sends is checked here ({@link #of}): the name is text of 1 to 64 characters
 * without control characters (shown as text, never as markup), the colour is {@code #rrggbb}, the logo is a
 * {@code data:} URL of a PNG, JPEG or WebP image of at most 64 KiB whose bytes are of that type (SVG, which can
 * carry script, is refused). A logo is served from the API's own origin, never from a URL the admin names, so
 * the embed's policy ({@code img-src 'self'}) needs no exception and no third party learns who opens a link.
 *
 * @param title    the name shown, or {@code null}
 * @param accent   {@code #rrggbb}, lower case, or {@code null}
 * @param logo     the image's bytes, or {@code null}
 * @param logoType {@code image/png}, {@code image/jpeg} or {@code image/webp}; {@code null} without a logo
 */
public record TenantBrand(String title, String accent, byte[] logo, String logoType) {

    /** The largest logo stored. */
    public static final int MAX_LOGO_BYTES = 64 * 1024;
    private static final Pattern ACCENT = Pattern.compile("#[0-9A-Fa-f]{6}");
    private static final Pattern DATA_URL = Pattern.compile("data:(image/[a-z+.-]+);base64,([A-Za-z0-9+/=\\s]+)");
    private static final Set<String> FIELDS = Set.of("title", "accent", "logo");

    /**
     * The branding an admin sends: {@code {"title", "accent", "logo"}}, every field optional ({@code null} or absent:
     * none).
     *
     * @throws ApiException 400 naming the field and what it takes
     */
    public static TenantBrand of(Map<String, Object> body) {
        for (String key : body.keySet()) {
            if (!FIELDS.contains(key)) {
                throw ApiException.badRequest("unknown field: " + key + " (fields: title, accent, logo)");
            }
        }
        String title = text(body, "title");
        if (title != null && (title.isBlank() || title.codePointCount(0, title.length()) > 64
                || title.codePoints().anyMatch(Character::isISOControl))) {
            throw ApiException.badRequest("title: 1 to 64 characters, no control characters");
        }
        String accent = text(body, "accent");
        if (accent != null && !ACCENT.matcher(accent).matches()) {
            throw ApiException.badRequest("accent: a colour as #rrggbb, e.g. #0b7285");
        }
        String logo = text(body, "logo");
        byte[] bytes = null;
        String type = null;
        if (logo != null) {
            if (logo.length() > MAX_LOGO_BYTES * 4 / 3 + 64) {
                throw ApiException.badRequest("logo: at most " + MAX_LOGO_BYTES / 1024 + " KiB");
            }
            var m = DATA_URL.matcher(logo);
            if (!m.matches()) {
                throw ApiException.badRequest("logo: a data URL, data:image/png;base64,... (PNG, JPEG or WebP)");
            }
            type = m.group(1);
            try {
                bytes = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("logo: not base64");
            }
            if (bytes.length == 0 || bytes.length > MAX_LOGO_BYTES) {
                throw ApiException.badRequest("logo: 1 byte to " + MAX_LOGO_BYTES / 1024 + " KiB, got " + bytes.length + " bytes");
            }
            String actual = typeOf(bytes);
            if (!type.equals(actual)) {
                throw ApiException.badRequest("logo: a PNG, JPEG or WebP image whose bytes match its type (SVG can carry "
                        + "script and is refused); declared " + type + ", bytes " + (actual == null ? "of no such image" : "of " + actual));
            }
        }
        return new TenantBrand(title, accent == null ? null : accent.toLowerCase(Locale.ROOT), bytes, type);
    }

    /** The image type of {@code bytes} by their magic numbers, or {@code null}. */
    static String typeOf(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return "image/jpeg";
        }
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return "image/webp";
        }
        return null;
    }

    private static String text(Map<String, Object> body, String field) {
        Object v = body.get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw ApiException.badRequest(field + ": a string");
        }
        return s;
    }

    /** As the embed reads it: the name, the colour, and whether there is a logo (served apart). */
    public record View(String title, String accent, boolean logo) {
    }

    /** This branding as the embed reads it. */
    public View view() {
        return new View(title, accent, logo != null);
    }
}
