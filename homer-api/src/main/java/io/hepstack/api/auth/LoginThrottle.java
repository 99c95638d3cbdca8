package io.hepstack.api.auth;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Slows password guessing. Every password check (a login, a password change) is counted as a failure
 * <em>before</em> the password is hashed, and taken back only when it succeeds, so parallel guesses cannot
 * outrun the limit: after {@code max-failed-logins} of one user name, or {@code max-failed-logins-per-address}
 * from one client address ({@link ClientAddress}), within {@code failed-login-window}, further attempts are
 * answered 429 with {@code Retry-After} until the window of their first failure has passed. At most
 * {@code max-concurrent-password-checks} hashes run at once; more attempts are answered 429 at once. Per
 * replica, in memory, bounded: each tracker keeps the 10,000 most recently started windows. Refusals are
 * counted as {@code homer.api.login.refused{reason=user|address|busy}}.
 */
@Component
public class LoginThrottle {

    static final int MAX_TRACKED = 10_000;
    private static final Duration BUSY_RETRY = Duration.ofSeconds(1);

    private final Tracker byName;
    private final Tracker byAddress;
    private final Semaphore checks;
    private final ClientAddress addresses;
    private final Clock clock;
    private final Counter refusedUser;
    private final Counter refusedAddress;
    private final Counter refusedBusy;

    @org.springframework.beans.factory.annotation.Autowired
    LoginThrottle(ApiProperties props, MeterRegistry meters) {
        this(props.auth(), meters, Clock.systemUTC());
    }

    LoginThrottle(ApiProperties.Auth auth, MeterRegistry meters, Clock clock) {
        this.byName = new Tracker(auth.maxFailedLogins(), auth.failedLoginWindow());
        this.byAddress = new Tracker(auth.maxFailedLoginsPerAddress(), auth.failedLoginWindow());
        this.checks = new Semaphore(auth.maxConcurrentPasswordChecks());
        this.addresses = new ClientAddress(auth.trustedProxies());
        this.clock = clock;
        this.refusedUser = refused(meters, "user");
        this.refusedAddress = refused(meters, "address");
        this.refusedBusy = refused(meters, "busy");
    }

    private static Counter refused(MeterRegistry meters, String reason) {
        return Counter.builder("homer.api.login.refused").tag("reason", reason)
                .description("password checks refused by the login throttle, by reason").register(meters);
    }

    /**
     * Starts a password check of {@code username} by {@code request}'s client, counted as failed until
     * {@link Attempt#succeeded()}; the caller closes it once the hash is compared.
     *
     * @throws ApiException 429 with the time to wait, when the name or address is locked or the replica busy
     */
    public Attempt begin(String username, ServerHttpRequest request) {
        return begin(username, addresses.of(request));
    }

    Attempt begin(String username, String address) {
        Instant now = clock.instant();
        String name = username.toLowerCase(Locale.ROOT);
        Instant retry = byName.count(name, now);
        if (retry != null) {
            refusedUser.increment();
            throw ApiException.tooManyRequests("too many failed logins for this user: retry in "
                    + minutes(Duration.between(now, retry)), Duration.between(now, retry));
        }
        retry = byAddress.count(address, now);
        if (retry != null) {
            byName.uncount(name);
            refusedAddress.increment();
            throw ApiException.tooManyRequests("too many failed logins from this address: retry in "
                    + minutes(Duration.between(now, retry)), Duration.between(now, retry));
        }
        if (!checks.tryAcquire()) {
            byName.uncount(name);
            byAddress.uncount(address);
            refusedBusy.increment();
            throw ApiException.tooManyRequests("too many logins in progress: retry in a second", BUSY_RETRY);
        }
        return new Attempt(name, address);
    }

    private static String minutes(Duration d) {
        long m = Math.max(1, (d.toSeconds() + 59) / 60);
        return m == 1 ? "1 minute" : m + " minutes";
    }

    /** A password check in progress: counted as a failure unless it succeeds. */
    public final class Attempt implements AutoCloseable {

        private final String name;
        private final String address;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Attempt(String name, String address) {
            this.name = name;
            this.address = address;
        }

        /** The password was right: the name's failures are forgotten, the address's attempt taken back. */
        public void succeeded() {
            byName.clear(name);
            byAddress.uncount(address);
        }

        /** The hash is compared: the next check may run. Idempotent. */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                checks.release();
            }
        }
    }

    /** Failures per key within a window from the first, for the most recently started {@link #MAX_TRACKED} windows. */
    static final class Tracker {

        private record Window(int count, Instant since) {
        }

        private final int limit;
        private final Duration window;
        private final Map<String, Window> windows = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > MAX_TRACKED;
            }
        };

        Tracker(int limit, Duration window) {
            this.limit = limit;
            this.window = window;
        }

        /** Counts one failure of {@code key}; when it is locked, counts nothing and returns when it may retry. */
        synchronized Instant count(String key, Instant now) {
            Window w = windows.get(key);
            if (w != null && !now.isBefore(w.since.plus(window))) {
                windows.remove(key);
                w = null;
            }
            if (w == null) {
                windows.put(key, new Window(1, now));
                return null;
            }
            if (w.count >= limit) {
                return w.since.plus(window);
            }
            windows.put(key, new Window(w.count + 1, w.since));
            return null;
        }

        synchronized void uncount(String key) {
            Window w = windows.get(key);
            if (w != null) {
                if (w.count <= 1) {
                    windows.remove(key);
                } else {
                    windows.put(key, new Window(w.count - 1, w.since));
                }
            }
        }

        synchronized void clear(String key) {
            windows.remove(key);
        }
    }
}
