package io.hepstack.proto.pcap;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What {@link PcapReader#read} saw in one capture. Per record, exactly one of {@code udpDatagrams},
 * {@code tcpSegments}, {@code ipFragments} or a {@code skipped} reason other than
 * {@link SkipReason#IP_FRAGMENT_INCOMPLETE} is incremented; a reassembled datagram additionally counts
 * as one UDP datagram or TCP segment.
 *
 * @param format               {@code "pcap"} or {@code "pcapng"}
 * @param frames               capture records read (packet blocks for pcapng)
 * @param udpDatagrams         UDP datagrams delivered to {@link PcapVisitor#onUdp}
 * @param tcpSegments          TCP segments decoded (with or without data)
 * @param ipFragments          records that were IP fragments, held for reassembly
 * @param reassembledDatagrams IP datagrams rebuilt from fragments
 * @param skipped              records skipped, by reason; reasons never seen are absent
 * @param tcpFlows             TCP directions opened
 * @param tcpBytesDelivered    stream bytes delivered to {@link TcpStreamListener#onData}
 * @param tcpDuplicateBytes    retransmitted or overlapping bytes trimmed
 * @param tcpGaps              gaps skipped by resynchronisation
 * @param tcpGapBytes          bytes lost in those gaps
 * @param truncation           why reading stopped early when the file ends inside a record or block
 *                             (e.g. {@code record 3 at offset 1200: 40 of 98 bytes}), else {@code null}
 */
public record PcapStats(
        String format,
        long frames,
        long udpDatagrams,
        long tcpSegments,
        long ipFragments,
        long reassembledDatagrams,
        Map<SkipReason, Long> skipped,
        long tcpFlows,
        long tcpBytesDelivered,
        long tcpDuplicateBytes,
        long tcpGaps,
        long tcpGapBytes,
        String truncation) {

    public PcapStats {
        skipped = skipped.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(skipped));
    }

    /** Records (or datagrams) skipped for that reason. */
    public long skipped(SkipReason reason) {
        return skipped.getOrDefault(reason, 0L);
    }

    /** Whether the file ended inside a record or block. */
    public boolean truncated() {
        return truncation != null;
    }
}
