package io.hepstack.api.call;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.web.Times;
import io.hepstack.proto.model.CapturedMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flow holds at most homer.api.flow.max-bytes of payloads: the messages that would cross it are never read,
 * and the flow, its text and its PCAP say it was cut (the 40 crafted 1 MB messages, scaled down).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "homer.api.flow.max-bytes=4KB")
@SuppressWarnings("unchecked")
class FlowLimitsIT extends AdminApiIT {

    static final String BIG_CALL = "big-flow@test";
    static final String SMALL_CALL = "small-flow@test";
    static final int PAYLOAD = 1200;
    static String from;
    static String to;

    @BeforeAll
    static void storeACallOfTwentyBigMessages() {
        long t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toEpochMilli() * 1000;
        List<CapturedMessage> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(padded(BIG_CALL, t0 + i * 1000L));
        }
        rows.add(padded(SMALL_CALL, t0 + 30_000));
        rows.add(padded(SMALL_CALL, t0 + 31_000));
        Fixture.store(db.connectionFactory(), rows);
        from = Times.format(Fixture.instant(t0 - 1_000_000));
        to = Times.format(Fixture.instant(t0 + 1_000_000));
    }

    @Test
    void aFlowIsCutBeforeTheMessageThatWouldCrossMaxBytes(@org.springframework.beans.factory.annotation.Autowired
                                                         io.micrometer.core.instrument.MeterRegistry meters) {
        double cutBefore = meters.counter("homer.api.flow.truncated", "by", "bytes").count();
        Map<String, Object> flow = admin.get().uri(b -> b.path("/api/v1/calls/{id}/flow").queryParam("from", "{f}")
                        .queryParam("to", "{t}").build(BIG_CALL, from, to))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<Map<String, Object>> messages = (List<Map<String, Object>>) flow.get("messages");
        assertThat(messages).hasSize(4096 / PAYLOAD);
        assertThat(messages.stream().mapToInt(m -> ((String) m.get("raw")).length()).sum()).isLessThanOrEqualTo(4096);
        assertThat(flow).containsEntry("truncated", true).containsEntry("truncatedBy", "bytes");
        assertThat(meters.counter("homer.api.flow.truncated", "by", "bytes").count()).isEqualTo(cutBefore + 1);

        admin.get().uri(b -> b.path("/api/v1/calls/{id}/text").queryParam("from", "{f}").queryParam("to", "{t}")
                        .build(BIG_CALL, from, to))
                .exchange().expectStatus().isOk().expectHeader().valueEquals("X-Hepstack-Truncated", "bytes")
                // streamed message by message: no length known before the end
                .expectHeader().doesNotExist("Content-Length").expectHeader().valueEquals("Transfer-Encoding", "chunked")
                .expectBody(String.class).value(t -> assertThat(t)
                        .contains("Messages: 3 (truncated at the flow's size limit, homer.api.flow.max-bytes)"));
        admin.get().uri(b -> b.path("/api/v1/calls/{id}/pcap").queryParam("from", "{f}").queryParam("to", "{t}")
                        .build(BIG_CALL, from, to))
                .exchange().expectStatus().isOk().expectHeader().valueEquals("X-Hepstack-Truncated", "bytes")
                .expectHeader().doesNotExist("Content-Length").expectHeader().valueEquals("Transfer-Encoding", "chunked")
                .expectBody(byte[].class).value(b -> assertThat(b.length).isLessThan(4096 + 3 * 100));
    }

    @Test
    void aFlowWithinTheBoundIsWhole() {
        Map<String, Object> flow = admin.get().uri(b -> b.path("/api/v1/calls/{id}/flow").queryParam("from", "{f}")
                        .queryParam("to", "{t}").build(SMALL_CALL, from, to))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<Object>) flow.get("messages")).hasSize(2);
        assertThat(flow).containsEntry("truncated", false).containsEntry("truncatedBy", null);
    }

    /** A SIP request of exactly {@link #PAYLOAD} bytes (an X-Pad header fills it). */
    private static CapturedMessage padded(String callId, long micros) {
        return Fixture.paddedSip(callId, micros, PAYLOAD, "big-node");
    }
}
