package io.hepstack.api.alias;

import io.hepstack.api.query.Scope;

import io.hepstack.api.query.Statements;
import io.hepstack.proto.query.Sql;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Host aliases in {@code homer_api.aliases}: a name for an address or a network (CIDR), on one port or
 * on any port. A host gets the most specific alias that covers it: its address and port, then its
 * address on any port, then the longest network with its port, then the longest network on any port.
 */
@Repository
public class AliasStore {

    private final DatabaseClient db;

    public AliasStore(DatabaseClient db) {
        this.db = db;
    }

    /**
     * An alias; {@code ip} is an address ({@code 10.0.0.1}) or a network ({@code 10.0.0.0/24}),
     * {@code port} null means any port.
     */
    public record Alias(long id, String ip, Integer port, String alias, String createdBy, Instant createdAt) {
    }

    /** {@code abbrev} of an inet prints an address without its full-length prefix, a network with it. */
    private static final String COLUMNS = "id, abbrev(ip) AS ip, port, alias, created_by, created_at";

    private static Alias alias(io.r2dbc.spi.Readable r) {
        return new Alias(r.get("id", Long.class), r.get("ip", String.class), r.get("port", Integer.class),
                r.get("alias", String.class), r.get("created_by", String.class),
                r.get("created_at", OffsetDateTime.class).toInstant());
    }

    /**
     * Every alias, or for a tenant's {@code scope} those of addresses within its networks (the hosts its
     * messages may name): another tenant's hosts and their names are not shown.
     */
    public Flux<Alias> list(Scope scope) {
        if (scope.all()) {
            return db.sql("SELECT " + COLUMNS + " FROM homer_api.aliases a ORDER BY a.ip, a.port NULLS FIRST LIMIT 10000")
                    .map(AliasStore::alias).all();
        }
        return db.sql("SELECT " + COLUMNS + " FROM homer_api.aliases a WHERE a.ip <<= ANY($1::inet[]) "
                        + "ORDER BY a.ip, a.port NULLS FIRST LIMIT 10000")
                .bind(0, scope.networks().toArray(String[]::new))
                .map(AliasStore::alias).all();
    }

    /**
     * The alias of each host {@code (ips[i], ports[i])} that has one, by index: one statement for all
     * the hosts, one row at most per host, each found through the GiST index on {@code ip}
     * ({@code aliases_ip_contains}).
     */
    public Mono<Map<Integer, String>> namesOf(List<String> ips, List<Integer> ports) {
        if (ips.isEmpty()) {
            return Mono.just(Map.of());
        }
        return Statements.on(lookupSql(ips, ports), db)
                .map(r -> Map.entry(r.get("ord", Long.class).intValue() - 1, r.get("alias", String.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
    }

    /** The statement of {@link #namesOf}: per host, the covering aliases, most specific first, the first one. */
    static Sql lookupSql(List<String> ips, List<Integer> ports) {
        Sql s = new Sql();
        s.append("SELECT h.ord, n.alias FROM unnest(").append(s.bind(ips.toArray(String[]::new))).append("::inet[], ")
                .append(s.bind(ports.toArray(Integer[]::new))).append("::integer[]) WITH ORDINALITY AS h(ip, port, ord)")
                .append(" CROSS JOIN LATERAL (SELECT a.alias FROM homer_api.aliases a")
                .append(" WHERE a.ip >>= h.ip AND (a.port = h.port OR a.port IS NULL)")
                // exact address first, then a port-specific alias, then the longest prefix
                .append(" ORDER BY masklen(a.ip) = CASE family(a.ip) WHEN 4 THEN 32 ELSE 128 END DESC,")
                .append(" a.port IS NULL, masklen(a.ip) DESC LIMIT 1) n");
        return s;
    }

    /**
     * Creates an alias of {@code ip} (canonical, see {@link AliasAddress}); empty when the address or
     * network and port already have one.
     */
    public Mono<Alias> create(String ip, Integer port, String alias, String createdBy) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("INSERT INTO homer_api.aliases (ip, port, alias, created_by) "
                        + "VALUES ($1::inet, $2::integer, $3, $4) ON CONFLICT ON CONSTRAINT aliases_endpoint_unique DO NOTHING "
                        + "RETURNING " + COLUMNS)
                .bind(0, ip);
        spec = port == null ? spec.bindNull(1, Integer.class) : spec.bind(1, port);
        return spec.bind(2, alias).bind(3, createdBy).map(AliasStore::alias).one();
    }

    /** The changes of an update: a null field is left as it is; {@code setPort} says whether {@code port} applies. */
    record Changes(String ip, boolean setPort, Integer port, String alias) {
    }

    /**
     * Applies {@code changes} to alias {@code id}: the updated alias, empty when there is no such alias,
     * {@link AliasConflict} when another alias has the resulting address and port.
     */
    Mono<Alias> update(long id, Changes changes) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("UPDATE homer_api.aliases SET ip = COALESCE($2::inet, ip), "
                        + "port = CASE WHEN $3 THEN $4::integer ELSE port END, alias = COALESCE($5::text, alias) "
                        + "WHERE id = $1 RETURNING " + COLUMNS)
                .bind(0, id);
        spec = changes.ip() == null ? spec.bindNull(1, String.class) : spec.bind(1, changes.ip());
        spec = spec.bind(2, changes.setPort());
        spec = changes.port() == null ? spec.bindNull(3, Integer.class) : spec.bind(3, changes.port());
        spec = changes.alias() == null ? spec.bindNull(4, String.class) : spec.bind(4, changes.alias());
        return spec.map(AliasStore::alias).one()
                .onErrorMap(org.springframework.dao.DuplicateKeyException.class, e -> new AliasConflict());
    }

    /** Another alias already names the address (or network) and port. */
    static final class AliasConflict extends RuntimeException {
        AliasConflict() {
            super("this address and port already have an alias", null, false, false);
        }
    }

    public Mono<Boolean> delete(long id) {
        return db.sql("DELETE FROM homer_api.aliases WHERE id = $1").bind(0, id).fetch().rowsUpdated().map(n -> n > 0);
    }
}
