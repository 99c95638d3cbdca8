package io.hepstack.ingest.listen;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the kernel dropped for the collector's UDP sockets: the {@code drops} column of {@code /proc/net/udp}
 * and {@code /proc/net/udp6} (datagrams that found the socket's receive buffer full, or failed its checks),
 * summed over the lines of this process's sockets bound to the listener's port. Without it a flood that
 * fills the receive buffer makes valid messages vanish with only the machine-wide {@code RcvbufErrors}
 * moving. Linux only: {@link #of} is {@code null} elsewhere.
 */
final class UdpSocketDrops {

    private static final Path PROC = Path.of("/proc");
    private final int port;
    private final Set<String> inodes;

    private UdpSocketDrops(int port, Set<String> inodes) {
        this.port = port;
        this.inodes = inodes;
    }

    /** The drops of this process's UDP sockets on {@code port}, or {@code null} without {@code /proc}. */
    static UdpSocketDrops of(int port) {
        if (!Files.isReadable(PROC.resolve("net/udp"))) {
            return null;
        }
        Set<String> own = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve("self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[") && target.endsWith("]")) {
                        own.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // closed meanwhile, or not a link: not a socket of ours
                }
            }
        } catch (IOException e) {
            return null;
        }
        return new UdpSocketDrops(port, Set.copyOf(own));
    }

    /** The sum now (0 when the tables cannot be read). */
    long read() {
        long sum = 0;
        for (String table : new String[] {"net/udp", "net/udp6"}) {
            try {
                sum += drops(Files.readAllLines(PROC.resolve(table)), port, inodes);
            } catch (IOException e) {
                // udp6 absent without IPv6
            }
        }
        return sum;
    }

    /**
     * The {@code drops} of the lines of a {@code /proc/net/udp} table whose local port is {@code port} and whose
     * socket inode is one of {@code inodes}.
     */
    static long drops(List<String> table, int port, Set<String> inodes) {
        long sum = 0;
        for (int i = 1; i < table.size(); i++) { // line 0 names the columns
            String[] f = table.get(i).strip().split("\\s+");
            if (f.length < 13) {
                continue;
            }
            String local = f[1];
            int colon = local.lastIndexOf(':');
            if (colon < 0 || Integer.parseInt(local.substring(colon + 1), 16) != port || !inodes.contains(f[9])) {
                continue;
            }
            sum += Long.parseLong(f[12]);
        }
        return sum;
    }
}
