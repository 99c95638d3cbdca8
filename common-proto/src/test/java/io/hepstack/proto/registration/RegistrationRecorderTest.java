package io.hepstack.proto.registration;

import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.testing.Captures;
import io.hepstack.proto.testing.Registers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Registration records from crafted REGISTER transactions and from the real Kamailio capture. */
class RegistrationRecorderTest {

    static final long T0 = 1_800_000_000_000_000L;
    static final String CONTACT = "sip:alice@" + Registers.PHONE;

    private static List<RegistrationRecord> records(Registers phone) {
        return RegistrationRecorder.records(RegistrationRecorder.transactions(phone.messages()));
    }

    private static RegistrationRecord only(Registers phone) {
        List<RegistrationRecord> records = records(phone);
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    @Test
    void aRegisterAnswered200IsRegisteredUntilTheExpiryTheRegistrarGranted() throws Exception {
        Registers phone = new Registers("ok@test", "alice", T0)
                .register(0, 600, 200, "Contact: <" + CONTACT + ">;expires=300");
        RegistrationRecord r = only(phone);
        assertThat(r.binding()).isEqualTo(new RegistrationRecord.Binding("alice@example.com", CONTACT,
                new InetSocketAddress(InetAddress.getByName("10.1.0.7"), 5062), Registers.USER_AGENT));
        assertThat(r.state()).isEqualTo(RegistrationState.REGISTERED);
        assertThat(r.expiresAt()).as("the 200's Contact expires=, not the 600 asked for").isEqualTo(phone.after(300));
        assertThat(r.lastSuccessAt()).isEqualTo(phone.t);
        assertThat(r.firstRegisterAt()).isEqualTo(T0).isEqualTo(r.lastRegisterAt());
        assertThat(r.lastFailureAt()).isNull();
        assertThat(r.lastFailureStatus()).isNull();
        assertThat(r.counts()).isEqualTo(new RegistrationRecord.Counts(1, 0, 0));
        assertThat(r.target()).isEqualTo(new InetSocketAddress(InetAddress.getByName("10.1.0.1"), 5060));
        assertThat(r.nodes()).containsExactly("2001");
        assertThat(r.rows()).isEqualTo(2);
    }

    @Test
    void aChallengeAnsweredWithCredentialsThenA200IsRegisteredWithOneChallenge() {
        Registers phone = new Registers("auth@test", "alice", T0)
                .register(0, 3600, 401, "WWW-Authenticate: Digest realm=\"example.com\", nonce=\"n1\"")
                .register(5, 3600, 200, "Contact: <" + CONTACT + ">;expires=3600");
        RegistrationRecord r = only(phone);
        assertThat(r.state()).isEqualTo(RegistrationState.REGISTERED);
        assertThat(r.counts()).isEqualTo(new RegistrationRecord.Counts(2, 1, 0));
        assertThat(r.lastFailureAt()).as("a challenge is not a failure").isNull();
        assertThat(r.firstRegisterAt()).isEqualTo(T0);
        assertThat(r.lastRegisterAt()).isEqualTo(T0 + 7_000);
        assertThat(r.expiresAt()).isEqualTo(phone.after(3600));
    }

    @Test
    void aLoneChallengeHasNoRecordYet() {
        assertThat(records(new Registers("one@test", "alice", T0).register(0, 3600, 401))).isEmpty();
        assertThat(records(new Registers("none@test", "alice", T0).register(0, 3600, 0))).as("no answer yet").isEmpty();
    }

    @Test
    void challengesOneAfterTheOtherWithoutA200AreAChallengeLoop() {
        Registers phone = new Registers("loop@test", "alice", T0).register(0, 3600, 401).register(5, 3600, 401).register(5, 3600, 401);
        RegistrationRecord r = only(phone);
        assertThat(r.state()).isEqualTo(RegistrationState.CHALLENGE_LOOP);
        assertThat(r.counts()).isEqualTo(new RegistrationRecord.Counts(3, 3, 0));
        assertThat(r.lastSuccessAt()).isNull();
        assertThat(r.expiresAt()).isNull();

        // a registered phone whose refreshes are challenged again and again: a loop, its registration's end kept
        Registers refreshed = new Registers("refresh@test", "alice", T0).register(0, 60, 200)
                .register(30_000, 60, 401);
        long end = T0 + 2_000 + 60_000_000L;
        assertThat(only(refreshed).state()).as("one challenge of a refresh").isEqualTo(RegistrationState.REGISTERED);
        refreshed.register(5, 60, 407);
        RegistrationRecord looping = only(refreshed);
        assertThat(looping.state()).isEqualTo(RegistrationState.CHALLENGE_LOOP);
        assertThat(looping.expiresAt()).isEqualTo(end);
        assertThat(looping.counts()).isEqualTo(new RegistrationRecord.Counts(3, 2, 0));
    }

    @Test
    void aForbiddenRegisterFailsAndALater200RegistersWithTheFailureKept() {
        Registers phone = new Registers("forbidden@test", "alice", T0).register(0, 3600, 401).register(5, 3600, 403);
        RegistrationRecord failed = only(phone);
        assertThat(failed.state()).isEqualTo(RegistrationState.FAILED);
        assertThat(failed.lastFailureStatus()).isEqualTo(403);
        assertThat(failed.lastFailureAt()).isEqualTo(phone.t);
        assertThat(failed.counts()).isEqualTo(new RegistrationRecord.Counts(2, 1, 1));
        long failedAt = phone.t;

        phone.register(60_000, 3600, 503).register(60_000, 3600, 200);
        RegistrationRecord recovered = only(phone);
        assertThat(recovered.state()).isEqualTo(RegistrationState.REGISTERED);
        assertThat(recovered.lastFailureStatus()).isEqualTo(503);
        assertThat(recovered.lastFailureAt()).isEqualTo(failedAt + 60_002_000L);
        assertThat(recovered.counts()).isEqualTo(new RegistrationRecord.Counts(4, 1, 2));
    }

    @Test
    void expiresZeroUnregistersByTheContactsParameterOrTheExpiresHeader() {
        Registers byParameter = new Registers("unreg@test", "alice", T0).register(0, 3600, 200)
                .register(10_000, 0, 200); // the 200 lists the bindings left: none
        RegistrationRecord r = only(byParameter);
        assertThat(r.state()).isEqualTo(RegistrationState.UNREGISTERED);
        assertThat(r.expiresAt()).isNull();
        assertThat(r.lastSuccessAt()).isEqualTo(byParameter.t);

        Registers byHeader = new Registers("unreg-h@test", "alice", T0).register(0, null, 200)
                .requestHeaders("Expires: 0").register(10_000, null, 200);
        assertThat(only(byHeader).state()).isEqualTo(RegistrationState.UNREGISTERED);
    }

    @Test
    void aRegistrationExpiresWhenItsExpiryPassesWithoutARefresh() {
        Registers phone = new Registers("expiry@test", "alice", T0).register(0, 60, 200);
        RegistrationRecord r = only(phone);
        assertThat(r.state()).isEqualTo(RegistrationState.REGISTERED);
        assertThat(r.stateAt(phone.after(59))).isEqualTo(RegistrationState.REGISTERED);
        assertThat(r.stateAt(phone.after(60))).isEqualTo(RegistrationState.EXPIRED);
        // a refresh before the end moves it
        RegistrationRecord refreshed = only(phone.register(50_000, 60, 200));
        assertThat(refreshed.stateAt(T0 + 2_000 + 60_000_000L)).isEqualTo(RegistrationState.REGISTERED);
        // the states the SQL expression reads are the same
        assertThat(RegistrationState.at(RegistrationState.FAILED, phone.t, phone.after(1))).isEqualTo(RegistrationState.FAILED);
        assertThat(RegistrationState.of("challenge_loop")).isEqualTo(RegistrationState.CHALLENGE_LOOP);
        assertThat(RegistrationState.of("busy")).isNull();
    }

    @Test
    void theGrantedExpiryIsTheAnswersContactThenItsExpiresHeaderThenTheRequestThen3600() {
        assertThat(only(new Registers("g1@test", "alice", T0).register(0, 600, 200, "Expires: 120")).expiresAt())
                .isEqualTo(T0 + 2_000 + 120_000_000L);
        assertThat(only(new Registers("g2@test", "alice", T0).register(0, 600, 200,
                "Contact: <sip:other@10.9.9.9>;expires=30", "Expires: 90")).expiresAt())
                .as("another binding's contact is not ours").isEqualTo(T0 + 2_000 + 90_000_000L);
        assertThat(only(new Registers("g3@test", "alice", T0).register(0, 600, 200)).expiresAt()).isEqualTo(T0 + 2_000 + 600_000_000L);
        assertThat(only(new Registers("g4@test", "alice", T0).register(0, null, 200)).expiresAt()).isEqualTo(T0 + 2_000 + 3_600_000_000L);
    }

    @Test
    void eachContactAndSourceIsABindingOfItsOwnAndAQueryIsNone() {
        List<CapturedMessage> both = new ArrayList<>(new Registers("a@test", "alice", T0).register(0, 60, 200).messages());
        both.addAll(new Registers("b@test", "alice", "10.1.0.8:5060", T0).register(0, 60, 403).messages());
        List<RegistrationRecord> records = RegistrationRecorder.records(RegistrationRecorder.transactions(both));
        assertThat(records).extracting(r -> r.binding().contact() + " " + r.state())
                .containsExactly(CONTACT + " REGISTERED", "sip:alice@10.1.0.8:5060 FAILED");
        assertThat(records).extracting(r -> r.binding().aor()).containsOnly("alice@example.com");
        assertThat(RegistrationRecorder.user("alice@example.com")).isEqualTo("alice");
        assertThat(RegistrationRecorder.user("example.com")).isNull();
    }

    @Test
    void theRecordDependsOnTheMessagesNotOnTheirOrderOrOnTheHopsThatCapturedThem() {
        Registers phone = new Registers("order@test", "alice", T0).register(0, 3600, 401).register(5, 3600, 200)
                .register(60_000, 3600, 401).register(5, 3600, 403);
        RegistrationRecord expected = only(phone);
        List<CapturedMessage> shuffled = new ArrayList<>(phone.messages());
        Collections.shuffle(shuffled, new Random(3));
        // the same messages seen again 1 ms later by a second agent (a tap in front of the registrar)
        MessageExtractor extractor = new MessageExtractor(ExtractionSettings.DEFAULT);
        for (CapturedMessage m : phone.messages()) {
            shuffled.add(extractor.extract(HepPacket.builder().addresses(m.envelope().srcIp(), m.envelope().srcPort(),
                            m.envelope().dstIp(), m.envelope().dstPort()).ipProto(17).timestampMicros(m.envelope().timestampMicros() + 1_000)
                    .protoType(1).captureId(3001).node("tap-2").payload(m.payload()).build()));
        }
        RegistrationRecord twice = RegistrationRecorder.records(RegistrationRecorder.transactions(shuffled)).get(0);
        assertThat(twice.state()).isEqualTo(expected.state()).isEqualTo(RegistrationState.FAILED);
        assertThat(twice.counts()).isEqualTo(expected.counts());
        assertThat(twice.lastFailureAt()).isEqualTo(expected.lastFailureAt());
        assertThat(twice.lastSuccessAt()).isEqualTo(expected.lastSuccessAt());
        assertThat(twice.nodes()).containsExactly("2001", "tap-2");
        assertThat(twice.rows()).isEqualTo(16);
    }

    @Test
    void everyRegistrationOfTheKamailioCaptureIsRegisteredForItsHour() {
        List<CapturedMessage> capture = Captures.kamailio(ExtractionSettings.DEFAULT);
        List<RegisterTransaction> transactions = RegistrationRecorder.transactions(capture);
        assertThat(transactions).hasSize(20).allSatisfy(t -> {
            assertThat(t.status()).isEqualTo(200);
            assertThat(t.phrase()).isEqualTo("OK");
            assertThat(t.granted()).isEqualTo(3600); // the request's Expires header: the 200 names none
            assertThat(t.outcome()).isEqualTo(RegisterTransaction.Outcome.REGISTERED);
        });
        List<RegistrationRecord> records = RegistrationRecorder.records(transactions);
        assertThat(records).hasSize(20);
        for (int i = 0; i < 20; i++) {
            RegistrationRecord r = records.get(i);
            RegisterTransaction t = transactions.get(i);
            assertThat(r.binding().aor()).isEqualTo("user" + (i + 1) + "@127.0.0.1");
            assertThat(r.binding().contact()).isEqualTo("sip:user" + (i + 1) + "@127.0.0.1:5082");
            assertThat(r.binding().userAgent()).isEqualTo("harness-reg");
            assertThat(r.state()).isEqualTo(RegistrationState.REGISTERED);
            assertThat(r.expiresAt()).isEqualTo(t.answeredAt() + 3_600_000_000L);
            assertThat(r.counts()).isEqualTo(new RegistrationRecord.Counts(1, 0, 0));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "<sip:a@h:5060>;expires=60                 | sip:a@h:5060             | 60",
            "sip:a@h;expires=60                         | sip:a@h                  | 60",
            "\"Alice\" <sip:a@h;transport=tcp>;Expires=\"30\" | sip:a@h;transport=tcp | 30",
            "<sip:a@h>;q=0.5                            | sip:a@h                  | ",
            "<sip:a@h>;expires=x1                       | sip:a@h                  | ",
            "<sip:a@h>;expires=99999999999              | sip:a@h                  | 2147483647",
            "*                                          | *                        | "})
    void contactValuesAreReadWhateverTheirForm(String value, String uri, Integer expires) {
        assertThat(RegistrationRecorder.Contact.parse(value)).isEqualTo(new RegistrationRecorder.Contact(uri, expires));
    }

    @Test
    void anEmptyContactIsNone() {
        assertThat(RegistrationRecorder.Contact.parse("  ")).isNull();
        assertThat(RegistrationRecorder.Contact.parse("<>")).isNull();
    }
}
