package io.hepstack.proto.sip;

/**
 * One Via header value (RFC 3261 §20.42): where a request was sent from, and its transaction branch.
 *
 * @param transport upper-case transport of the sent-protocol ({@code UDP}, {@code TCP}, {@code TLS},
 *                  {@code WS}...), or {@code null} when unreadable
 * @param host      sent-by host without IPv6 brackets, or {@code null}
 * @param port      sent-by port, or -1 when absent
 * @param branch    the {@code branch} parameter, or {@code null}
 */
public record Via(String transport, String host, int port, String branch) {
}
