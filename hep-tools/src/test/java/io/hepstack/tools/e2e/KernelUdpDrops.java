package io.hepstack.tools.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's counts of received datagrams it dropped, read from /proc: with a test's own count of what
 * arrived they tell whether a loss on loopback was the kernel's, and where.
 *
 * <p>{@code rcvbufErrors} is {@code Udp: RcvbufErrors} of {@code /proc/net/snmp}: datagrams dropped for a full
 * socket receive buffer. {@code backlogDrops} is the second column of {@code /proc/net/softnet_stat} summed
 * over the CPUs: packets dropped before IP saw them, the CPU's input backlog ({@code net.core.netdev_max_backlog},
 * loopback included) being full. Neither counts a datagram left unread in a socket. Both count every socket and
 * process of the machine (of its network namespace, for the first), so a difference between two readings is what
 * the test and anything running beside it lost.
 */
record KernelUdpDrops(long rcvbufErrors, long backlogDrops) {

    static KernelUdpDrops read() throws IOException {
        List<String> udp = Files.readAllLines(Path.of("/proc/net/snmp")).stream().filter(l -> l.startsWith("Udp:")).toList();
        List<String> names = List.of(udp.get(0).split("\\s+"));
        long rcvbufErrors = Long.parseLong(udp.get(1).split("\\s+")[names.indexOf("RcvbufErrors")]);
        long backlogDrops = 0;
        for (String cpu : Files.readAllLines(Path.of("/proc/net/softnet_stat"))) {
            backlogDrops += Long.parseLong(cpu.strip().split("\\s+")[1], 16);
        }
        return new KernelUdpDrops(rcvbufErrors, backlogDrops);
    }

    /** The drops counted since {@code earlier}. */
    KernelUdpDrops since(KernelUdpDrops earlier) {
        return new KernelUdpDrops(rcvbufErrors - earlier.rcvbufErrors, backlogDrops - earlier.backlogDrops);
    }

    @Override
    public String toString() {
        return "Udp RcvbufErrors " + rcvbufErrors + ", input backlog drops (softnet_stat) " + backlogDrops;
    }
}
