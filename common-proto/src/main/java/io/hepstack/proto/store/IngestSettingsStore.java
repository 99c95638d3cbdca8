package io.hepstack.proto.store;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The {@link IngestSettings} of the collectors, kept in the one row of {@code ingest_settings}
 * (docs/schema.md, "Ingest settings"): each collector publishes its own when it starts; a writer that
 * is not a collector reads them, or the defaults when no collector has published yet.
 */
public final class IngestSettingsStore {

    private static final String UPSERT = "INSERT INTO ingest_settings (id, settings, published_at, published_by) "
            + "VALUES (1, $1::jsonb, $2, $3) ON CONFLICT (id) DO UPDATE SET settings = excluded.settings, "
            + "published_at = excluded.published_at, published_by = excluded.published_by";
    private static final String SELECT = "SELECT settings::text AS settings FROM ingest_settings WHERE id = 1";

    private final ConnectionFactory connections;
    private final Clock clock;

    public IngestSettingsStore(ConnectionFactory connections, Clock clock) {
        this.connections = connections;
        this.clock = clock;
    }

    /** Makes {@code settings} the collectors' settings; {@code publisher} names who did (a host name), or {@code null}. */
    public Mono<Void> publish(IngestSettings settings, String publisher) {
        return Mono.usingWhen(connections.create(),
                c -> {
                    Statement s = c.createStatement(UPSERT).bind(0, settings.toJson())
                            .bind(1, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                    s = publisher == null ? s.bindNull(2, String.class) : s.bind(2, publisher);
                    return Flux.from(s.execute()).flatMap(Result::getRowsUpdated).then();
                },
                Connection::close);
    }

    /**
     * The collectors' settings as last published; {@link IngestSettings#defaults()} when none were.
     *
     * @throws IllegalArgumentException (as the error of the Mono) when the stored row cannot be read
     */
    public Mono<IngestSettings> read() {
        return Mono.usingWhen(connections.create(),
                c -> Flux.from(c.createStatement(SELECT).execute())
                        .flatMap(r -> r.map((row, meta) -> row.get("settings", String.class)))
                        .next()
                        .map(IngestSettings::fromJson)
                        .defaultIfEmpty(IngestSettings.defaults()),
                Connection::close);
    }
}
