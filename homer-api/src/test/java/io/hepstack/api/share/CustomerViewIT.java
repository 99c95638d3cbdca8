package io.hepstack.api.share;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.web.Times;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.Envelope;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.model.MessagePart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a share link's customer sees (docs/api.md, "What the customer sees"), enforced on every shared answer: a
 * customer (203.0.113.10) calls through an SBC (10.1.0.1, its media relay 10.1.0.5 named only in SDP), which
 * bridges the call to a core leg (10.1.0.1 to 10.2.0.7, linked by X-CID) with a log line of its own.
 */
@SuppressWarnings("unchecked")
class CustomerViewIT extends AdminApiIT {

    static final String CUSTOMER = "203.0.113.10";
    static final String SBC = "10.1.0.1";
    static final String RELAY = "10.1.0.5";
    static final String CORE = "10.2.0.7";
    static String from;
    static String to;

    @BeforeAll
    static void storeTheCustomersCallAndItsCoreLeg() {
        // ten minutes ago: a share's window ends at its creation at the latest
        long t0 = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()) - 600_000_000L;
        List<CapturedMessage> rows = new ArrayList<>();
        long[] t = {t0};
        String sdpOffer = "v=0\r\no=- 1 1 IN IP4 " + CUSTOMER + "\r\ns=-\r\nc=IN IP4 " + CUSTOMER
                + "\r\nt=0 0\r\nm=audio 40000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";
        String sdpAnswer = "v=0\r\no=- 2 2 IN IP4 " + RELAY + "\r\ns=-\r\nc=IN IP4 " + RELAY
                + "\r\nt=0 0\r\nm=audio 50000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";
        leg(rows, t, "cust-a@test", CUSTOMER, SBC, null, sdpOffer, sdpAnswer, "Via: SIP/2.0/UDP " + CUSTOMER + ":5060;branch=z9hG4bK-a1\r\n");
        leg(rows, t, "core-b@test", SBC, CORE, "cust-a@test", sdpOffer.replace(CUSTOMER, RELAY), sdpAnswer.replace(RELAY, CORE),
                "Via: SIP/2.0/UDP " + SBC + ":5060;branch=z9hG4bK-b1\r\nVia: SIP/2.0/UDP " + CUSTOMER + ":5060;branch=z9hG4bK-a1\r\n");
        t[0] += 1000;
        rows.add(new CapturedMessage(Envelope.builder().timestampMicros(t[0]).captureId(3001).node("sbc-node").protoType(100)
                .source(Fixture.ip(SBC), 5062).destination(Fixture.ip(CORE), 5064).correlationId("core-b@test").build(),
                MessageKind.LOG, MessagePart.OPAQUE, ("bridged to " + CORE).getBytes(StandardCharsets.UTF_8), null));
        t[0] += 1000;
        rows.add(new CapturedMessage(Envelope.builder().timestampMicros(t[0]).captureId(3001).node("sbc-node").protoType(5)
                .source(Fixture.ip(RELAY), 50001).destination(Fixture.ip(CUSTOMER), 40001).correlationId("cust-a@test").build(),
                MessageKind.QOS, MessagePart.OPAQUE,
                "{\"type\":200,\"ssrc\":77,\"report_blocks\":[{\"fraction_lost\":0,\"packets_lost\":0}]}".getBytes(StandardCharsets.UTF_8), null));
        Fixture.store(db.connectionFactory(), rows);
        // stored as by a collector without records: a rebuild records the calls, as the collectors' passes do
        new io.hepstack.proto.call.CallRecordStore(db.connectionFactory(), java.time.Clock.systemUTC(),
                io.hepstack.proto.call.CallRecordStore.Settings.DEFAULTS)
                .rebuild(Fixture.instant(t0 - 1_000_000L), Fixture.instant(t[0] + 1_000_000L)).block(java.time.Duration.ofSeconds(60));
        from = Times.format(Fixture.instant(t0 - 1_000_000L));
        to = Times.format(Fixture.instant(t[0] + 1_000_000L));
    }

    /** INVITE with SDP, 200 with SDP, ACK, BYE, 200 of one leg from {@code a} to {@code b}. */
    private static void leg(List<CapturedMessage> rows, long[] t, String callId, String a, String b, String xcid,
                            String offer, String answer, String vias) {
        String dialog = "From: <sip:alice@" + a + ">;tag=a1\r\nTo: <sip:bob@" + b + ">%s\r\nCall-ID: " + callId + "\r\n";
        String invite = "INVITE sip:bob@" + b + " SIP/2.0\r\n" + vias + dialog.formatted("") + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:alice@" + a + ":5060>\r\n" + (xcid == null ? "" : "X-CID: " + xcid + "\r\n")
                + "Content-Type: application/sdp\r\nContent-Length: " + offer.length() + "\r\n\r\n" + offer;
        String ok = "SIP/2.0 200 OK\r\n" + vias + dialog.formatted(";tag=b1") + "CSeq: 1 INVITE\r\nContact: <sip:bob@" + b
                + ":5060>\r\nContent-Type: application/sdp\r\nContent-Length: " + answer.length() + "\r\n\r\n" + answer;
        sip(rows, t, invite, a, b);
        sip(rows, t, ok, b, a);
        sip(rows, t, "ACK sip:bob@" + b + " SIP/2.0\r\n" + vias + dialog.formatted(";tag=b1") + "CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n", a, b);
        sip(rows, t, "BYE sip:bob@" + b + " SIP/2.0\r\n" + vias + dialog.formatted(";tag=b1") + "CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n", a, b);
        sip(rows, t, "SIP/2.0 200 OK\r\n" + vias + dialog.formatted(";tag=b1") + "CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n", b, a);
    }

    private static void sip(List<CapturedMessage> rows, long[] t, String text, String src, String dst) {
        t[0] += 1000;
        HepPacket p = HepPacket.builder().addresses(Fixture.ip(src), 5060, Fixture.ip(dst), 5060).ipProto(17)
                .timestampMicros(t[0]).protoType(HepPayloadType.SIP.number()).captureId(3001).node("sbc-node")
                .payload(text.getBytes(StandardCharsets.UTF_8)).build();
        rows.add(new MessageExtractor(Fixture.SETTINGS).extract(p));
    }

    private Map<String, Object> share(Map<String, Object> view) {
        Map<String, Object> body = new HashMap<>(Map.of("callId", "cust-a@test", "from", from, "to", to));
        if (view != null) {
            body.put("view", view);
        }
        return admin.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
    }

    private String shared(String token, String what) {
        return new String(anonymous.get().uri("/api/v1/shared/{t}/" + what, token).exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody(), StandardCharsets.ISO_8859_1);
    }

    private Map<String, Object> flow(String token) {
        return anonymous.get().uri("/api/v1/shared/{t}/flow", token).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }

    @Test
    void byDefaultTheCustomerSeesOnlyTheSharedLegWithEveryOtherAddressMaskedInEveryAnswer() {
        Map<String, Object> share = share(null);
        assertThat((Map<String, Object>) share.get("view")).isEqualTo(Map.of("legs", List.of("cust-a@test"),
                "hosts", List.of(CUSTOMER), "maskAddresses", true, "hideAliases", true));
        String token = (String) share.get("token");
        Map<String, Object> flow = flow(token);
        assertThat((List<Object>) flow.get("callIds")).containsExactly("cust-a@test");
        assertThat(list(flow, "messages")).hasSize(5).allSatisfy(m -> {
            assertThat(m.get("callId")).isEqualTo("cust-a@test");
            assertThat(m.get("node")).isNull();
        });
        assertThat(list(flow, "hosts")).extracting(h -> h.get("ip") + ":" + h.get("port") + " " + h.get("alias"))
                .containsExactly(CUSTOMER + ":5060 null", "192.0.2.1:5060 host A");
        assertThat(list(flow, "messages").get(0)).containsEntry("srcIp", CUSTOMER).containsEntry("dstIp", "192.0.2.1");
        // the SBC in the Request-URI, To and Contact; its relay in the answer's SDP (o= and c=): masked in the payload
        assertThat((String) list(flow, "messages").get(0).get("raw")).startsWith("INVITE sip:bob@192.0.2.1 SIP/2.0\r\n")
                .contains("c=IN IP4 " + CUSTOMER);
        assertThat((String) list(flow, "messages").get(1).get("raw")).contains("Contact: <sip:bob@192.0.2.1:5060>",
                "o=- 2 2 IN IP4 192.0.2.2", "c=IN IP4 192.0.2.2");
        assertThat(list(flow, "logs")).as("the core leg's log line").isEmpty();
        assertThat(list(flow, "qos")).singleElement().satisfies(q -> {
            assertThat(q.get("srcIp")).isEqualTo("192.0.2.2");
            assertThat(q.get("dstIp")).isEqualTo(CUSTOMER);
            assertThat(q.get("node")).isNull();
        });
        for (String what : List.of("flow", "text", "pcap", "sipp", "qos", "record")) {
            assertThat(shared(token, what)).as(what).contains(CUSTOMER).doesNotContain("10.1.0.", "10.2.0.", "core-b@test", "sbc-node");
        }
        assertThat(shared(token, "text")).contains("192.0.2.1");
        Map<String, Object> record = anonymous.get().uri("/api/v1/shared/{t}/record", token).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(record)
                .containsEntry("source", Map.of("ip", CUSTOMER, "port", 5060))
                .containsEntry("target", Map.of("ip", "192.0.2.1", "port", 5060))
                .containsEntry("nodes", List.of());
        // its one early dialog: answered from the SBC, whose address is shown as the target's is
        assertThat((List<Map<String, Object>>) record.get("dialogs")).singleElement()
                .satisfies(d -> assertThat(d).containsEntry("source", Map.of("ip", "192.0.2.1", "port", 5060))
                        .containsEntry("answered", true));
        assertThat(anonymous.get().uri("/api/v1/shared/{t}/about", token).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody())
                .containsEntry("callId", "cust-a@test").containsEntry("createdBy", "admin")
                .containsEntry("view", share.get("view")).containsKey("expiresAt");
    }

    @Test
    void theCreatorChoosesTheLegsTheHostsInClearAndWhetherAliasesShow() {
        String token = (String) share(Map.of("legs", List.of("cust-a@test", "core-b@test"), "hosts", List.of(CUSTOMER, SBC),
                "hideAliases", false)).get("token");
        Map<String, Object> flow = flow(token);
        assertThat((List<Object>) flow.get("callIds")).containsExactly("cust-a@test", "core-b@test");
        assertThat(list(flow, "messages")).hasSize(10);
        assertThat(list(flow, "messages")).extracting(m -> m.get("node")).containsOnly("sbc-node");
        assertThat(list(flow, "hosts")).extracting(h -> h.get("ip") + " " + h.get("alias"))
                .containsExactly(CUSTOMER + " null", SBC + " null", "192.0.2.2 host B");
        assertThat(list(flow, "logs")).singleElement().satisfies(l -> assertThat(l.get("raw")).isEqualTo("bridged to 192.0.2.2"));
        assertThat(shared(token, "text")).contains(SBC).doesNotContain(CORE, RELAY);
        assertThat(shared(token, "pcap")).doesNotContain(CORE, RELAY);
    }

    @Test
    void unmaskedTheCustomerStillSeesOnlyTheChosenLegs() {
        String token = (String) share(Map.of("maskAddresses", false)).get("token");
        Map<String, Object> flow = flow(token);
        assertThat((List<Object>) flow.get("callIds")).containsExactly("cust-a@test");
        assertThat(list(flow, "hosts")).extracting(h -> h.get("ip")).containsExactly(CUSTOMER, SBC);
        assertThat(shared(token, "flow")).contains(RELAY).doesNotContain(CORE, "core-b@test");
    }

    @Test
    void aLinkMadeBeforeViewsShowsEverythingAsItDid() throws Exception {
        Map<String, Object> share = share(null);
        try (java.sql.Connection c = db.openJdbc(); java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE homer_api.shares SET view_legs = NULL, view_hosts = NULL, view_mask = NULL, "
                    + "view_hide_aliases = NULL WHERE id = " + share.get("id"));
        }
        String token = (String) share.get("token");
        Map<String, Object> flow = flow(token);
        assertThat((List<Object>) flow.get("callIds")).containsExactly("cust-a@test", "core-b@test");
        assertThat(shared(token, "text")).contains(SBC, CORE, RELAY);
        assertThat(anonymous.get().uri("/api/v1/shared/{t}/about", token).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody()).containsEntry("view", null);
    }

    @Test
    void aViewThatDoesNotFitTheCallIsRefusedWithWhatIsWrong() {
        Map<Map<String, Object>, String> bad = Map.of(
                Map.of("legs", List.of("cust-a@test", "elsewhere@test")),
                "view.legs: not a leg of this call: elsewhere@test (its legs: cust-a@test, core-b@test)",
                Map.of("legs", List.of("core-b@test")), "view.legs: must include the shared Call-ID cust-a@test",
                Map.of("hosts", List.of("sbc.example.com")), "view.hosts: not an IP address: sbc.example.com",
                Map.of("hosts", List.of("198.51.100.1")),
                "view.hosts: not a host of this call: 198.51.100.1 (its hosts: 203.0.113.10, 10.1.0.1, 10.2.0.7)");
        bad.forEach((view, message) -> admin.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("callId", "cust-a@test", "from", from, "to", to, "view", view))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.message").isEqualTo(message));
        admin.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("callId", "cust-a@test", "from", from, "to", to, "view", Map.of("maskAddresses", "maybe")))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.message").exists();
    }

    /** A 1x1 PNG. */
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    @Test
    void aTenantsLinkOpensWithItsCustomerSideInClearAndTheTenantsBranding() {
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "acme", "networks", List.of("203.0.113.0/24", "10.1.0.0/16")))
                .exchange().expectStatus().isCreated().expectBody().returnResult();
        admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "carol", "password", "carol-test-password", "role", "user", "tenant", "acme"))
                .exchange().expectStatus().isCreated().expectBody().returnResult();
        var carol = io.hepstack.api.Http.as(anonymous, io.hepstack.api.Http.login(anonymous, "carol", "carol-test-password"));
        Map<String, Object> share = carol.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("callId", "cust-a@test", "from", from, "to", to))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        // the tenant's networks are the customer's side: both hosts of the leg in clear
        assertThat((Map<String, Object>) share.get("view")).containsEntry("hosts", List.of(CUSTOMER, SBC));
        String token = (String) share.get("token");
        Map<String, Object> about = anonymous.get().uri("/api/v1/shared/{t}/about", token).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(about).containsEntry("brand", null);
        anonymous.get().uri("/api/v1/shared/{t}/logo", token).exchange().expectStatus().isNotFound().expectBody().returnResult();

        Map<Map<String, Object>, String> bad = Map.of(
                Map.of("accent", "red"), "accent: a colour as #rrggbb, e.g. #0b7285",
                Map.of("title", "a\u0000b"), "title: 1 to 64 characters, no control characters",
                Map.of("title", "x".repeat(65)), "title: 1 to 64 characters, no control characters",
                Map.of("logo", "https://cdn.example.com/logo.png"), "logo: a data URL, data:image/png;base64,... (PNG, JPEG or WebP)",
                Map.of("logo", "data:image/svg+xml;base64," + java.util.Base64.getEncoder().encodeToString(
                        "<svg onload=alert(1)/>".getBytes(StandardCharsets.UTF_8))),
                "logo: a PNG, JPEG or WebP image whose bytes match its type (SVG can carry script and is refused); "
                        + "declared image/svg+xml, bytes of no such image",
                Map.of("logo", "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(new byte[65_540])),
                "logo: 1 byte to 64 KiB, got 65540 bytes",
                Map.of("logo", "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(new byte[100_000])),
                "logo: at most 64 KiB",
                Map.of("colour", "#000000"), "unknown field: colour (fields: title, accent, logo)");
        bad.forEach((body, message) -> admin.put().uri("/api/v1/tenants/acme/brand").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.message").isEqualTo(message));
        carol.put().uri("/api/v1/tenants/acme/brand").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("title", "Acme"))
                .exchange().expectStatus().isForbidden().expectBody().returnResult();
        admin.put().uri("/api/v1/tenants/nobody/brand").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("title", "x"))
                .exchange().expectStatus().isNotFound().expectBody().returnResult();

        admin.put().uri("/api/v1/tenants/acme/brand").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("title", "Acme <b>Voice</b>", "accent", "#0B7285", "logo", "data:image/png;base64," + PNG))
                .exchange().expectStatus().isOk().expectBody(Map.class)
                .isEqualTo(Map.of("title", "Acme <b>Voice</b>", "accent", "#0b7285", "logo", true));
        assertThat(anonymous.get().uri("/api/v1/shared/{t}/about", token).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody())
                .containsEntry("brand", Map.of("title", "Acme <b>Voice</b>", "accent", "#0b7285", "logo", true));
        anonymous.get().uri("/api/v1/shared/{t}/logo", token).exchange().expectStatus().isOk()
                .expectHeader().contentType("image/png")
                .expectHeader().valueEquals("Content-Security-Policy", "default-src 'none'; sandbox")
                .expectBody(byte[].class).isEqualTo(java.util.Base64.getDecoder().decode(PNG));
        // an admin's link is of no tenant: no branding
        assertThat(anonymous.get().uri("/api/v1/shared/{t}/about", share(null).get("token")).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody()).containsEntry("brand", null);
        admin.delete().uri("/api/v1/tenants/acme/brand").exchange().expectStatus().isNoContent().expectBody().isEmpty();
        anonymous.get().uri("/api/v1/shared/{t}/logo", token).exchange().expectStatus().isNotFound().expectBody().returnResult();
    }
}
