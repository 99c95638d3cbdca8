package io.hepstack.api.query;

import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Times;

import java.util.ArrayList;
import java.util.List;

/**
 * One value of a search parameter. A parameter holds several values separated by commas (any of
 * them matches); a value starting with {@code !} excludes instead; {@code *} matches any run of
 * characters; a backslash makes the next {@code , * ! \} literal.
 *
 * @param negated whether the value started with {@code !}
 * @param literal the value without its {@code !}, escapes resolved, {@code *} removed
 * @param like    the value as a LIKE pattern ({@code %} for each {@code *}, LIKE's own metacharacters
 *                escaped with a backslash), or {@code null} when it has no wildcard
 */
public record Term(boolean negated, String literal, String like) {

    /** Whether the value is only wildcards: it matches anything present. */
    public boolean matchesAnything() {
        return like != null && literal.isEmpty();
    }

    /**
     * The value's literal runs, as they are between its wildcards, escapes resolved: the whole literal without a
     * wildcard; with one, a run before each wildcard and one after the last (empty where a wildcard starts or ends
     * the value, or follows another).
     */
    public List<String> parts() {
        if (like == null) {
            return List.of(literal);
        }
        List<String> parts = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            char c = like.charAt(i);
            if (c == '\\' && i + 1 < like.length()) { // LIKE's escape before a literal % _ or backslash
                run.append(like.charAt(++i));
            } else if (c == '%') {
                parts.add(run.toString());
                run.setLength(0);
            } else {
                run.append(c);
            }
        }
        parts.add(run.toString());
        return parts;
    }

    /**
     * The values of {@code param}.
     *
     * @throws ApiException 400 for an empty value, a control character, a bad escape, too many or too long values
     */
    public static List<Term> parse(String param, String raw, int maxValues, int maxLength) {
        if (raw.length() > (long) maxValues * (maxLength + 2)) {
            throw ApiException.badRequest(param + ": too long (at most " + maxValues + " values of " + maxLength
                    + " characters)");
        }
        List<Term> terms = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        StringBuilder like = new StringBuilder();
        boolean wildcard = false;
        boolean negated = false;
        int length = 0;
        for (int i = 0; i <= raw.length(); i++) {
            if (i == raw.length() || raw.charAt(i) == ',') {
                if (literal.isEmpty() && !wildcard) {
                    throw ApiException.badRequest(param + ": empty value in " + Times.quote(raw));
                }
                if (length > maxLength) {
                    throw ApiException.badRequest(param + ": value longer than " + maxLength + " characters");
                }
                terms.add(new Term(negated, literal.toString(), wildcard ? like.toString() : null));
                if (terms.size() > maxValues) {
                    throw ApiException.badRequest(param + ": more than " + maxValues + " values");
                }
                literal.setLength(0);
                like.setLength(0);
                wildcard = false;
                negated = false;
                length = 0;
                continue;
            }
            char c = raw.charAt(i);
            length++;
            if (c == '\\') {
                if (i + 1 >= raw.length() || ",*!\\".indexOf(raw.charAt(i + 1)) < 0) {
                    throw ApiException.badRequest(param + ": a backslash escapes only , * ! or \\");
                }
                c = raw.charAt(++i);
                literal.append(c);
                appendLike(like, c);
            } else if (c == '*') {
                wildcard = true;
                like.append('%');
            } else if (c == '!' && length == 1) {
                negated = true;
            } else if (Character.isISOControl(c)) {
                throw ApiException.badRequest(param + ": control characters are not allowed");
            } else {
                literal.append(c);
                appendLike(like, c);
            }
        }
        return List.copyOf(terms);
    }

    private static void appendLike(StringBuilder like, char c) {
        if (c == '%' || c == '_' || c == '\\') {
            like.append('\\');
        }
        like.append(c);
    }
}
