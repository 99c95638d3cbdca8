package io.hepstack.proto.model;

import io.hepstack.proto.media.RtcpDecodeException;
import io.hepstack.proto.media.RtcpReport;

/**
 * The part of a message its extractor read as a media report (kind {@link MessageKind#QOS}): the report, or
 * why it did not read. What reads it at ingest (the collector's media metrics) takes it from here instead of
 * reading the payload or the {@code extra} text again. A row read back from the database has its stored form
 * only (a report's {@code extra.rtcp}, a failure's {@code extra.rtcpError}).
 */
public interface MediaReading extends MessagePart {

    /** The report, or {@code null} when it did not read. */
    RtcpReport report();

    /** Why it did not read, or {@code null} when it did. */
    RtcpDecodeException.Reason unreadReason();

    /** A report of the QoS family that does not read: stored as its bytes, the reason in {@code extra.rtcpError}. */
    record Unread(RtcpDecodeException.Reason unreadReason) implements MediaReading {

        @Override
        public RtcpReport report() {
            return null;
        }
    }
}
