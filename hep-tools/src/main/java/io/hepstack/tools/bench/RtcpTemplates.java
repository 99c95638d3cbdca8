package io.hepstack.tools.bench;

/**
 * RTCP report templates of the load generator: the JSON rtpengine sends in HEP type 5 ({@code --homer},
 * docs/media.md "What rtpengine sends"), with its keys in rtpengine's order and no line breaks. Slots are
 * named in braces, see {@link Slot}; the JSON's own braces are not slots (a slot is an upper-case name).
 * The correlation id (HEP chunk 0x0011) is the Call-ID of the call the report is on.
 */
final class RtcpTemplates {

    private RtcpTemplates() {
    }

    /** The correlation id of a report: its call's Call-ID, as Kamailio's rtpengine module passes it on. */
    static final String CORRELATION_ID = SipTemplates.CALL_ID_VALUE;

    /**
     * A's sender report with one report block on B's stream and A's CNAME: an SR + SDES compound packet
     * as rtpengine renders it.
     */
    static final String SENDER_REPORT = "{\"sender_information\":{\"ntp_timestamp_sec\":{NTPSEC},"
            + "\"ntp_timestamp_usec\":{NTPFRAC},\"octets\":{OCTETS},\"rtp_timestamp\":{RTPTS},\"packets\":{PACKETS}},"
            + "\"ssrc\":{SSRCA},\"type\":200,\"report_count\":1,"
            + "\"report_blocks\":[{\"source_ssrc\":{SSRCB},\"highest_seq_no\":{HSEQ},\"fraction_lost\":{FLOST},"
            + "\"ia_jitter\":{JITTER},\"packets_lost\":{LOST},\"lsr\":{LSR},\"dlsr\":{DLSR}}],"
            + "\"sdes_report_count\":1,"
            + "\"sdes_information\":[{\"sdes_chunk_ssrc\":{SSRCA},\"type\":1,\"text\":\"{AUSER}@{AIP}\"}]}";
}
