package io.hepstack.api.alias;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;

/** Host aliases in {@code homer_api.aliases}: a name for an address and port, or an address on any port. */
@Repository
public class AliasStore {

    private final DatabaseClient db;

    public AliasStore(DatabaseClient db) {
        this.db = db;
    }

    /** An alias; {@code port} null means any port. */
    public record Alias(long id, String ip, Integer port, String alias, String createdBy, Instant createdAt) {
    }

    private static final String COLUMNS = "id, host(ip) AS ip, port, alias, created_by, created_at";

    private static Alias alias(io.r2dbc.spi.Readable r) {
        return new Alias(r.get("id", Long.class), r.get("ip", String.class), r.get("port", Integer.class),
                r.get("alias", String.class), r.get("created_by", String.class),
                r.get("created_at", OffsetDateTime.class).toInstant());
    }

    public Flux<Alias> list() {
        return db.sql("SELECT " + COLUMNS + " FROM homer_api.aliases ORDER BY ip, port NULLS FIRST LIMIT 10000")
                .map(AliasStore::alias).all();
    }

    /** The aliases of these addresses (host literals). */
    public Flux<Alias> of(Collection<String> ips) {
        if (ips.isEmpty()) {
            return Flux.empty();
        }
        return db.sql("SELECT " + COLUMNS + " FROM homer_api.aliases WHERE ip = ANY($1::inet[])")
                .bind(0, ips.toArray(String[]::new)).map(AliasStore::alias).all();
    }

    /** Creates an alias; empty when the address and port already have one. */
    public Mono<Alias> create(String ip, Integer port, String alias, String createdBy) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("INSERT INTO homer_api.aliases (ip, port, alias, created_by) "
                        + "VALUES ($1::inet, $2::integer, $3, $4) ON CONFLICT ON CONSTRAINT aliases_endpoint_unique DO NOTHING "
                        + "RETURNING " + COLUMNS)
                .bind(0, ip);
        spec = port == null ? spec.bindNull(1, Integer.class) : spec.bind(1, port);
        return spec.bind(2, alias).bind(3, createdBy).map(AliasStore::alias).one();
    }

    public Mono<Boolean> delete(long id) {
        return db.sql("DELETE FROM homer_api.aliases WHERE id = $1").bind(0, id).fetch().rowsUpdated().map(n -> n > 0);
    }
}
