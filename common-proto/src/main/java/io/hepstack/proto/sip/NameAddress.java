package io.hepstack.proto.sip;

/**
 * A {@code name-addr} or {@code addr-spec} header value (From, To, Contact, P-Asserted-Identity,
 * Diversion; RFC 3261 §20.10), with or without angle brackets.
 *
 * @param displayName display name, unquoted and unescaped; {@code null} when absent
 * @param uri         the URI, or {@code null} when it cannot be parsed
 * @param tag         the {@code tag} header parameter (RFC 3261 §19.3), or {@code null}
 */
public record NameAddress(String displayName, SipUri uri, String tag) {
}
