package io.hepstack.ingest;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.hep.HepPacket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;

/**
 * HEP authentication (chunk 0x000e) per capture id. Keys are compared in constant time and never
 * logged or stored.
 */
final class AuthPolicy {

    private final Map<Long, byte[]> keys = new HashMap<>();
    private final byte[] defaultKey;

    AuthPolicy(IngestProperties.Auth cfg) {
        cfg.keys().forEach((id, key) -> keys.put(id, key.getBytes(StandardCharsets.UTF_8)));
        this.defaultKey = cfg.defaultKey() == null ? null : cfg.defaultKey().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code null} when the packet may pass, else the reject reason. */
    String check(HepPacket packet) {
        byte[] expected = keys.getOrDefault(packet.captureId(), defaultKey);
        if (expected == null) {
            return null;
        }
        if (packet.authKey() == null) {
            return IngestMetrics.AUTH_MISSING;
        }
        return MessageDigest.isEqual(expected, packet.authKey().getBytes(StandardCharsets.UTF_8))
                ? null : IngestMetrics.AUTH_WRONG;
    }
}
