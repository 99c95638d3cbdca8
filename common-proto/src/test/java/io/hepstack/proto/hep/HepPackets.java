package io.hepstack.proto.hep;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Packets and byte arrays for HEP tests. */
final class HepPackets {

    private HepPackets() {
    }

    static HepPacket sip(String payload, List<HepChunk> chunks) {
        try {
            return new HepPacket(3, 2, 17, InetAddress.getByName("192.0.2.1"), InetAddress.getByName("192.0.2.2"),
                    5060, 5060, 1_795_375_683L, 366_306, 1, 2001, null, null, null, null,
                    payload.getBytes(StandardCharsets.UTF_8), false, chunks);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static HepPacket withPayload(HepPacket p, byte[] payload, boolean compressed) {
        return p.toBuilder().payload(payload).compressed(compressed).build();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
