package io.hepstack.proto.sip;

import java.util.List;

/**
 * The parts of an SDP body (RFC 8866) a capture needs to find the RTP streams of a call.
 *
 * @param connectionAddress session-level {@code c=} address (without {@code /ttl}), or {@code null}
 * @param media             the {@code m=} sections in order; never {@code null}
 */
public record Sdp(String connectionAddress, List<SdpMedia> media) {
    public Sdp {
        media = media == null ? List.of() : List.copyOf(media);
    }
}
