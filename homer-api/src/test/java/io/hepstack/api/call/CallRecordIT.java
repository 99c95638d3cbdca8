package io.hepstack.api.call;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.Http;
import io.hepstack.proto.call.CallRecordStore;
import io.hepstack.proto.model.CapturedMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/calls/{callId}}: the records the collectors' passes keep for the Kamailio capture,
 * within the caller's tenant.
 */
@SuppressWarnings("unchecked")
class CallRecordIT extends AdminApiIT {

    static List<CapturedMessage> kamailio;

    /** Completed calls of the capture given RTCP reports: clean media, 10 % loss both ways, and one-way audio. */
    static String clean;
    static String lossy;
    static String oneWay;

    @BeforeAll
    static void storeTheCaptureAndRecordItsCalls() {
        kamailio = Fixture.kamailio();
        Fixture.store(db.connectionFactory(), kamailio);
        List<String> completed = kamailio.stream().filter(m -> "INVITE".equals(m.sip().method()) && !m.callId().startsWith("busy"))
                .map(CapturedMessage::callId).distinct().toList();
        clean = completed.get(0);
        lossy = completed.get(1);
        oneWay = completed.get(2);
        List<CapturedMessage> reports = new java.util.ArrayList<>();
        reports.addAll(rtcp(clean, 0, 0));
        reports.addAll(rtcp(lossy, 26, 26));
        reports.addAll(rtcp(oneWay, 0, -1));
        Fixture.store(db.connectionFactory(), reports);
        long last = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        Clock clock = Clock.fixed(Instant.ofEpochSecond(last / 1_000_000 + 60), ZoneOffset.UTC);
        // the fixture is stored as a writer of a collector without records stores it: a rebuild records its calls
        Long recorded = new CallRecordStore(db.connectionFactory(), clock, CallRecordStore.Settings.DEFAULTS)
                .rebuild(Instant.ofEpochSecond(last / 1_000_000 - 3600), Instant.ofEpochSecond(last / 1_000_000 + 1))
                .block(Duration.ofSeconds(60));
        assertThat(recorded).isEqualTo(40);
    }

    @Test
    void aCompletedCallsRecordSaysWhatHappened() {
        String callId = kamailio.stream().filter(m -> "INVITE".equals(m.sip().method()) && !m.callId().startsWith("busy"))
                .findFirst().orElseThrow().callId();
        Map<String, Object> r = record(admin, callId).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(r).containsEntry("callId", callId).containsEntry("state", "completed").containsEntry("hangupBy", "caller")
                .containsEntry("finalStatus", 200).containsEntry("finalPhrase", "OK").containsEntry("messages", 7)
                .containsEntry("retransmissions", 0).containsEntry("reInvites", 0).containsEntry("nodes", List.of("2001"))
                .containsEntry("inviteHops", 2); // the INVITE mirrored by the proxy as received and as sent
        assertThat((Map<String, Object>) r.get("caller")).containsEntry("user", "sipp");
        assertThat((Map<String, Object>) r.get("callee")).containsEntry("user", "1000");
        assertThat((Map<String, Object>) r.get("source")).containsEntry("ip", "127.0.0.1");
        assertThat(((Number) r.get("durationMs")).longValue()).isBetween(400L, 2_000L);
        assertThat((String) r.get("startedAt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        assertThat(r.get("reason")).isNull();
    }

    @Test
    void aBusyCallWasTheCallees486() {
        String callId = kamailio.stream().filter(m -> m.callId() != null && m.callId().startsWith("busy-")).findFirst()
                .orElseThrow().callId();
        record(admin, callId).expectStatus().isOk().expectBody()
                .jsonPath("$.state").isEqualTo("busy").jsonPath("$.hangupBy").isEqualTo("callee")
                .jsonPath("$.finalStatus").isEqualTo(486).jsonPath("$.answeredAt").isEmpty();
    }

    @Test
    void whatIsNotARecordedCallIsNotFoundAndABadCallIdIsABadRequest() {
        String registration = kamailio.stream().filter(m -> m.callId() != null && m.callId().startsWith("reg-")).findFirst()
                .orElseThrow().callId();
        record(admin, registration).expectStatus().isNotFound().expectBody()
                .jsonPath("$.message").isEqualTo("no call record for this Call-ID");
        record(admin, "x".repeat(1000)).expectStatus().isBadRequest().expectBody(Void.class);
        record(anonymous, registration).expectStatus().isUnauthorized().expectBody(Void.class);
    }

    @Test
    void aTenantSeesTheRecordsOfTheCallsItMayRead() {
        String callId = kamailio.stream().filter(m -> "INVITE".equals(m.sip().method())).findFirst().orElseThrow().callId();
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "loopback", "networks", List.of("127.0.0.0/8"))).exchange().expectStatus().isCreated().expectBody(Void.class);
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "elsewhere", "networks", List.of("10.99.0.0/16"))).exchange().expectStatus().isCreated()
                .expectBody(Void.class);
        for (String[] u : new String[][] {{"carol", "loopback"}, {"dave", "elsewhere"}}) {
            admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("username", u[0], "password", "record-test-password", "role", "viewer", "tenant", u[1]))
                    .exchange().expectStatus().isCreated().expectBody(Void.class);
        }
        record(Http.as(anonymous, Http.login(anonymous, "carol", "record-test-password")), callId).expectStatus().isOk().expectBody(Void.class);
        record(Http.as(anonymous, Http.login(anonymous, "dave", "record-test-password")), callId).expectStatus().isNotFound().expectBody(Void.class);
    }

    @Test
    void theCallListShowsEachCallsStateAndWhoEndedIt() {
        long first = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).min().orElseThrow();
        long last = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        Map<String, Object> page = admin.get().uri(b -> b.path("/api/v1/calls").queryParam("from", "{f}").queryParam("to", "{t}")
                        .queryParam("limit", "100").build(io.hepstack.api.web.Times.format(Fixture.instant(first)),
                                io.hepstack.api.web.Times.format(Fixture.instant(last + 1))))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
        assertThat(items).hasSize(40);
        assertThat(items).filteredOn(i -> ((String) i.get("callId")).startsWith("busy-"))
                .hasSize(10).allSatisfy(i -> assertThat(i).containsEntry("state", "busy").containsEntry("hangupBy", "callee"));
        assertThat(items).filteredOn(i -> !((String) i.get("callId")).startsWith("busy-"))
                .hasSize(30).allSatisfy(i -> assertThat(i).containsEntry("state", "completed").containsEntry("hangupBy", "caller")
                        .containsKey("pddMs").containsEntry("reasonCause", null).containsEntry("inviteHops", 2));
        assertThat(items).as("one device answered or refused each: one early dialog").allSatisfy(i -> assertThat(i).containsEntry("forks", 1));
    }

    @Test
    void theCallListIsFilteredByTheRecordsFieldsAndPagedInItsOrder() {
        List<Map<String, Object>> all = calls(admin, Map.of());
        assertThat(all).hasSize(40);
        assertThat(calls(admin, Map.of("state", "busy"))).hasSize(10)
                .allSatisfy(i -> assertThat((String) i.get("callId")).startsWith("busy-"));
        assertThat(calls(admin, Map.of("state", "completed,busy"))).hasSize(40);
        assertThat(calls(admin, Map.of("state", "!busy"))).hasSize(30)
                .allSatisfy(i -> assertThat(i).containsEntry("state", "completed"));
        assertThat(calls(admin, Map.of("hangupBy", "callee"))).hasSize(10);
        assertThat(calls(admin, Map.of("hangupBy", "caller", "state", "busy"))).isEmpty();
        assertThat(calls(admin, Map.of("reasonCause", "16"))).isEmpty(); // no Reason header in the capture
        assertThat(calls(admin, Map.of("reasonCause", "!16"))).hasSize(40);

        // durations: the talk times of the completed calls, split at their median
        List<Long> durations = all.stream().filter(i -> i.get("durationMs") != null)
                .map(i -> ((Number) i.get("durationMs")).longValue()).sorted().toList();
        assertThat(durations).hasSize(30);
        long median = durations.get(15);
        long longer = durations.stream().filter(d -> d > median).count();
        assertThat(calls(admin, Map.of("duration", ">" + median + "ms"))).hasSize((int) longer)
                .allSatisfy(i -> assertThat(((Number) i.get("durationMs")).longValue()).isGreaterThan(median));
        assertThat(calls(admin, Map.of("duration", "<=" + median + "ms"))).hasSize(30 - (int) longer);
        assertThat(calls(admin, Map.of("duration", "0ms-1h"))).hasSize(30); // a busy call has no duration
        assertThat(calls(admin, Map.of("duration", "!>1h"))).hasSize(40); // ... and "not over an hour" takes it
        assertThat(calls(admin, Map.of("pdd", "<1m", "setup", "<=1m"))).hasSize(30); // only answered calls have a setup time

        // a record's field with the INVITEs' own: the INVITE filter still applies
        String busyCaller = (String) all.stream().filter(i -> "busy".equals(i.get("state"))).findFirst().orElseThrow().get("fromUser");
        assertThat(calls(admin, Map.of("state", "busy", "fromUser", busyCaller))).hasSize(1)
                .allSatisfy(i -> assertThat(i).containsEntry("fromUser", busyCaller));
        assertThat(calls(admin, Map.of("state", "busy", "fromUser", "alice*"))).hasSize(10);
        assertThat(calls(admin, Map.of("state", "busy", "fromUser", "nobody"))).isEmpty();

        // pages of 7 along started_at DESC, call_id DESC, every call once
        List<String> paged = new java.util.ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> q = new java.util.HashMap<>(Map.of("state", "completed", "limit", "7"));
            if (cursor != null) {
                q.put("cursor", cursor);
            }
            Map<String, Object> page = page(admin, q);
            ((List<Map<String, Object>>) page.get("items")).forEach(i -> paged.add((String) i.get("callId")));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        assertThat(paged).hasSize(30).doesNotHaveDuplicates()
                .isEqualTo(all.stream().filter(i -> "completed".equals(i.get("state"))).map(i -> (String) i.get("callId")).toList());
    }

    @Test
    void aRecordFilterWithABadValueIsABadRequestAndMessagesDoNotTakeIt() {
        for (String[] bad : new String[][] {{"state", "talking", "state: not one of the values: \"talking\""},
                {"state", "comp*", "state: not one of the values: \"comp*\""},
                {"hangupBy", "me", "hangupBy: not one of the values: \"me\""},
                {"duration", "30", "duration: not a duration: \"30\""},
                {"duration", ">30sec", "duration: not a duration: \">30sec\""},
                {"duration", "1m-10s", "duration: empty range: \"1m-10s\""},
                {"pdd", "<", "pdd: not a duration: \"<\""},
                {"reasonCause", "1000", "reasonCause: out of range: \"1000\""}}) {
            admin.get().uri(b -> b.path("/api/v1/calls").queryParam(bad[0], "{v}").build(bad[1])).exchange()
                    .expectStatus().isBadRequest().expectBody().jsonPath("$.message").value(m -> assertThat((String) m).startsWith(bad[2]));
        }
        admin.get().uri("/api/v1/messages?state=busy").exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.message").value(m -> assertThat((String) m).startsWith("unknown parameter \"state\""));
    }

    @Test
    void aTenantListsByRecordFieldsOnlyTheCallsItMayRead() {
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "list-loopback", "networks", List.of("127.0.0.0/8"))).exchange().expectStatus().isCreated()
                .expectBody(Void.class);
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "list-elsewhere", "networks", List.of("10.98.0.0/16"))).exchange().expectStatus().isCreated()
                .expectBody(Void.class);
        for (String[] u : new String[][] {{"erin", "list-loopback"}, {"frank", "list-elsewhere"}}) {
            admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("username", u[0], "password", "record-list-password", "role", "viewer", "tenant", u[1]))
                    .exchange().expectStatus().isCreated().expectBody(Void.class);
        }
        assertThat(calls(Http.as(anonymous, Http.login(anonymous, "erin", "record-list-password")), Map.of("state", "busy"))).hasSize(10);
        assertThat(calls(Http.as(anonymous, Http.login(anonymous, "frank", "record-list-password")), Map.of("state", "busy"))).isEmpty();
    }

    @Test
    void aShareLinkShowsTheCallsRecordWithoutLogin() {
        String busy = kamailio.stream().filter(m -> m.callId() != null && m.callId().startsWith("busy-")).findFirst()
                .orElseThrow().callId();
        String registration = kamailio.stream().filter(m -> m.callId() != null && m.callId().startsWith("reg-")).findFirst()
                .orElseThrow().callId();
        long first = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).min().orElseThrow();
        long last = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        String from = io.hepstack.api.web.Times.format(Fixture.instant(first));
        String to = io.hepstack.api.web.Times.format(Fixture.instant(last + 1));
        for (String[] c : new String[][] {{busy, "200"}, {registration, "404"}}) {
            String token = (String) admin.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("callId", c[0], "from", from, "to", to)).exchange().expectStatus().isCreated()
                    .expectBody(Map.class).returnResult().getResponseBody().get("token");
            var answer = anonymous.get().uri("/api/v1/shared/{t}/record", token).exchange();
            if (c[1].equals("200")) {
                answer.expectStatus().isOk().expectBody().jsonPath("$.callId").isEqualTo(busy)
                        .jsonPath("$.state").isEqualTo("busy").jsonPath("$.hangupBy").isEqualTo("callee");
            } else { // a registration has no record: the link still shows its flow
                answer.expectStatus().isNotFound().expectBody().jsonPath("$.message").isEqualTo("not found");
            }
        }
        anonymous.get().uri("/api/v1/shared/{t}/record", "no-such-token").exchange().expectStatus().isNotFound()
                .expectBody(Void.class);
    }

    @Test
    void aRecordSaysHowTheMediaWasAndTheCallListIsFilteredByIt() {
        Map<String, Object> media = (Map<String, Object>) record(admin, lossy).expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody().get("media");
        assertThat(media).containsEntry("reports", 2).containsEntry("verdicts", List.of("high_loss"));
        assertThat(((Number) media.get("mos")).doubleValue()).isBetween(2.5, 4.0);
        assertThat(((Number) media.get("lossPercent")).doubleValue()).isEqualTo(10.15625); // 26/256
        assertThat(((Number) media.get("jitterMs")).doubleValue()).isEqualTo(1.0);
        record(admin, oneWay).expectStatus().isOk().expectBody().jsonPath("$.media.verdicts[0]").isEqualTo("one_way_audio");
        record(admin, clean).expectStatus().isOk().expectBody().jsonPath("$.media.verdicts").isEmpty()
                .jsonPath("$.media.mos").value(m -> assertThat(((Number) m).doubleValue()).isGreaterThan(4.3));

        assertThat(callIds(Map.of("verdict", "one_way_audio"))).containsExactly(oneWay);
        assertThat(callIds(Map.of("verdict", "high_loss,one_way_audio"))).containsExactlyInAnyOrder(lossy, oneWay);
        assertThat(callIds(Map.of("verdict", "no_media_reports"))).hasSize(27); // answered without a report
        assertThat(callIds(Map.of("verdict", "!no_media_reports"))).hasSize(13).contains(clean, lossy, oneWay);
        assertThat(callIds(Map.of("mos", "<4"))).containsExactly(lossy);
        assertThat(callIds(Map.of("mos", ">=4"))).containsExactlyInAnyOrder(clean, oneWay);
        assertThat(callIds(Map.of("mos", "!<4"))).hasSize(39); // a call without reports is not below 4
        assertThat(callIds(Map.of("mos", "1-3.99"))).containsExactly(lossy);
        assertThat(callIds(Map.of("loss", ">5%"))).containsExactly(lossy);
        assertThat(callIds(Map.of("loss", "<=1"))).containsExactlyInAnyOrder(clean, oneWay);
        assertThat(callIds(Map.of("jitter", ">=1ms", "state", "completed"))).hasSize(3);
        // the list shows each call's MOS and verdicts
        Map<String, Object> item = calls(admin, Map.of("verdict", "high_loss")).get(0);
        assertThat(((Number) item.get("mos")).doubleValue()).isBetween(2.5, 4.0);
        assertThat(item).containsEntry("verdicts", List.of("high_loss"));

        for (String[] bad : new String[][] {{"mos", "good", "mos: not a number: \"good\""},
                {"mos", "4-3", "mos: empty range: \"4-3\""},
                {"loss", "5%%", "loss: not a percentage: \"5%%\""},
                {"verdict", "choppy", "verdict: not one of the values: \"choppy\""},
                {"jitter", "30", "jitter: not a duration: \"30\""}}) {
            admin.get().uri(b -> b.path("/api/v1/calls").queryParam(bad[0], "{v}").build(bad[1])).exchange()
                    .expectStatus().isBadRequest().expectBody().jsonPath("$.message").value(m -> assertThat((String) m).startsWith(bad[2]));
        }
    }

    @Test
    void aForkedCallsRecordHasEachDevicesEarlyDialogAndAnOrdinaryCallOne() {
        // after the capture's range (whose 40 calls the other tests count): a proxy 10.2.0.5 forks the INVITE of
        // 10.2.0.1 to B, C and D; B and C ring, C answers, the proxy cancels B and D, which answer 487
        long last = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        long t = last + 7_200_000_000L;
        String callId = "fork-record@test";
        String a = "10.2.0.1";
        String p = "10.2.0.5";
        String[] device = {"10.2.0.9", "10.2.0.10", "10.2.0.11"};
        List<CapturedMessage> fork = new java.util.ArrayList<>();
        fork.add(sip(t, a, p, callId, "INVITE sip:bob@example.com SIP/2.0", "1 INVITE", null));
        for (int i = 0; i < 3; i++) {
            fork.add(sip(t + 1_000 + i, p, device[i], callId, "INVITE sip:bob@" + device[i] + " SIP/2.0", "1 INVITE", null));
        }
        fork.add(sip(t + 200_000, device[0], p, callId, "SIP/2.0 180 Ringing", "1 INVITE", "b"));
        fork.add(sip(t + 200_001, p, a, callId, "SIP/2.0 180 Ringing", "1 INVITE", "b"));
        fork.add(sip(t + 300_000, device[1], p, callId, "SIP/2.0 180 Ringing", "1 INVITE", "c"));
        fork.add(sip(t + 2_300_000, device[1], p, callId, "SIP/2.0 200 OK", "1 INVITE", "c"));
        fork.add(sip(t + 2_300_001, p, a, callId, "SIP/2.0 200 OK", "1 INVITE", "c"));
        fork.add(sip(t + 2_300_002, p, device[0], callId, "CANCEL sip:bob@10.2.0.9 SIP/2.0", "1 CANCEL", null));
        fork.add(sip(t + 2_300_003, p, device[2], callId, "CANCEL sip:bob@10.2.0.11 SIP/2.0", "1 CANCEL", null));
        fork.add(sip(t + 2_301_000, device[0], p, callId, "SIP/2.0 487 Request Terminated", "1 INVITE", "b"));
        fork.add(sip(t + 2_302_000, device[2], p, callId, "SIP/2.0 487 Request Terminated", "1 INVITE", "d"));
        fork.add(sip(t + 2_310_000, a, device[1], callId, "ACK sip:bob@10.2.0.10 SIP/2.0", "1 ACK", "c"));
        Fixture.store(db.connectionFactory(), fork);
        Clock clock = Clock.fixed(Instant.ofEpochSecond(t / 1_000_000 + 60), ZoneOffset.UTC);
        assertThat(new CallRecordStore(db.connectionFactory(), clock, CallRecordStore.Settings.DEFAULTS)
                .rebuild(Fixture.instant(t), Fixture.instant(t + 1)).block(Duration.ofSeconds(60))).isEqualTo(1);

        Map<String, Object> r = record(admin, callId).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(r).containsEntry("state", "answered").containsEntry("finalStatus", 200).containsEntry("dialogsDropped", 0);
        List<Map<String, Object>> dialogs = (List<Map<String, Object>>) r.get("dialogs");
        assertThat(dialogs).extracting(d -> d.get("toTag"), d -> d.get("lastStatus"), d -> d.get("answered"), d -> d.get("cancelled"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b", 487, false, true),
                        org.assertj.core.groups.Tuple.tuple("c", 200, true, false),
                        org.assertj.core.groups.Tuple.tuple("d", 487, false, true));
        assertThat(dialogs.get(0)).containsEntry("source", Map.of("ip", "10.2.0.9", "port", 5060))
                .containsEntry("firstReplyAt", io.hepstack.api.web.Times.format(Fixture.instant(t + 200_000)))
                .containsEntry("ringingAt", io.hepstack.api.web.Times.format(Fixture.instant(t + 200_000)));
        assertThat(dialogs.get(2)).containsEntry("source", Map.of("ip", "10.2.0.11", "port", 5060)).containsEntry("ringingAt", null);

        Map<String, Object> listed = admin.get().uri(b -> b.path("/api/v1/calls").queryParam("from", "{f}").queryParam("to", "{t}")
                        .build(io.hepstack.api.web.Times.format(Fixture.instant(t)), io.hepstack.api.web.Times.format(Fixture.instant(t + 1))))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<Map<String, Object>>) listed.get("items")).singleElement()
                .satisfies(i -> assertThat(i).containsEntry("callId", callId).containsEntry("forks", 3));

        String ordinary = kamailio.stream().filter(m -> "INVITE".equals(m.sip().method()) && !m.callId().startsWith("busy"))
                .findFirst().orElseThrow().callId();
        record(admin, ordinary).expectStatus().isOk().expectBody().jsonPath("$.dialogs.length()").isEqualTo(1)
                .jsonPath("$.dialogs[0].answered").isEqualTo(true).jsonPath("$.dialogs[0].lastStatus").isEqualTo(200)
                .jsonPath("$.dialogsDropped").isEqualTo(0);
    }

    /** A SIP message of the forked call at {@code t} µs, From tag {@code a}, To tag {@code toTag} (null: none). */
    private static CapturedMessage sip(long t, String src, String dst, String callId, String startLine, String cseq, String toTag) {
        String text = startLine + "\r\nVia: SIP/2.0/UDP " + src + ":5060;branch=z9hG4bK-" + cseq.hashCode() + "\r\n"
                + "From: <sip:alice@example.com>;tag=a\r\nTo: <sip:bob@example.com>" + (toTag == null ? "" : ";tag=" + toTag)
                + "\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq + "\r\nContent-Length: 0\r\n\r\n";
        return new io.hepstack.proto.model.MessageExtractor(Fixture.SETTINGS).extract(io.hepstack.proto.hep.HepPacket.builder()
                .addresses(CraftedCalls.ip(src), 5060, CraftedCalls.ip(dst), 5060).ipProto(17).timestampMicros(t)
                .protoType(1).captureId(2001).payload(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)).build());
    }

    /**
     * Two receiver reports in the middle of {@code callId}'s talk time, correlated to it as a relay sends them: the
     * caller's about the callee's stream with {@code callerLoss} (of 256) lost, and the callee's with
     * {@code calleeLoss} lost, or no block at all when it is -1 (it received nothing); jitter 8 (1 ms at 8 kHz).
     */
    private static List<CapturedMessage> rtcp(String callId, int callerLoss, int calleeLoss) {
        List<CapturedMessage> rows = kamailio.stream().filter(m -> callId.equals(m.callId())).toList();
        long at = (rows.get(0).envelope().timestampMicros() + rows.get(rows.size() - 1).envelope().timestampMicros()) / 2;
        io.hepstack.proto.model.MessageExtractor extractor =
                new io.hepstack.proto.model.MessageExtractor(io.hepstack.proto.model.ExtractionSettings.DEFAULT);
        List<CapturedMessage> out = new java.util.ArrayList<>();
        long[][] ends = {{0xA, 0xB, callerLoss, 1}, {0xB, 0xA, calleeLoss, 2}};
        for (long[] e : ends) {
            List<io.hepstack.proto.media.ReportBlock> blocks = e[2] < 0 ? List.of()
                    : List.of(new io.hepstack.proto.media.ReportBlock(e[1], (int) e[2], 0, 500, 8, 0, 0));
            byte[] payload = io.hepstack.proto.media.RtcpWriter.write(new io.hepstack.proto.media.RtcpReport(
                    List.of(new io.hepstack.proto.media.RtcpReport.SenderOrReceiver(e[0], null, blocks)), List.of(), null));
            out.add(extractor.extract(io.hepstack.proto.hep.HepPacket.builder()
                    .addresses(java.net.InetAddress.getLoopbackAddress(), 4000 + (int) e[3] * 2 + 1,
                            java.net.InetAddress.getLoopbackAddress(), 4000 + (3 - (int) e[3]) * 2 + 1)
                    .ipProto(17).timestampMicros(at + e[3]).protoType(5).captureId(2001).correlationId(callId)
                    .payload(payload).build()));
        }
        return out;
    }

    private List<String> callIds(Map<String, String> params) {
        return calls(admin, params).stream().map(i -> (String) i.get("callId")).toList();
    }

    /** Every call of the capture's range with these parameters, in one page of up to 100. */
    private static List<Map<String, Object>> calls(WebTestClient client, Map<String, String> params) {
        Map<String, Object> page = page(client, params);
        assertThat(page.get("nextCursor")).isNull();
        return (List<Map<String, Object>>) page.get("items");
    }

    private static Map<String, Object> page(WebTestClient client, Map<String, String> params) {
        long first = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).min().orElseThrow();
        long last = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        return client.get().uri(b -> {
                    b.path("/api/v1/calls").queryParam("from", io.hepstack.api.web.Times.format(Fixture.instant(first)))
                            .queryParam("to", io.hepstack.api.web.Times.format(Fixture.instant(last + 1)));
                    if (!params.containsKey("limit")) {
                        b.queryParam("limit", "100");
                    }
                    params.forEach((k, v) -> b.queryParam(k, "{" + k + "}"));
                    return b.build(params);
                })
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private static WebTestClient.ResponseSpec record(WebTestClient client, String callId) {
        return client.get().uri("/api/v1/calls/{id}", callId).exchange();
    }
}
