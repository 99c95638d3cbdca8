package io.hepstack.api.search;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.ApiProperties;
import io.hepstack.api.SearchDefaults;
import io.hepstack.api.Fixture;
import io.hepstack.api.Plans;
import io.hepstack.api.query.Filter;
import io.hepstack.api.query.Scope;
import io.hepstack.api.web.Times;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.sip.HeaderExtractor;
import io.hepstack.proto.store.IngestSettings;
import io.hepstack.proto.store.IngestSettingsStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;
import reactor.test.StepVerifier;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code header.NAME} of a header the collectors extract whole ({@code homer.ingest.extraction.extra-headers}):
 * read from {@code extra.headers}, so a search of two days (beyond the 6 h that bound a header read from the raw
 * message) finds its rows, a whole value through the {@code messages_extra_headers} index. A header extracted
 * through a pattern, and any other header, still reads the payload and keeps the bound.
 */
@SuppressWarnings("unchecked")
class ExtractedHeaderSearchIT extends AdminApiIT {

    static final ExtractionSettings EXTRACTION = new ExtractionSettings(List.of(),
            List.of(HeaderExtractor.parse("X-Customer-Id"), HeaderExtractor.parse("P-Charging-Vector:icid-value=([^;\\s]+)")));
    static Instant now;
    static String from;
    static String to;

    @BeforeAll
    static void theCollectorsExtractAHeaderAndStoreTwoDaysOfCalls() {
        IngestSettings d = IngestSettings.defaults();
        new IngestSettingsStore(db.connectionFactory(), Clock.systemUTC()).publish(new IngestSettings(d.partitions(), EXTRACTION,
                d.discard(), d.maxInflatedPayload(), d.censor(), d.callRecords(), d.media()), "ingest-test").block(Duration.ofSeconds(30));
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<CapturedMessage> rows = new ArrayList<>();
        rows.add(invite("xh-old@test", "acme-1", now.minus(30, ChronoUnit.HOURS), "xh-1"));
        rows.add(invite("xh-new@test", "acme-2", now.minus(10, ChronoUnit.MINUTES), "xh-1"));
        rows.add(invite("xh-globex@test", "globex", now.minus(20, ChronoUnit.HOURS), "xh-1"));
        rows.add(invite("xh-none@test", null, now.minus(5, ChronoUnit.HOURS), "xh-1"));
        // other calls of another node through the two days: a time range alone is no way to the few rows of a value
        for (int i = 0; i < 400; i++) {
            rows.add(invite("xh-fill-" + i + "@test", "fill-" + (i % 20), now.minus(47 * 60 - i * 7L, ChronoUnit.MINUTES), "xh-fill"));
        }
        Fixture.store(db.connectionFactory(), rows);
        Fixture.analyze(db);
        from = Times.format(now.minus(2, ChronoUnit.DAYS));
        to = Times.format(now.plusSeconds(1));
    }

    @AfterAll
    static void theDefaultsAgain() {
        new IngestSettingsStore(db.connectionFactory(), Clock.systemUTC()).publish(IngestSettings.defaults(), null)
                .block(Duration.ofSeconds(30));
    }

    private static CapturedMessage invite(String callId, String customer, Instant at, String node) {
        String text = "INVITE sip:bob@10.8.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.8.0.1;branch=z9hG4bK-" + callId
                + "\r\nFrom: <sip:alice@10.8.0.1>;tag=a\r\nTo: <sip:bob@10.8.0.2>\r\nCall-ID: " + callId + "\r\nCSeq: 1 INVITE\r\n"
                + (customer == null ? "" : "X-Customer-Id: " + customer + "\r\n")
                + "P-Charging-Vector: icid-value=icid-" + callId + ";orig-ioi=test\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        HepPacket p = HepPacket.builder().addresses(Fixture.ip("10.8.0.1"), 5060, Fixture.ip("10.8.0.2"), 5060).ipProto(17)
                .timestampMicros(at.toEpochMilli() * 1000).protoType(HepPayloadType.SIP.number()).captureId(2001).node(node)
                .payload(text.getBytes(StandardCharsets.UTF_8)).build();
        return new MessageExtractor(EXTRACTION).extract(p);
    }

    private List<Object> callIds(String param, String value) {
        Map<String, Object> page = admin.get().uri(u -> u.path("/api/v1/messages").queryParam("from", from).queryParam("to", to)
                        .queryParam("node", "xh-1").queryParam(param, "{v}").build(value))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) page.get("items")).stream().map(i -> i.get("callId")).toList();
    }

    @Test
    void anExtractedHeaderIsSearchedOverDaysByValueWildcardListPresenceAndNegation() {
        assertThat(callIds("header.x-customer-id", "acme-1")).as("a day and more ago, any case of the name")
                .containsExactly("xh-old@test");
        assertThat(callIds("header.X-Customer-Id", "acme*")).containsExactlyInAnyOrder("xh-old@test", "xh-new@test");
        assertThat(callIds("header.X-Customer-Id", "acme-2,globex")).containsExactlyInAnyOrder("xh-new@test", "xh-globex@test");
        assertThat(callIds("header.X-Customer-Id", "*")).containsExactlyInAnyOrder("xh-old@test", "xh-new@test", "xh-globex@test");
        assertThat(callIds("header.X-Customer-Id", "!acme*")).containsExactlyInAnyOrder("xh-globex@test", "xh-none@test");
        assertThat(callIds("header.X-Customer-Id", "acme")).as("a whole value, not a part").isEmpty();
    }

    @Test
    void anyOtherHeaderStillReadsThePayloadWithinTheTextRange() {
        for (String param : List.of("header.Max-Forwards", "header.P-Charging-Vector")) {
            admin.get().uri(u -> u.path("/api/v1/messages").queryParam("from", from).queryParam("to", to)
                            .queryParam(param, "70").build())
                    .exchange().expectStatus().isBadRequest().expectBody(Map.class)
                    .value(body -> assertThat((String) body.get("message")).contains("header").contains("narrow from/to"));
        }
        // within 6 h the payload is read: the pattern header's whole line
        String recent = Times.format(now.minus(5, ChronoUnit.HOURS));
        Map<String, Object> page = admin.get().uri(u -> u.path("/api/v1/messages").queryParam("from", recent).queryParam("to", to)
                        .queryParam("header.P-Charging-Vector", "icid-value=icid-xh-new@test;orig-ioi=test").build())
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<Map<String, Object>>) page.get("items")).extracting(i -> i.get("callId")).containsExactly("xh-new@test");
    }

    @Test
    void theMetaEndpointNamesTheExtractedHeaders() {
        Map<String, Object> meta = admin.get().uri("/api/v1/meta/search").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<String>) meta.get("extractedHeaders")).as("a pattern's header keeps part of its value: not searched there")
                .containsExactly("X-Customer-Id");
    }

    @Test
    void aWholeValueIsFoundThroughTheIndex() {
        LinkedMultiValueMap<String, String> q = new LinkedMultiValueMap<>();
        q.add("header.X-Customer-Id", "acme-1");
        q.add("from", from);
        q.add("to", to);
        ApiProperties.Search limits = SearchDefaults.search();
        SearchRequest request = SearchRequest.parse(q, EnumSet.allOf(Filter.Field.class), java.util.Set.of(), limits,
                io.hepstack.api.query.NumberPlan.NONE, Clock.systemUTC(), Map.of("x-customer-id", "X-Customer-Id"));
        StepVerifier.create(Plans.explain(db.connectionFactory(), MessageStore.searchSql(request, Scope.ALL)))
                .assertNext(plan -> assertThat(plan).as(plan).contains("_expr_idx").doesNotContain("payload"))
                .verifyComplete();
    }
}
