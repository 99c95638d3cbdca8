package io.hepstack.api.call;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.web.Times;
import io.hepstack.proto.call.CallRecordStore;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageExtractor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/calls} served from the call records of twelve hand-made calls: the record's filters
 * (final status, codec, node, caller and callee as numbers in any form, addresses and networks), every sort
 * both ways paged forward and back, the total (counted up to {@code exact-total}, 5 here, else estimated) and
 * every 400. The numbers are of country 49 ({@code homer.api.numbers.country-code}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"homer.api.numbers.country-code=49", "homer.api.search.exact-total=5"})
@SuppressWarnings("unchecked")
public class CallListIT extends AdminApiIT {

    /** When the first call starts: a fixed day, listed with explicit from/to. */
    public static final Instant BASE = Instant.parse("2026-03-02T10:00:00Z");
    static final String FROM = Times.format(BASE.minusSeconds(60));
    static final String TO = Times.format(BASE.plusSeconds(120));

    /** The calls: caller, callee, source address, node, final status, the answer's codecs, talk time (ms). */
    public static final Object[][] CALLS = {
            {"+4930123456", "1000", "10.1.0.1", "edge-a", 200, "0 PCMU/8000", 3000},
            {"004930123456", "1001", "10.1.0.2", "edge-a", 200, "8 PCMA/8000", 1000},
            {"030123456", "1002", "10.2.0.1", "edge-b", 486, null, 0},
            {"4930123456", "1003", "10.2.0.2", "edge-b", 200, "111 opus/48000/2", 5000},
            {"+4940999", "030123456", "192.168.1.1", "edge-a", 404, null, 0},
            {"alice", "+4930123456", "192.168.1.2", "edge-b", 503, null, 0},
            {"+441234567", "1000", "10.1.0.3", "edge-a", 200, "9 G722/8000", 2000},
            {"00441234567", "1004", "10.1.0.4", "edge-b", 480, null, 0},
            {"555", "1005", "10.3.0.1", "edge-a", 200, "0 PCMU/8000", 4000},
            {"bob", "1006", "10.3.0.2", "edge-b", 487, null, 0},
            {"carol", "1007", "10.1.0.5", "edge-a", 200, "8 PCMA/8000", 6000},
            {"dave", "1008", "10.4.0.1", "edge-b", 200, "0 PCMU/8000,101 telephone-event/8000", 500},
    };

    @BeforeAll
    static void storeTheCallsAndRecordThem() {
        List<CapturedMessage> rows = new ArrayList<>();
        for (int i = 0; i < CALLS.length; i++) {
            rows.addAll(call(i));
        }
        rows.addAll(rtcp(callId(0), 0));
        rows.addAll(rtcp(callId(1), 40));
        Fixture.store(db.connectionFactory(), rows);
        Clock clock = Clock.fixed(BASE.plusSeconds(600), ZoneOffset.UTC);
        Long recorded = new CallRecordStore(db.connectionFactory(), clock, CallRecordStore.Settings.DEFAULTS)
                .rebuild(BASE.minusSeconds(60), BASE.plusSeconds(120)).block(Duration.ofSeconds(60));
        assertThat(recorded).isEqualTo(CALLS.length);
    }

    public static String callId(int i) {
        return String.format("list-%02d@test", i + 1);
    }

    @Test
    void aNumberIsFoundInEachOfItsForms() {
        List<String> berlin = List.of(callId(0), callId(1), callId(2), callId(3));
        for (String form : List.of("+4930123456", "004930123456", "030123456")) {
            assertThat(callIds(Map.of("caller", form))).as(form).containsExactlyInAnyOrderElementsOf(berlin);
            assertThat(callIds(Map.of("callee", form))).as(form).containsExactlyInAnyOrder(callId(4), callId(5));
        }
        // digits without a prefix may be a local number: as written (the forms above find them as the international digits)
        assertThat(callIds(Map.of("caller", "4930123456"))).containsExactly(callId(3));
        // another country's number: its international forms only
        assertThat(callIds(Map.of("caller", "+441234567"))).containsExactlyInAnyOrder(callId(6), callId(7));
        assertThat(callIds(Map.of("caller", "00441234567"))).containsExactlyInAnyOrder(callId(6), callId(7));
        // a short number and a name are matched as written
        assertThat(callIds(Map.of("caller", "555"))).containsExactly(callId(8));
        assertThat(callIds(Map.of("caller", "alice,bob"))).containsExactlyInAnyOrder(callId(5), callId(9));
        // contains, and negation
        assertThat(callIds(Map.of("caller", "*0123*"))).containsExactlyInAnyOrderElementsOf(berlin);
        assertThat(callIds(Map.of("caller", "!030123456"))).hasSize(8).doesNotContainAnyElementsOf(berlin);
        assertThat(callIds(Map.of("caller", "030123456", "callee", "1002"))).containsExactly(callId(2));
    }

    @Test
    void theFinalStatusCodecAndNodeOfTheRecordFilterTheList() {
        assertThat(callIds(Map.of("finalStatus", "486"))).containsExactly(callId(2));
        assertThat(callIds(Map.of("finalStatus", "4xx"))).containsExactlyInAnyOrder(callId(2), callId(4), callId(7), callId(9));
        assertThat(callIds(Map.of("finalStatus", "480-486,503"))).containsExactlyInAnyOrder(callId(2), callId(5), callId(7));
        assertThat(callIds(Map.of("finalStatus", "!2xx"))).hasSize(5);
        assertThat(callIds(Map.of("finalStatus", "2*"))).hasSize(7);

        assertThat(callIds(Map.of("codec", "PCMU"))).containsExactlyInAnyOrder(callId(0), callId(8), callId(11));
        assertThat(callIds(Map.of("codec", "pcmu"))).containsExactlyInAnyOrder(callId(0), callId(8), callId(11));
        assertThat(callIds(Map.of("codec", "PCMA/8000"))).containsExactlyInAnyOrder(callId(1), callId(10));
        assertThat(callIds(Map.of("codec", "G7*"))).containsExactly(callId(6));
        assertThat(callIds(Map.of("codec", "opus,telephone-event"))).containsExactlyInAnyOrder(callId(3), callId(11));
        assertThat(callIds(Map.of("codec", "!PCMU"))).hasSize(9).doesNotContain(callId(0), callId(8), callId(11));
        assertThat(callIds(Map.of("codec", "*"))).hasSize(7); // the answered calls: an answer with SDP

        List<String> edgeA = List.of(callId(0), callId(1), callId(4), callId(6), callId(8), callId(10));
        assertThat(callIds(Map.of("node", "edge-a"))).containsExactlyInAnyOrderElementsOf(edgeA);
        assertThat(callIds(Map.of("node", "edge-*"))).hasSize(12);
        assertThat(callIds(Map.of("node", "!edge-a"))).hasSize(6).doesNotContainAnyElementsOf(edgeA);
        assertThat(callIds(Map.of("node", "edge-a", "finalStatus", "2xx", "codec", "PCMA")))
                .containsExactlyInAnyOrder(callId(1), callId(10));
    }

    @Test
    void addressesAndNetworksFilterTheCallsByTheirInvites() {
        assertThat(callIds(Map.of("srcIp", "10.1.0.0/16")))
                .containsExactlyInAnyOrder(callId(0), callId(1), callId(6), callId(7), callId(10));
        assertThat(callIds(Map.of("srcIp", "10.1.*"))).hasSize(5);
        assertThat(callIds(Map.of("srcIp", "10.0.0.0/8"))).hasSize(10);
        assertThat(callIds(Map.of("srcIp", "192.168.1.2"))).containsExactly(callId(5));
        assertThat(callIds(Map.of("srcIp", "!10.0.0.0/8"))).containsExactlyInAnyOrder(callId(4), callId(5));
        assertThat(callIds(Map.of("dstIp", "10.9.0.2/32"))).hasSize(5); // the unanswered calls went there
        // with a record's field: the calls are chosen from the records, the address still from the INVITEs
        assertThat(callIds(Map.of("srcIp", "10.1.0.0/16", "finalStatus", "2xx")))
                .containsExactlyInAnyOrder(callId(0), callId(1), callId(6), callId(10));
    }

    @ParameterizedTest
    @CsvSource({"started,asc", "started,desc", "duration,asc", "duration,desc", "pdd,asc", "pdd,desc", "setup,asc",
            "setup,desc", "state,asc", "state,desc", "finalStatus,asc", "finalStatus,desc", "mos,asc", "mos,desc",
            "caller,asc", "caller,desc", "callee,asc", "callee,desc"})
    void eachColumnSortsBothWaysAndPagesForwardAndBack(String sort, String order) {
        List<String> expected = expectedOrder(sort, order.equals("asc"));
        // forward in pages of 5: 5, 5, 2
        List<Map<String, Object>> pages = new ArrayList<>();
        Map<String, String> q = new HashMap<>(Map.of("sort", sort, "order", order, "limit", "5"));
        Map<String, Object> page = page(q);
        assertThat(page.get("prevCursor")).as("the first page has none before it").isNull();
        pages.add(page);
        while (page.get("nextCursor") != null) {
            q.put("cursor", (String) page.get("nextCursor"));
            page = page(q);
            pages.add(page);
        }
        assertThat(pages).extracting(p -> ((List<?>) p.get("items")).size()).containsExactly(5, 5, 2);
        List<String> forward = new ArrayList<>();
        pages.forEach(p -> forward.addAll(ids(p)));
        assertThat(forward).as(sort + " " + order).isEqualTo(expected);
        // back from the last page: the same pages again
        List<String> backward = new ArrayList<>(ids(page));
        int at = pages.size() - 1;
        while (page.get("prevCursor") != null) {
            q.put("cursor", (String) page.get("prevCursor"));
            page = page(q);
            at--;
            assertThat(ids(page)).as("page " + at + " walking back").isEqualTo(ids(pages.get(at)));
            backward.addAll(0, ids(page));
        }
        assertThat(at).isZero();
        assertThat(page.get("nextCursor")).as("a page read backwards leads forward again").isNotNull();
        assertThat(backward).isEqualTo(expected);
    }

    @Test
    void theSummarysStatusIsSortedAndPagedAfterTheCallsAreSummarized() {
        // status is read from each call's messages: the page is cut after the summaries, in the same order and ways
        List<String> failed = List.of(callId(2), callId(4), callId(5), callId(7), callId(9));
        for (String order : List.of("asc", "desc")) {
            List<String> expected = expectedOrder("finalStatus", order.equals("asc")).stream().filter(failed::contains).toList();
            assertThat(walk(Map.of("status", "4xx,5xx", "sort", "finalStatus", "order", order, "limit", "2"), 3))
                    .as(order).isEqualTo(expected);
            List<String> started = expectedOrder("started", order.equals("asc")).stream().filter(failed::contains).toList();
            assertThat(walk(Map.of("status", "4xx,5xx", "order", order, "limit", "2"), 3)).as(order).isEqualTo(started);
        }
    }

    /** Every call of the query in {@code pages} pages forward, checked to be the same pages walking back. */
    private List<String> walk(Map<String, String> query, int pages) {
        Map<String, String> q = new HashMap<>(query);
        List<Map<String, Object>> read = new ArrayList<>();
        Map<String, Object> page = page(q);
        read.add(page);
        while (page.get("nextCursor") != null) {
            q.put("cursor", (String) page.get("nextCursor"));
            page = page(q);
            read.add(page);
        }
        assertThat(read).hasSize(pages);
        for (int at = pages - 2; at >= 0; at--) {
            q.put("cursor", (String) page.get("prevCursor"));
            page = page(q);
            assertThat(ids(page)).isEqualTo(ids(read.get(at)));
        }
        assertThat(page.get("prevCursor")).isNull();
        List<String> all = new ArrayList<>();
        read.forEach(p -> all.addAll(ids(p)));
        return all;
    }

    @Test
    void theTotalIsCountedUpToTheBoundAndEstimatedAboveIt() {
        Map<String, Object> all = page(Map.of("limit", "3"));
        assertThat(all).containsEntry("totalExact", false);
        assertThat(((Number) all.get("total")).longValue()).isGreaterThan(5);
        Map<String, Object> pcmu = page(Map.of("codec", "PCMU", "limit", "2", "sort", "duration"));
        assertThat(pcmu).containsEntry("total", 3).containsEntry("totalExact", true);
        assertThat(page(Map.of("node", "edge-a", "limit", "2"))).containsEntry("totalExact", false);
        assertThat(page(Map.of("node", "edge-a", "finalStatus", "!404", "limit", "2")))
                .containsEntry("total", 5).containsEntry("totalExact", true);
        // from the INVITEs alone, and through the summary's status
        assertThat(page(Map.of("fromUser", "alice,bob"))).containsEntry("total", 2).containsEntry("totalExact", true);
        assertThat(page(Map.of("status", "4xx", "limit", "1"))).containsEntry("total", 4).containsEntry("totalExact", true);
        assertThat(page(Map.of("caller", "nobody"))).containsEntry("total", 0).containsEntry("totalExact", true);
    }

    @Test
    void everyBadValueIsABadRequestNamingItsParameter() {
        Map<String, Object> first = page(Map.of("sort", "duration", "limit", "5"));
        String durationCursor = (String) first.get("nextCursor");
        for (String[] bad : new String[][] {
                {"srcIp", "10.0.0.0/33", "srcIp: not an address: \"10.0.0.0/33\""},
                {"dstIp", "10.0.0.0/x", "dstIp: not an address: \"10.0.0.0/x\""},
                {"srcIp", "300.1.1.1", "srcIp: not an address: \"300.1.1.1\""},
                {"finalStatus", "99x", "finalStatus: not a number: \"99x\""},
                {"finalStatus", "1000", "finalStatus: out of range: \"1000\""},
                {"caller", "a,,b", "caller: empty value"},
                {"callee", "\u0001", "callee: control characters are not allowed"},
                {"codec", "x".repeat(300), "codec: value longer than 256 characters"},
                {"node", "", null},
                {"sort", "colour", "sort: not a column of the call list: \"colour\""},
                {"order", "up", "order: \"up\" is neither asc nor desc"},
                {"cursor", "bm9wZQ", "cursor: not a cursor of this search"}}) {
            if (bad[2] == null) { // an empty filter is no filter
                assertThat(callIds(Map.of(bad[0], bad[1]))).hasSize(12);
                continue;
            }
            admin.get().uri(b -> b.path("/api/v1/calls").queryParam(bad[0], "{v}").build(bad[1])).exchange()
                    .expectStatus().isBadRequest().expectBody().jsonPath("$.message")
                    .value(m -> assertThat((String) m).as(bad[0]).startsWith(bad[2]));
        }
        // a cursor of one order is refused in another
        for (Map<String, String> other : List.of(Map.of("sort", "pdd"), Map.of("sort", "duration", "order", "asc"), Map.<String, String>of())) {
            Map<String, String> q = new HashMap<>(other);
            q.put("cursor", durationCursor);
            admin.get().uri(b -> {
                        b.path("/api/v1/calls");
                        q.forEach((k, v) -> b.queryParam(k, "{" + k + "}"));
                        return b.build(q);
                    }).exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.message")
                    .value(m -> assertThat((String) m).startsWith("cursor: not a cursor of this search"));
        }
        admin.get().uri("/api/v1/messages?codec=PCMU").exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.message").value(m -> assertThat((String) m).startsWith("unknown parameter \"codec\""));
        admin.get().uri("/api/v1/messages?sort=mos").exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.message").value(m -> assertThat((String) m).startsWith("unknown parameter \"sort\""));
    }

    /** The calls in the order of a column of their records (read one by one), a missing value last, then by Call-ID. */
    private List<String> expectedOrder(String sort, boolean ascending) {
        Map<String, Comparable<Object>> values = new LinkedHashMap<>();
        for (int i = 0; i < CALLS.length; i++) {
            Map<String, Object> r = admin.get().uri("/api/v1/calls/{id}", callId(i)).exchange().expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody();
            Object v = switch (sort) {
                case "started" -> Instant.parse((String) r.get("startedAt"));
                case "duration" -> number(r.get("durationMs"));
                case "pdd" -> number(r.get("pddMs"));
                case "setup" -> number(r.get("setupMs"));
                case "state" -> r.get("state");
                case "finalStatus" -> number(r.get("finalStatus"));
                case "mos" -> ((Map<String, Object>) r.get("media")).get("mos") == null ? null
                        : ((Number) ((Map<String, Object>) r.get("media")).get("mos")).doubleValue();
                case "caller" -> ((Map<String, Object>) r.get("caller")).get("user");
                case "callee" -> ((Map<String, Object>) r.get("callee")).get("user");
                default -> throw new IllegalArgumentException(sort);
            };
            values.put(callId(i), (Comparable<Object>) v);
        }
        if (sort.equals("mos")) {
            assertThat(values.values()).as("two calls have media reports").filteredOn(v -> v != null).hasSize(2);
        }
        Comparator<String> byValue = (a, b) -> {
            Comparable<Object> x = values.get(a);
            Comparable<Object> y = values.get(b);
            if (x == null || y == null) {
                return x == null && y == null ? 0 : x == null ? 1 : -1; // missing last either way
            }
            return ascending ? x.compareTo(y) : y.compareTo(x);
        };
        List<String> ids = new ArrayList<>(values.keySet());
        ids.sort(byValue.thenComparing(ascending ? Comparator.<String>naturalOrder() : Comparator.<String>reverseOrder()));
        return ids;
    }

    private static Long number(Object o) {
        return o == null ? null : ((Number) o).longValue();
    }

    private static List<String> ids(Map<String, Object> page) {
        return ((List<Map<String, Object>>) page.get("items")).stream().map(i -> (String) i.get("callId")).toList();
    }

    private List<String> callIds(Map<String, String> params) {
        Map<String, Object> page = page(params);
        assertThat(page.get("nextCursor")).isNull();
        return ids(page);
    }

    private Map<String, Object> page(Map<String, String> params) {
        return admin.get().uri(b -> {
                    b.path("/api/v1/calls").queryParam("from", FROM).queryParam("to", TO);
                    params.forEach((k, v) -> b.queryParam(k, "{" + k + "}"));
                    return b.build(params);
                })
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    /** One call's messages: INVITE with an offer, 180, the final answer (200 with the answer's codecs), ACK, and BYE with its 200. */
    /** The SIP messages of call {@code i} of {@link #CALLS}, captured by its node (also the breakdowns' calls, {@code BreakdownIT}). */
    public static List<CapturedMessage> call(int i) {
        Object[] c = CALLS[i];
        String callId = callId(i);
        String caller = (String) c[0];
        String callee = (String) c[1];
        String src = (String) c[2];
        String node = (String) c[3];
        int status = (Integer) c[4];
        String codecs = (String) c[5];
        int talk = (Integer) c[6];
        String dst = status == 200 ? "10.9.0.1" : "10.9.0.2";
        long t0 = Times.micros(BASE) + i * 2_000_000L;
        String via = "Via: SIP/2.0/UDP " + src + ":5060;branch=z9hG4bK-list-" + i + "\r\n";
        String from = "From: <sip:" + caller + "@" + src + ">;tag=c" + i + "\r\n";
        String to = "To: <sip:" + callee + "@" + dst + ">";
        String id = "Call-ID: " + callId + "\r\n";
        String offer = sdp(src, "0 PCMU/8000,8 PCMA/8000,9 G722/8000,111 opus/48000/2,101 telephone-event/8000");
        List<CapturedMessage> rows = new ArrayList<>();
        rows.add(sip("INVITE sip:" + callee + "@" + dst + " SIP/2.0\r\n" + via + from + to + "\r\n" + id + "CSeq: 1 INVITE\r\n", offer,
                src, dst, node, t0));
        rows.add(sip("SIP/2.0 180 Ringing\r\n" + via + from + to + ";tag=d" + i + "\r\n" + id + "CSeq: 1 INVITE\r\n", null, dst, src, node,
                t0 + 100_000 + i * 10_000L));
        if (status == 200) {
            rows.add(sip("SIP/2.0 200 OK\r\n" + via + from + to + ";tag=d" + i + "\r\n" + id + "CSeq: 1 INVITE\r\n", sdp(dst, codecs),
                    dst, src, node, t0 + 500_000));
            rows.add(sip("ACK sip:" + callee + "@" + dst + " SIP/2.0\r\n" + via + from + to + ";tag=d" + i + "\r\n" + id
                    + "CSeq: 1 ACK\r\n", null, src, dst, node, t0 + 510_000));
            rows.add(sip("BYE sip:" + callee + "@" + dst + " SIP/2.0\r\n" + via + from + to + ";tag=d" + i + "\r\n" + id
                    + "CSeq: 2 BYE\r\n", null, src, dst, node, t0 + 500_000 + talk * 1000L));
            rows.add(sip("SIP/2.0 200 OK\r\n" + via + from + to + ";tag=d" + i + "\r\n" + id + "CSeq: 2 BYE\r\n", null, dst, src, node,
                    t0 + 510_000 + talk * 1000L));
        } else {
            String phrase = switch (status) {
                case 486 -> "Busy Here";
                case 404 -> "Not Found";
                case 503 -> "Service Unavailable";
                case 480 -> "Temporarily Unavailable";
                default -> "Request Terminated";
            };
            rows.add(sip("SIP/2.0 " + status + " " + phrase + "\r\n" + via + from + to + ";tag=d" + i + "\r\n" + id
                    + "CSeq: 1 INVITE\r\n", null, dst, src, node, t0 + 300_000));
            rows.add(sip("ACK sip:" + callee + "@" + dst + " SIP/2.0\r\n" + via + from + to + ";tag=d" + i + "\r\n" + id
                    + "CSeq: 1 ACK\r\n", null, src, dst, node, t0 + 310_000));
        }
        return rows;
    }

    /** An SDP body of one audio line with {@code codecs} ({@code PT NAME/RATE}, comma-separated). */
    private static String sdp(String address, String codecs) {
        StringBuilder formats = new StringBuilder();
        StringBuilder maps = new StringBuilder();
        for (String codec : codecs.split(",")) {
            String[] pt = codec.split(" ", 2);
            formats.append(' ').append(pt[0]);
            maps.append("a=rtpmap:").append(pt[0]).append(' ').append(pt[1]).append("\r\n");
        }
        return "v=0\r\no=- 1 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\nm=audio 4000 RTP/AVP"
                + formats + "\r\n" + maps;
    }

    private static CapturedMessage sip(String head, String body, String src, String dst, String node, long micros) {
        String text = head + (body == null ? "Content-Length: 0\r\n\r\n"
                : "Content-Type: application/sdp\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
        HepPacket p = HepPacket.builder().addresses(Fixture.ip(src), 5060, Fixture.ip(dst), 5060).ipProto(17).timestampMicros(micros)
                .protoType(HepPayloadType.SIP.number()).captureId(4001).node(node)
                .payload(text.getBytes(StandardCharsets.UTF_8)).build();
        return new MessageExtractor(Fixture.SETTINGS).extract(p);
    }

    /** Two receiver reports in the middle of the call, correlated to it, each with {@code loss} of 256 lost. */
    private static List<CapturedMessage> rtcp(String callId, int loss) {
        int i = Integer.parseInt(callId.substring(5, 7)) - 1;
        long at = Times.micros(BASE) + i * 2_000_000L + 1_000_000;
        MessageExtractor extractor = new MessageExtractor(Fixture.SETTINGS);
        List<CapturedMessage> out = new ArrayList<>();
        long[][] ends = {{0xA, 0xB, 1}, {0xB, 0xA, 2}};
        for (long[] e : ends) {
            byte[] payload = io.hepstack.proto.media.RtcpWriter.write(new io.hepstack.proto.media.RtcpReport(
                    List.of(new io.hepstack.proto.media.RtcpReport.SenderOrReceiver(e[0], null,
                            List.of(new io.hepstack.proto.media.ReportBlock(e[1], loss, 0, 500, 8, 0, 0)))), List.of(), null));
            out.add(extractor.extract(HepPacket.builder()
                    .addresses(Fixture.ip("10.1.0." + (i + 1)), 4001 + (int) e[2] * 2, Fixture.ip("10.9.0.1"), 4001)
                    .ipProto(17).timestampMicros(at + e[2]).protoType(5).captureId(4001).correlationId(callId)
                    .payload(payload).build()));
        }
        return out;
    }
}
