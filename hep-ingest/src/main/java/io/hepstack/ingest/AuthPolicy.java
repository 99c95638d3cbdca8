package io.hepstack.ingest;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.hep.HepPacket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HEP authentication (chunk 0x000e) per capture id, or in strict mode per agent: a packet must carry the
 * key of an agent and may use only that agent's capture ids and node names. Keys are compared in constant
 * time and never logged or stored.
 */
final class AuthPolicy {

    private final Map<Long, byte[]> keys = new HashMap<>();
    private final byte[] defaultKey;
    private final List<Agent> agents;

    private record Agent(byte[] key, Set<Long> captureIds, Set<String> nodes) {
    }

    AuthPolicy(IngestProperties.Auth cfg) {
        cfg.keys().forEach((id, key) -> keys.put(id, key.getBytes(StandardCharsets.UTF_8)));
        this.defaultKey = cfg.defaultKey() == null ? null : cfg.defaultKey().getBytes(StandardCharsets.UTF_8);
        this.agents = cfg.strict() ? cfg.agents().stream()
                .map(a -> new Agent(a.key().getBytes(StandardCharsets.UTF_8), Set.copyOf(a.captureIds()), Set.copyOf(a.nodes())))
                .toList() : null;
    }

    /**
     * What a collector with these settings lets any sender do, in words, for its start log: every capture id and
     * node name open without keys on an address other than the loopback's; capture ids without a key open
     * when keys are set but no default key; node names never tied to a key outside strict mode.
     */
    static List<String> warnings(IngestProperties props) {
        IngestProperties.Auth auth = props.auth();
        List<String> warnings = new java.util.ArrayList<>();
        boolean exposed = (props.udp().enabled() && !MetricsAccess.loopback(props.udp().host()))
                || (props.tcp().enabled() && !MetricsAccess.loopback(props.tcp().host()))
                || (props.tls().enabled() && !MetricsAccess.loopback(props.tls().host()));
        if (!auth.enabled() && exposed) {
            warnings.add("HEP is accepted from any sender, with any capture id and node name, on a non-loopback address "
                    + "and without auth keys: rows it stores show in the views of the tenant that node or address "
                    + "belongs to; set homer.ingest.auth (strict mode: docs/operations.md, \"Agent trust\") or bind to 127.0.0.1");
        } else if (!auth.strict() && auth.enabled() && auth.defaultKey() == null) {
            warnings.add("capture ids without a key in homer.ingest.auth.keys are accepted without one (no default-key), "
                    + "and node names are not tied to keys: use homer.ingest.auth.strict (docs/operations.md, \"Agent trust\")");
        }
        return warnings;
    }

    /** {@code null} when the packet may pass, else the reject reason. */
    String check(HepPacket packet) {
        if (agents != null) {
            return strict(packet);
        }
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

    private String strict(HepPacket packet) {
        if (packet.authKey() == null) {
            return IngestMetrics.AUTH_MISSING;
        }
        byte[] given = packet.authKey().getBytes(StandardCharsets.UTF_8);
        Agent agent = null;
        for (Agent a : agents) { // every key compared: the time does not say which agent matched
            if (MessageDigest.isEqual(a.key(), given) && agent == null) {
                agent = a;
            }
        }
        if (agent == null) {
            return IngestMetrics.AUTH_WRONG;
        }
        if (!agent.captureIds().contains(packet.captureId())) {
            return IngestMetrics.AUTH_CAPTURE_ID;
        }
        if (packet.node() != null && !agent.nodes().contains(packet.node())) {
            return IngestMetrics.AUTH_NODE;
        }
        return null;
    }
}
