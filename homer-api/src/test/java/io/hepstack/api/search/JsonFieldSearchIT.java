package io.hepstack.api.search;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.web.Times;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageExtractor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code json.PATH} on agents' JSON payloads (log lines, a QoS report) stored beside SIP, a plain log line and a
 * log line whose JSON is cut: numbers compare as numbers, booleans as booleans, the rest as text; an array index
 * is a path step; a payload that is no JSON, or JSON that does not parse, never fails the search.
 */
@SuppressWarnings("unchecked")
class JsonFieldSearchIT extends AdminApiIT {

    static String from;
    static String to;

    @BeforeAll
    static void storeJsonPayloadsBesideSip() {
        long t = Instant.now().minusSeconds(600).getEpochSecond() * 1_000_000L; // within the last hour, as agents send
        List<CapturedMessage> rows = new ArrayList<>();
        rows.add(row("j-error", 100, t, "{\"level\":\"error\",\"msg\":\"gateway down\",\"stats\":{\"mos\":3.2,\"loss\":0},"
                + "\"ok\":false,\"tags\":[\"a\",\"b\"]}"));
        rows.add(row("j-info", 100, t + 1_000, "{\"level\":\"info\",\"msg\":\"fine\",\"stats\":{\"mos\":4.3},\"ok\":true}"));
        rows.add(row("j-string", 100, t + 2_000, "{\"level\":\"error\",\"stats\":{\"mos\":\"n/a\"}}"));
        rows.add(row("j-cut", 100, t + 3_000, "{\"level\": \"error\", \"stats\": {\"mos\": 1"));
        rows.add(row("j-text", 100, t + 4_000, "ERROR: not JSON at all"));
        rows.add(row("j-qos", HepPayloadType.RTCP.number(), t + 5_000,
                "{\"type\":201,\"report_blocks\":[{\"fraction_lost\":12,\"ia_jitter\":40}]}"));
        rows.add(row("j-sip", HepPayloadType.SIP.number(), t + 6_000, "OPTIONS sip:a@b SIP/2.0\r\nCall-ID: j-sip\r\n"
                + "From: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"));
        for (CapturedMessage m : rows) {
            Fixture.store(db.connectionFactory(), List.of(m));
        }
        from = Times.format(Instant.ofEpochSecond(t / 1_000_000 - 1800));
        to = Times.format(Instant.ofEpochSecond(t / 1_000_000 + 1800));
    }

    /** A row of HEP payload type {@code type} whose correlation id names it. */
    private static CapturedMessage row(String name, int type, long micros, String payload) {
        HepPacket p = HepPacket.builder().addresses(Fixture.ip("10.7.0.1"), 9060, Fixture.ip("10.7.0.2"), 9060)
                .ipProto(17).timestampMicros(micros).protoType(type).captureId(77).node("json-agent").correlationId(name)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).build();
        return new MessageExtractor(Fixture.SETTINGS).extract(p);
    }

    @Test
    void theMetaEndpointListsThePathsOfTheStoredJsonWithThePayloadTypesThatCarryThem() {
        Map<String, Object> body = admin.get().uri("/api/v1/meta/json-fields?from={f}&to={t}", from, to).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((Integer) body.get("sampled")).isGreaterThanOrEqualTo(4); // three log lines and the report; not the cut one
        Map<String, Map<String, Object>> byPath = new java.util.HashMap<>();
        ((List<Map<String, Object>>) body.get("fields")).forEach(f -> byPath.put((String) f.get("path"), f));
        assertThat(byPath.get("stats.mos")).containsEntry("payloadTypes", List.of(100))
                .containsEntry("valueTypes", List.of("number", "string")).containsEntry("payloads", 3);
        assertThat(byPath.get("report_blocks.0.fraction_lost")).containsEntry("payloadTypes", List.of(5))
                .containsEntry("valueTypes", List.of("number"));
        assertThat(byPath.get("ok")).containsEntry("valueTypes", List.of("boolean"));
        assertThat(byPath.get("tags.0")).containsEntry("valueTypes", List.of("string"));
        assertThat(byPath).doesNotContainKey("tags.1"); // an array's first element stands for the rest
        // every listed path finds what it names
        assertThat(found("json.report_blocks.0.fraction_lost", "*")).containsExactly("j-qos");
        admin.get().uri("/api/v1/meta/json-fields?from={f}&to={t}", to, from).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").isEqualTo("from: must be before to");
        anonymous.get().uri("/api/v1/meta/json-fields").exchange().expectStatus().isUnauthorized().expectBody(Void.class);
    }

    @Test
    void numbersBooleansAndTextCompareAsWhatTheyAre() {
        assertThat(found("json.level", "error")).containsExactlyInAnyOrder("j-error", "j-string");
        assertThat(found("json.stats.mos", "<3.5")).containsExactly("j-error");
        assertThat(found("json.stats.mos", ">=3.2")).containsExactlyInAnyOrder("j-error", "j-info");
        assertThat(found("json.stats.mos", "3.20")).containsExactly("j-error"); // as a number
        assertThat(found("json.stats.mos", "n/a")).containsExactly("j-string"); // as text
        assertThat(found("json.stats.mos", "*")).containsExactlyInAnyOrder("j-error", "j-info", "j-string");
        assertThat(found("json.ok", "false")).containsExactly("j-error");
        assertThat(found("json.ok", "true")).containsExactly("j-info");
        assertThat(found("json.msg", "gate*")).containsExactly("j-error");
        assertThat(found("json.tags.1", "b")).containsExactly("j-error");
        assertThat(found("json.report_blocks.0.fraction_lost", ">10")).containsExactly("j-qos");
        assertThat(found("json.level", "info,error")).containsExactlyInAnyOrder("j-error", "j-info", "j-string");
    }

    @Test
    void aNegationTakesEveryOtherMessageAndNoPayloadFailsTheSearch() {
        List<String> others = found("json.level", "!error");
        assertThat(others).contains("j-info", "j-cut", "j-text", "j-qos", "j-sip").doesNotContain("j-error", "j-string");
        assertThat(found("json.level", "*")).containsExactlyInAnyOrder("j-error", "j-info", "j-string"); // the cut JSON has none
    }

    @Test
    void aBadPathOrAWideRangeIsABadRequestAndTheCallListDoesNotTakeIt() {
        for (String bad : new String[] {"json.", "json.a..b", "json.a b", "json.stats.mos.", "json.1.2.3.4.5.6.7.8.9"}) {
            admin.get().uri(b -> b.path("/api/v1/messages").queryParam(bad, "v").build()).exchange().expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("not a JSON path"));
        }
        admin.get().uri(b -> b.path("/api/v1/messages").queryParam("from", "2026-01-01T00:00:00Z")
                        .queryParam("to", "2026-01-02T00:00:00Z").queryParam("json.level", "error").build()).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.message")
                .value(m -> assertThat((String) m).startsWith("json: searches at most 6 h"));
        admin.get().uri(b -> b.path("/api/v1/calls").queryParam("json.level", "error").build()).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.message")
                .value(m -> assertThat((String) m).startsWith("unknown parameter \"json.level\""));
    }

    /** The correlation ids of the crafted rows the message search finds with {@code param=value}. */
    private List<String> found(String param, String value) {
        Map<String, Object> page = admin.get().uri(b -> b.path("/api/v1/messages").queryParam("from", "{f}")
                        .queryParam("to", "{t}").queryParam("limit", "1000").queryParam(param, "{v}").build(from, to, value))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> item : (List<Map<String, Object>>) page.get("items")) {
            Object id = item.get("correlationId");
            if (id instanceof String s && s.startsWith("j-")) {
                ids.add(s);
            }
        }
        return ids;
    }
}
