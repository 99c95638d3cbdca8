package io.hepstack.ingest;

import io.hepstack.proto.call.CallRecordStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.store.IngestSettings;
import io.hepstack.proto.store.IngestSettingsStore;
import io.hepstack.proto.store.MaintenanceReport;
import io.hepstack.proto.store.MessageWriter;
import io.hepstack.proto.store.PartitionMaintainer;
import io.hepstack.proto.store.PartitionPolicy;
import io.hepstack.proto.store.SchemaMigrator;
import io.r2dbc.spi.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * PostgreSQL storage: the {@link MessageWriter} sink, the schema migration (in the background, retried
 * until the database is reachable: the collector accepts traffic meanwhile), the periodic partition
 * maintenance and the call records' passes (each advisory-locked, so several collectors may run them).
 */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

    @Bean
    PartitionPolicy partitionPolicy(IngestProperties props) {
        PartitionPolicy policy = props.storage().partitionPolicy();
        log.info("partitions of {} ({} ahead), retention {}", policy.width(), policy.ahead(), policy.retention());
        return policy;
    }

    @Bean
    BatchSink batchSink(ConnectionFactory connections, PartitionPolicy policy, IngestProperties props, R2dbcProperties r2dbc) {
        // several hosts: the primary only, wherever it is after a failover (docs/operations.md, "Failover")
        SchemaMigrator.requireWriterUrl(r2dbc.getUrl());
        // where call records are kept, each batch names its changed calls to their builder (call_changes)
        return new PostgresSink(new MessageWriter(connections, policy, Clock.systemUTC(), props.calls().enabled()));
    }

    @Bean
    SmartLifecycle storageMaintenance(ConnectionFactory connections, PartitionPolicy policy, R2dbcProperties r2dbc,
                                      IngestProperties props, MeterRegistry registry) {
        CallRecordMetrics metrics = new CallRecordMetrics(registry);
        IngestProperties.Storage cfg = props.storage();
        PartitionMaintainer maintainer = new PartitionMaintainer(connections, policy, Clock.systemUTC(),
                cfg.ledgerRetention());
        Mono<Integer> migrate = Mono.fromCallable(() -> new SchemaMigrator(SchemaMigrator.jdbcUrl(r2dbc.getUrl()),
                        r2dbc.getUsername(), r2dbc.getPassword()).migrate())
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(n -> log.info("database schema up to date ({} migrations applied)", n))
                .doOnError(e -> log.warn("schema migration failed, retrying: {}", e.toString()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30)));
        Flux<MaintenanceReport> maintain = schedule(cfg.maintenanceInterval(), () -> maintainer.maintain()
                .doOnNext(r -> log.info("partition maintenance: {}", r))
                .onErrorResume(e -> {
                    log.warn("partition maintenance failed: {}", e.toString());
                    return Mono.empty();
                }));
        // the settings every other writer (homer-api's PCAP import) stores rows with: once the schema is there
        IngestSettings settings = new IngestSettings(policy, props.extraction().settings(),
                props.filter().discard(), props.pipeline().maxInflatedPayloadBytes(), props.privacy().censor(),
                props.calls().enabled(), props.calls().qos().thresholds());
        Mono<Void> publish = new IngestSettingsStore(connections, Clock.systemUTC())
                .publish(settings, System.getenv().getOrDefault("HOSTNAME", "hep-ingest"))
                .doOnSuccess(x -> log.info("ingest settings published: {}", settings.toJson()))
                .onErrorResume(e -> {
                    log.warn("ingest settings not published (a PCAP import uses its defaults): {}", e.toString());
                    return Mono.empty();
                });
        Mono<Void> calls = Mono.empty();
        if (props.calls().enabled()) {
            CallRecordStore store = new CallRecordStore(connections, Clock.systemUTC(), props.calls().settings(policy));
            calls = schedule(props.calls().interval(), () -> store.pass()
                    .doOnNext(metrics::pass)
                    .onErrorResume(e -> {
                        metrics.failed();
                        log.warn("call records pass failed: {}", e.toString());
                        return Mono.empty();
                    })).then();
        }
        Mono<Void> work = (cfg.migrateSchema() ? migrate.then() : Mono.<Void>empty()).then(publish)
                .then(Mono.when(maintain.then(), calls));
        return new SmartLifecycle() {
            private Disposable running;

            @Override
            public void start() {
                running = work.subscribe();
            }

            @Override
            public void stop() {
                running.dispose();
                running = null;
            }

            @Override
            public boolean isRunning() {
                return running != null;
            }

            @Override
            public int getPhase() {
                return IngestLifecycle.PHASE - 1; // starts before the listeners, stops after them
            }
        };
    }

    /**
     * A round at once, then one every {@code interval}, one at a time, for ever. A round that outlasts
     * the interval (a slow database, a DDL waiting for a lock) makes the ticks meanwhile be skipped;
     * without the drop, {@code Flux.interval} fails with an overflow and maintenance would stop for good.
     */
    static <T> Flux<T> schedule(Duration interval, Supplier<Mono<T>> round) {
        return Flux.interval(Duration.ZERO, interval)
                .onBackpressureDrop()
                .concatMap(tick -> round.get(), 0);
    }
}
