package io.hepstack.proto.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.model.SipFields;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static io.hepstack.proto.store.Fixtures.NOW;
import static io.hepstack.proto.store.Fixtures.count;
import static io.hepstack.proto.store.Fixtures.invite;
import static io.hepstack.proto.store.Fixtures.ip;
import static io.hepstack.proto.store.Fixtures.micros;
import static org.assertj.core.api.Assertions.assertThat;

class MessageWriterIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestClock clock = new TestClock(NOW);
    private final PartitionPolicy policy = Fixtures.hourly();

    @BeforeEach
    void emptyTable() throws Exception {
        try (Connection c = db.openJdbc()) {
            Fixtures.reset(c);
        }
    }

    private MessageWriter writer() {
        return new MessageWriter(db.connectionFactory(), policy, clock);
    }

    @Test
    void storesEveryColumnAsGivenAndReadsBackByteExact() throws Exception {
        byte[] notUtf8 = {'S', 'I', 'P', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '\r', '\n'};
        byte[] withNul = "OPTIONS sip:x SIP/2.0\r\n\0\0body".getBytes(StandardCharsets.UTF_8);
        byte[] big = new byte[65_000];
        Arrays.fill(big, (byte) 'a');
        byte[] bigBinary = new byte[65_000];
        for (int i = 0; i < bigBinary.length; i++) {
            bigBinary[i] = (byte) i;
        }
        byte[] surrogateUtf8 = {'x', (byte) 0xED, (byte) 0xA0, (byte) 0x80}; // CESU surrogate: not UTF-8
        List<CapturedMessage> batch = List.of(
                invite(1, NOW.minusSeconds(5)).build(),
                invite(2, NOW.minusSeconds(4)).ips(ip("2001:db8::1"), ip("2001:db8:ffff::ab:cd")).build(),
                invite(3, NOW.minusSeconds(3)).ips(null, null).ports(0, 65535).build(),
                invite(4, NOW).payload(notUtf8).build(),
                invite(5, NOW).payload(withNul).build(),
                invite(6, NOW).payload(big).build(),
                invite(7, NOW).payload(bigBinary).build(),
                invite(8, NOW).payload(surrogateUtf8).build(),
                invite(9, NOW).payload(new byte[0]).build(),
                invite(10, NOW).fromUser("Zoë 日本 🎉").userAgent("Agent/ß").callId("call\0id").node("n\uD800x")
                        .build(),
                invite(11, NOW).reply(486).extra(null).correlationId(null).build(),
                invite(12, NOW).kind(MessageKind.QOS).unparsed()
                        .payload("{\"rtcp\":true}".getBytes(StandardCharsets.UTF_8))
                        .correlationId("a84b4c76e66710@pc33.example.com").build(),
                invite(13, NOW).extra("{\"k\":\"nul\\u0000inside\",\"n\":[1,2.5e3,{\"d\":null}],\"u\":\"\\ud83c\\udf89\"}")
                        .build(),
                invite(14, NOW).extra("not json {").build(),
                invite(15, NOW).extra("[1,2]").build(),
                invite(16, NOW).ips(ip("::ffff:10.1.2.3"), ip("::1")).build());

        StepVerifier.create(writer().write(batch))
                .assertNext(r -> {
                    assertThat(r.rejected()).isEmpty();
                    assertThat(r.stored()).isEqualTo(batch.size());
                })
                .verifyComplete();

        try (Connection c = db.openJdbc()) {
            for (CapturedMessage m : batch) {
                assertStoredAsGiven(c, m);
            }
            assertThat(text(c, 10, "from_user")).isEqualTo("Zoë 日本 🎉");
            assertThat(text(c, 10, "call_id")).isEqualTo("call\uFFFDid");
            assertThat(text(c, 10, "node")).isEqualTo("n\uFFFDx");
            assertThat(JSON.readTree(text(c, 13, "extra::text")))
                    .isEqualTo(JSON.readTree("{\"k\":\"nul\uFFFDinside\",\"n\":[1,2500,{\"d\":null}],\"u\":\"🎉\"}"));
            assertThat(JSON.readTree(text(c, 14, "extra::text")))
                    .isEqualTo(JSON.readTree("{\"invalid_extra\":\"not json {\"}"));
            assertThat(JSON.readTree(text(c, 15, "extra::text")))
                    .isEqualTo(JSON.readTree("{\"invalid_extra\":\"[1,2]\"}"));
            // the payload rule: text when storable as text, else bytes, never both
            assertThat(count(c, "SELECT count(*) FROM messages WHERE payload_bytes IS NOT NULL"))
                    .as("payloads 4, 5, 7, 8 are not text").isEqualTo(4);
            assertThat(text(c, 6, "length(payload_text)::text")).isEqualTo("65000");
        }
    }

    @Test
    void storesOddAgentTimestampsAtReceiveTimeAndKeepsTheAgentsValue() throws Exception {
        long year2100 = micros(LocalDateTime.of(2100, 1, 1, 0, 0).toInstant(ZoneOffset.UTC));
        List<CapturedMessage> batch = List.of(
                invite(1, NOW).tsMicros(0).build(),
                invite(2, NOW).tsMicros(1_000_000L).build(),
                invite(3, NOW).tsMicros(-123_456_789L).build(),
                invite(4, NOW).tsMicros(year2100).build(),
                invite(5, NOW).tsMicros(Long.MIN_VALUE).build(),
                invite(6, NOW).tsMicros(Long.MAX_VALUE).build(),
                invite(7, NOW.minus(Duration.ofHours(13))).build(),                 // older than calls' 12 h
                invite(8, NOW.minus(Duration.ofHours(11))).build(),                 // inside retention
                invite(9, NOW.minus(Duration.ofHours(7))).kind(MessageKind.LOG).unparsed().build(), // logs: 6 h
                invite(10, NOW.plus(Duration.ofMinutes(59))).build(),               // inside future tolerance
                invite(11, NOW.plus(Duration.ofMinutes(61))).build());              // beyond it

        StepVerifier.create(writer().write(batch))
                .assertNext(r -> assertThat(r).isEqualTo(new WriteResult(batch.size(), List.of())))
                .verifyComplete();

        try (Connection c = db.openJdbc()) {
            for (CapturedMessage m : batch) {
                long id = m.envelope().captureId();
                boolean believed = id == 8 || id == 10;
                assertThat(tsMicros(c, id)).as("ts of %d", id).isEqualTo(believed ? m.envelope().timestampMicros() : micros(NOW));
                assertThat(agentTs(c, id)).as("agent_ts_us of %d", id)
                        .isEqualTo(believed ? null : m.envelope().timestampMicros());
            }
            assertThat(Fixtures.timePartitions(c)).containsExactlyInAnyOrder(
                    "messages_call_p2026112210", "messages_call_p2026112123", "messages_call_p2026112211",
                    "messages_log_p2026112210");
        }
    }

    @Test
    void storesAMessageOfASkewedAgentAtItsTimeMovedByTheAgentsOffsetWithTheAgentsTimeKept() throws Exception {
        long threeHours = 3 * 3_600_000_000L;
        long twoDays = 48 * 3_600_000_000L;
        long now = micros(NOW);
        List<CapturedMessage> batch = List.of(
                invite(1, NOW.minus(Duration.ofHours(3))).build().withClockOffsetMicros(threeHours),
                invite(2, NOW.minus(Duration.ofHours(3)).plusMillis(250)).kind(MessageKind.SIP_REGISTRATION).build()
                        .withClockOffsetMicros(threeHours),
                invite(3, NOW.plus(Duration.ofDays(2))).build().withClockOffsetMicros(-twoDays),   // beyond the future tolerance alone
                invite(4, NOW.plus(Duration.ofDays(2)).plusMillis(250)).kind(MessageKind.LOG).build()
                        .withClockOffsetMicros(-twoDays),
                invite(5, NOW).tsMicros(Long.MAX_VALUE).build().withClockOffsetMicros(1),          // overflows: now
                invite(6, NOW).tsMicros(0).build().withClockOffsetMicros(threeHours));             // still outside: now

        StepVerifier.create(writer().write(batch))
                .assertNext(r -> assertThat(r).isEqualTo(new WriteResult(batch.size(), List.of())))
                .verifyComplete();

        try (Connection c = db.openJdbc()) {
            assertThat(tsMicros(c, 1)).isEqualTo(now);
            assertThat(tsMicros(c, 2)).isEqualTo(now + 250_000);
            assertThat(tsMicros(c, 3)).isEqualTo(now);
            assertThat(tsMicros(c, 4)).isEqualTo(now + 250_000);
            assertThat(tsMicros(c, 5)).isEqualTo(now);
            assertThat(tsMicros(c, 6)).isEqualTo(now);
            for (CapturedMessage m : batch) {
                assertThat(agentTs(c, m.envelope().captureId())).isEqualTo(m.envelope().timestampMicros());
            }
        }
    }

    @Test
    void storesEveryOtherRowWhenTheDatabaseRefusesSome() throws Exception {
        List<CapturedMessage> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Fixtures.Builder b = invite(i, NOW);
            if (i == 7) {
                b.ports(70_000, 5060);          // violates messages_ports_in_range
            }
            if (i == 31) {
                b.ports(5060, -1);
            }
            if (i == 20) {
                b.status(70_000);               // cannot be a smallint at all
            }
            batch.add(b.build());
        }

        StepVerifier.create(writer().write(batch))
                .assertNext(r -> {
                    assertThat(r.stored()).isEqualTo(37);
                    assertThat(r.rejected()).extracting(x -> x.message().envelope().captureId()).containsExactlyInAnyOrder(7L, 20L, 31L);
                    assertThat(r.rejected()).filteredOn(x -> x.message().envelope().captureId() != 20)
                            .allSatisfy(x -> {
                                assertThat(x.sqlState()).isEqualTo("23514");
                                assertThat(x.error()).contains("messages_ports_in_range");
                            });
                    assertThat(r.rejected()).filteredOn(x -> x.message().envelope().captureId() == 20)
                            .singleElement().satisfies(x -> {
                                assertThat(x.sqlState()).isEqualTo("22003");
                                assertThat(x.error()).isEqualTo("status 70000 out of range for type smallint");
                            });
                })
                .verifyComplete();

        try (Connection c = db.openJdbc()) {
            assertThat(count(c, "SELECT count(*) FROM messages")).isEqualTo(37);
            assertThat(count(c, "SELECT count(*) FROM messages WHERE capture_id IN (7, 20, 31)")).isZero();
        }
    }

    @Test
    void namesTheCallsOfABatchToTheRecordsBuilderWithItsRowsOnceEvenWhenSomeAreRefused() throws Exception {
        List<CapturedMessage> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Fixtures.Builder b = invite(i, NOW).callId("call-" + (i % 5) + "@feed"); // 5 calls, 4 rows each
            if (i == 7) {
                b.ports(70_000, 5060); // refused: its call's other rows are stored
            }
            batch.add(b.build());
        }
        batch.add(invite(99, NOW).kind(MessageKind.SIP_REGISTRATION).callId("reg@feed").build()); // a registration's change
        MessageWriter feeding = new MessageWriter(db.connectionFactory(), policy, clock, true);
        UUID id = UUID.randomUUID();
        assertThat(feeding.write(id, batch).block().stored()).isEqualTo(20); // 19 calls rows and the registration
        assertThat(feeding.write(id, batch).block().alreadyStored()).isTrue(); // a retry of a committed batch
        writer().write(List.of(invite(100, NOW).callId("unfed@feed").build())).block(); // a writer without records
        try (Connection c = db.openJdbc()) {
            // once: the first COPY, refused, rolled back with its feed; the isolating one fed again; the retry did not
            assertThat(count(c, "SELECT count(*) FROM call_changes")).isEqualTo(6);
            assertThat(count(c, "SELECT count(DISTINCT call_id) FROM call_changes WHERE call_id LIKE 'call-%@feed' AND kind = 'call'"))
                    .isEqualTo(5);
            assertThat(count(c, "SELECT count(*) FROM call_changes WHERE call_id = 'reg@feed' AND kind = 'registration'")).isEqualTo(1);
        }
    }

    @Test
    void createsMissingPartitionsOnDemand() throws Exception {
        List<CapturedMessage> batch = List.of(
                invite(1, NOW).build(),
                invite(2, NOW.minus(Duration.ofHours(3))).build(),
                invite(3, NOW).kind(MessageKind.SIP_REGISTRATION).build(),
                invite(4, NOW.plus(Duration.ofMinutes(50))).kind(MessageKind.OTHER).unparsed().build());

        StepVerifier.create(writer().write(batch))
                .assertNext(r -> assertThat(r.stored()).isEqualTo(4))
                .verifyComplete();

        try (Connection c = db.openJdbc()) {
            assertThat(Fixtures.timePartitions(c)).containsExactly(
                    "messages_call_p2026112207", "messages_call_p2026112210",
                    "messages_other_p2026112211", "messages_registration_p2026112210");
            assertThat(count(c, "SELECT count(*) FROM messages_call_p2026112207")).isEqualTo(1);
        }
    }

    @Test
    void concurrentWritersCreatingTheSamePartitionsAllSucceed() throws Exception {
        int writers = 6;
        List<reactor.core.publisher.Mono<WriteResult>> writes = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            List<CapturedMessage> batch = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                batch.add(invite(w * 1000L + i, NOW.minus(Duration.ofMinutes(i))).build());
            }
            // a writer each, so that none knows what the others created
            writes.add(writer().write(batch).subscribeOn(reactor.core.scheduler.Schedulers.parallel()));
        }

        StepVerifier.create(Flux.merge(writes).map(WriteResult::stored).reduce(0L, Long::sum))
                .expectNext(writers * 200L)
                .verifyComplete();

        try (Connection c = db.openJdbc()) {
            assertThat(count(c, "SELECT count(*) FROM messages")).isEqualTo(writers * 200L);
            assertThat(Fixtures.timePartitions(c)).containsExactly(
                    "messages_call_p2026112206", "messages_call_p2026112207", "messages_call_p2026112208",
                    "messages_call_p2026112209", "messages_call_p2026112210");
        }
    }

    @Test
    void recreatesAPartitionDroppedUnderneathIt() throws Exception {
        MessageWriter writer = writer();
        writer.write(List.of(invite(1, NOW).build())).block();
        try (Connection c = db.openJdbc(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE messages_call_p2026112210");
        }

        StepVerifier.create(writer.write(List.of(invite(2, NOW).build())))
                .assertNext(r -> assertThat(r).isEqualTo(new WriteResult(1, List.of())))
                .verifyComplete();
    }

    @Test
    void sendsBatchesLargerThanOneBufferChunk() throws Exception {
        List<CapturedMessage> batch = new ArrayList<>();
        byte[] payload = new byte[1500];
        Arrays.fill(payload, (byte) 'x');
        for (int i = 0; i < 3000; i++) {
            batch.add(invite(i, NOW.minusMillis(i)).payload(payload).build());
        }

        StepVerifier.create(writer().write(batch))
                .assertNext(r -> assertThat(r).isEqualTo(new WriteResult(3000, List.of())))
                .verifyComplete();
    }

    @Test
    void storesNothingAndTouchesNoConnectionForAnEmptyBatch() {
        io.r2dbc.spi.ConnectionFactory none = new io.r2dbc.spi.ConnectionFactory() {
            @Override
            public org.reactivestreams.Publisher<? extends io.r2dbc.spi.Connection> create() {
                throw new AssertionError("no connection expected");
            }

            @Override
            public io.r2dbc.spi.ConnectionFactoryMetadata getMetadata() {
                throw new AssertionError("no metadata expected");
            }
        };
        StepVerifier.create(new MessageWriter(none, policy, clock).write(List.of()))
                .expectNext(WriteResult.EMPTY)
                .verifyComplete();
    }

    private static void assertStoredAsGiven(Connection c, CapturedMessage m) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT (extract(epoch FROM ts) * 1000000)::bigint AS ts_us, agent_ts_us, kind, capture_id, node,
                       proto_type, ip_family, transport, host(src_ip) AS src, masklen(src_ip) AS src_mask, src_port,
                       host(dst_ip) AS dst, masklen(dst_ip) AS dst_mask, dst_port, correlation_id, call_id, method,
                       status, cseq, cseq_method, from_user, from_tag, to_user, to_tag, ruri_user, user_agent,
                       via_branch, parsed, coalesce(payload_bytes, convert_to(payload_text, 'UTF8')) AS payload,
                       (payload_text IS NULL) <> (payload_bytes IS NULL) AS one_payload, extra::text AS extra,
                       id > 0 AS has_id
                FROM messages WHERE capture_id = ?""")) {
            ps.setLong(1, m.envelope().captureId());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("row %d stored", m.envelope().captureId()).isTrue();
                String what = "row " + m.envelope().captureId() + " ";
                assertThat(rs.getLong("ts_us")).as(what + "ts").isEqualTo(m.envelope().timestampMicros());
                assertThat(rs.getObject("agent_ts_us")).as(what + "agent_ts_us").isNull();
                assertThat(rs.getString("kind")).as(what + "kind").isEqualTo(m.kind().code());
                assertThat(rs.getShort("proto_type")).as(what + "proto_type").isEqualTo((short) m.envelope().protoType());
                assertThat(rs.getShort("ip_family")).as(what + "ip_family").isEqualTo((short) m.envelope().ipFamily());
                assertThat(rs.getShort("transport")).as(what + "transport").isEqualTo((short) m.envelope().transport());
                assertAddress(what + "src_ip", m.envelope().srcIp(), rs.getString("src"), rs.getObject("src_mask"));
                assertAddress(what + "dst_ip", m.envelope().dstIp(), rs.getString("dst"), rs.getObject("dst_mask"));
                assertThat(rs.getInt("src_port")).as(what + "src_port").isEqualTo(m.envelope().srcPort());
                assertThat(rs.getInt("dst_port")).as(what + "dst_port").isEqualTo(m.envelope().dstPort());
                assertText(what + "node", m.envelope().node(), rs.getString("node"));
                assertText(what + "correlation_id", m.envelope().correlationId(), rs.getString("correlation_id"));
                assertText(what + "call_id", m.callId(), rs.getString("call_id"));
                SipFields sip = m.sip() == null ? SipFields.builder().build() : m.sip(); // unparsed: every SIP column null
                assertText(what + "method", sip.method(), rs.getString("method"));
                assertThat((Integer) (rs.getObject("status") == null ? null : rs.getInt("status")))
                        .as(what + "status").isEqualTo(sip.status());
                assertThat((Long) rs.getObject("cseq")).as(what + "cseq").isEqualTo(sip.cseq());
                assertText(what + "cseq_method", sip.cseqMethod(), rs.getString("cseq_method"));
                assertText(what + "from_user", sip.fromUser(), rs.getString("from_user"));
                assertText(what + "from_tag", sip.fromTag(), rs.getString("from_tag"));
                assertText(what + "to_user", sip.toUser(), rs.getString("to_user"));
                assertText(what + "to_tag", sip.toTag(), rs.getString("to_tag"));
                assertText(what + "ruri_user", sip.ruriUser(), rs.getString("ruri_user"));
                assertText(what + "user_agent", sip.userAgent(), rs.getString("user_agent"));
                assertText(what + "via_branch", sip.viaBranch(), rs.getString("via_branch"));
                assertThat(rs.getBoolean("parsed")).as(what + "parsed").isEqualTo(m.parsed());
                assertThat(rs.getBytes("payload")).as(what + "payload").isEqualTo(m.payload());
                assertThat(rs.getBoolean("one_payload")).as(what + "one payload column").isTrue();
                assertThat(rs.getBoolean("has_id")).as(what + "id").isTrue();
                if (m.extra() == null) {
                    assertThat(rs.getString("extra")).as(what + "extra").isNull();
                } else if (m.envelope().captureId() < 13) {
                    assertThat(JSON.readTree(rs.getString("extra"))).as(what + "extra").isEqualTo(JSON.readTree(m.extra()));
                }
                assertThat(rs.next()).as(what + "stored once").isFalse();
            }
        }
    }

    /** Text as stored: NUL and unpaired surrogates become U+FFFD. */
    private static void assertText(String what, String given, String stored) {
        assertThat(stored).as(what).isEqualTo(given == null ? null : Utf8.sanitize(given));
    }

    private static void assertAddress(String what, InetAddress given, String host, Object mask) throws Exception {
        if (given == null) {
            assertThat(host).as(what).isNull();
            return;
        }
        assertThat(InetAddress.getByName(host)).as(what).isEqualTo(given);
        assertThat(mask).as(what + " mask").isEqualTo(given.getAddress().length * 8);
    }

    private static String text(Connection c, long captureId, String expression) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + expression + " FROM messages WHERE capture_id = ?")) {
            ps.setLong(1, captureId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static long tsMicros(Connection c, long captureId) throws Exception {
        return Long.parseLong(text(c, captureId, "((extract(epoch FROM ts) * 1000000)::bigint)::text"));
    }

    private static Long agentTs(Connection c, long captureId) throws Exception {
        String s = text(c, captureId, "agent_ts_us::text");
        return s == null ? null : Long.parseLong(s);
    }
}
