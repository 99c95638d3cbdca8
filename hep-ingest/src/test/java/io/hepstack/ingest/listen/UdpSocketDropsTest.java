package io.hepstack.ingest.listen;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class UdpSocketDropsTest {

    /** /proc/net/udp as Linux 6.1 prints it: two sockets of ours on 9060 (0x2364), one of another process, one other port. */
    private static final List<String> TABLE = List.of(
            "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
            "  101: 00000000:2364 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 41001 2 0000000000000000 17",
            "  102: 0100007F:2364 00000000:0000 07 00000000:00001200 00:00000000 00000000     0        0 41002 2 0000000000000000 5",
            "  103: 00000000:2364 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 50000 2 0000000000000000 1000",
            "  104: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 41003 2 0000000000000000 9",
            "  garbage");

    @Test
    void sumsTheDropsOfThisProcessesSocketsOnThePortOnly() {
        assertThat(UdpSocketDrops.drops(TABLE, 9060, Set.of("41001", "41002", "41003"))).isEqualTo(22);
        assertThat(UdpSocketDrops.drops(TABLE, 53, Set.of("41001", "41002", "41003"))).isEqualTo(9);
        assertThat(UdpSocketDrops.drops(TABLE, 9060, Set.of())).isZero();
    }

    @Test
    void readsTheKernelsTablesForASocketOfThisProcess() throws Exception {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            UdpSocketDrops drops = UdpSocketDrops.of(s.getLocalPort());
            assertThat(drops).as("Linux /proc").isNotNull();
            assertThat(drops.read()).isZero();
        }
    }
}
