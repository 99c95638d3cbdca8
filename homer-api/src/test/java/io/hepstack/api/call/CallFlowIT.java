package io.hepstack.api.call;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.Http;
import io.hepstack.api.TestApp;
import io.hepstack.api.web.Times;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.pcap.FlowKey;
import io.hepstack.proto.pcap.PcapPacket;
import io.hepstack.proto.pcap.PcapReader;
import io.hepstack.proto.pcap.PcapVisitor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"homer.api.flow.max-depth=3", "homer.api.flow.max-legs=20"})
@SuppressWarnings("unchecked")
class CallFlowIT extends AdminApiIT {

    static List<CapturedMessage> kamailio;
    static CraftedCalls crafted;
    static String from;
    static String to;
    /** Call-IDs no path segment carries past the request firewall; each stored as one INVITE. */
    static final List<String> ODD_CALL_IDS = List.of("a/b@test", "..", ".", "50%;x\\y@test", "-");
    static String oddFrom;
    static String oddTo;

    @BeforeAll
    static void storeTheCaptureAndTheCraftedLegs() {
        kamailio = Fixture.kamailio();
        long last = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        crafted = new CraftedCalls(last + 300_000_000L);
        List<CapturedMessage> all = new ArrayList<>(kamailio);
        all.addAll(crafted.rows);
        Fixture.store(db.connectionFactory(), all);
        long first = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).min().orElseThrow();
        oddFrom = Times.format(Fixture.instant(first - 86_400_000_000L - 1));
        oddTo = Times.format(Fixture.instant(first - 86_400_000_000L + ODD_CALL_IDS.size() + 1));
        List<CapturedMessage> odd = new ArrayList<>();
        for (int i = 0; i < ODD_CALL_IDS.size(); i++) {
            // a day before the capture: out of every other test's window
            odd.add(Fixture.sipRequest("INVITE", ODD_CALL_IDS.get(i), "odd-node", first - 86_400_000_000L + i));
        }
        Fixture.store(db.connectionFactory(), odd);
        from = Times.format(Fixture.instant(kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).min().orElseThrow()));
        to = Times.format(Fixture.instant(crafted.rows.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow() + 1));
    }

    @Test
    void theFlowOfAnALegGathersEveryLegLinkedByXcidWithItsQosAndLogs() {
        Map<String, Object> flow = flow("b2b-a@test");
        assertThat((List<Object>) flow.get("callIds")).containsExactly("b2b-a@test", "b2b-b@test", "b2b-c@test");
        List<Map<String, Object>> messages = list(flow, "messages");
        assertThat(messages).hasSize(15);
        assertThat(messages).extracting(m -> m.get("callId")).doesNotContain("other@test");
        assertOrdered(messages);
        assertThat(messages).allSatisfy(m -> assertThat(m.get("legCallId")).isEqualTo(m.get("callId")));
        assertThat(messages.get(0).get("raw")).asString().startsWith("INVITE sip:bob@10.0.0.2 SIP/2.0\r\n");
        List<Map<String, Object>> qos = list(flow, "qos");
        assertThat(qos).singleElement().satisfies(q -> {
            assertThat(q.get("legCallId")).isEqualTo("b2b-a@test");
            assertThat(q.get("protoType")).isEqualTo(5);
            assertThat(q.get("raw")).asString().contains("\"ssrc\":1234");
        });
        assertThat(list(flow, "logs")).singleElement().satisfies(l -> {
            assertThat(l.get("legCallId")).isEqualTo("b2b-b@test");
            assertThat(l.get("raw")).isEqualTo("b2bua: bridged b2b-a@test to b2b-b@test");
        });
        assertThat(list(flow, "hosts")).extracting(h -> h.get("ip") + ":" + h.get("port"))
                .containsExactly("10.0.0.1:5060", "10.0.0.2:5060", "10.0.0.3:5060", "10.0.0.4:5060");
    }

    @Test
    void aPionRtcpReportStoredAsQosIsInTheQosOfItsLegsFlow() {
        CapturedMessage stored = crafted.rows.stream().filter(m -> m.envelope().protoType() == HepPayloadType.RTCP_PION.number())
                .findFirst().orElseThrow();
        assertThat(stored.kind()).as("the collector stores type 58 as").isEqualTo(MessageKind.QOS);
        Map<String, Object> flow = flow("hep-b@test");
        assertThat(list(flow, "qos")).singleElement().satisfies(q -> {
            assertThat(q.get("protoType")).isEqualTo(58);
            assertThat(q.get("legCallId")).isEqualTo("hep-a@test");
            assertThat(q.get("correlationId")).isEqualTo("hep-a@test");
            assertThat(q.get("raw")).asString().contains("\"jitter\":12");
        });
        assertThat(list(flow, "messages")).extracting(m -> m.get("protoType")).containsOnly(1);
        assertThat(list(flow, "logs")).isEmpty();
    }

    @Test
    void theFlowOfTheLastLegFindsTheLegsBeforeIt() {
        assertThat((List<Object>) flow("b2b-c@test").get("callIds"))
                .containsExactlyInAnyOrder("b2b-a@test", "b2b-b@test", "b2b-c@test")
                .first().isEqualTo("b2b-c@test");
    }

    @Test
    void legsSharingAHepCorrelationIdAreOneFlow() {
        Map<String, Object> flow = flow("hep-b@test");
        assertThat((List<Object>) flow.get("callIds")).containsExactly("hep-b@test", "hep-a@test");
        assertThat(list(flow, "messages")).hasSize(10);
    }

    @Test
    void correlationStopsAtTheConfiguredDepth() {
        assertThat((List<Object>) flow("chain-1@test").get("callIds"))
                .containsExactly("chain-1@test", "chain-2@test", "chain-3@test", "chain-4@test");
    }

    @Test
    void theWindowWidensAroundTheCallFromANarrowRange() {
        CapturedMessage invite = kamailio.stream().filter(m -> "INVITE".equals(m.sip().method()) && !m.callId().startsWith("busy"))
                .findFirst().orElseThrow();
        String at = Times.format(Fixture.instant(invite.envelope().timestampMicros()));
        String after = Times.format(Fixture.instant(invite.envelope().timestampMicros() + 1));
        Map<String, Object> flow = admin.get().uri(b -> b.path("/api/v1/calls/{id}/flow").queryParam("from", "{f}")
                        .queryParam("to", "{t}").build(invite.callId(), at, after))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<CapturedMessage> expected = kamailio.stream().filter(m -> invite.callId().equals(m.callId()))
                .sorted(Comparator.comparingLong((CapturedMessage m) -> m.envelope().timestampMicros())).toList();
        List<Map<String, Object>> messages = list(flow, "messages");
        assertThat(messages).extracting(m -> m.get("timestamp"))
                .containsExactlyElementsOf(expected.stream().map(m -> (Object) Times.format(Fixture.instant(m.envelope().timestampMicros()))).toList());
        assertThat(messages).extracting(m -> m.get("method")).contains("INVITE", "ACK", "BYE");
    }

    @Test
    void thePcapHoldsEverySipMessageWithItsAddressesPortsAndTime() throws Exception {
        String callId = kamailio.stream().filter(m -> "INVITE".equals(m.sip().method())).findFirst().orElseThrow().callId();
        Map<String, Object> flow = flow(callId);
        byte[] pcap = pcap(callId);
        List<PcapPacket> packets = new ArrayList<>();
        PcapReader.read(new ByteArrayInputStream(pcap), (PcapVisitor) packets::add);
        List<Map<String, Object>> messages = list(flow, "messages");
        assertThat(packets).hasSameSizeAs(messages);
        for (int i = 0; i < packets.size(); i++) {
            PcapPacket p = packets.get(i);
            Map<String, Object> m = messages.get(i);
            assertThat(Times.format(Fixture.instant(p.timestampMicros()))).isEqualTo(m.get("timestamp"));
            assertThat(p.srcIp().getHostAddress()).isEqualTo(m.get("srcIp"));
            assertThat(p.srcPort()).isEqualTo(m.get("srcPort"));
            assertThat(p.dstIp().getHostAddress()).isEqualTo(m.get("dstIp"));
            assertThat(p.dstPort()).isEqualTo(m.get("dstPort"));
            assertThat(new String(p.payload(), StandardCharsets.UTF_8)).isEqualTo(m.get("raw"));
        }
        List<String> tshark = tshark(pcap, "sip.Call-ID");
        assertThat(tshark).hasSize(messages.size()).allSatisfy(line -> assertThat(line).isEqualTo(callId));
    }

    @Test
    void aTcpIpv6CallBecomesOneTcpStreamPerDirection() throws Exception {
        byte[] pcap = pcap("v6@test");
        ByteArrayOutputStream toB = new ByteArrayOutputStream();
        List<FlowKey> flows = new ArrayList<>();
        PcapReader.read(new ByteArrayInputStream(pcap), new PcapVisitor() {
            @Override
            public void onUdp(PcapPacket packet) {
                fail("UDP packet in a TCP call: " + packet);
            }

            @Override
            public void onData(FlowKey flow, byte[] data, long timestampMicros, long frameNumber) {
                flows.add(flow);
                if (flow.srcIp().getHostAddress().equals("2001:db8:0:0:0:0:0:1")) {
                    toB.writeBytes(data);
                }
            }
        });
        String expected = crafted.rows.stream().filter(m -> "v6@test".equals(m.callId()) && m.envelope().srcIp().getHostAddress()
                .equals("2001:db8:0:0:0:0:0:1")).map(m -> new String(m.payload(), StandardCharsets.UTF_8))
                .reduce("", String::concat);
        assertThat(toB.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(new HashSet<>(flows)).hasSize(2);
        assertThat(tshark(pcap, "sip.Method")).contains("INVITE", "ACK", "BYE");
    }

    @Test
    void theTextExportShowsEachMessageUnderItsTimeAndAddresses() {
        String text = admin.get().uri(b -> b.path("/api/v1/calls/{id}/text").queryParam("from", "{f}").queryParam("to", "{t}")
                        .build("b2b-a@test", from, to)).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/plain")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(text).startsWith("Call-IDs: b2b-a@test, b2b-b@test, b2b-c@test\n")
                .contains("10.0.0.1:5060 -> 10.0.0.2:5060  UDP  leg b2b-a@test\nINVITE sip:bob@10.0.0.2 SIP/2.0\n")
                .contains("X-CID: b2b-a@test").contains("\nTimes: UTC\n");

        // in the reader's zone (a zone without summer time, so that the offset is the same on any day)
        String tokyo = admin.get().uri(b -> b.path("/api/v1/calls/{id}/text").queryParam("from", "{f}").queryParam("to", "{t}")
                        .queryParam("tz", "Asia/Tokyo").build("b2b-a@test", from, to)).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(tokyo).contains("\nTimes: Asia/Tokyo\n");
        java.time.OffsetDateTime utcFirst = firstTime(text);
        java.time.OffsetDateTime tokyoFirst = firstTime(tokyo);
        assertThat(utcFirst.getOffset()).isEqualTo(java.time.ZoneOffset.UTC);
        assertThat(tokyoFirst.getOffset()).isEqualTo(java.time.ZoneOffset.ofHours(9));
        assertThat(tokyoFirst.toInstant()).isEqualTo(utcFirst.toInstant());
        for (String bad : new String[] {"Mars/Olympus", "x".repeat(100)}) {
            admin.get().uri(b -> b.path("/api/v1/calls/{id}/text").queryParam("tz", "{z}").build("b2b-a@test", bad)).exchange()
                    .expectStatus().isBadRequest().expectBody().jsonPath("$.message")
                    .value(m -> assertThat((String) m).startsWith("tz: not a time zone: "));
        }
    }

    /** The time of message [1] of a text export. */
    private static java.time.OffsetDateTime firstTime(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\[1\\] (\\S+)").matcher(text);
        assertThat(m.find()).isTrue();
        return java.time.OffsetDateTime.parse(m.group(1));
    }

    @Test
    void theCallListHasOneRowPerInviteDialogWithItsOutcome() {
        List<Map<String, Object>> calls = calls(Map.of());
        long invites = new HashSet<>(kamailio.stream().filter(m -> "INVITE".equals(m.sip().method())).map(CapturedMessage::callId).toList()).size();
        assertThat(calls).hasSize((int) invites + 13);
        Map<String, Object> busy = calls.stream().filter(c -> ((String) c.get("callId")).startsWith("busy-")).findFirst().orElseThrow();
        assertThat(busy.get("finalStatus")).isEqualTo(486);
        assertThat(busy.get("answeredAt")).isNull();
        assertThat(busy.get("durationMs")).isNull();
        assertThat(busy.get("endedAt")).isNotNull();
        Map<String, Object> basic = calls.stream().filter(c -> ((String) c.get("callId")).matches("\\d+-\\d+@127.0.0.1")).findFirst().orElseThrow();
        assertThat(basic.get("finalStatus")).isEqualTo(200);
        assertThat(((Number) basic.get("durationMs")).longValue()).isBetween(400L, 2000L);
        assertThat(basic.get("fromUser")).isEqualTo("sipp");
        Map<String, Object> b = calls.stream().filter(c -> "b2b-b@test".equals(c.get("callId"))).findFirst().orElseThrow();
        assertThat((List<Object>) b.get("legs")).containsExactly("b2b-a@test", "b2b-c@test");
        assertThat(b.get("messageCount")).isEqualTo(5);

        assertThat(calls(Map.of("status", "486"))).hasSize(10);
        assertThat(calls(Map.of("status", "!486", "callId", "busy-*"))).isEmpty();
        assertThat(calls(Map.of("srcIp", "10.0.0.0/24"))).extracting(c -> c.get("callId"))
                .containsExactlyInAnyOrder("b2b-a@test", "b2b-b@test", "b2b-c@test");
    }

    @Test
    void theCallListPagesWithoutDuplicatesOrGaps() {
        // without a status filter the page is cut before calls are summarized; with one, after
        for (Map<String, String> filter : List.of(Map.<String, String>of(), Map.of("status", "486"))) {
            List<Object> all = calls(filter).stream().map(c -> c.get("callId")).toList();
            assertThat(all).as("calls with %s", filter).hasSizeGreaterThan(7);
            List<Object> paged = new ArrayList<>();
            String cursor = null;
            do {
                String c = cursor;
                Map<String, Object> page = admin.get().uri(b -> {
                    b.path("/api/v1/calls").queryParam("from", "{f}").queryParam("to", "{t}").queryParam("limit", "3");
                    filter.forEach(b::queryParam);
                    if (c != null) {
                        b.queryParam("cursor", "{c}");
                    }
                    return c == null ? b.build(from, to) : b.build(from, to, c);
                }).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
                list(page, "items").forEach(i -> paged.add(i.get("callId")));
                cursor = (String) page.get("nextCursor");
            } while (cursor != null);
            assertThat(paged).as("pages with %s", filter).containsExactlyElementsOf(all);
        }
    }

    @Test
    void everyStoredCallIdOpensAndExportsWithTheCallIdParameter() {
        for (String id : ODD_CALL_IDS) {
            Map<String, Object> flow = admin.get().uri(b -> b.path("/api/v1/calls/-/flow").queryParam("callId", "{id}")
                            .queryParam("from", "{f}").queryParam("to", "{t}").build(id, oddFrom, oddTo))
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            assertThat((List<Object>) flow.get("callIds")).as(id).containsExactly(id);
            assertThat(list(flow, "messages")).as(id).singleElement().satisfies(m -> assertThat(m.get("callId")).isEqualTo(id));
            for (String kind : List.of("pcap", "text", "sipp", "qos")) {
                admin.get().uri(b -> b.path("/api/v1/calls/-/" + kind).queryParam("callId", "{id}")
                                .queryParam("from", "{f}").queryParam("to", "{t}").build(id, oddFrom, oddTo))
                        .exchange().expectStatus().isOk().expectBody(byte[].class)
                        .value(body -> assertThat(body).as(id + " " + kind).isNotEmpty());
            }
            admin.get().uri(b -> b.path("/api/v1/calls/-").queryParam("callId", "{id}").build(id))
                    .exchange().expectStatus().isNotFound().expectBody().jsonPath("$.message").isEqualTo("no call record for this Call-ID");
        }
        // without the parameter "-" is the Call-ID "-"
        admin.get().uri(b -> b.path("/api/v1/calls/-/text").queryParam("from", "{f}").queryParam("to", "{t}").build(oddFrom, oddTo))
                .exchange().expectStatus().isOk().expectBody(String.class).value(t -> assertThat(t).startsWith("Call-IDs: -\n"));
    }

    @Test
    void aCallIdInThePathThatTheFirewallRefusesGetsAMessageSayingWhereItGoes() {
        admin.get().uri(b -> b.path("/api/v1/calls/{id}/flow").queryParam("from", "{f}").queryParam("to", "{t}")
                        .build("a/b@test", oddFrom, oddTo))
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.error").isEqualTo("bad_request")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("callId query parameter"));
        admin.get().uri(b -> b.path("/api/v1/calls/x/flow").queryParam("callId", "{id}").build("a/b@test"))
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("not both"));
        admin.get().uri("/api/v1/calls/-/pcap?callId=a&callId=b").exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("one value expected"));
    }

    @Test
    void unknownCallsAreNotFoundAndBadParametersRefused() {
        admin.get().uri(b -> b.path("/api/v1/calls/{id}/flow").queryParam("from", "{f}").queryParam("to", "{t}")
                        .build("nope' OR '1'='1", from, to))
                .exchange().expectStatus().isNotFound().expectBody().jsonPath("$.error").isEqualTo("not_found");
        admin.get().uri("/api/v1/calls/x/flow?limit=3").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("unknown parameter"));
        admin.get().uri("/api/v1/calls?method=INVITE").exchange().expectStatus().isBadRequest().expectBody().returnResult();
        admin.get().uri("/api/v1/calls/x/pcap?from=soon").exchange().expectStatus().isBadRequest().expectBody().returnResult();
        anonymous.get().uri("/api/v1/calls/b2b-a@test/pcap").exchange().expectStatus().isUnauthorized().expectBody().returnResult();
    }

    @Test
    void aShareLinkIsASnapshotAndItsWindowEndsNoLaterThanItsCreation() {
        long now = java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH, java.time.Instant.now());
        new io.hepstack.proto.store.MessageWriter(db.connectionFactory(), io.hepstack.proto.store.PartitionPolicy.defaults(),
                java.time.Clock.systemUTC()).write(List.of(Fixture.sipRequest("INVITE", "snap@test", "node-1", now - 600_000_000L),
                        Fixture.sipRequest("BYE", "snap@test", "node-1", now - 540_000_000L))).block();
        admin.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("callId", "snap@test", "to", Times.format(java.time.Instant.now().plusSeconds(3600))))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").isEqualTo("to: after now (a share link shows what was captured until it was made)");
        Map<String, Object> share = admin.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("callId", "snap@test")).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        String token = (String) share.get("token");
        assertThat(list(sharedFlow(token), "messages")).extracting(m -> m.get("method")).containsExactly("INVITE", "BYE");
        // a message with the same Call-ID captured after the link was made (a reused or injected Call-ID)
        new io.hepstack.proto.store.MessageWriter(db.connectionFactory(), io.hepstack.proto.store.PartitionPolicy.defaults(),
                java.time.Clock.systemUTC()).write(List.of(Fixture.sipRequest("INVITE", "snap@test", "node-1",
                        java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH, java.time.Instant.now()))))
                .block();
        assertThat(list(sharedFlow(token), "messages")).extracting(m -> m.get("method")).containsExactly("INVITE", "BYE");
        // the engineer's own view of the call shows it
        assertThat(list(admin.get().uri("/api/v1/calls/snap@test/flow").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody(), "messages")).hasSize(3);
    }

    private Map<String, Object> sharedFlow(String token) {
        return anonymous.get().uri("/api/v1/shared/{t}/flow", token).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    @Test
    void aShareLinkGivesTheFlowPcapAndTextWithoutLoginUntilRevoked() {
        Map<String, Object> share = admin.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("callId", "b2b-a@test", "from", from, "to", to))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String token = (String) share.get("token");
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(share.get("path")).isEqualTo("/api/v1/shared/" + token + "/flow");
        assertThat(share.get("url")).isEqualTo("/embed/" + token); // no homer.api.share.public-url here

        Map<String, Object> flow = anonymous.get().uri("/api/v1/shared/{t}/flow", token).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        // the customer's default view: the shared leg only (share.CustomerViewIT has the views)
        assertThat((List<Object>) flow.get("callIds")).containsExactly("b2b-a@test");
        anonymous.get().uri("/api/v1/shared/{t}/pcap", token).exchange().expectStatus().isOk()
                .expectHeader().contentType("application/vnd.tcpdump.pcap").expectBody().returnResult();
        anonymous.get().uri("/api/v1/shared/{t}/text", token).exchange().expectStatus().isOk()
                .expectBody(String.class).value(t -> assertThat(t).startsWith("Call-IDs: b2b-a@test\n"));
        anonymous.get().uri("/api/v1/shared/{t}/text?tz=Asia/Tokyo", token).exchange().expectStatus().isOk()
                .expectBody(String.class).value(t -> assertThat(t).contains("\nTimes: Asia/Tokyo\n", "+09:00  "));

        String listed = admin.get().uri("/api/v1/shares").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(listed).contains("b2b-a@test").doesNotContain(token);

        char last = token.charAt(42);
        String edited = token.substring(0, 42) + (last == 'A' ? 'B' : 'A');
        for (String bad : List.of(edited, "unknown", token + "x", "' OR 1=1 --")) {
            anonymous.get().uri("/api/v1/shared/{t}/flow", bad).exchange().expectStatus().isNotFound()
                    .expectBody().json("{\"error\":\"not_found\",\"message\":\"not found\"}");
        }
        admin.delete().uri("/api/v1/shares/{id}", share.get("id")).exchange().expectStatus().isNoContent()
                .expectBody().isEmpty();
        anonymous.get().uri("/api/v1/shared/{t}/flow", token).exchange().expectStatus().isNotFound()
                .expectBody().json("{\"error\":\"not_found\",\"message\":\"not found\"}");
    }

    @Test
    void expiredSharesAreNotFoundAndViewersCannotShare() throws Exception {
        Map<String, Object> share = admin.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("callId", "b2b-a@test", "from", from, "to", to,
                        "expiresAt", java.time.Instant.now().plusSeconds(1).toString()))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        Thread.sleep(1200);
        anonymous.get().uri("/api/v1/shared/{t}/flow", share.get("token")).exchange().expectStatus().isNotFound()
                .expectBody().returnResult();

        admin.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("callId", "no-such-call@test", "from", from, "to", to))
                .exchange().expectStatus().isNotFound().expectBody().returnResult();
        admin.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("callId", "b2b-a@test", "expiresAt", "2099-01-01T00:00:00Z"))
                .exchange().expectStatus().isBadRequest().expectBody().returnResult();

        // the contract: ttlSeconds, bounded by max-ttl; exactly one of ttlSeconds and expiresAt
        java.time.Instant before = java.time.Instant.now();
        Map<String, Object> byTtl = admin.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("callId", "b2b-a@test", "from", from, "to", to, "ttlSeconds", 3600))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(java.time.Instant.parse((String) byTtl.get("expiresAt")))
                .isBetween(before.plusSeconds(3600).minusSeconds(1), java.time.Instant.now().plusSeconds(3600).plusSeconds(1));
        assertThat(byTtl.get("url")).isEqualTo("/embed/" + byTtl.get("token"));
        anonymous.get().uri("/api/v1/shared/{t}/flow", byTtl.get("token")).exchange().expectStatus().isOk()
                .expectBody().returnResult();
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("callId", "b2b-a@test", "from", from, "to", to, "ttlSeconds", -5),
                Map.of("callId", "b2b-a@test", "from", from, "to", to, "ttlSeconds", 0),
                Map.of("callId", "b2b-a@test", "from", from, "to", to, "ttlSeconds", 31 * 86400),
                Map.of("callId", "b2b-a@test", "from", from, "to", to, "ttlSeconds", "soon"),
                Map.of("callId", "b2b-a@test", "from", from, "to", to, "ttlSeconds", 60,
                        "expiresAt", java.time.Instant.now().plusSeconds(60).toString()))) {
            admin.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON).bodyValue(bad)
                    .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.error").isEqualTo("bad_request");
        }

        Map<String, Object> viewer = admin.post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "viewer", "role", "viewer"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        Http.as(anonymous, (String) viewer.get("token")).post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("callId", "b2b-a@test", "from", from, "to", to))
                .exchange().expectStatus().isForbidden().expectBody().returnResult();
    }

    @Test
    void hostsOfAFlowCarryTheirAdminDefinedAliases() {
        admin.post().uri("/api/v1/aliases").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("ip", "10.0.1.2", "alias", "b2bua"))
                .exchange().expectStatus().isCreated().expectBody().jsonPath("$.port").isEmpty();
        admin.post().uri("/api/v1/aliases").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("ip", "10.0.1.1", "port", 5060, "alias", "alice phone"))
                .exchange().expectStatus().isCreated().expectBody().returnResult();
        admin.post().uri("/api/v1/aliases").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("ip", "10.0.1.1", "port", 5060, "alias", "again"))
                .exchange().expectStatus().isEqualTo(409).expectBody().returnResult();
        admin.post().uri("/api/v1/aliases").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("ip", "pbx.example.com", "alias", "pbx"))
                .exchange().expectStatus().isBadRequest().expectBody().returnResult();

        assertThat(list(flow("hep-a@test"), "hosts")).extracting(h -> h.get("ip") + ":" + h.get("port") + "=" + h.get("alias"))
                .containsExactly("10.0.1.1:5060=alice phone", "10.0.1.2:5060=b2bua", "10.0.1.3:5060=null");
        assertThat(list(admin.get().uri("/api/v1/aliases").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody(), "items")).hasSize(2);
    }

    /**
     * Refused requests in a row (404, 400s, 401) leave the keep-alive connection usable: once, in a full
     * suite run, the login after this sequence hung until the client gave up (see docs/api.md, known issues).
     */
    @Test
    void refusedRequestsInARowLeaveTheConnectionUsable() {
        WebTestClient quick = anonymous.mutate().responseTimeout(java.time.Duration.ofSeconds(10)).build();
        for (int i = 0; i < 3; i++) {
            WebTestClient user = Http.as(quick, Http.login(quick, "admin", TestApp.ADMIN_PASSWORD))
                    .mutate().responseTimeout(java.time.Duration.ofSeconds(10)).build();
            user.get().uri(b -> b.path("/api/v1/calls/{id}/flow").queryParam("from", "{f}").queryParam("to", "{t}")
                            .build("nope' OR '1'='1", from, to))
                    .exchange().expectStatus().isNotFound().expectBody().returnResult();
            user.get().uri("/api/v1/calls/x/flow?limit=3").exchange().expectStatus().isBadRequest().expectBody().returnResult();
            user.get().uri("/api/v1/calls?method=INVITE").exchange().expectStatus().isBadRequest().expectBody().returnResult();
            for (String export : List.of("pcap", "text")) {
                user.get().uri("/api/v1/calls/x/" + export + "?from=soon").exchange().expectStatus().isBadRequest()
                        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                        .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).startsWith("from: not a time"));
            }
            quick.get().uri("/api/v1/calls/b2b-a@test/pcap").exchange().expectStatus().isUnauthorized().expectBody().returnResult();
        }
        Http.login(quick, "admin", TestApp.ADMIN_PASSWORD);
    }

    // ---- helpers ----

    private Map<String, Object> flow(String callId) {
        return admin.get().uri(b -> b.path("/api/v1/calls/{id}/flow").queryParam("from", "{f}").queryParam("to", "{t}")
                        .build(callId, from, to))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private byte[] pcap(String callId) {
        return admin.get().uri(b -> b.path("/api/v1/calls/{id}/pcap").queryParam("from", "{f}").queryParam("to", "{t}")
                        .build(callId, from, to))
                .exchange().expectStatus().isOk()
                .expectHeader().contentType("application/vnd.tcpdump.pcap")
                .expectHeader().value("Content-Disposition", v -> assertThat(v).startsWith("attachment; filename=\"call-"))
                .expectBody(byte[].class).returnResult().getResponseBody();
    }

    private List<Map<String, Object>> calls(Map<String, String> filters) {
        Map<String, Object> page = admin.get().uri(b -> {
            b.path("/api/v1/calls").queryParam("from", "{f}").queryParam("to", "{t}").queryParam("limit", "1000");
            List<Object> values = new ArrayList<>(List.of(from, to));
            filters.forEach((k, v) -> {
                b.queryParam(k, "{v" + values.size() + "}");
                values.add(v);
            });
            return b.build(values.toArray());
        }).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(page.get("nextCursor")).isNull();
        return list(page, "items");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> body, String key) {
        return (List<Map<String, Object>>) body.get(key);
    }

    private static void assertOrdered(List<Map<String, Object>> messages) {
        for (int i = 1; i < messages.size(); i++) {
            assertThat((String) messages.get(i).get("timestamp")).isGreaterThanOrEqualTo((String) messages.get(i - 1).get("timestamp"));
        }
    }

    /** One line per SIP packet with {@code field}, as tshark decodes the capture. */
    private static List<String> tshark(byte[] pcap, String field) throws Exception {
        Path tshark = Path.of("/usr/bin/tshark");
        if (!Files.isExecutable(tshark)) {
            fail("tshark is not installed (apt-get install tshark): it checks that Wireshark decodes the PCAP export");
        }
        Path file = Files.createTempFile("flow", ".pcap");
        try {
            Files.write(file, pcap);
            Process p = new ProcessBuilder(tshark.toString(), "-n", "-r", file.toString(), "-Y", "sip",
                    "-d", "tcp.port==5060,sip", "-T", "fields", "-e", field).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
            return new String(out, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
