package io.hepstack.proto.sip;

/**
 * A SIP, SIPS or tel URI (RFC 3261 §19.1, RFC 3966) split into the parts capture storage searches on.
 * Parsing is tolerant: parts that cannot be found are {@code null} (or -1 for the port) and
 * {@link #raw()} always keeps the URI as written.
 *
 * @param scheme lower-case scheme: {@code sip}, {@code sips}, {@code tel}, or any other seen
 * @param user   user part without password and user parameters ({@code sip:+4930;npdi@h} gives
 *               {@code +4930}); for {@code tel:} the number; {@code null} when absent
 * @param host   host without IPv6 brackets ({@code [::1]} gives {@code ::1}); {@code null} when absent
 * @param port   port, or -1 when absent or not a number in 0-65535
 * @param raw    the URI text as it appeared (between {@code <>} when enclosed)
 */
public record SipUri(String scheme, String user, String host, int port, String raw) {
}
