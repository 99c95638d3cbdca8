package io.hepstack.api.search;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.web.Times;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.store.MessageWriter;
import io.hepstack.proto.store.PartitionPolicy;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20: a message the collector stored with its agent's clock offset (3 h 12 min behind) carries the
 * agent's skew in every answer that shows it (search item, message, flow), for the UI's note; a message
 * stored at the agent's own time carries none.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@SuppressWarnings("unchecked")
class AgentClockSkewIT extends AdminApiIT {

    private static final long BEHIND = Duration.ofHours(3).plusMinutes(12).toNanos() / 1000;

    @Test
    void everyAnswerShowingAMessageStoredWithItsAgentsOffsetCarriesTheSkew() {
        Instant now = Instant.now();
        long stored = Times.micros(now.minusSeconds(10));
        CapturedMessage skewed = Fixture.sipRequest("INVITE", "skewed@test", "edge-1", stored - BEHIND)
                .withClockOffsetMicros(BEHIND);
        CapturedMessage believed = Fixture.sipRequest("BYE", "skewed@test", "edge-1", stored + 1_000_000);
        new MessageWriter(db.connectionFactory(), PartitionPolicy.defaults(), Clock.fixed(now, ZoneOffset.UTC))
                .write(List.of(skewed, believed)).block(Duration.ofSeconds(30));
        String from = Times.format(now.minusSeconds(60));
        String to = Times.format(now.plusSeconds(60));

        Map<String, Object> page = admin.get().uri(b -> b.path("/api/v1/messages").queryParam("from", "{f}")
                        .queryParam("to", "{t}").queryParam("callId", "skewed@test").build(from, to))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
        assertThat(items).extracting(i -> i.get("method")).containsExactly("BYE", "INVITE");
        assertThat(items.get(0).get("agentClockSkewMicros")).isNull();
        assertThat(((Number) items.get(1).get("agentClockSkewMicros")).longValue()).isEqualTo(-BEHIND);
        assertThat(items.get(1).get("timestamp")).isEqualTo(Times.format(Times.ofMicros(stored)));

        Map<String, Object> detail = admin.get().uri("/api/v1/messages/{id}", items.get(1).get("id")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(((Number) detail.get("agentClockSkewMicros")).longValue()).isEqualTo(-BEHIND);
        assertThat(((Number) detail.get("agentTimestampMicros")).longValue()).isEqualTo(stored - BEHIND);

        Map<String, Object> flow = admin.get().uri(b -> b.path("/api/v1/calls/{id}/flow").queryParam("from", "{f}")
                        .queryParam("to", "{t}").build("skewed@test", from, to))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<Map<String, Object>> ladder = (List<Map<String, Object>>) flow.get("messages");
        assertThat(ladder).extracting(m -> m.get("agentClockSkewMicros") == null ? null
                : ((Number) m.get("agentClockSkewMicros")).longValue()).containsExactly(-BEHIND, null);
    }
}
