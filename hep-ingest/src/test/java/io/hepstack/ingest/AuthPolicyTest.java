package io.hepstack.ingest;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.hep.HepPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuthPolicyTest {

    static final String ACME_KEY = "acme-agent-key-0001";
    static final String GLOBEX_KEY = "globex-agent-key-002";

    /** Strict mode with two agents: acme may send capture ids 2001, 2002 as node acme-sbc; globex 4242 as globex-node. */
    static final Map<String, String> STRICT = Map.of(
            "homer.ingest.auth.strict", "true",
            "homer.ingest.auth.agents[0].name", "acme", "homer.ingest.auth.agents[0].key", ACME_KEY,
            "homer.ingest.auth.agents[0].capture-ids", "2001,2002", "homer.ingest.auth.agents[0].nodes", "acme-sbc",
            "homer.ingest.auth.agents[1].name", "globex", "homer.ingest.auth.agents[1].key", GLOBEX_KEY,
            "homer.ingest.auth.agents[1].capture-ids", "4242", "homer.ingest.auth.agents[1].nodes", "globex-node");

    @ParameterizedTest(name = "key {0}, capture id {1}, node {2}: {3}")
    @CsvSource(nullValues = "-", value = {
            "acme-agent-key-0001,  2001, acme-sbc,    -",
            "acme-agent-key-0001,  2002, -,           -",
            "globex-agent-key-002, 4242, globex-node, -",
            // the injection: acme's agent claiming globex's capture id or node
            "acme-agent-key-0001,  4242, globex-node, auth_capture_id",
            "acme-agent-key-0001,  2001, globex-node, auth_node",
            "globex-agent-key-002, 2001, acme-sbc,    auth_capture_id",
            // no key or an unknown one: refused whatever the capture id
            "-,                    2001, acme-sbc,    auth_missing",
            "-,                    9999, -,           auth_missing",
            "acme-agent-key-0002,  2001, acme-sbc,    auth_wrong"})
    void strictModeTiesCaptureIdsAndNodeNamesToTheAgentsKey(String key, long captureId, String node, String reason) {
        AuthPolicy policy = new AuthPolicy(TestCollector.properties(STRICT).auth());
        assertThat(policy.check(packet(key, captureId, node))).isEqualTo(reason);
    }

    @Test
    void withKeysButNoDefaultKeyAnUnlistedCaptureIdStillPassesOutsideStrictMode() {
        AuthPolicy policy = new AuthPolicy(TestCollector.properties(Map.of("homer.ingest.auth.keys.2001", "s3cret")).auth());
        assertThat(policy.check(packet(null, 2001, null))).isEqualTo("auth_missing");
        assertThat(policy.check(packet(null, 4242, "globex-node"))).isNull();
    }

    @Test
    void theStartLogWarnsOfAnOpenCollectorAndOfKeysThatLeaveCaptureIdsOpen() {
        Map<String, String> open = Map.of("homer.ingest.udp.host", "0.0.0.0");
        assertThat(AuthPolicy.warnings(TestCollector.properties(open))).singleElement().asString()
                .startsWith("HEP is accepted from any sender");
        Map<String, String> loopback = Map.of("homer.ingest.udp.host", "127.0.0.1", "homer.ingest.tcp.host", "::1");
        assertThat(AuthPolicy.warnings(TestCollector.properties(loopback))).isEmpty();
        assertThat(AuthPolicy.warnings(TestCollector.properties(Map.of("homer.ingest.auth.keys.2001", "s3cret"))))
                .singleElement().asString().startsWith("capture ids without a key");
        assertThat(AuthPolicy.warnings(TestCollector.properties(STRICT))).isEmpty();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(IngestProperties.class)
    static class Bound {
    }

    @Test
    void strictModeNeedsAgentsWithLongKeysAndNoPerCaptureIdKeys() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class)).withUserConfiguration(Bound.class);
        Map<String, String> both = new HashMap<>(STRICT);
        both.put("homer.ingest.auth.keys.2001", "s3cret");
        Map<String, String> shortKey = new HashMap<>(STRICT);
        shortKey.put("homer.ingest.auth.agents[0].key", "short");
        Map<String, String> notStrict = new HashMap<>(STRICT);
        notStrict.put("homer.ingest.auth.strict", "false");
        Map<Map<String, String>, String> refusals = Map.of(
                Map.of("homer.ingest.auth.strict", "true"), "auth.strict: list the agents",
                both, "auth.strict: list the agents",
                shortKey, "at least 16 characters",
                notStrict, "only with auth.strict: true");
        refusals.forEach((settings, message) -> runner.withPropertyValues(settings.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new))
                .run(c -> assertThat(c).getFailure().hasStackTraceContaining(message)));
        runner.withPropertyValues(STRICT.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new))
                .run(c -> assertThat(c).hasNotFailed());
    }

    private static HepPacket packet(String key, long captureId, String node) {
        return HepPacket.builder().captureId(captureId).authKey(key).node(node).payload(new byte[] {1}).build();
    }
}
