package io.hepstack.api.registration;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.query.Cursor;
import io.hepstack.api.query.Filter;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Params;
import io.hepstack.api.web.Times;
import io.hepstack.proto.registration.RegistrationState;
import org.springframework.util.MultiValueMap;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What {@code GET /api/v1/registrations} asks for (docs/api.md): the bindings registered at some time in
 * {@code [from, to)} (their first REGISTER read before {@code to}, their last not before {@code from}), in one of
 * {@code states} as read at {@code now}, of the AoRs {@code user} names, from {@code srcIp}, captured by {@code node};
 * newest first or failing first, a page of {@code limit} after {@code cursor}.
 *
 * @param states    state codes, empty for any
 * @param aorLike   a {@code LIKE} pattern on the AoR (escaped), {@code null} for any
 * @param srcIp     the source addresses or networks (Filter's syntax), {@code null} for any
 * @param node      a capture node, {@code null} for any
 * @param cursor    where the page starts, {@code null} for the first
 */
record RegistrationQuery(Instant from, Instant to, Instant now, List<String> states, String aorLike, Filter srcIp, String node,
                         Order order, Cursor cursor, int limit) {

    /** The list's orders. */
    enum Order {
        /** The last REGISTER newest first. */
        RECENT('r'),
        /** Most failures first, then most challenges, then the newest. */
        FAILING('f');

        final char cursorKind;

        Order(char cursorKind) {
            this.cursorKind = cursorKind;
        }
    }

    static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final Set<String> PARAMETERS = Set.of("state", "user", "srcIp", "node", "from", "to", "order", "limit", "cursor");
    private static final Pattern NODE = Pattern.compile("[\\x21-\\x7e]{1,128}");

    /**
     * The query of the request's parameters; without {@code from}, {@code to} minus 24 h; without {@code to}, now; at most
     * {@code limits.maxRange()} long.
     *
     * @throws ApiException 400 naming the parameter that is wrong, or an unknown one
     */
    static RegistrationQuery of(MultiValueMap<String, String> params, Instant now, ApiProperties.Search limits) {
        Params.only(params, PARAMETERS);
        Instant[] range = Times.lookBack(params.getFirst("from"), params.getFirst("to"), DEFAULT_RANGE, limits.maxRange(), now);
        String srcIp = params.getFirst("srcIp");
        Order order = order(params.getFirst("order"));
        String cursor = params.getFirst("cursor");
        return new RegistrationQuery(range[0], range[1], now, states(params.getFirst("state")), aorLike(params.getFirst("user")),
                srcIp == null ? null : Filter.of(Filter.Field.SRC_IP, srcIp, limits.maxValues(), limits.maxValueLength()),
                node(params.getFirst("node")), order, cursor == null ? null : Cursor.decode(cursor, order.cursorKind),
                Params.limit(params.getFirst("limit"), DEFAULT_LIMIT, MAX_LIMIT));
    }

    static List<String> states(String v) {
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String code : v.split(",", -1)) {
            if (RegistrationState.of(code.trim()) == null) {
                throw ApiException.badRequest("state: not a registration state: " + Times.quote(code) + " (expected: "
                        + String.join(", ", Arrays.stream(RegistrationState.values()).map(RegistrationState::code).toList())
                        + ", or several joined by commas)");
            }
            out.add(code.trim());
        }
        return List.copyOf(out);
    }

    /**
     * A {@code LIKE} pattern on {@code registration_records.aor} of a {@code user} value: {@code *} matches any
     * characters; a value with {@code @} names the whole AoR (its domain compared lower-cased), one without names
     * the user part.
     */
    static String aorLike(String v) {
        if (v == null) {
            return null;
        }
        if (v.isEmpty() || v.length() > 256 || v.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("user: expected 1 to 256 characters (a user, user@domain, * as a wildcard), got "
                    + Times.quote(v));
        }
        int at = v.lastIndexOf('@');
        String whole = at < 0 ? v : v.substring(0, at) + '@' + v.substring(at + 1).toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(whole.length() + 4);
        for (char c : whole.toCharArray()) {
            switch (c) {
                case '*' -> b.append('%');
                case '%', '_', '\\' -> b.append('\\').append(c);
                default -> b.append(c);
            }
        }
        return at < 0 ? b.append("@%").toString() : b.toString();
    }

    static String node(String v) {
        if (v != null && !NODE.matcher(v).matches()) {
            throw ApiException.badRequest("node: expected 1 to 128 printable characters without spaces, got " + Times.quote(v));
        }
        return v;
    }

    static Order order(String v) {
        if (v == null || v.equals("recent")) {
            return Order.RECENT;
        }
        if (v.equals("failing")) {
            return Order.FAILING;
        }
        throw ApiException.badRequest("order: expected recent or failing, got " + Times.quote(v));
    }
}
