package io.hepstack.proto.registration;

import io.hepstack.proto.call.CallRecordStore;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.store.MessageWriter;
import io.hepstack.proto.store.PartitionPolicy;
import io.hepstack.proto.store.testing.TestDatabase;
import io.hepstack.proto.testing.Captures;
import io.hepstack.proto.testing.MutableClock;
import io.hepstack.proto.testing.Registers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registration records kept by the call records' passes over real PostgreSQL from the writers' change feed (kind
 * {@code registration}): the Kamailio capture's 20 registrations, crafted phones whose later REGISTERs (another
 * Call-ID too) move their one binding's record, a rebuild that writes the same records, and the retention.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistrationRecordStoreIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    static final MutableClock CLOCK = new MutableClock(Instant.EPOCH);
    static final CallRecordStore.Settings SETTINGS = new CallRecordStore.Settings(Duration.ofMinutes(3),
            Duration.ofHours(24), 20_000, Duration.ofDays(14));
    static List<CapturedMessage> capture;
    /** The crafted phones' start: ten minutes after the capture's end, on the writers' clock. */
    static long t0;

    @BeforeAll
    static void storeTheCapture() {
        capture = Captures.kamailio(ExtractionSettings.DEFAULT);
        long last = capture.stream().mapToLong(m -> m.envelope().timestampMicros()).max().orElseThrow();
        CLOCK.set(Instant.ofEpochSecond(last / 1_000_000 + 600));
        t0 = last + 1_000_000;
        write(capture);
    }

    private static void write(List<CapturedMessage> batch) {
        new MessageWriter(db.connectionFactory(), PartitionPolicy.defaults(), CLOCK, true).write(batch).block(Duration.ofSeconds(60));
    }

    private static CallRecordStore.Pass pass() {
        return new CallRecordStore(db.connectionFactory(), CLOCK, SETTINGS).pass().block(Duration.ofSeconds(60));
    }

    @Test
    @Order(1)
    void aPassRecordsEveryRegistrationOfTheCapture() throws Exception {
        CallRecordStore.Pass pass = pass();
        assertThat(pass.registrations()).isEqualTo(20);
        List<RegistrationRecord> expected = RegistrationRecorder.records(RegistrationRecorder.transactions(capture));
        Map<String, String> stored = records("");
        assertThat(stored).hasSize(20);
        for (RegistrationRecord r : expected) {
            assertThat(stored.get(r.binding().aor())).isEqualTo(r.binding().contact() + " 127.0.0.1:5082 harness-reg registered "
                    + r.expiresAt() + " " + r.lastRegisterAt() + " " + r.lastSuccessAt() + " null null 1 0 0 127.0.0.1:5060 {2001} 2");
        }
        // registered for an hour from their 200: expired when read two hours after
        assertThat(statesAt(CLOCK.instant())).containsOnlyKeys("registered");
        assertThat(statesAt(CLOCK.instant().plus(Duration.ofHours(2)))).containsEntry("expired", 20L).hasSize(1);
        assertThat(pass().registrations()).as("nothing changed").isZero();
    }

    @Test
    @Order(2)
    void laterRegistersOfTheSameBindingMoveItsOneRecord() throws Exception {
        Registers phone = new Registers("loop-1@store", "carol", t0).register(0, 3600, 401).register(5, 3600, 401);
        write(phone.messages());
        assertThat(pass().registrations()).isEqualTo(1);
        assertThat(records("carol@%").get("carol@example.com")).contains(" challenge_loop null ").contains(" 2 2 0 ");
        long id = id("carol@example.com");

        // the phone gives up, restarts with another Call-ID and the right password
        Registers restarted = new Registers("loop-2@store", "carol", phone.t + 60_000_000L).register(0, 3600, 401)
                .register(5, 3600, 200, "Contact: <sip:carol@" + Registers.PHONE + ">;expires=120");
        write(restarted.messages());
        assertThat(pass().registrations()).isEqualTo(1);
        String r = records("carol@%").get("carol@example.com");
        assertThat(r).startsWith("sip:carol@10.1.0.7:5062 10.1.0.7:5062 phone/1.0 registered " + restarted.after(120) + " ")
                .contains(" 4 3 0 ");
        assertThat(id("carol@example.com")).as("the same row").isEqualTo(id);

        // then unregisters, and a second phone of the user fails with 403
        Registers leaving = new Registers("bye@store", "carol", restarted.t + 10_000_000L).register(0, 0, 200);
        write(leaving.messages());
        write(new Registers("desk@store", "carol", "10.1.0.9:5060", restarted.t + 20_000_000L).register(0, 3600, 403).messages());
        assertThat(pass().registrations()).as("both bindings of the AoR").isEqualTo(2);
        Map<String, String> carol = records("carol@%");
        assertThat(carol).hasSize(1); // keyed by AoR in this map: the first binding
        assertThat(statesOf("carol@example.com")).containsExactly("sip:carol@10.1.0.7:5062 unregistered 5 3 0",
                "sip:carol@10.1.0.9:5060 failed 1 0 1");
    }

    @Test
    @Order(3)
    void aRebuildWritesTheSameRecords() throws Exception {
        Map<String, String> kept = records("");
        try (Connection c = db.openJdbc()) {
            c.createStatement().execute("DELETE FROM registration_records");
        }
        Long rebuilt = new CallRecordStore(db.connectionFactory(), CLOCK, SETTINGS)
                .rebuildRegistrations(Instant.ofEpochSecond(t0 / 1_000_000 - 3600), CLOCK.instant().plus(Duration.ofHours(1)))
                .block(Duration.ofSeconds(60));
        assertThat(rebuilt).isEqualTo(22); // the capture's 20 and carol's 2 bindings, once each
        assertThat(records("")).isEqualTo(kept);
    }

    @Test
    @Order(4)
    void bindingsNotRegisteredWithinTheRetentionAreDeleted() throws Exception {
        CLOCK.set(Instant.ofEpochSecond(t0 / 1_000_000).plus(SETTINGS.retention()).plus(Duration.ofHours(1)));
        CallRecordStore.Pass pass = pass();
        assertThat(pass.deleted()).isGreaterThanOrEqualTo(22);
        assertThat(records("")).isEmpty();
    }

    /** Each AoR's record as text, of the AoRs LIKE {@code pattern} ({@code ""}: all); the first binding of an AoR. */
    private static Map<String, String> records(String pattern) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = db.openJdbc(); PreparedStatement s = c.prepareStatement("SELECT aor, contact, host(src_ip) || ':' || src_port, "
                + "user_agent, state, " + micros("expires_at") + ", " + micros("last_register_at") + ", " + micros("last_success_at")
                + ", " + micros("last_failure_at") + ", last_failure_status, registers, challenges, failures, "
                + "host(dst_ip) || ':' || dst_port, nodes::text, stored_rows FROM registration_records "
                + "WHERE aor LIKE ? ORDER BY aor, id")) {
            s.setString(1, pattern.isEmpty() ? "%" : pattern);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    List<String> values = new ArrayList<>();
                    for (int i = 2; i <= 16; i++) {
                        values.add(String.valueOf(r.getObject(i)));
                    }
                    out.putIfAbsent(r.getString(1), String.join(" ", values));
                }
            }
        }
        return out;
    }

    private static List<String> statesOf(String aor) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.openJdbc(); PreparedStatement s = c.prepareStatement(
                "SELECT contact, state, registers, challenges, failures FROM registration_records WHERE aor = ? ORDER BY contact")) {
            s.setString(1, aor);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1) + " " + r.getString(2) + " " + r.getInt(3) + " " + r.getInt(4) + " " + r.getInt(5));
                }
            }
        }
        return out;
    }

    /** How many records read each state at {@code now} ({@link RegistrationState#SQL_AT}). */
    private static Map<String, Long> statesAt(Instant now) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = db.openJdbc(); PreparedStatement s = c.prepareStatement("SELECT "
                + RegistrationState.SQL_AT.formatted("?") + " AS s, count(*) FROM registration_records GROUP BY 1")) {
            s.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getLong(2));
                }
            }
        }
        return out;
    }

    private static long id(String aor) throws Exception {
        try (Connection c = db.openJdbc(); PreparedStatement s = c.prepareStatement(
                "SELECT id FROM registration_records WHERE aor = ? AND contact LIKE 'sip:carol@10.1.0.7%'")) {
            s.setString(1, aor);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static String micros(String column) {
        return "(extract(epoch FROM " + column + ") * 1000000)::bigint";
    }
}
