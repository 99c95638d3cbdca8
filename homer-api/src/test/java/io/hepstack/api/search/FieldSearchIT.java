package io.hepstack.api.search;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.Http;
import io.hepstack.api.web.Times;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.hep.HepTransport;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.store.MessageColumn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fields an engineer copies from a call's ladder (tags, Via branch, correlation id, CSeq, ports,
 * transport, capture agent) against the Kamailio capture as the collector stores it, and three crafted
 * INVITEs of another agent over TLS in a tenant's network, one with a hostile 3,000-character From tag:
 * each field finds exactly its rows by a real value, a wildcard, a list and a negation, refuses a value
 * that does not fit with a 400, stays within the caller's tenant, and filters the call list where it
 * takes it.
 */
@SuppressWarnings("unchecked")
class FieldSearchIT extends AdminApiIT {

    /** The crafted rows' capture agent: above 2^31, so that the id is bound as the bigint it is. */
    static final long AGENT = 4_000_000_001L;
    static final String HOSTILE_TAG = "h".repeat(3000);

    static List<CapturedMessage> rows;
    static String from;
    static String to;

    @BeforeAll
    static void storeTheKamailioCaptureAndTheCraftedInvites() {
        List<CapturedMessage> all = new ArrayList<>(Fixture.kamailio());
        long last = all.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        all.add(crafted("tls-1@lab", "lab-tag-1", last + 1_000_000));
        all.add(crafted("tls-2@lab", "lab-tag-2", last + 2_000_000));
        all.add(crafted("tls-3@lab", HOSTILE_TAG, last + 3_000_000));
        Fixture.store(db.connectionFactory(), all); // fails on any refused row: the hostile tag is stored, cut
        rows = all;
        long first = all.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).min().orElseThrow();
        from = Times.format(Fixture.instant(first));
        to = Times.format(Fixture.instant(last + 3_000_001));
    }

    /** An INVITE from 10.9.0.1:5061 to 10.9.0.2:5062 over TLS (HEP transport 22), CSeq 7, by capture agent {@link #AGENT}. */
    private static CapturedMessage crafted(String callId, String fromTag, long micros) {
        String text = "INVITE sip:bob@10.9.0.2 SIP/2.0\r\nVia: SIP/2.0/TLS 10.9.0.1:5061;branch=z9hG4bK-lab-" + micros
                + "\r\nFrom: <sip:alice@10.9.0.1>;tag=" + fromTag + "\r\nTo: <sip:bob@10.9.0.2>\r\nCall-ID: " + callId
                + "\r\nCSeq: 7 INVITE\r\nP-Asserted-Identity: \"Lab\" <sip:+4930" + (micros % 1000) + "@lab;user=phone>"
                + "\r\nProxy-Authorization: Digest username=\"lab-user\", realm=\"lab\", nonce=\"n\", uri=\"sip:bob@10.9.0.2\","
                + " response=\"r\"\r\nReason: Q.850;cause=16;text=\"Normal call clearing\"\r\nContent-Length: 0\r\n\r\n";
        HepPacket p = HepPacket.builder().addresses(Fixture.ip("10.9.0.1"), 5061, Fixture.ip("10.9.0.2"), 5062)
                .ipProto(HepTransport.TLS.number()).timestampMicros(micros).protoType(HepPayloadType.SIP.number())
                .captureId(AGENT).node("lab-1").payload(text.getBytes(StandardCharsets.UTF_8)).build();
        return new MessageExtractor(Fixture.SETTINGS).extract(p);
    }

    @Test
    void aRealFromTagToTagAndViaBranchFindExactlyTheirRows() {
        check("fromTag", "10898SIPpTag001", m -> "10898SIPpTag001".equals(m.sip().fromTag()));
        assertThat(searchAll(Map.of("fromTag", "10898SIPpTag001"))).extracting(i -> i.get("callId"))
                .containsOnly("1-10898@127.0.0.1").hasSize(13);
        check("toTag", "10892SIPpTag011", m -> "10892SIPpTag011".equals(m.sip().toTag()));
        check("viaBranch", "z9hG4bK4ada.5e8bec945d8e3faab6dc176b80d76799.0",
                m -> "z9hG4bK4ada.5e8bec945d8e3faab6dc176b80d76799.0".equals(m.sip().viaBranch()));
        check("viaBranch", "z9hG4bK-10898-1-*", m -> startsWith(m.sip().viaBranch(), "z9hG4bK-10898-1-"));
        check("fromTag", "10898SIPpTag001,lab-tag-*",
                m -> "10898SIPpTag001".equals(m.sip().fromTag()) || startsWith(m.sip().fromTag(), "lab-tag-"));
        check("fromTag", "!10898SIPpTag001", m -> !"10898SIPpTag001".equals(m.sip().fromTag()));
        check("toTag", "!*", m -> m.sip().toTag() == null);
        check("viaBranch", "*,!z9hG4bK-*", m -> m.sip().viaBranch() != null && !m.sip().viaBranch().startsWith("z9hG4bK-"));
    }

    @Test
    void aHostileFromTagIsStoredCutToTheIndexedLengthAndFoundByItsPrefix() throws Exception {
        try (Connection c = db.openJdbc(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT length(from_tag) FROM messages WHERE call_id = 'tls-3@lab'")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getInt(1)).isEqualTo(MessageColumn.INDEXED_TEXT_MAX_CHARS);
        }
        String longest = "h".repeat(255) + "*"; // a value holds at most homer.api.search.max-value-length characters
        assertThat(searchAll(Map.of("fromTag", longest))).extracting(i -> i.get("callId")).containsExactly("tls-3@lab");
        assertThat(searchAll(Map.of("fromTag", "h".repeat(256)))).isEmpty();
    }

    @Test
    void portsFindTheirRowsSinglyByRangeInListsAndNegated() {
        check("srcPort", "5080-5083", m -> m.envelope().srcPort() >= 5080 && m.envelope().srcPort() <= 5083);
        check("dstPort", "5060", m -> m.envelope().dstPort() == 5060);
        check("srcPort", "5070,5071,5061", m -> List.of(5070, 5071, 5061).contains(m.envelope().srcPort()));
        check("srcPort", "!5060", m -> m.envelope().srcPort() != 5060);
        check("dstPort", "5080-5083,!5081", m -> m.envelope().dstPort() >= 5080 && m.envelope().dstPort() <= 5083
                && m.envelope().dstPort() != 5081);
        check("srcPort", "65535", m -> false);
    }

    @Test
    void aCorrelationIdIsFoundWhetherItIsTheCallIdOrAnALegsHeader() {
        // the busy calls' INVITEs carry X-CID: aleg-... (a correlation id of their own, its index)
        check("correlationId", "aleg-busy-1-10899@127.0.0.1", m -> "aleg-busy-1-10899@127.0.0.1".equals(m.envelope().correlationId()));
        check("correlationId", "aleg-*", m -> startsWith(m.envelope().correlationId(), "aleg-"));
        // every other row's correlation id is its Call-ID (found through the Call-ID's index)
        check("correlationId", "1-10898@127.0.0.1", m -> "1-10898@127.0.0.1".equals(m.envelope().correlationId()));
        check("correlationId", "busy-1-10899@127.0.0.1,aleg-busy-1-*", m -> "busy-1-10899@127.0.0.1".equals(m.callId()));
        check("correlationId", "!aleg-*", m -> !startsWith(m.envelope().correlationId(), "aleg-"));
    }

    @Test
    void theCseqNumberCaptureAgentAndTransportFindTheirRows() {
        check("cseq", "2", m -> Long.valueOf(2).equals(m.sip().cseq()));
        check("cseq", "7,1-1", m -> Long.valueOf(7).equals(m.sip().cseq()) || Long.valueOf(1).equals(m.sip().cseq()));
        check("cseq", "!1", m -> !Long.valueOf(1).equals(m.sip().cseq()));
        check("captureId", "2001", m -> m.envelope().captureId() == 2001);
        check("captureId", String.valueOf(AGENT), m -> m.envelope().captureId() == AGENT);
        check("captureId", "!2001", m -> m.envelope().captureId() != 2001);
        check("transport", "udp", m -> m.envelope().transport() == 17);
        check("transport", "17", m -> m.envelope().transport() == 17);
        check("transport", "TLS", m -> m.envelope().transport() == 22);
        check("transport", "!udp", m -> m.envelope().transport() != 17);
        check("transport", "tcp,sctp,ws", m -> false);
        assertThat(searchAll(Map.of("transport", "tls"))).extracting(i -> i.get("transport")).containsOnly("TLS").hasSize(3);
        assertThat(searchAll(Map.of("captureId", String.valueOf(AGENT)))).extracting(i -> ((Number) i.get("captureId")).longValue())
                .containsOnly(AGENT);
    }

    @Test
    void valuesThatDoNotFitTheFieldAreRefusedWithTheReason() {
        Map<Map<String, String>, String> cases = new LinkedHashMap<>();
        cases.put(Map.of("srcPort", "65536"), "srcPort: out of range: \"65536\" (expected: 0 to 65535)");
        cases.put(Map.of("dstPort", "sip"), "dstPort: not a number: \"sip\"");
        cases.put(Map.of("dstPort", "5080-5060"), "dstPort: out of range");
        cases.put(Map.of("captureId", "4294967296"), "captureId: out of range");
        cases.put(Map.of("cseq", "-1"), "cseq: not a number");
        cases.put(Map.of("transport", "quic"), "transport: not a transport: \"quic\" (expected: udp, tcp, tls, sctp, ws");
        cases.put(Map.of("fromTag", "a\\b"), "fromTag: a backslash escapes only");
        cases.put(Map.of("viaBranch", "x".repeat(300)), "viaBranch: value longer than 256");
        cases.put(Map.of("correlationId", "a,,b"), "correlationId: empty value");
        cases.forEach((query, message) -> admin.get().uri(b -> b.path("/api/v1/messages").queryParam("from", "{f}")
                        .queryParam("to", "{t}").queryParam(query.keySet().iterator().next(), "{v}")
                        .build(from, to, query.values().iterator().next()))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error").isEqualTo("bad_request")
                .jsonPath("$.message").value(m -> assertThat((String) m).as("%s", query).startsWith(message)));
    }

    @Test
    void aTenantFindsOnlyItsOwnRowsByTheNewFields() {
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "lab", "networks", List.of("10.9.0.0/16")))
                .exchange().expectStatus().isCreated().expectBody().returnResult();
        admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "carol", "password", "lab-field-search-password", "role", "viewer", "tenant", "lab"))
                .exchange().expectStatus().isCreated().expectBody().returnResult();
        WebTestClient carol = Http.as(anonymous, Http.login(anonymous, "carol", "lab-field-search-password"));
        assertThat(search(admin, Map.of("fromTag", "10898SIPpTag001"))).hasSize(13);
        assertThat(search(carol, Map.of("fromTag", "10898SIPpTag001"))).isEmpty();
        assertThat(search(carol, Map.of("viaBranch", "z9hG4bK-10898-*"))).isEmpty();
        assertThat(search(carol, Map.of("correlationId", "aleg-*"))).isEmpty();
        assertThat(search(carol, Map.of("srcPort", "5060-5083"))).extracting(i -> i.get("callId"))
                .containsExactlyInAnyOrder("tls-1@lab", "tls-2@lab", "tls-3@lab");
        assertThat(search(carol, Map.of("fromTag", "lab-tag-*", "transport", "tls"))).extracting(i -> i.get("callId"))
                .containsExactlyInAnyOrder("tls-1@lab", "tls-2@lab");
        // a filter cannot widen the scope
        assertThat(search(carol, Map.of("captureId", "2001,!" + AGENT))).isEmpty();
    }

    @Test
    void theCallListIsFoundByTheFieldsItTakes() {
        assertThat(calls(Map.of("fromTag", "10898SIPpTag001"))).containsExactly("1-10898@127.0.0.1");
        assertThat(calls(Map.of("correlationId", "aleg-busy-1-*"))).containsExactly("busy-1-10899@127.0.0.1");
        List<String> busy = rows.stream().filter(m -> "INVITE".equals(m.sip().method()) && m.envelope().srcPort() == 5081)
                .map(CapturedMessage::callId).distinct().toList();
        assertThat(busy).hasSize(10);
        assertThat(calls(Map.of("srcPort", "5081"))).containsExactlyInAnyOrderElementsOf(busy);
        assertThat(calls(Map.of("transport", "tls", "captureId", String.valueOf(AGENT), "dstPort", "5062")))
                .containsExactlyInAnyOrder("tls-1@lab", "tls-2@lab", "tls-3@lab");
        assertThat(calls(Map.of("transport", "!udp,!tls"))).isEmpty();
        // the fields of a transaction are the message search's
        for (String param : List.of("toTag", "viaBranch", "cseq")) {
            admin.get().uri(b -> b.path("/api/v1/calls").queryParam(param, "1").build()).exchange()
                    .expectStatus().isBadRequest().expectBody()
                    .jsonPath("$.message").value(m -> assertThat((String) m).startsWith("unknown parameter \"" + param + "\""));
        }
    }

    // ---- helpers ----

    @Test
    void anyHeaderIsFoundByNameInAnyCaseAndItsWholeValue() {
        check("header.X-CID", "aleg-busy-1-10899@127.0.0.1", m -> "aleg-busy-1-10899@127.0.0.1".equals(header(m, "X-CID")));
        check("header.x-cid", "aleg-*", m -> startsWith(header(m, "X-CID"), "aleg-"));
        check("header.X-CID", "aleg", m -> false); // the whole value, not a part of it
        check("header.X-CID", "*", m -> header(m, "X-CID") != null);
        check("header.X-CID", "!aleg-busy-1-*", m -> !startsWith(header(m, "X-CID"), "aleg-busy-1-"));
        check("header.Max-Forwards", "69,70", m -> List.of("69", "70").contains(String.valueOf(header(m, "Max-Forwards"))));
        check("header.Content-Type", "application/sdp", m -> "application/sdp".equals(header(m, "Content-Type")));
        check("header.CSeq", "7 INVITE", m -> "7 INVITE".equals(header(m, "CSeq"))); // a value with a space: the crafted INVITEs
        // with another field, as every filter
        check("header.X-CID", "*", m -> header(m, "X-CID") != null);
        assertThat(searchAll(Map.of("header.X-CID", "aleg-*", "method", "INVITE"))).isNotEmpty()
                .allSatisfy(i -> assertThat(i).containsEntry("method", "INVITE"));
    }

    @Test
    void aHeaderFilterRefusesABadNameAndAWideRangeAndTheCallListDoesNotTakeIt() {
        for (String bad : new String[] {"header.", "header.X CID", "header.Bad:Name", "header." + "x".repeat(65)}) {
            admin.get().uri(b -> b.path("/api/v1/messages").queryParam(bad, "v").build()).exchange().expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("not a header name"));
        }
        admin.get().uri(b -> b.path("/api/v1/messages").queryParam("from", "2026-01-01T00:00:00Z")
                        .queryParam("to", "2026-01-02T00:00:00Z").queryParam("header.X-CID", "a").build()).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.message")
                .value(m -> assertThat((String) m).startsWith("header: searches at most 6 h"));
        admin.get().uri(b -> b.path("/api/v1/calls").queryParam("header.X-CID", "a").build()).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).startsWith("unknown parameter \"header.X-CID\""));
    }

    @Test
    void namedLinesOfTheMessageFindTheirRows() {
        check("contactUser", "alice", m -> "alice".equals(uriUser(header(m, "Contact"))));
        check("contactUser", "user*", m -> startsWith(uriUser(header(m, "Contact")), "user"));
        check("contactUser", "sipp,alice", m -> List.of("sipp", "alice").contains(String.valueOf(uriUser(header(m, "Contact")))));
        check("contactUser", "!sipp", m -> !"sipp".equals(uriUser(header(m, "Contact"))));
        check("contentType", "application/sdp", m -> "application/sdp".equals(header(m, "Content-Type")));
        check("sdpAddress", "127.0.0.1", m -> m.payload() != null
                && new String(m.payload(), StandardCharsets.UTF_8).contains("\r\nc=IN IP4 127.0.0.1\r\n"));
        check("sdpAddress", "10.*", m -> false);
        check("paiUser", "+4930*", m -> startsWith(uriUser(header(m, "P-Asserted-Identity")), "+4930"));
        check("authUser", "lab-user", m -> header(m, "Proxy-Authorization") != null
                && header(m, "Proxy-Authorization").contains("username=\"lab-user\""));
        check("authUser", "lab", m -> false); // the whole user name
        check("reason", "Normal call clearing", m -> header(m, "Reason") != null);
        check("reason", "Normal*", m -> header(m, "Reason") != null);
        assertThat(searchAll(Map.of("paiUser", "+4930*"))).hasSize(3);
    }

    /** The user part of the first sip:, sips: or tel: URI in a header's value, or {@code null}. */
    private static String uriUser(String value) {
        if (value == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:sips?:([^@;>]+)@|tel:([^;>]+))").matcher(value);
        return m.find() ? (m.group(1) != null ? m.group(1) : m.group(2)) : null;
    }

    /** The first value of a header as the SIP parser reads the stored payload, {@code null} without one or when not SIP. */
    private static String header(CapturedMessage m, String name) {
        try {
            return io.hepstack.proto.sip.SipParser.parse(m.payload()).header(name);
        } catch (RuntimeException | io.hepstack.proto.sip.SipParseException e) {
            return null;
        }
    }

    private void check(String param, String value, Predicate<CapturedMessage> expected) {
        assertThat(signatures(searchAll(Map.of(param, value)))).as("%s=%s", param, value)
                .containsExactlyInAnyOrderElementsOf(rows.stream().filter(expected).map(FieldSearchIT::signature).toList());
    }

    private List<Map<String, Object>> searchAll(Map<String, String> query) {
        return search(admin, query);
    }

    private static List<Map<String, Object>> search(WebTestClient client, Map<String, String> query) {
        Map<String, Object> page = client.get().uri(b -> {
            b.path("/api/v1/messages").queryParam("from", "{from}").queryParam("to", "{to}").queryParam("limit", "1000");
            Map<String, Object> values = new LinkedHashMap<>(Map.of("from", from, "to", to));
            int i = 0;
            for (Map.Entry<String, String> e : query.entrySet()) {
                b.queryParam(e.getKey(), "{v" + i + "}");
                values.put("v" + i++, e.getValue());
            }
            return b.build(values);
        }).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(page.get("nextCursor")).isNull();
        return (List<Map<String, Object>>) page.get("items");
    }

    private List<String> calls(Map<String, String> query) {
        Map<String, Object> page = admin.get().uri(b -> {
            b.path("/api/v1/calls").queryParam("from", "{from}").queryParam("to", "{to}").queryParam("limit", "1000");
            Map<String, Object> values = new LinkedHashMap<>(Map.of("from", from, "to", to));
            int i = 0;
            for (Map.Entry<String, String> e : query.entrySet()) {
                b.queryParam(e.getKey(), "{v" + i + "}");
                values.put("v" + i++, e.getValue());
            }
            return b.build(values);
        }).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) page.get("items")).stream().map(c -> (String) c.get("callId")).toList();
    }

    private static String signature(CapturedMessage m) {
        return Times.format(Fixture.instant(m.envelope().timestampMicros())) + "|" + m.callId() + "|"
                + (m.sip().method() != null ? m.sip().method() : m.sip().status()) + "|" + m.envelope().srcPort() + ">"
                + m.envelope().dstPort() + "|" + m.payload().length;
    }

    private static List<String> signatures(List<Map<String, Object>> items) {
        return items.stream().map(i -> i.get("timestamp") + "|" + i.get("callId") + "|"
                + (i.get("method") != null ? i.get("method") : i.get("status")) + "|" + i.get("srcPort") + ">"
                + i.get("dstPort") + "|" + i.get("size")).toList();
    }

    private static boolean startsWith(String value, String prefix) {
        return value != null && value.startsWith(prefix);
    }
}
