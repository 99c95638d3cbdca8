package io.hepstack.api.importer;

import io.hepstack.api.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * What one caller (an account or API token, {@code ApiPrincipal.key()}) may import: {@code max-concurrent-per-user}
 * imports at once, and only while its uploads of the last {@code user-window} are below {@code max-bytes-per-user}.
 * An import beyond either is refused at once with 429 and {@code Retry-After} (1 s for a running import; for the
 * bytes, until enough of them have left the window), counted in {@code homer.api.import.refused{reason=user|user_bytes}}.
 * An upload's bytes count whole once received, whether it was stored or refused (an upload beyond
 * {@code max-size} counts what was read of it), so one import may end above the bound and the next waits.
 * Memory: one entry per upload of the window per caller; a caller with none is forgotten.
 */
final class ImportQuota {

    private final int perUser;
    private final long maxBytes;
    private final Duration window;
    private final Clock clock;
    private final Counter refusedUser;
    private final Counter refusedBytes;
    /** Guarded by this. */
    private final Map<String, Caller> callers = new HashMap<>();

    ImportQuota(ImportProperties props, MeterRegistry meters, Clock clock) {
        this.perUser = props.maxConcurrentPerUser();
        this.maxBytes = props.maxBytesPerUser().toBytes();
        this.window = props.userWindow();
        this.clock = clock;
        this.refusedUser = Counter.builder("homer.api.import.refused").tag("reason", "user")
                .description("Imports refused: the caller had homer.api.import.max-concurrent-per-user running").register(meters);
        this.refusedBytes = Counter.builder("homer.api.import.refused").tag("reason", "user_bytes")
                .description("Imports refused: the caller uploaded homer.api.import.max-bytes-per-user within user-window")
                .register(meters);
    }

    /** One import of a caller, from {@link #start} to {@link #end}. */
    interface Import {
        /** Ends it, counting the {@code bytes} of its upload in the caller's window. Once. */
        void end(long bytes);
    }

    /** Starts an import of {@code caller}; an {@link ApiException} 429 when it is beyond either bound. */
    synchronized Import start(String caller) {
        Instant now = clock.instant();
        Caller c = callers.computeIfAbsent(caller, k -> new Caller());
        c.prune(now.minus(window));
        if (c.running >= perUser) {
            refusedUser.increment();
            forgetIfIdle(caller, c);
            throw ApiException.tooManyRequests("an import of yours is running (homer.api.import.max-concurrent-per-user: "
                    + perUser + "): wait for it to finish", Duration.ofSeconds(1));
        }
        if (c.bytes >= maxBytes) {
            refusedBytes.increment();
            Duration wait = c.waitBelow(maxBytes, now, window);
            forgetIfIdle(caller, c);
            throw ApiException.tooManyRequests("you imported " + c.bytes + " bytes within " + window.toMinutes()
                    + " min (homer.api.import.max-bytes-per-user: " + maxBytes + "): retry in " + wait.toSeconds() + " s", wait);
        }
        c.running++;
        boolean[] ended = {false};
        return bytes -> {
            synchronized (ImportQuota.this) {
                if (ended[0]) {
                    return;
                }
                ended[0] = true;
                c.running--;
                if (bytes > 0) {
                    c.uploads.addLast(new Upload(clock.instant(), bytes));
                    c.bytes += bytes;
                }
                forgetIfIdle(caller, c);
            }
        };
    }

    /** Callers tracked now (running an import, or with uploads in the window). */
    synchronized int tracked() {
        Instant oldest = clock.instant().minus(window);
        callers.values().forEach(c -> c.prune(oldest));
        callers.values().removeIf(c -> c.running == 0 && c.uploads.isEmpty());
        return callers.size();
    }

    private void forgetIfIdle(String key, Caller c) {
        if (c.running == 0 && c.uploads.isEmpty()) {
            callers.remove(key, c);
        }
    }

    private record Upload(Instant at, long bytes) {
    }

    private static final class Caller {
        final Deque<Upload> uploads = new ArrayDeque<>();
        long bytes;
        int running;

        void prune(Instant oldest) {
            while (!uploads.isEmpty() && !uploads.peekFirst().at().isAfter(oldest)) {
                bytes -= uploads.removeFirst().bytes();
            }
        }

        /** How long until the uploads still in the window sum below {@code max}: the oldest ones leave first. */
        Duration waitBelow(long max, Instant now, Duration window) {
            long left = bytes;
            for (Upload u : uploads) {
                left -= u.bytes();
                if (left < max) {
                    Duration wait = Duration.between(now, u.at().plus(window));
                    return wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait;
                }
            }
            return window;
        }
    }
}
