package io.hepstack.api.importer;

import io.hepstack.api.web.ApiException;
import io.hepstack.proto.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImportQuotaTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private ImportQuota quota(int perUser, String maxBytes) {
        ImportProperties props = new ImportProperties(DataSize.ofMegabytes(100), 1000, 2, DataSize.ofMegabytes(100),
                Duration.ofDays(7), perUser, DataSize.parse(maxBytes), Duration.ofHours(1));
        return new ImportQuota(props, meters, clock);
    }

    private double refused(String reason) {
        return meters.counter("homer.api.import.refused", "reason", reason).count();
    }

    @Test
    void aSecondImportOfOneCallerAtOnceIsRefusedWhileAnotherCallersRuns() {
        ImportQuota quota = quota(1, "1GB");
        ImportQuota.Import first = quota.start("ACCOUNT:1");
        assertThatThrownBy(() -> quota.start("ACCOUNT:1")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
            assertThat(e.getMessage()).contains("max-concurrent-per-user: 1");
        });
        assertThat(refused("user")).isEqualTo(1);
        quota.start("API_TOKEN:1").end(10);
        first.end(10);
        quota.start("ACCOUNT:1").end(0);
    }

    @Test
    void aCallerAtItsBytesWaitsUntilItsOldestUploadsLeaveTheWindow() {
        ImportQuota quota = quota(1, "100MB");
        quota.start("ACCOUNT:7").end(60L << 20);
        clock.advance(Duration.ofMinutes(20));
        quota.start("ACCOUNT:7").end(50L << 20); // started below the bound: counts whole, ends above it
        clock.advance(Duration.ofMinutes(10));
        assertThatThrownBy(() -> quota.start("ACCOUNT:7")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
            // the first upload leaves the window 30 minutes from now, and then 50 MB are left
            assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(30));
            assertThat(e.getMessage()).contains("you imported 115343360 bytes within 60 min").contains("retry in 1800 s");
        });
        assertThat(refused("user_bytes")).isEqualTo(1);
        quota.start("ACCOUNT:8").end(1); // another caller has its own
        clock.advance(Duration.ofMinutes(30));
        quota.start("ACCOUNT:7").end(1);
    }

    @Test
    void endingTwiceCountsOnceAndCallersWithNothingInTheWindowAreForgotten() {
        ImportQuota quota = quota(1, "100MB");
        ImportQuota.Import i = quota.start("ACCOUNT:1");
        i.end(99L << 20);
        i.end(99L << 20);
        quota.start("ACCOUNT:1").end(0); // 99 MB < 100 MB: may start
        quota.start("ACCOUNT:2").end(0);
        assertThat(quota.tracked()).isEqualTo(1);
        clock.advance(Duration.ofHours(1));
        assertThat(quota.tracked()).isZero();
    }
}
