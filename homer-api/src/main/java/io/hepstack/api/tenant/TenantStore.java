package io.hepstack.api.tenant;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/** Tenants in {@code homer_api.tenants}: a name, capture nodes and networks (docs/api.md, "Tenants"). */
@Repository
public class TenantStore {

    private final DatabaseClient db;

    public TenantStore(DatabaseClient db) {
        this.db = db;
    }

    /** A tenant as stored; networks in PostgreSQL's {@code inet} text (a lone address without its prefix). */
    public record Tenant(String name, List<String> nodes, List<String> networks, String createdBy, Instant createdAt) {
    }

    /** Deleting a tenant that an account or API token still names. */
    public static final class TenantInUse extends RuntimeException {
        TenantInUse() {
            super("tenant still assigned", null, false, false);
        }
    }

    private static final String COLUMNS = "name, nodes, networks::text[] AS networks, created_by, created_at";

    private static Tenant tenant(io.r2dbc.spi.Readable r) {
        return new Tenant(r.get("name", String.class), List.of(r.get("nodes", String[].class)),
                List.of(r.get("networks", String[].class)), r.get("created_by", String.class),
                r.get("created_at", OffsetDateTime.class).toInstant());
    }

    public Flux<Tenant> list() {
        return db.sql("SELECT " + COLUMNS + " FROM homer_api.tenants ORDER BY name").map(TenantStore::tenant).all();
    }

    public Mono<Tenant> find(String name) {
        return db.sql("SELECT " + COLUMNS + " FROM homer_api.tenants WHERE name = $1").bind(0, name)
                .map(TenantStore::tenant).one();
    }

    /** Creates a tenant; empty when the name is taken. */
    public Mono<Tenant> create(String name, List<String> nodes, List<String> networks, String createdBy) {
        return db.sql("INSERT INTO homer_api.tenants (name, nodes, networks, created_by) VALUES ($1, $2::text[], $3::inet[], $4) "
                        + "ON CONFLICT (name) DO NOTHING RETURNING " + COLUMNS)
                .bind(0, name).bind(1, nodes.toArray(String[]::new)).bind(2, networks.toArray(String[]::new)).bind(3, createdBy)
                .map(TenantStore::tenant).one();
    }

    /** Replaces what is given (null: unchanged); empty when there is no such tenant. */
    public Mono<Tenant> update(String name, List<String> nodes, List<String> networks) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("UPDATE homer_api.tenants SET nodes = coalesce($2::text[], nodes), "
                + "networks = coalesce($3::inet[], networks) WHERE name = $1 RETURNING " + COLUMNS).bind(0, name);
        spec = nodes == null ? spec.bindNull(1, String[].class) : spec.bind(1, nodes.toArray(String[]::new));
        spec = networks == null ? spec.bindNull(2, String[].class) : spec.bind(2, networks.toArray(String[]::new));
        return spec.map(TenantStore::tenant).one();
    }

    /** Deletes a tenant; emits whether it existed, or fails with {@link TenantInUse}. */
    public Mono<Boolean> delete(String name) {
        return db.sql("DELETE FROM homer_api.tenants WHERE name = $1").bind(0, name).fetch().rowsUpdated()
                .map(n -> n > 0)
                .onErrorMap(DataIntegrityViolationException.class, e -> new TenantInUse());
    }
}
