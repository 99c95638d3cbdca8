package io.hepstack.api.store;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * The replay lag of the node the reads go to, measured every {@code homer.api.read.lag-interval} on the read
 * configuration: 0 on a primary or a standby that has replayed all it received, else the time since the last
 * transaction it replayed. Gauge {@code homer.api.replica.lag} (seconds; NaN before the first measure or while
 * it fails), and {@link #seconds()} for the {@code X-Hepstack-Replica-Lag} header of reads.
 */
public final class ReplicaLag implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReplicaLag.class);

    static final String LAG_SQL = """
            SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                        ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 END AS lag""";

    private final DatabaseClient db;
    private final Duration interval;
    private final boolean enabled;
    private volatile double seconds = Double.NaN;
    private Disposable running;

    /** Measures only when {@code enabled} (reads have a configuration of their own). */
    ReplicaLag(DatabaseClient db, Duration interval, boolean enabled, MeterRegistry meters) {
        this.db = db;
        this.interval = interval;
        this.enabled = enabled;
        Gauge.builder("homer.api.replica.lag", this, ReplicaLag::seconds).baseUnit("seconds")
                .description("replay lag of the node the reads go to (homer.api.read)").register(meters);
    }

    /** The last measure in seconds, NaN when none succeeded lately. */
    public double seconds() {
        return seconds;
    }

    /** One measure, on the read configuration. */
    Mono<Double> measure() {
        return ReadRouting.reads(db.sql(LAG_SQL).map(r -> {
            Double lag = r.get("lag", Double.class);
            return lag == null ? Double.NaN : Math.max(0, lag);
        }).one());
    }

    @Override
    public boolean isAutoStartup() {
        return enabled;
    }

    @Override
    public synchronized void start() {
        running = Flux.interval(Duration.ZERO, interval)
                .onBackpressureDrop()
                .concatMap(tick -> measure().onErrorResume(e -> {
                    log.warn("replica lag not measured: {}", e.toString());
                    return Mono.just(Double.NaN);
                }), 0)
                .subscribe(lag -> seconds = lag);
    }

    @Override
    public synchronized void stop() {
        if (running != null) {
            running.dispose();
            running = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return running != null;
    }
}
