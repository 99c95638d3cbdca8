package io.hepstack.tools.net;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** One TCP connection, packets written back to back through a 64 kB buffer. */
final class TcpHepSender implements HepSender {

    private final Socket socket;
    private final OutputStream out;

    TcpHepSender(InetSocketAddress target) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(target, 10_000);
        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    @Override
    public void send(byte[] packet, int offset, int length) throws IOException {
        out.write(packet, offset, length);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public long errors() {
        return 0;
    }

    @Override
    public void close() throws IOException {
        try {
            out.flush();
            socket.shutdownOutput();
        } finally {
            socket.close();
        }
    }
}
