package io.hepstack.proto.sip;

import java.util.List;

/**
 * One SDP media section: its {@code m=} line, codecs and own connection address.
 *
 * @param type              media type: {@code audio}, {@code video}, {@code application}...
 * @param port              transport port (the part before {@code /} of {@code port/count}), -1 if unreadable
 * @param protocol          transport protocol, e.g. {@code RTP/AVP}
 * @param codecs            one entry per format in {@code m=} order: the {@code a=rtpmap} encoding such
 *                          as {@code PCMU/8000}, or the payload number when the section has no rtpmap
 *                          for it; never {@code null}
 * @param connectionAddress media-level {@code c=} address, or {@code null}
 */
public record SdpMedia(String type, int port, String protocol, List<String> codecs, String connectionAddress) {
    public SdpMedia {
        codecs = codecs == null ? List.of() : List.copyOf(codecs);
    }
}
