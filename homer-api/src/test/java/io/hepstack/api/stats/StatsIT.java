package io.hepstack.api.stats;

import io.hepstack.api.ApiIT;
import io.hepstack.api.query.Scope;
import io.hepstack.api.Fixture;
import io.hepstack.api.Http;
import io.hepstack.api.Plans;
import io.hepstack.api.TestApp;
import io.hepstack.proto.call.CallRecordStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import reactor.test.StepVerifier;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/v1/stats/kpi} and {@code /stats/volume} over {@link OutcomeCalls}, every figure counted by hand from the
 * calls' table and again from the records of the calls ({@code GET /api/v1/calls/{callId}}), the figures agreeing
 * with the call list over the same range; the average hops per request over calls captured at 1, 2 and 3 hops.
 */
@SuppressWarnings("unchecked")
class StatsIT extends ApiIT {

    static final Instant BASE = Instant.parse("2026-11-20T10:00:00Z");
    static final String FROM = "2026-11-20T10:00:00Z";
    static final String TO = "2026-11-20T10:15:00Z";
    /** The calls of {@link OutcomeCalls#hops}: an hour after the outcome calls, two buckets of 5 min. */
    static final Instant HOPS = BASE.plusSeconds(3600);
    static final String HOPS_FROM = "2026-11-20T11:00:00Z";
    static final String HOPS_TO = "2026-11-20T11:10:00Z";
    static final long DAY = 86_400_000_000L;

    static OutcomeCalls calls;
    static OutcomeCalls hops;

    @BeforeAll
    static void storeTheCallsAndRecordThem() throws Exception {
        long base = ChronoUnit.MICROS.between(Instant.EPOCH, BASE);
        calls = new OutcomeCalls(base);
        hops = OutcomeCalls.hops(ChronoUnit.MICROS.between(Instant.EPOCH, HOPS));
        // the same calls a day before and after: other partitions and records, which no query of the range may read
        Fixture.store(db.connectionFactory(), new OutcomeCalls(base - DAY).rows);
        Fixture.store(db.connectionFactory(), calls.rows);
        Fixture.store(db.connectionFactory(), new OutcomeCalls(base + DAY).rows);
        Fixture.store(db.connectionFactory(), hops.rows);
        Fixture.analyze(db);
        // stored as by a collector without records: a rebuild records them, as the collectors' passes do
        Instant first = BASE.minus(Duration.ofDays(1)).minusSeconds(60);
        Instant last = BASE.plus(Duration.ofDays(1)).plusSeconds(3600);
        CallRecordStore records = new CallRecordStore(db.connectionFactory(), Clock.fixed(last, ZoneOffset.UTC),
                CallRecordStore.Settings.DEFAULTS);
        assertThat(records.rebuild(first, last).block(Duration.ofSeconds(60))).isEqualTo(3 * 7 + 6);
        assertThat(records.rebuildRegistrations(first, last).block(Duration.ofSeconds(60))).isEqualTo(2);
        // a record written before the hops were counted
        try (Connection c = db.openJdbc(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE call_records SET invite_hops = NULL WHERE call_id = '"
                    + hops.callId("hop2-old") + "'")).isEqualTo(1);
        }
    }

    @Autowired
    WebTestClient anonymous;
    WebTestClient http;

    @BeforeEach
    void login() {
        anonymous = anonymous.mutate().responseTimeout(Duration.ofSeconds(60)).build();
        http = Http.as(anonymous, Http.login(anonymous, "admin", TestApp.ADMIN_PASSWORD));
    }

    private WebTestClient.BodyContentSpec get(WebTestClient client, String path) {
        return client.get().uri(path).exchange().expectStatus().isOk().expectBody();
    }

    private static Map<String, Object> body(WebTestClient client, String path) {
        return client.get().uri(path).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private static List<Map<String, Object>> items(WebTestClient client, String path) {
        return (List<Map<String, Object>>) body(client, path).get("items");
    }

    @Test
    void theKpisCountEachOutcomeAsRfc6076Says() {
        // 7 calls (auth, busy, down, timeout, cancel, moved, late); moved (302) is no attempt: 6 attempts.
        // answered: auth (challenged, then 200: one call) and late. busy: 486. failed: 503, 408 (no_answer; 487 is not).
        // session defects: 503. ineffective: 408, 503. NER: 200, 200, 486, cancelled = 4 of 6.
        get(http, "/api/v1/stats/kpi?from=" + FROM + "&to=" + TO + "&step=PT5M")
                .jsonPath("$.from").isEqualTo("2026-11-20T10:00:00.000000Z")
                .jsonPath("$.to").isEqualTo("2026-11-20T10:15:00.000000Z")
                .jsonPath("$.stepSeconds").isEqualTo(300)
                .jsonPath("$.nodes").isEmpty()
                .jsonPath("$.total.invites").isEqualTo(7)
                .jsonPath("$.total.attempts").isEqualTo(6)
                .jsonPath("$.total.answered").isEqualTo(2)
                .jsonPath("$.total.busy").isEqualTo(1)
                .jsonPath("$.total.failed").isEqualTo(2)
                .jsonPath("$.total.sessionDefects").isEqualTo(1)
                .jsonPath("$.total.ineffective").isEqualTo(2)
                .jsonPath("$.total.asr").isEqualTo(0.333)
                .jsonPath("$.total.ner").isEqualTo(0.667)
                .jsonPath("$.total.sd").isEqualTo(0.167)
                .jsonPath("$.total.isa").isEqualTo(0.286)
                .jsonPath("$.total.finalStatus").isEqualTo(Map.of("200", 2, "302", 1, "408", 1, "486", 1, "487", 1, "503", 1))
                // rang: auth (INVITE at +1 ms, 180 at +6 ms), busy (+1 ms to +2 ms), cancel (+1 ms to +2 ms)
                .jsonPath("$.total.avgPddMs").isEqualTo(2.333)
                // auth: 200 at +7 ms, BYE at +9 ms; late: 200 at +2 ms, BYE at +4 ms
                .jsonPath("$.total.avgDurationMs").isEqualTo(2.0)
                // every INVITE captured once
                .jsonPath("$.total.ahr").isEqualTo(1.0)
                // reg (challenged, then registered) and refused (403)
                .jsonPath("$.total.registrations").isEqualTo(2)
                .jsonPath("$.total.registrationsSucceeded").isEqualTo(1)
                .jsonPath("$.series.length()").isEqualTo(3)
                // bucket 0: six calls, five attempts (not moved), answered auth; NER: auth, busy, cancel
                .jsonPath("$.series[0].t").isEqualTo("2026-11-20T10:00:00.000000Z")
                .jsonPath("$.series[0].invites").isEqualTo(6)
                .jsonPath("$.series[0].attempts").isEqualTo(5)
                .jsonPath("$.series[0].answered").isEqualTo(1)
                .jsonPath("$.series[0].busy").isEqualTo(1)
                .jsonPath("$.series[0].failed").isEqualTo(2)
                .jsonPath("$.series[0].sessionDefects").isEqualTo(1)
                .jsonPath("$.series[0].ineffective").isEqualTo(2)
                .jsonPath("$.series[0].asr").isEqualTo(0.2)
                .jsonPath("$.series[0].ner").isEqualTo(0.6)
                .jsonPath("$.series[0].sd").isEqualTo(0.2)
                .jsonPath("$.series[0].isa").isEqualTo(0.333)
                .jsonPath("$.series[0].ahr").isEqualTo(1.0)
                // bucket 1: late, answered
                .jsonPath("$.series[1].t").isEqualTo("2026-11-20T10:05:00.000000Z")
                .jsonPath("$.series[1].invites").isEqualTo(1)
                .jsonPath("$.series[1].attempts").isEqualTo(1)
                .jsonPath("$.series[1].answered").isEqualTo(1)
                .jsonPath("$.series[1].asr").isEqualTo(1.0)
                .jsonPath("$.series[1].ner").isEqualTo(1.0)
                .jsonPath("$.series[1].sd").isEqualTo(0.0)
                .jsonPath("$.series[1].isa").isEqualTo(0.0)
                // bucket 2: empty but present, ratios null
                .jsonPath("$.series[2].t").isEqualTo("2026-11-20T10:10:00.000000Z")
                .jsonPath("$.series[2].invites").isEqualTo(0)
                .jsonPath("$.series[2].attempts").isEqualTo(0)
                .jsonPath("$.series[2].asr").isEmpty()
                .jsonPath("$.series[2].isa").isEmpty()
                .jsonPath("$.series[2].ahr").isEmpty();
    }

    @Test
    void aNodeFilterKeepsOnlyTheCallsItCaptured() {
        // node-1: auth (answered), busy (486), down (503)
        get(http, "/api/v1/stats/kpi?from=" + FROM + "&to=" + TO + "&step=300&node=node-1")
                .jsonPath("$.nodes[0]").isEqualTo("node-1")
                .jsonPath("$.total.invites").isEqualTo(3)
                .jsonPath("$.total.attempts").isEqualTo(3)
                .jsonPath("$.total.answered").isEqualTo(1)
                .jsonPath("$.total.busy").isEqualTo(1)
                .jsonPath("$.total.failed").isEqualTo(1)
                .jsonPath("$.total.sessionDefects").isEqualTo(1)
                .jsonPath("$.total.ineffective").isEqualTo(1)
                .jsonPath("$.total.asr").isEqualTo(0.333)
                .jsonPath("$.total.ner").isEqualTo(0.667)
                .jsonPath("$.total.sd").isEqualTo(0.333)
                .jsonPath("$.total.isa").isEqualTo(0.333)
                .jsonPath("$.total.registrations").isEqualTo(2)
                .jsonPath("$.series[1].invites").isEqualTo(0);
        // several nodes: everything; an unknown node: nothing
        get(http, "/api/v1/stats/kpi?from=" + FROM + "&to=" + TO + "&node=node-1,node-2")
                .jsonPath("$.total.invites").isEqualTo(7);
        get(http, "/api/v1/stats/kpi?from=" + FROM + "&to=" + TO + "&node=") // empty: no filter, as in searches
                .jsonPath("$.nodes").isEmpty()
                .jsonPath("$.total.invites").isEqualTo(7);
        get(http, "/api/v1/stats/kpi?from=" + FROM + "&to=" + TO + "&node=node-9")
                .jsonPath("$.total.invites").isEqualTo(0)
                .jsonPath("$.total.asr").isEmpty()
                .jsonPath("$.total.ahr").isEmpty()
                .jsonPath("$.total.registrations").isEqualTo(0);
    }

    @Test
    void theKpisAreTheFiguresOfTheRecordsOfTheirCallsAndAgreeWithTheCallList() {
        for (String range : new String[] {"from=" + FROM + "&to=" + TO, "from=" + FROM + "&to=" + TO + "&node=node-1",
                "from=" + FROM + "&to=" + TO + "&node=node-2", "from=" + HOPS_FROM + "&to=" + HOPS_TO}) {
            List<Map<String, Object>> listed = items(http, "/api/v1/calls?limit=100&" + range);
            List<Map<String, Object>> records = listed.stream().map(c -> body(http, "/api/v1/calls/" + c.get("callId"))).toList();
            Map<String, Object> total = (Map<String, Object>) body(http, "/api/v1/stats/kpi?step=300&" + range).get("total");
            assertThat(records).as(range).isNotEmpty();
            assertThat(total).as(range).containsAllEntriesOf(figures(records));
            // the call list of the records' states counts what the figures count
            assertThat(total.get("invites")).as(range).isEqualTo(listed.size());
            assertThat(total.get("answered")).as(range)
                    .isEqualTo(items(http, "/api/v1/calls?limit=100&state=answered,completed&" + range).size());
            assertThat(total.get("busy")).as(range).isEqualTo(items(http, "/api/v1/calls?limit=100&state=busy&" + range).size());
            assertThat(total.get("failed")).as(range)
                    .isEqualTo(items(http, "/api/v1/calls?limit=100&state=no_answer,rejected,failed&" + range).size());
        }
    }

    /** The figures of {@code records} (call records as {@code GET /api/v1/calls/{callId}} answers them) as docs/api.md defines them. */
    private static Map<String, Object> figures(List<Map<String, Object>> records) {
        int attempts = 0;
        int answered = 0;
        int busy = 0;
        int failed = 0;
        int defects = 0;
        int ineffective = 0;
        int effective = 0;
        List<Number> pdd = new ArrayList<>();
        List<Number> duration = new ArrayList<>();
        List<Number> hopCounts = new ArrayList<>();
        Map<String, Integer> statuses = new TreeMap<>();
        for (Map<String, Object> r : records) {
            Integer status = (Integer) r.get("finalStatus");
            String state = (String) r.get("state");
            int s = status == null ? 0 : status;
            boolean ok = s >= 200 && s < 300;
            attempts += (s >= 300 && s < 400) || state.equals("auth_challenged_only") ? 0 : 1;
            answered += ok ? 1 : 0;
            busy += state.equals("busy") ? 1 : 0;
            failed += List.of("no_answer", "rejected", "failed").contains(state) ? 1 : 0;
            defects += List.of(500, 503, 504).contains(s) ? 1 : 0;
            ineffective += List.of(408, 500, 503).contains(s) || "timeout".equals(r.get("hangupBy")) ? 1 : 0;
            effective += ok || s == 486 || s == 603 || state.equals("cancelled") ? 1 : 0;
            statuses.merge(status == null ? "none" : status.toString(), 1, Integer::sum);
            for (var e : Map.of("pddMs", pdd, "durationMs", duration, "inviteHops", hopCounts).entrySet()) {
                if (r.get(e.getKey()) != null) {
                    e.getValue().add((Number) r.get(e.getKey()));
                }
            }
        }
        Map<String, Object> f = new java.util.HashMap<>();
        f.put("invites", records.size());
        f.put("attempts", attempts);
        f.put("answered", answered);
        f.put("busy", busy);
        f.put("failed", failed);
        f.put("sessionDefects", defects);
        f.put("ineffective", ineffective);
        f.put("asr", KpiStore.ratio(answered, attempts));
        f.put("ner", KpiStore.ratio(effective, attempts));
        f.put("sd", KpiStore.ratio(defects, attempts));
        f.put("isa", KpiStore.ratio(ineffective, records.size()));
        f.put("avgPddMs", mean(pdd));
        f.put("avgDurationMs", mean(duration));
        f.put("ahr", mean(hopCounts));
        f.put("finalStatus", statuses);
        return f;
    }

    private static Double mean(List<Number> values) {
        return values.isEmpty() ? null
                : Math.round(1000 * values.stream().mapToDouble(Number::doubleValue).average().orElseThrow()) / 1000.0;
    }

    @Test
    void aCallWithoutAFinalReplyIsIneffectiveOnceItsRingTimeoutPassedAndACancelWithoutItsReplyIsEffective() {
        // the records know: unanswered timed out (no_answer by timeout), cancel-only was cancelled without its 487
        assertThat(body(http, "/api/v1/calls/" + hops.callId("unanswered"))).containsEntry("state", "no_answer")
                .containsEntry("hangupBy", "timeout").containsEntry("finalStatus", null);
        assertThat(body(http, "/api/v1/calls/" + hops.callId("cancel-only"))).containsEntry("state", "cancelled")
                .containsEntry("finalStatus", null);
        // six calls, six attempts, four answered; failed and ineffective: unanswered; NER: four answered and cancel-only
        get(http, "/api/v1/stats/kpi?from=" + HOPS_FROM + "&to=" + HOPS_TO + "&step=PT5M")
                .jsonPath("$.total.invites").isEqualTo(6)
                .jsonPath("$.total.attempts").isEqualTo(6)
                .jsonPath("$.total.answered").isEqualTo(4)
                .jsonPath("$.total.failed").isEqualTo(1)
                .jsonPath("$.total.ineffective").isEqualTo(1)
                .jsonPath("$.total.sessionDefects").isEqualTo(0)
                .jsonPath("$.total.isa").isEqualTo(0.167)
                .jsonPath("$.total.asr").isEqualTo(0.667)
                .jsonPath("$.total.ner").isEqualTo(0.833)
                .jsonPath("$.total.finalStatus").isEqualTo(Map.of("200", 4, "none", 2))
                .jsonPath("$.series[1].failed").isEqualTo(1)
                .jsonPath("$.series[1].ineffective").isEqualTo(1);
    }

    @Test
    void theAverageHopsPerRequestIsTheMeanOverTheRecordsThatCountThem() {
        // hop1 at 1 hop, hop2 at 2, hop2-old (recorded before hops were counted: none) in the first bucket; hop3 at 3,
        // unanswered and cancel-only at 1 in the second
        assertThat(body(http, "/api/v1/calls/" + hops.callId("hop1"))).containsEntry("inviteHops", 1);
        assertThat(body(http, "/api/v1/calls/" + hops.callId("hop2"))).containsEntry("inviteHops", 2);
        assertThat(body(http, "/api/v1/calls/" + hops.callId("hop3"))).containsEntry("inviteHops", 3);
        assertThat(body(http, "/api/v1/calls/" + hops.callId("hop2-old"))).containsEntry("inviteHops", null)
                .containsEntry("messages", 5);
        get(http, "/api/v1/stats/kpi?from=" + HOPS_FROM + "&to=" + HOPS_TO + "&step=PT5M")
                .jsonPath("$.total.invites").isEqualTo(6)
                .jsonPath("$.total.ahr").isEqualTo(1.6)
                .jsonPath("$.series[0].invites").isEqualTo(3)
                .jsonPath("$.series[0].ahr").isEqualTo(1.5)
                .jsonPath("$.series[1].invites").isEqualTo(3)
                .jsonPath("$.series[1].ahr").isEqualTo(1.667);
    }

    @Test
    void aTenantCountsTheCallsAndBindingsItMayRead() {
        http.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "node-2-only", "nodes", List.of("node-2"))).exchange().expectStatus().isCreated()
                .expectBody(Void.class);
        http.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "ines", "password", "stats-test-password", "role", "viewer", "tenant", "node-2-only"))
                .exchange().expectStatus().isCreated().expectBody(Void.class);
        WebTestClient ines = Http.as(anonymous, Http.login(anonymous, "ines", "stats-test-password"));
        // node-2's calls: timeout (408), cancel, moved (302, no attempt), late (answered); the bindings are node-1's
        get(ines, "/api/v1/stats/kpi?from=" + FROM + "&to=" + TO + "&step=300")
                .jsonPath("$.total.invites").isEqualTo(4)
                .jsonPath("$.total.attempts").isEqualTo(3)
                .jsonPath("$.total.answered").isEqualTo(1)
                .jsonPath("$.total.failed").isEqualTo(1)
                .jsonPath("$.total.finalStatus").isEqualTo(Map.of("200", 1, "302", 1, "408", 1, "487", 1))
                .jsonPath("$.total.registrations").isEqualTo(0)
                .jsonPath("$.series[0].invites").isEqualTo(3)
                .jsonPath("$.series[1].invites").isEqualTo(1);
        assertThat(items(ines, "/api/v1/calls?limit=100&from=" + FROM + "&to=" + TO)).hasSize(4);
        // a node narrows within the scope, never widens it
        get(ines, "/api/v1/stats/kpi?from=" + FROM + "&to=" + TO + "&node=node-1").jsonPath("$.total.invites").isEqualTo(0);
    }

    @Test
    void theVolumeCountsMessagesByMethodAndReplyClass() {
        // bucket 0: 28 messages; requests INVITE 7, ACK 6, BYE 1, CANCEL 1;
        // replies 1xx 4 (100, 180 x3), 2xx 3 (auth 200 x2, CANCEL 200), 3xx 1, 4xx 4 (407, 486, 408, 487), 5xx 1
        // bucket 1: late: INVITE, 200, ACK, BYE, 200
        get(http, "/api/v1/stats/volume?from=" + FROM + "&to=" + TO + "&step=300")
                .jsonPath("$.stepSeconds").isEqualTo(300)
                .jsonPath("$.series.length()").isEqualTo(3)
                .jsonPath("$.series[0].total").isEqualTo(28)
                .jsonPath("$.series[0].methods").isEqualTo(Map.of("INVITE", 7, "ACK", 6, "BYE", 1, "CANCEL", 1,
                        "REGISTER", 0, "OPTIONS", 0, "OTHER", 0))
                .jsonPath("$.series[0].statuses").isEqualTo(Map.of("1xx", 4, "2xx", 3, "3xx", 1, "4xx", 4, "5xx", 1, "6xx", 0))
                .jsonPath("$.series[1].t").isEqualTo("2026-11-20T10:05:00.000000Z")
                .jsonPath("$.series[1].total").isEqualTo(5)
                .jsonPath("$.series[1].methods.INVITE").isEqualTo(1)
                .jsonPath("$.series[1].statuses.2xx").isEqualTo(2)
                // bucket 2: REGISTER 401 REGISTER 200, REGISTER 403, OPTIONS 200
                .jsonPath("$.series[2].total").isEqualTo(8)
                .jsonPath("$.series[2].methods").isEqualTo(Map.of("INVITE", 0, "ACK", 0, "BYE", 0, "CANCEL", 0,
                        "REGISTER", 3, "OPTIONS", 1, "OTHER", 0))
                .jsonPath("$.series[2].statuses").isEqualTo(Map.of("1xx", 0, "2xx", 2, "3xx", 0, "4xx", 2, "5xx", 0, "6xx", 0));
        get(http, "/api/v1/stats/volume?from=" + FROM + "&to=" + TO + "&step=300&node=node-2")
                .jsonPath("$.series[0].total").isEqualTo(11)
                .jsonPath("$.series[1].total").isEqualTo(5)
                .jsonPath("$.series[2].total").isEqualTo(0);
    }

    @Test
    void aViewerReadsTheStatistics() {
        Map<?, ?> viewer = http.post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "dashboard", "role", "viewer"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        WebTestClient asViewer = Http.as(anonymous, (String) viewer.get("token"));
        get(asViewer, "/api/v1/stats/kpi?from=" + FROM + "&to=" + TO).jsonPath("$.total.invites").isEqualTo(7);
        get(asViewer, "/api/v1/stats/volume?from=" + FROM + "&to=" + TO).jsonPath("$.series[0].total").isEqualTo(28);
        anonymous.get().uri("/api/v1/stats/kpi").exchange().expectStatus().isUnauthorized().expectBody().returnResult();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "step=30                                   | step: at least 60 s",
            "step=PT30S                                | step: at least 60 s",
            "step=PT1.5S                               | step: not a duration",
            "step=5m                                   | step: not a duration",
            "step=-60                                  | step: not a duration",
            "from=2026-11-13T00:00:00Z&to=2026-11-20T00:00:00Z&step=60 | makes 10080 buckets (at most 1000)",
            "from=2026-11-01T00:00:00Z&to=2026-11-20T00:00:00Z | time range longer than",
            "node=a,,b                                 | node: empty value",
            "nodes=a                                   | unknown parameter \"nodes\"",
    })
    void badParametersAreRefusedWithAPreciseMessage(String query, String message) {
        for (String path : new String[] {"/api/v1/stats/kpi?", "/api/v1/stats/volume?"}) {
            http.get().uri(path + query).exchange().expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains(message));
        }
    }

    @Test
    void theDefaultStepGivesAtMost120Buckets() {
        get(http, "/api/v1/stats/kpi?from=2026-11-20T00:00:00Z&to=2026-11-27T00:00:00Z")
                .jsonPath("$.stepSeconds").isEqualTo(7200)
                .jsonPath("$.series.length()").isEqualTo(84);
        get(http, "/api/v1/stats/volume?from=" + FROM + "&to=" + TO)
                .jsonPath("$.stepSeconds").isEqualTo(60)
                .jsonPath("$.series.length()").isEqualTo(15);
    }

    private static final Pattern PARTITION = Pattern.compile("messages_([a-z_]+)_p\\d+");

    private static StatsRequest request(String node) {
        LinkedMultiValueMap<String, String> q = new LinkedMultiValueMap<>();
        q.add("from", FROM);
        q.add("to", TO);
        if (node != null) {
            q.add("node", node);
        }
        io.hepstack.api.ApiProperties.Search limits = new io.hepstack.api.ApiProperties.Search(Duration.ofHours(1),
                Duration.ofDays(7), 100, 1000, 20, 256, Duration.ofHours(4), Duration.ofHours(6), 1000);
        return StatsRequest.parse(q, limits, Clock.fixed(BASE, ZoneOffset.UTC));
    }

    @ParameterizedTest(name = "node={0}")
    @CsvSource(nullValues = "-", value = {"-", "node-2"})
    void theVolumeReadsOnlyTheTimePartitionsOfTheSipKinds(String node) {
        String kinds = "call registration sip_other";
        StepVerifier.create(Plans.explain(db.connectionFactory(), VolumeStore.volumeSql(request(node), Scope.ALL)))
                .assertNext(plan -> {
                    java.util.Set<String> partitions = new java.util.TreeSet<>();
                    java.util.Set<String> kindsRead = new java.util.TreeSet<>();
                    Matcher m = PARTITION.matcher(plan);
                    while (m.find()) {
                        partitions.add(m.group());
                        kindsRead.add(m.group(1));
                    }
                    // the writer made partitions for several days; a 15-minute range reads one per kind
                    assertThat(kindsRead).as(plan).containsExactlyInAnyOrder(kinds.split(" "));
                    assertThat(partitions).as(plan).hasSize(kindsRead.size());
                })
                .verifyComplete();
    }
}
