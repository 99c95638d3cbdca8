package io.hepstack.proto.model;

import io.hepstack.proto.media.RtcpDecodeException;
import io.hepstack.proto.media.RtcpReport;
import io.hepstack.proto.media.VqReport;

import java.util.Objects;

/**
 * A SIP message carrying a voice-quality report (RFC 6035, {@code application/vq-rtcpxr}): stored as SIP, with
 * its {@link SipFields} in their columns, and read as a media report ({@link VqReport#toRtcp()}) or why not.
 *
 * @param sip          the SIP fields
 * @param report       the report its body gives, or {@code null} when the body does not read
 * @param unreadReason why the body does not read, or {@code null}
 */
public record VqPublish(SipFields sip, RtcpReport report, RtcpDecodeException.Reason unreadReason) implements MediaReading {

    public VqPublish {
        Objects.requireNonNull(sip, "sip");
        if ((report == null) == (unreadReason == null)) {
            throw new IllegalArgumentException("a voice-quality report is read or has a reason: " + report + ", " + unreadReason);
        }
    }
}
