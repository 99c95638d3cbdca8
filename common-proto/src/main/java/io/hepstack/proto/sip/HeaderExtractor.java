package io.hepstack.proto.sip;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configured correlation field: the first value of a header, optionally narrowed by a regular
 * expression, e.g. {@code X-CID} or {@code P-Charging-Vector} with {@code icid-value=([^;\s]+)}.
 * Runs only for the few headers an operator configures, so the regex is off the framing path.
 *
 * @param header  header name, case-insensitive, compact forms understood
 * @param pattern applied with {@link Matcher#find()}; group 1 is the result when the pattern has a
 *                group, else the whole match; {@code null} to take the value whole
 */
public record HeaderExtractor(String header, Pattern pattern) {

    public HeaderExtractor {
        Objects.requireNonNull(header, "header");
        header = header.trim();
        if (header.isEmpty()) {
            throw new IllegalArgumentException("header name is empty");
        }
    }

    /**
     * Parses {@code NAME} or {@code NAME:REGEX}: everything up to the first colon is the header name,
     * the rest (which may contain colons) is the regular expression. Examples: {@code X-CID},
     * {@code P-Charging-Vector:icid-value=([^;\s]+)}.
     *
     * @throws IllegalArgumentException when the name is empty or the expression does not compile
     */
    public static HeaderExtractor parse(String config) {
        Objects.requireNonNull(config, "config");
        int colon = config.indexOf(':');
        if (colon < 0) {
            return new HeaderExtractor(config, null);
        }
        String regex = config.substring(colon + 1);
        return new HeaderExtractor(config.substring(0, colon), regex.isEmpty() ? null : Pattern.compile(regex));
    }

    /** The configuration this was parsed from: {@code NAME} or {@code NAME:REGEX} ({@link #parse} reads it back). */
    public String spec() {
        return pattern == null ? header : header + ':' + pattern.pattern();
    }

    /**
     * The extracted value: the first value of {@link #header()} in {@code message}, narrowed by
     * {@link #pattern()}; {@code null} when the header is absent, the pattern does not match or its
     * group 1 did not take part in the match.
     */
    public String extract(SipMessage message) {
        String value = message.header(header);
        if (value == null || pattern == null) {
            return value;
        }
        Matcher matcher = pattern.matcher(value);
        if (!matcher.find()) {
            return null;
        }
        return matcher.groupCount() >= 1 ? matcher.group(1) : matcher.group();
    }
}
