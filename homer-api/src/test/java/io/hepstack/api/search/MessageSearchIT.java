package io.hepstack.api.search;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.Http;
import io.hepstack.api.TestApp;
import io.hepstack.api.query.Filter;
import io.hepstack.api.web.Times;
import io.hepstack.proto.call.CallRecordStore;
import io.hepstack.proto.model.CapturedMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriBuilder;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

class MessageSearchIT extends AdminApiIT {

    static List<CapturedMessage> rows;
    static String from;
    static String to;

    @BeforeAll
    static void storeTheKamailioCapture() {
        rows = Fixture.kamailio();
        Fixture.store(db.connectionFactory(), rows);
        long first = rows.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).min().orElseThrow();
        long last = rows.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        from = Times.format(Fixture.instant(first));
        to = Times.format(Fixture.instant(last + 1));
        // stored as by a collector without records: a rebuild records the calls and bindings (the statistics read them)
        CallRecordStore records = new CallRecordStore(db.connectionFactory(),
                Clock.fixed(Fixture.instant(last + 60_000_000), ZoneOffset.UTC), CallRecordStore.Settings.DEFAULTS);
        records.rebuild(Fixture.instant(first), Fixture.instant(last + 1)).block(Duration.ofSeconds(60));
        records.rebuildRegistrations(Fixture.instant(first), Fixture.instant(last + 1)).block(Duration.ofSeconds(60));
    }

    @Test
    void theWholeCaptureIsFoundInItsTimeRangeNewestFirst() {
        List<Map<String, Object>> items = searchAll(Map.of());
        assertThat(items).hasSize(580);
        assertThat(signatures(items)).containsExactlyInAnyOrderElementsOf(expected(m -> true));
        for (int i = 1; i < items.size(); i++) {
            assertThat((String) items.get(i - 1).get("timestamp")).isGreaterThanOrEqualTo((String) items.get(i).get("timestamp"));
        }
        Map<String, Object> first = items.get(0);
        assertThat(first.keySet()).containsExactly("id", "timestamp", "callId", "correlationId", "method", "status",
                "cseq", "fromUser", "toUser", "ruriUser", "userAgent", "logLevel", "srcIp", "srcPort", "dstIp", "dstPort",
                "transport", "protoType", "captureId", "node", "size", "agentClockSkewMicros");
        assertThat((String) first.get("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        assertThat(first.get("transport")).isEqualTo("UDP");
        assertThat(first.get("captureId")).isEqualTo(2001);
    }

    @Test
    void everyFilterMatchesExactlyTheRowsItNames() {
        CapturedMessage invite = rows.stream().filter(m -> "INVITE".equals(m.sip().method())).findFirst().orElseThrow();
        CapturedMessage register = rows.stream().filter(m -> "REGISTER".equals(m.sip().method())).findFirst().orElseThrow();
        String ua = rows.stream().map((CapturedMessage m) -> m.sip().userAgent()).filter(Objects::nonNull).findFirst().orElseThrow();
        check(Map.of("callId", invite.callId()), m -> invite.callId().equals(m.callId()));
        check(Map.of("fromUser", invite.sip().fromUser()), m -> invite.sip().fromUser().equals(m.sip().fromUser()));
        check(Map.of("toUser", invite.sip().toUser()), m -> invite.sip().toUser().equals(m.sip().toUser()));
        check(Map.of("ruriUser", invite.sip().ruriUser()), m -> invite.sip().ruriUser().equals(m.sip().ruriUser()));
        check(Map.of("ruriUser", register.sip().ruriUser() == null ? "x" : register.sip().ruriUser()),
                m -> Objects.equals(register.sip().ruriUser() == null ? "x" : register.sip().ruriUser(), m.sip().ruriUser()));
        check(Map.of("method", "INVITE"), m -> "INVITE".equals(m.sip().method()));
        check(Map.of("status", "486"), m -> Integer.valueOf(486).equals(m.sip().status()));
        check(Map.of("status", "4xx"), m -> m.sip().status() != null && m.sip().status() / 100 == 4);
        check(Map.of("status", "1*"), m -> m.sip().status() != null && m.sip().status() / 100 == 1);
        check(Map.of("status", "180-200"), m -> m.sip().status() != null && m.sip().status() >= 180 && m.sip().status() <= 200);
        check(Map.of("srcIp", "127.0.0.1"), m -> m.envelope().srcIp() != null && m.envelope().srcIp().getHostAddress().equals("127.0.0.1"));
        check(Map.of("dstIp", "127.0.0.0/8"), m -> m.envelope().dstIp() != null && m.envelope().dstIp().getAddress()[0] == 127);
        check(Map.of("dstIp", "10.*"), m -> false);
        check(Map.of("userAgent", ua), m -> ua.equals(m.sip().userAgent()));
        check(Map.of("node", invite.envelope().node() == null ? "*" : invite.envelope().node()), m -> m.envelope().node() != null);
        check(Map.of("protoType", "1"), m -> m.envelope().protoType() == 1);
        check(Map.of("text", "x-cid: ALEG"), m -> utf8(m).toLowerCase().contains("x-cid: aleg"));
        check(Map.of("callId", "busy-*"), m -> m.callId() != null && m.callId().startsWith("busy-"));
        check(Map.of("callId", "*@127.0.0.1"), m -> m.callId() != null && m.callId().endsWith("@127.0.0.1"));
        check(Map.of("userAgent", "*"), m -> m.sip().userAgent() != null);
    }

    @Test
    void valuesCombineAsAlternativesAndNegationsExclude() {
        check(Map.of("method", "INVITE,BYE"), m -> "INVITE".equals(m.sip().method()) || "BYE".equals(m.sip().method()));
        check(Map.of("method", "!INVITE"), m -> !"INVITE".equals(m.sip().method()));
        check(Map.of("method", "!INVITE,!ACK,!BYE"),
                m -> !"INVITE".equals(m.sip().method()) && !"ACK".equals(m.sip().method()) && !"BYE".equals(m.sip().method()));
        check(Map.of("callId", "busy-*,!busy-1-*"),
                m -> m.callId() != null && m.callId().startsWith("busy-") && !m.callId().startsWith("busy-1-"));
        check(Map.of("status", "!1xx,!2xx"), m -> m.sip().status() == null || m.sip().status() >= 300);
        check(Map.of("srcIp", "!127.0.0.1"), m -> false);
        check(Map.of("text", "!SIP/2.0"), m -> !utf8(m).toLowerCase().contains("sip/2.0"));
        // several fields: all apply
        check(Map.of("callId", "busy-*", "status", "486", "method", "!INVITE"),
                m -> m.callId() != null && m.callId().startsWith("busy-") && Integer.valueOf(486).equals(m.sip().status()));
        check(Map.of("callId", "reg-*", "method", "REGISTER", "protoType", "1", "dstIp", "127.0.0.1"),
                m -> m.callId() != null && m.callId().startsWith("reg-") && "REGISTER".equals(m.sip().method()));
    }

    @Test
    void pagingWithTheCursorVisitsEveryMessageOnceInOrder() {
        List<Map<String, Object>> all = search(Map.of("limit", "1000")).items;
        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, String> q = new LinkedHashMap<>(Map.of("limit", "37"));
            if (cursor != null) {
                q.put("cursor", cursor);
            }
            Result r = search(q);
            assertThat(r.items.size()).isLessThanOrEqualTo(37);
            r.items.forEach(i -> paged.add((String) i.get("id")));
            cursor = r.nextCursor;
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo((580 + 36) / 37);
        assertThat(new HashSet<>(paged)).hasSize(580);
        assertThat(paged).containsExactlyElementsOf(all.stream().map(i -> (String) i.get("id")).toList());
    }

    @Test
    void aMessageIsFetchedByIdWithItsRawPayloadAndEveryHeader() {
        String callId = rows.stream().filter(m -> "INVITE".equals(m.sip().method())).findFirst().orElseThrow().callId();
        // the newest INVITE of the call: the one the proxy forwarded
        CapturedMessage invite = rows.stream().filter(m -> "INVITE".equals(m.sip().method()) && callId.equals(m.callId()))
                .max(java.util.Comparator.comparingLong((CapturedMessage m) -> m.envelope().timestampMicros())).orElseThrow();
        Map<String, Object> item = search(Map.of("callId", invite.callId(), "method", "INVITE")).items.get(0);
        Map<?, ?> detail = admin.get().uri("/api/v1/messages/{id}", item.get("id")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(detail.get("id")).isEqualTo(item.get("id"));
        assertThat(detail.get("callId")).isEqualTo(invite.callId());
        assertThat(detail.get("rawEncoding")).isEqualTo("utf8");
        assertThat(detail.get("raw")).isEqualTo(utf8(invite));
        @SuppressWarnings("unchecked")
        Map<String, List<String>> headers = (Map<String, List<String>>) detail.get("headers");
        assertThat(headers.keySet()).contains("Via", "From", "To", "Call-ID", "CSeq");
        assertThat(headers.get("Call-ID")).containsExactly(invite.callId());
        assertThat(detail.get("size")).isEqualTo(invite.payload().length);
    }

    @Test
    void unknownAndMalformedMessageIdsAreRefused() {
        admin.get().uri("/api/v1/messages/{id}", "not-an-id").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").isEqualTo("id: not a message id");
        String unknown = new MessageId(999_999_999L, 1_795_375_683_366_405L, io.hepstack.proto.model.MessageKind.SIP_CALL).encode();
        admin.get().uri("/api/v1/messages/{id}", unknown).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.error").isEqualTo("not_found");
    }

    @Test
    void badParametersAreRefusedWithAClearMessage() {
        Map<Map<String, String>, String> cases = new LinkedHashMap<>();
        cases.put(Map.of("calid", "x"), "unknown parameter \"calid\"");
        cases.put(Map.of("from", "yesterday"), "from: not a time");
        cases.put(Map.of("from", to, "to", from), "from: must be before to");
        cases.put(Map.of("from", "2026-01-01T00:00:00Z", "to", "2026-11-01T00:00:00Z"), "time range longer than");
        cases.put(Map.of("limit", "0"), "limit: expected a number from 1 to 1000");
        cases.put(Map.of("limit", "1001"), "limit: expected a number from 1 to 1000");
        cases.put(Map.of("limit", "ten"), "limit: expected a number");
        cases.put(Map.of("status", "abc"), "status: not a number");
        cases.put(Map.of("status", "1000"), "status: out of range");
        cases.put(Map.of("protoType", "300"), "protoType: out of range");
        cases.put(Map.of("srcIp", "evil.example.com"), "srcIp: not an address");
        cases.put(Map.of("dstIp", "10.0.0.0/33"), "dstIp: not an address");
        cases.put(Map.of("callId", "x".repeat(300)), "callId: value longer than 256");
        cases.put(Map.of("callId", "a,".repeat(25) + "a"), "callId: more than 20 values");
        cases.put(Map.of("callId", "a,,b"), "callId: empty value");
        cases.put(Map.of("callId", "!"), "callId: empty value");
        cases.put(Map.of("fromUser", "a\u0000b"), "fromUser: control characters");
        cases.put(Map.of("text", "a\\b"), "text: a backslash escapes only");
        cases.put(Map.of("cursor", "bm90IGEgY3Vyc29y"), "cursor: not a cursor");
        cases.put(Map.of("text", "INVITE", "from", "2026-11-15T00:00:00Z", "to", "2026-11-22T00:00:00Z"),
                "text: searches at most 6 h of messages");
        cases.forEach((query, message) -> admin.get().uri(b -> uri(b, withRange(query))).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error").isEqualTo("bad_request")
                .jsonPath("$.message").value(m -> assertThat((String) m).as("%s", query).contains(message)));
    }

    @Test
    void sqlInjectionInAnyParameterIsABadRequestOrMatchesNothingNeverAServerError() {
        List<String> attacks = List.of("' OR '1'='1", "1; DROP TABLE messages; --", "x' UNION SELECT * FROM homer_api.users --",
                "\\' OR 1=1 --", "%' OR ''='", "1)) OR ((1=1", "$1", "'||pg_sleep(5)||'", "\"; SELECT 1; --", "_%");
        // every filter the search takes, and its common parameters
        List<String> params = new ArrayList<>(Arrays.stream(Filter.Field.values()).map(Filter.Field::param).toList());
        params.addAll(List.of("from", "to", "limit", "cursor"));
        for (String param : params) {
            for (String attack : attacks) {
                var result = admin.get().uri(b -> uri(b, withRange(Map.of(param, attack)))).exchange()
                        .expectBody(String.class).returnResult();
                int status = result.getStatus().value();
                assertThat(status).as("%s=%s", param, attack).isIn(200, 400);
                if (status == 200) {
                    assertThat(result.getResponseBody()).as("%s=%s", param, attack).startsWith("{\"items\":[]");
                }
            }
        }
        // an injected name is refused too
        admin.get().uri(b -> uri(b, Map.of("call_id; DROP TABLE messages", "x"))).exchange().expectStatus().isBadRequest()
                .expectBody().returnResult();
        assertThat(searchAll(Map.of())).hasSize(580);
    }

    @Test
    void theKpisOfTheCaptureCountItsCallsOutcomesAndRegistrations() {
        admin.get().uri(b -> b.path("/api/v1/stats/kpi").queryParam("from", "{f}").queryParam("to", "{t}").build(from, to))
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.total.invites").isEqualTo(40)
                .jsonPath("$.total.attempts").isEqualTo(40)
                .jsonPath("$.total.answered").isEqualTo(30)
                .jsonPath("$.total.busy").isEqualTo(10)
                .jsonPath("$.total.failed").isEqualTo(0)
                .jsonPath("$.total.asr").isEqualTo(0.75)
                .jsonPath("$.total.ner").isEqualTo(1.0)
                .jsonPath("$.total.finalStatus['200']").isEqualTo(30)
                .jsonPath("$.total.finalStatus['486']").isEqualTo(10)
                .jsonPath("$.total.avgDurationMs").value(v -> assertThat(((Number) v).doubleValue()).isBetween(400.0, 2000.0))
                .jsonPath("$.total.avgPddMs").value(v -> assertThat(((Number) v).doubleValue()).isBetween(0.0, 1000.0))
                .jsonPath("$.total.registrations").isEqualTo(20)
                .jsonPath("$.total.registrationsSucceeded").isEqualTo(20)
                .jsonPath("$.series[*].invites").value(v -> assertThat(((List<?>) v).stream()
                        .mapToInt(n -> ((Number) n).intValue()).sum()).isEqualTo(40));
        admin.get().uri("/api/v1/stats/kpi?nodes=x").exchange().expectStatus().isBadRequest().expectBody().returnResult();
    }

    @Autowired
    org.springframework.r2dbc.core.DatabaseClient database;

    @Test
    void everyQueryOfTheApiRunsUnderAStatementTimeout() {
        reactor.test.StepVerifier.create(database.sql("SHOW statement_timeout").map(r -> r.get(0, String.class)).one())
                .expectNext("30s")
                .verifyComplete();
    }

    @Test
    void noQueryOfTheApiIsCompiledByJit() {
        // a scan of an hour's payloads spent 220 of its 610 ms compiling itself (docs/performance.md)
        reactor.test.StepVerifier.create(database.sql("SHOW jit").map(r -> r.get(0, String.class)).one())
                .expectNext("off")
                .verifyComplete();
    }

    @Test
    void aStatementPlannedForItsValuesLeavesNoSettingOnItsConnection(@Autowired io.hepstack.api.store.ValuePlans plans) {
        // more statements than the pool has connections: every connection has served one
        reactor.test.StepVerifier.create(reactor.core.publisher.Flux.range(0, 30)
                        .flatMap(i -> plans.run(database.sql("SHOW plan_cache_mode").map(r -> r.get(0, String.class)).all()), 30))
                .expectNextCount(30)
                .verifyComplete();
        reactor.test.StepVerifier.create(reactor.core.publisher.Flux.range(0, 30)
                        .flatMap(i -> database.sql("SHOW plan_cache_mode").map(r -> r.get(0, String.class)).one(), 30)
                        .distinct())
                .expectNext("auto")
                .verifyComplete();
        reactor.test.StepVerifier.create(plans.run(database.sql("SHOW plan_cache_mode").map(r -> r.get(0, String.class)).all()))
                .expectNext("force_custom_plan")
                .verifyComplete();
    }

    // ---- helpers ----

    record Result(List<Map<String, Object>> items, String nextCursor) {
    }

    private void check(Map<String, String> query, Predicate<CapturedMessage> expected) {
        assertThat(signatures(searchAll(query))).as("%s", query).containsExactlyInAnyOrderElementsOf(expected(expected));
    }

    private List<Map<String, Object>> searchAll(Map<String, String> query) {
        Map<String, String> q = new LinkedHashMap<>(query);
        q.put("limit", "1000");
        Result r = search(q);
        assertThat(r.nextCursor).isNull();
        return r.items;
    }

    @SuppressWarnings("unchecked")
    private Result search(Map<String, String> query) {
        Map<String, Object> body = admin.get().uri(b -> uri(b, withRange(query))).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return new Result((List<Map<String, Object>>) body.get("items"), (String) body.get("nextCursor"));
    }

    private static Map<String, String> withRange(Map<String, String> query) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("from", from);
        q.put("to", to);
        q.putAll(query);
        return q;
    }

    private static URI uri(UriBuilder b, Map<String, String> query) {
        b.path("/api/v1/messages");
        Map<String, Object> values = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, String> e : query.entrySet()) {
            b.queryParam("{n" + i + "}", "{v" + i + "}");
            values.put("n" + i, e.getKey());
            values.put("v" + i, e.getValue());
            i++;
        }
        return b.build(values);
    }

    private static List<String> expected(Predicate<CapturedMessage> p) {
        return rows.stream().filter(p).map(m -> Times.format(Fixture.instant(m.envelope().timestampMicros())) + "|" + m.callId()
                + "|" + (m.sip().method() != null ? m.sip().method() : m.sip().status()) + "|" + m.envelope().srcPort() + ">" + m.envelope().dstPort() + "|"
                + m.payload().length).toList();
    }

    private static List<String> signatures(List<Map<String, Object>> items) {
        return items.stream().map(i -> i.get("timestamp") + "|" + i.get("callId") + "|"
                + (i.get("method") != null ? i.get("method") : i.get("status")) + "|" + i.get("srcPort") + ">"
                + i.get("dstPort") + "|" + i.get("size")).toList();
    }

    private static String utf8(CapturedMessage m) {
        return new String(m.payload(), StandardCharsets.UTF_8);
    }
}
