package io.hepstack.api.registration;

import io.hepstack.api.query.Cursor;
import io.hepstack.api.query.Filter;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Times;
import io.hepstack.proto.registration.RegistrationState;
import org.springframework.util.MultiValueMap;

import java.net.Inet4Address;
import java.net.InetAddress;
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
 * @param srcIp     an address or a network in CIDR notation, {@code null} for any
 * @param node      a capture node, {@code null} for any
 * @param cursor    where the page starts, {@code null} for the first
 */
record RegistrationQuery(Instant from, Instant to, Instant now, List<String> states, String aorLike, String srcIp, String node,
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
    private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");

    /**
     * The query of the request's parameters; without {@code from}, {@code to} minus 24 h; without {@code to}, now.
     *
     * @throws ApiException 400 naming the parameter that is wrong, or an unknown one
     */
    static RegistrationQuery of(MultiValueMap<String, String> params, Instant now) {
        for (String name : params.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw ApiException.badRequest("unknown parameter " + Times.quote(name)
                        + " (expected one of: state, user, srcIp, node, from, to, order, limit, cursor)");
            }
            if (params.get(name).size() > 1) {
                throw ApiException.badRequest(name + ": given more than once");
            }
        }
        Instant end = params.getFirst("to") == null ? now : Times.parse("to", params.getFirst("to"));
        Instant start = params.getFirst("from") == null ? end.minus(DEFAULT_RANGE) : Times.parse("from", params.getFirst("from"));
        if (!start.isBefore(end)) {
            throw ApiException.badRequest("from: must be before to");
        }
        Order order = order(params.getFirst("order"));
        String cursor = params.getFirst("cursor");
        return new RegistrationQuery(start, end, now, states(params.getFirst("state")), aorLike(params.getFirst("user")),
                srcIp(params.getFirst("srcIp")), node(params.getFirst("node")), order,
                cursor == null ? null : Cursor.decode(cursor, order.cursorKind), limit(params.getFirst("limit"), DEFAULT_LIMIT, MAX_LIMIT));
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

    /** An address or a CIDR network, as PostgreSQL's {@code inet} text; never a name lookup. */
    static String srcIp(String v) {
        if (v == null) {
            return null;
        }
        int slash = v.indexOf('/');
        InetAddress address = v.length() > 64 ? null : Filter.literalAddress(slash < 0 ? v : v.substring(0, slash));
        if (address != null && slash < 0) {
            return address.getHostAddress();
        }
        if (address != null) {
            String prefix = v.substring(slash + 1);
            int bits = address instanceof Inet4Address ? 32 : 128;
            if (PREFIX.matcher(prefix).matches() && Integer.parseInt(prefix) <= bits) {
                return address.getHostAddress() + "/" + Integer.parseInt(prefix);
            }
        }
        throw ApiException.badRequest("srcIp: not an address: " + Times.quote(v)
                + " (expected: an IPv4 or IPv6 address, or a CIDR block like 10.0.0.0/8)");
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

    static int limit(String v, int defaultLimit, int max) {
        if (v == null) {
            return defaultLimit;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > max) {
            throw ApiException.badRequest("limit: expected a number from 1 to " + max + ", got " + Times.quote(v));
        }
        return n;
    }
}
