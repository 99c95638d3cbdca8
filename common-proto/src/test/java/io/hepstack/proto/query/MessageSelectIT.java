package io.hepstack.proto.query;

import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.Envelope;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.LogLine;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.model.SipFields;
import io.hepstack.proto.store.MessageWriter;
import io.hepstack.proto.store.PartitionPolicy;
import io.hepstack.proto.store.WriteResult;
import io.hepstack.proto.store.testing.TestDatabase;
import io.hepstack.proto.testing.Captures;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Readable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read side of the stored row against the write side: every message the writer stored (the Kamailio
 * capture, its {@code hlog()} log lines, a binary payload) read back through {@link MessageSelect} with
 * {@link Sql} has its envelope, SIP fields, log level and exact payload bytes.
 */
class MessageSelectIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Test
    void readsBackWhatTheWriterStored() throws Exception {
        MessageExtractor extractor = new MessageExtractor(ExtractionSettings.DEFAULT);
        List<CapturedMessage> rows = new ArrayList<>(Captures.kamailio(ExtractionSettings.DEFAULT));
        long last = rows.stream().mapToLong(m -> m.envelope().timestampMicros()).max().orElseThrow();
        for (CapturedMessage log : Captures.kamailioHlog(ExtractionSettings.DEFAULT, "hlog-error.bin", "hlog-info.bin",
                "hlog-no-cid.bin")) {
            rows.add(log.withTimestampMicros(last + rows.size()));
        }
        byte[] binary = {0, (byte) 0xff, (byte) 0xc3, 'x', 0};
        rows.add(extractor.extract(HepPacket.builder().protoType(34).timestampMicros(last + rows.size())
                .payload(binary).build()));
        Clock clock = Clock.fixed(Instant.ofEpochSecond(last / 1_000_000 + 60), ZoneOffset.UTC);
        WriteResult written = new MessageWriter(db.connectionFactory(), PartitionPolicy.defaults(), clock).write(rows)
                .block(Duration.ofSeconds(60));
        assertThat(written.stored()).isEqualTo(rows.size());

        Sql sql = new Sql();
        sql.append("SELECT ").append(MessageSelect.summary("m.")).append(", ").append(MessageSelect.PAYLOAD)
                .append(" FROM messages m WHERE m.ts >= ").append(sql.bind(OffsetDateTime.ofInstant(Instant.EPOCH, ZoneOffset.UTC)))
                .append(" ORDER BY m.id");
        List<Map<String, Object>> read = Flux.usingWhen(db.connectionFactory().create(),
                (Connection c) -> Flux.from(sql.bindTo(c.createStatement(sql.text())).execute())
                        .flatMap(result -> result.map((Readable r) -> row(r))),
                Connection::close).collectList().block(Duration.ofSeconds(60));

        assertThat(read).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            CapturedMessage m = rows.get(i);
            Map<String, Object> r = read.get(i);
            Envelope e = m.envelope();
            String what = "row " + i;
            assertThat(r.get("payload")).as(what).isEqualTo(m.payload());
            assertThat(r.get("size")).as(what).isEqualTo(m.payload().length);
            assertThat(r.get("ts")).as(what).isEqualTo(e.timestampMicros());
            assertThat(r.get("kind")).as(what).isEqualTo(m.kind().code());
            assertThat(r.get("correlation_id")).as(what).isEqualTo(e.correlationId());
            assertThat(r.get("src_host")).as(what).isEqualTo(e.srcIp() == null ? null : e.srcIp().getHostAddress());
            assertThat(r.get("src_port")).as(what).isEqualTo(e.srcPort());
            assertThat(r.get("proto_type")).as(what).isEqualTo((short) e.protoType());
            SipFields sip = m.sip();
            assertThat(r.get("call_id")).as(what).isEqualTo(sip == null ? null : sip.callId());
            assertThat(r.get("method")).as(what).isEqualTo(sip == null ? null : sip.method());
            assertThat(r.get("log_level")).as(what).isEqualTo(m.part() instanceof LogLine l
                    && l.level() != null ? l.level().code() : null);
        }
        assertThat(read).extracting(r -> r.get("log_level")).filteredOn(v -> v != null).containsExactly("error", "info");

        // the whole message, read back: what the writer was given (a log line's level stays in extra)
        Sql whole = new Sql();
        whole.append("SELECT ").append(MessageSelect.stored("m.")).append(" FROM messages m WHERE m.ts >= ")
                .append(whole.bind(OffsetDateTime.ofInstant(Instant.EPOCH, ZoneOffset.UTC))).append(" ORDER BY m.id");
        List<CapturedMessage> back = Flux.usingWhen(db.connectionFactory().create(),
                (Connection c) -> Flux.from(whole.bindTo(c.createStatement(whole.text())).execute())
                        .flatMap(result -> result.map((Readable r) -> MessageSelect.stored(r))),
                Connection::close).collectList().block(Duration.ofSeconds(60));
        assertThat(back).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            CapturedMessage m = rows.get(i);
            CapturedMessage b = back.get(i);
            assertThat(b.envelope()).as("row %d", i).isEqualTo(m.envelope());
            assertThat(b.kind()).isEqualTo(m.kind());
            assertThat(b.payload()).isEqualTo(m.payload());
            assertThat(b.sip()).as("row %d", i).isEqualTo(m.sip());
            if (m.extra() == null) {
                assertThat(b.extra()).isNull();
            } else {
                assertThat(JSON.readTree(b.extra())).as("row %d", i).isEqualTo(JSON.readTree(m.extra()));
            }
        }
        assertThat(read.get(read.size() - 1).get("payload")).isEqualTo(binary);
    }

    private static Map<String, Object> row(Readable r) {
        Map<String, Object> m = new HashMap<>();
        OffsetDateTime ts = r.get("ts", OffsetDateTime.class);
        m.put("ts", ts.toEpochSecond() * 1_000_000 + ts.getNano() / 1000);
        for (String c : List.of("kind", "correlation_id", "call_id", "method", MessageSelect.SRC_HOST, MessageSelect.LOG_LEVEL)) {
            m.put(c, r.get(c, String.class));
        }
        m.put("src_port", r.get("src_port", Integer.class));
        m.put("proto_type", r.get("proto_type", Short.class));
        m.put("size", r.get(MessageSelect.SIZE, Integer.class));
        m.put("payload", MessageSelect.payload(r));
        return m;
    }
}
