package io.hepstack.tools.net;

import java.io.Closeable;
import java.io.IOException;

/**
 * Sends HEP packets to a collector: one datagram per packet over UDP, packets back to back on one
 * connection over TCP (buffered: {@link #flush} before waiting, {@link #close} flushes).
 */
public interface HepSender extends Closeable {

    /** Sends one complete HEP packet. */
    void send(byte[] packet, int offset, int length) throws IOException;

    default void send(byte[] packet) throws IOException {
        send(packet, 0, packet.length);
    }

    /** Pushes buffered bytes to the network. */
    void flush() throws IOException;

    /** Packets the network refused (UDP: ICMP port unreachable reported on the socket). */
    long errors();
}
