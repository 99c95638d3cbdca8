package io.hepstack.ingest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class DuplicateFilterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final DuplicateFilter filter = new DuplicateFilter(Duration.ofSeconds(2), 100_000, now::get);

    private static byte[] sip(String callId) {
        return ("INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: " + callId + "\r\nCSeq: 1 INVITE\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void discardsTheSamePayloadFromTheSameCaptureIdWithinTheWindow() {
        assertThat(filter.isDuplicate(2001, sip("a"))).isFalse();
        now.addAndGet(Duration.ofMillis(1999).toNanos());
        assertThat(filter.isDuplicate(2001, sip("a"))).isTrue();
    }

    @Test
    void acceptsTheSamePayloadAgainOnceTheWindowFromTheFirstCopyHasPassed() {
        assertThat(filter.isDuplicate(2001, sip("a"))).isFalse();
        now.addAndGet(Duration.ofMillis(1500).toNanos());
        assertThat(filter.isDuplicate(2001, sip("a"))).isTrue(); // does not extend the window
        now.addAndGet(Duration.ofMillis(600).toNanos());
        assertThat(filter.isDuplicate(2001, sip("a"))).isFalse();
    }

    @Test
    void keepsTheSamePayloadFromAnotherCaptureIdAndAnotherPayloadFromTheSameOne() {
        assertThat(filter.isDuplicate(2001, sip("a"))).isFalse();
        assertThat(filter.isDuplicate(2002, sip("a"))).isFalse();
        assertThat(filter.isDuplicate(2001, sip("b"))).isFalse();
        assertThat(filter.isDuplicate(2001, sip("ab"))).isFalse(); // tail bytes count
    }

    @Test
    void remembersAtMostMaxEntriesForgettingTheOldest() {
        DuplicateFilter small = new DuplicateFilter(Duration.ofHours(1), 64, now::get);
        for (int i = 0; i < 10_000; i++) {
            assertThat(small.isDuplicate(1, sip("call-" + i))).isFalse();
        }
        assertThat(small.size()).isLessThanOrEqualTo(64);
        assertThat(small.isDuplicate(1, sip("call-0"))).isFalse(); // forgotten: stored again
        assertThat(small.isDuplicate(1, sip("call-9999"))).isTrue();
    }

    @Test
    void forgetsExpiredEntries() {
        for (int i = 0; i < 1000; i++) {
            filter.isDuplicate(1, sip("call-" + i));
        }
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        for (int i = 0; i < 16 * 8; i++) { // touch every stripe
            filter.isDuplicate(1, sip("later-" + i));
        }
        assertThat(filter.size()).isEqualTo(16 * 8);
    }

    @Test
    void hashesEveryByteOfThePayload() {
        byte[] a = new byte[1000];
        for (int i = 0; i < a.length; i++) {
            byte[] b = a.clone();
            b[i] = 1;
            assertThat(DuplicateFilter.key(1, b)).as("byte %d", i).isNotEqualTo(DuplicateFilter.key(1, a));
        }
        assertThat(DuplicateFilter.key(1, a)).isNotEqualTo(DuplicateFilter.key(2, a));
        assertThat(DuplicateFilter.key(1, new byte[0])).isNotEqualTo(DuplicateFilter.key(1, new byte[1]));
    }
}
