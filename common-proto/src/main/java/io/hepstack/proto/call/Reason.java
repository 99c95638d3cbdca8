package io.hepstack.proto.call;

import java.util.Locale;

/**
 * A SIP {@code Reason} header (RFC 3326): why a call ended, in the terms of a protocol, most often
 * ISDN's: {@code Q.850;cause=16;text="Normal call clearing"}.
 *
 * @param protocol {@code Q.850}, {@code SIP}...
 * @param cause    the cause number, or {@code null} when absent or not a number
 * @param text     the text, unquoted, or {@code null}
 */
public record Reason(String protocol, Integer cause, String text) {

    /** The first reason of a header value, or {@code null} when there is none to read. */
    public static Reason parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String first = firstValue(header);
        String[] parts = first.split(";");
        String protocol = parts[0].trim();
        if (protocol.isEmpty()) {
            return null;
        }
        Integer cause = null;
        String text = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = p.substring(eq + 1).trim();
            if (name.equals("cause")) {
                try {
                    cause = value.length() <= 9 ? Integer.valueOf(value) : null;
                } catch (NumberFormatException e) {
                    cause = null;
                }
            } else if (name.equals("text")) {
                text = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                        ? value.substring(1, value.length() - 1).replace("\\\"", "\"") : value;
            }
        }
        return new Reason(protocol, cause, text);
    }

    /** The header's first comma-separated value (commas inside quotes belong to the text). */
    private static String firstValue(String header) {
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"' && (i == 0 || header.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                return header.substring(0, i);
            }
        }
        return header;
    }

    /** Whether it is an ISDN cause (Q.850). */
    public boolean isQ850() {
        return protocol.equalsIgnoreCase("Q.850");
    }
}
