package io.hepstack.proto.media;

/**
 * The sender information of a sender report (RFC 3550 section 6.4.1).
 *
 * @param wallclockMicros the NTP timestamp, as µs since the Unix epoch (the sender's clock)
 * @param rtpTimestamp    the same instant in RTP timestamp units
 * @param packets         RTP packets sent since the start
 * @param octets          payload octets sent since the start
 */
public record SenderInfo(long wallclockMicros, long rtpTimestamp, long packets, long octets) {
}
