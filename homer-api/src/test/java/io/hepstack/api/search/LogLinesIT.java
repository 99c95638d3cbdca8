package io.hepstack.api.search;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.web.Times;
import io.hepstack.proto.model.CapturedMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log family end to end: Kamailio's {@code hlog()} lines (HEP type 100, fixtures of common-proto's
 * test-jar), stored as the collector stores them, are found by their level and shown with it in their
 * call's flow.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@SuppressWarnings("unchecked")
class LogLinesIT extends AdminApiIT {

    static final String CALL_ID = Fixture.HLOG_CALL_ID;
    static String from;
    static String to;

    @BeforeAll
    static void storeTheKamailioCallAndItsLogLines() {
        List<CapturedMessage> rows = Fixture.kamailioCallWithLogLines();
        Fixture.store(db.connectionFactory(), rows);
        long first = rows.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).min().orElseThrow();
        long last = rows.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        from = Times.format(Fixture.instant(first - 1_000_000));
        to = Times.format(Fixture.instant(last + 1_000_000));
    }

    @Test
    void aLogLineIsFoundByItsLevelAndShowsIt() {
        assertThat(search("logLevel", "error")).singleElement().satisfies(m -> {
            assertThat(m.get("protoType")).isEqualTo(100);
            assertThat(m.get("logLevel")).isEqualTo("error");
            assertThat(m.get("correlationId")).isEqualTo(CALL_ID);
            assertThat(m.get("callId")).isNull();
        });
        assertThat(search("logLevel", "info")).extracting(m -> m.get("logLevel")).containsExactly("info");
        assertThat(search("logLevel", "warning+")).extracting(m -> m.get("logLevel")).containsExactly("error");
        assertThat(search("logLevel", "ERR,info")).extracting(m -> m.get("logLevel"))
                .containsExactlyInAnyOrder("error", "info");
        // every other message: the SIP of the call, and the line that names no level
        assertThat(search("logLevel", "!error")).extracting(m -> m.get("protoType") + " " + m.get("logLevel"))
                .containsExactlyInAnyOrder("1 null", "1 null", "100 info", "100 null");
        assertThat(search("callId", CALL_ID)).extracting(m -> m.get("method")).containsExactlyInAnyOrder("INVITE", "ACK");
    }

    @Test
    void aValueThatIsNotALevelIsABadRequestThatSaysWhatIs() {
        admin.get().uri(b -> b.path("/api/v1/messages").queryParam("from", "{f}").queryParam("to", "{t}")
                        .queryParam("logLevel", "loud").build(from, to))
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.message").value(v -> assertThat((String) v)
                        .startsWith("logLevel: not a log level: \"loud\" (expected: emergency, alert, critical, error"));
    }

    @Test
    void theCallsFlowShowsItsLogLinesWithTheirLevels() {
        Map<String, Object> flow = admin.get().uri(b -> b.path("/api/v1/calls/{id}/flow").queryParam("from", "{f}")
                        .queryParam("to", "{t}").build(CALL_ID, from, to))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<Map<String, Object>>) flow.get("messages")).extracting(m -> m.get("method"))
                .containsExactly("INVITE", "ACK");
        List<Map<String, Object>> logs = (List<Map<String, Object>>) flow.get("logs");
        assertThat(logs).extracting(l -> l.get("logLevel")).containsExactly("error", "info", null);
        assertThat(logs).extracting(l -> l.get("raw")).containsExactly("ERROR: routing failed for service: no gateway",
                "INFO: request INVITE from 127.0.0.1:5060 processed by kamailio",
                "plain hlog without explicit correlation id");
        assertThat(logs).allSatisfy(l -> assertThat(l.get("legCallId")).isEqualTo(CALL_ID));
    }

    private List<Map<String, Object>> search(String param, String value) {
        Map<String, Object> page = admin.get().uri(b -> b.path("/api/v1/messages").queryParam("from", "{f}")
                        .queryParam("to", "{t}").queryParam(param, "{v}").build(from, to, value))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return (List<Map<String, Object>>) page.get("items");
    }
}
