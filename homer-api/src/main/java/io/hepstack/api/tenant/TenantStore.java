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

    /** The branding of {@code tenant}, empty when it has none. */
    public Mono<TenantBrand> brand(String tenant) {
        return db.sql("SELECT title, accent, logo, logo_type FROM homer_api.tenant_brands WHERE tenant = $1").bind(0, tenant)
                .map(r -> new TenantBrand(r.get("title", String.class), r.get("accent", String.class),
                        bytes(r.get("logo", java.nio.ByteBuffer.class)), r.get("logo_type", String.class)))
                .one();
    }

    private static byte[] bytes(java.nio.ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Sets the branding of {@code tenant} (replacing any); emits whether the tenant exists. */
    public Mono<Boolean> setBrand(String tenant, TenantBrand brand, String by) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("""
                        INSERT INTO homer_api.tenant_brands (tenant, title, accent, logo, logo_type, updated_by)
                        SELECT name, $2, $3, $4, $5, $6 FROM homer_api.tenants WHERE name = $1
                        ON CONFLICT (tenant) DO UPDATE SET title = excluded.title, accent = excluded.accent, logo = excluded.logo,
                            logo_type = excluded.logo_type, updated_by = excluded.updated_by, updated_at = now()""")
                .bind(0, tenant).bind(5, by);
        spec = brand.title() == null ? spec.bindNull(1, String.class) : spec.bind(1, brand.title());
        spec = brand.accent() == null ? spec.bindNull(2, String.class) : spec.bind(2, brand.accent());
        spec = brand.logo() == null ? spec.bindNull(3, java.nio.ByteBuffer.class) : spec.bind(3, java.nio.ByteBuffer.wrap(brand.logo()));
        spec = brand.logoType() == null ? spec.bindNull(4, String.class) : spec.bind(4, brand.logoType());
        return spec.fetch().rowsUpdated().map(n -> n > 0);
    }

    /** Removes the branding of {@code tenant}; emits whether it had one. */
    public Mono<Boolean> deleteBrand(String tenant) {
        return db.sql("DELETE FROM homer_api.tenant_brands WHERE tenant = $1").bind(0, tenant).fetch().rowsUpdated().map(n -> n > 0);
    }
}
