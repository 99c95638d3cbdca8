package io.hepstack.tools.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** One connected, blocking datagram channel; a full send buffer blocks instead of dropping. */
final class UdpHepSender implements HepSender {

    private final DatagramChannel channel;
    private long errors;

    UdpHepSender(InetSocketAddress target) throws IOException {
        channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        channel.connect(target);
    }

    @Override
    public void send(byte[] packet, int offset, int length) throws IOException {
        try {
            channel.write(ByteBuffer.wrap(packet, offset, length));
        } catch (PortUnreachableException e) {
            errors++;
        }
    }

    @Override
    public void flush() {
        // one datagram per send
    }

    @Override
    public long errors() {
        return errors;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
