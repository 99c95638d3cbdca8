package io.hepstack.api.auth;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.web.ApiException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.hepstack.proto.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoginThrottleTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));

    private LoginThrottle throttle(int perName, int perAddress, int concurrent) {
        ApiProperties.Auth auth = new ApiProperties.Auth(null, Duration.ofHours(8), null, 4, perName, perAddress,
                Duration.ofMinutes(15), concurrent, List.of("127.0.0.0/8"), false);
        return new LoginThrottle(auth, meters, clock);
    }

    private double refused(String reason) {
        return meters.get("homer.api.login.refused").tag("reason", reason).counter().count();
    }

    @Test
    void parallelGuessesCannotOutrunTheLimitBecauseEachIsCountedBeforeItsHash() throws Exception {
        LoginThrottle t = throttle(10, 1000, 1000);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> tries = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            tries.add(pool.submit(() -> {
                go.await();
                try {
                    t.begin("frank", "192.0.2.1"); // the hashes are all still running: none closed
                    return true;
                } catch (ApiException e) {
                    return false;
                }
            }));
        }
        go.countDown();
        int begun = 0;
        for (Future<Boolean> f : tries) {
            begun += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        assertThat(begun).isEqualTo(10);
        assertThat(refused("user")).isEqualTo(50);
    }

    @Test
    void aLockedNameIsRefusedWith429AndTheTimeLeftUntilItsWindowEnds() {
        LoginThrottle t = throttle(3, 1000, 10);
        for (int i = 0; i < 3; i++) {
            t.begin("Frank", "192.0.2.1").close(); // three wrong passwords
        }
        clock.advance(Duration.ofMinutes(5));
        assertThatThrownBy(() -> t.begin("frank", "192.0.2.9"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(429);
                    assertThat(e.getMessage()).isEqualTo("too many failed logins for this user: retry in 10 minutes");
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(10));
                });
        clock.advance(Duration.ofMinutes(10));
        t.begin("frank", "192.0.2.1").close(); // the window has passed
    }

    @Test
    void aSuccessForgetsTheNamesFailuresAndTakesBackItsOwnAttempt() {
        LoginThrottle t = throttle(3, 3, 10);
        t.begin("frank", "192.0.2.1").close();
        t.begin("frank", "192.0.2.1").close();
        try (LoginThrottle.Attempt right = t.begin("frank", "192.0.2.1")) {
            right.succeeded();
        }
        // the name starts again; the address still holds its two failures
        t.begin("frank", "192.0.2.1").close();
        assertThatThrownBy(() -> t.begin("frank", "192.0.2.1"))
                .hasMessage("too many failed logins from this address: retry in 15 minutes");
    }

    @Test
    void oneAddressGuessingManyNamesIsLockedAndOtherAddressesAreNot() {
        LoginThrottle t = throttle(10, 5, 10);
        for (int i = 0; i < 5; i++) {
            t.begin("user-" + i, "192.0.2.1").close();
        }
        assertThatThrownBy(() -> t.begin("alice", "192.0.2.1")).hasMessageContaining("from this address");
        assertThat(refused("address")).isEqualTo(1);
        t.begin("alice", "198.51.100.7").close();
        // the refused attempt counted nothing against the name
        for (int i = 0; i < 9; i++) {
            t.begin("alice", "198.51.100." + (8 + i)).close();
        }
        assertThatThrownBy(() -> t.begin("alice", "198.51.100.99")).hasMessageContaining("for this user");
    }

    @Test
    void hashesBeyondTheConcurrencyBoundAreRefusedAtOnceAndCountNothing() {
        LoginThrottle t = throttle(10, 10, 2);
        LoginThrottle.Attempt a = t.begin("a", "192.0.2.1");
        LoginThrottle.Attempt b = t.begin("b", "192.0.2.2");
        assertThatThrownBy(() -> t.begin("c", "192.0.2.3"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("too many logins in progress: retry in a second");
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
                });
        assertThat(refused("busy")).isEqualTo(1);
        a.close();
        a.close(); // idempotent: frees one slot only
        LoginThrottle.Attempt c = t.begin("c", "192.0.2.3");
        assertThatThrownBy(() -> t.begin("d", "192.0.2.4")).hasMessageContaining("in progress");
        b.close();
        c.close();
        // "d" was refused for busy without a count: all ten tries remain for it
        for (int i = 0; i < 10; i++) {
            t.begin("d", "192.0.2." + (10 + i)).close();
        }
        assertThatThrownBy(() -> t.begin("d", "192.0.2.99")).hasMessageContaining("for this user");
    }

    @Test
    void manyNamesEvictTheOldestWindowsInsteadOfForgettingEveryLock() {
        LoginThrottle t = throttle(1, Integer.MAX_VALUE, 10);
        t.begin("victim", "192.0.2.1").close();
        clock.advance(Duration.ofSeconds(1));
        t.begin("locked", "192.0.2.1").close();
        for (int i = 0; i < LoginThrottle.MAX_TRACKED - 1; i++) {
            t.begin("name-" + i, "192.0.2.1").close();
        }
        // 10,001 windows started: only the oldest ("victim") was forgotten, every other lock holds
        assertThatThrownBy(() -> t.begin("locked", "192.0.2.1")).hasMessageContaining("for this user");
        assertThatThrownBy(() -> t.begin("name-0", "192.0.2.1")).hasMessageContaining("for this user");
        t.begin("victim", "192.0.2.1").close();
    }
}
