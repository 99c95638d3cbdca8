package io.hepstack.tools.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Where HEP is sent: {@code udp:host:port} or {@code tcp:host:port} ({@code [v6]:port} for IPv6).
 *
 * @param transport "udp" or "tcp"
 * @param address   the collector's address
 */
public record HepTarget(String transport, InetSocketAddress address) {

    /** Parses the command-line form. */
    public static HepTarget parse(String text) {
        String[] parts = text.split(":", 2);
        if (parts.length != 2) {
            throw new IllegalArgumentException("target " + text + " (expected: udp:host:port or tcp:host:port)");
        }
        String transport = parts[0].toLowerCase(Locale.ROOT);
        if (!transport.equals("udp") && !transport.equals("tcp")) {
            throw new IllegalArgumentException("transport " + parts[0] + " (expected: udp or tcp)");
        }
        String hostPort = parts[1];
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("target " + text + " (expected: udp:host:port or tcp:host:port)");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " (expected: 1..65535)");
        }
        return new HepTarget(transport, new InetSocketAddress(host, port));
    }

    /** Opens a sender to this target (a TCP connection is made now). */
    public HepSender open() throws IOException {
        return transport.equals("udp") ? new UdpHepSender(address) : new TcpHepSender(address);
    }

    @Override
    public String toString() {
        return transport + ":" + address.getHostString() + ":" + address.getPort();
    }
}
