package io.hepstack.api.auth;

import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@link #MAX_FAILURES} failed logins of one user name within
 * {@link #WINDOW}, further attempts for that name are refused until the window has passed. Per
 * replica, in memory, bounded: when it tracks too many names, the oldest are forgotten.
 */
@Component
public class LoginThrottle {

    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(15);
    private static final int MAX_TRACKED = 10_000;

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    public LoginThrottle() {
        this(Clock.systemUTC());
    }

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    private record Failures(int count, Instant since) {
    }

    /** Whether {@code username} may try to log in now. */
    public boolean allowed(String username) {
        Failures f = failures.get(key(username));
        if (f == null) {
            return true;
        }
        if (clock.instant().isAfter(f.since.plus(WINDOW))) {
            failures.remove(key(username), f);
            return true;
        }
        return f.count < MAX_FAILURES;
    }

    public void failed(String username) {
        if (failures.size() >= MAX_TRACKED) {
            Instant cutoff = clock.instant().minus(WINDOW);
            failures.values().removeIf(f -> f.since.isBefore(cutoff));
            if (failures.size() >= MAX_TRACKED) {
                failures.clear();
            }
        }
        Instant now = clock.instant();
        failures.merge(key(username), new Failures(1, now), (old, one) ->
                now.isAfter(old.since.plus(WINDOW)) ? one : new Failures(old.count + 1, old.since));
    }

    public void succeeded(String username) {
        failures.remove(key(username));
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
