package io.hepstack.proto.pcap;

/**
 * Memory caps of {@link PcapReader}'s IP fragment and TCP stream reassembly. Everything else the
 * reader holds is one record at a time.
 *
 * @param maxTcpFlows            TCP directions tracked at once; the least recently active is evicted
 * @param maxTcpBytesPerFlow     out-of-order bytes buffered per direction, and how far ahead of the
 *                               next expected byte a segment may start before the gap is skipped
 * @param maxTcpBytesTotal       out-of-order bytes buffered across all directions
 * @param maxPendingIpDatagrams  fragmented IP datagrams awaiting their fragments (each at most 64 KiB)
 */
public record ReassemblyLimits(int maxTcpFlows, int maxTcpBytesPerFlow, long maxTcpBytesTotal,
                               int maxPendingIpDatagrams) {

    /** 65,536 flows, 1 MiB per flow, 64 MiB in total, 1,024 pending datagrams. */
    public static final ReassemblyLimits DEFAULTS = new ReassemblyLimits(65_536, 1 << 20, 64L << 20, 1_024);

    public ReassemblyLimits {
        if (maxTcpFlows < 1 || maxTcpBytesPerFlow < 1 || maxTcpBytesTotal < 1 || maxPendingIpDatagrams < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxTcpFlows + ", " + maxTcpBytesPerFlow
                    + ", " + maxTcpBytesTotal + ", " + maxPendingIpDatagrams);
        }
    }
}
