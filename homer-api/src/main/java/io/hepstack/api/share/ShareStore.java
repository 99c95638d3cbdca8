package io.hepstack.api.share;

import com.fasterxml.jackson.annotation.JsonValue;
import io.hepstack.api.auth.ApiPrincipal;
import io.hepstack.api.query.Scope;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Share links in {@code homer_api.shares}. A token is 256 random bits (43 base64url characters); the
 * database keeps only its SHA-256, so neither a database leak nor a log of the table yields a usable
 * link. A token that is not exactly that shape is refused without a query.
 *
 * <p>A share is owned by the principal that made it, by id ({@link Owner}): an account or an API token.
 * It works only while its owner does: a disabled account's or an expired token's links stop until the
 * account is enabled again; a deleted owner's stop for good (the row keeps no owner, and admins still list it).
 */
@Repository
public class ShareStore {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final DatabaseClient db;

    public ShareStore(DatabaseClient db) {
        this.db = db;
    }

    /** Who owns a share: an account or an API token, by id (never by name). */
    public record Owner(ApiPrincipal.Kind kind, long id) {

        public static Owner of(ApiPrincipal principal) {
            return new Owner(principal.kind(), principal.id());
        }

        private String column() {
            return kind == ApiPrincipal.Kind.ACCOUNT ? "owner_account" : "owner_token";
        }
    }

    /** What became of a share's creator; a link works only while it is {@link #ACTIVE}. */
    public enum CreatorState {
        ACTIVE, DISABLED, EXPIRED, DELETED;

        @JsonValue
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A share as stored (never its token); {@code createdBy} is its creator's name when it was made; {@code view}
     * what its customer sees, {@code null} for a link made before views (V9): every leg, address and alias.
     */
    public record Share(long id, String callId, Instant from, Instant to, String createdBy, Instant createdAt,
                        Instant expiresAt, Scope scope, CreatorState creator, CustomerView view) {

        /** The flow as this link's customer sees it. */
        public io.hepstack.api.call.CallFlow shown(io.hepstack.api.call.CallFlow flow) {
            return view == null ? flow : view.apply(flow);
        }
    }

    /** A new share and its one-time token. */
    public record Created(Share share, String token) {
    }

    /** A new share of {@code creator}; its scope is the creator's, kept as it is now: the link never shows more. */
    public Mono<Created> create(String callId, Instant from, Instant to, ApiPrincipal creator, Instant expiresAt,
                                CustomerView view) {
        Owner owner = Owner.of(creator);
        String createdBy = creator.name();
        Scope scope = creator.scope();
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        DatabaseClient.GenericExecuteSpec spec = db.sql("""
                        INSERT INTO homer_api.shares (token_hash, call_id, from_ts, to_ts, created_by, expires_at,
                                                      scope_tenant, scope_nodes, scope_networks, %s,
                                                      view_legs, view_hosts, view_mask, view_hide_aliases)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9::inet[], $10, $11, $12, $13, $14)
                        RETURNING id, created_at"""
                        .formatted(owner.column()))
                .bind(0, sha256(token)).bind(1, callId).bind(2, utc(from)).bind(3, utc(to)).bind(4, createdBy)
                .bind(5, utc(expiresAt)).bind(9, owner.id())
                .bind(10, view.legs().toArray(String[]::new)).bind(11, view.hosts().toArray(String[]::new))
                .bind(12, view.maskAddresses()).bind(13, view.hideAliases());
        if (scope.all()) {
            spec = spec.bindNull(6, String.class).bindNull(7, String[].class).bindNull(8, String[].class);
        } else {
            spec = spec.bind(6, scope.tenant()).bind(7, scope.nodes().toArray(String[]::new))
                    .bind(8, scope.networks().toArray(String[]::new));
        }
        return spec.map(r -> new Created(new Share(r.get("id", Long.class), callId, from, to, createdBy,
                        r.get("created_at", OffsetDateTime.class).toInstant(), expiresAt, scope, CreatorState.ACTIVE, view), token))
                .one();
    }

    /** The live share of a token (unexpired, unrevoked, its creator active), empty for anything else. */
    public Mono<Share> findLive(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Mono.empty();
        }
        // on the primary even in a shared view routed to the reads: a link is used as soon as it is made
        return io.hepstack.api.store.ReadRouting.primary(db.sql(SELECT + " WHERE s.token_hash = $1 AND s.expires_at > now()")
                .bind(0, sha256(token)).map(ShareStore::share).one()
                .filter(s -> s.creator() == CreatorState.ACTIVE));
    }

    /** Shares owned by {@code owner}, or every share when it is {@code null}; newest first. */
    public Flux<Share> list(Owner owner) {
        return (owner == null
                ? db.sql(SELECT + " ORDER BY s.id DESC LIMIT 1000")
                : db.sql(SELECT + " WHERE s." + owner.column() + " = $1 ORDER BY s.id DESC LIMIT 1000").bind(0, owner.id()))
                .map(ShareStore::share).all();
    }

    /** Revokes a share of {@code owner} (any share when {@code null}); emits whether one was deleted. */
    public Mono<Boolean> delete(long id, Owner owner) {
        DatabaseClient.GenericExecuteSpec spec = owner == null
                ? db.sql("DELETE FROM homer_api.shares WHERE id = $1").bind(0, id)
                : db.sql("DELETE FROM homer_api.shares WHERE id = $1 AND " + owner.column() + " = $2")
                        .bind(0, id).bind(1, owner.id());
        return spec.fetch().rowsUpdated().map(n -> n > 0);
    }

    /** A share with what became of its creator: the owner account (enabled?) or token (unexpired?), or none left. */
    private static final String SELECT = """
            SELECT s.id, s.call_id, s.from_ts, s.to_ts, s.created_by, s.created_at, s.expires_at,
                   s.scope_tenant, s.scope_nodes, s.scope_networks::text[] AS scope_networks,
                   s.view_legs, s.view_hosts, s.view_mask, s.view_hide_aliases,
                   CASE WHEN u.id IS NOT NULL THEN CASE WHEN u.disabled THEN 'DISABLED' ELSE 'ACTIVE' END
                        WHEN k.id IS NOT NULL THEN CASE WHEN k.expires_at <= now() THEN 'EXPIRED' ELSE 'ACTIVE' END
                        ELSE 'DELETED' END AS creator
            FROM homer_api.shares s
            LEFT JOIN homer_api.users u ON u.id = s.owner_account
            LEFT JOIN homer_api.api_tokens k ON k.id = s.owner_token""";

    private static Share share(io.r2dbc.spi.Readable r) {
        return new Share(r.get("id", Long.class), r.get("call_id", String.class),
                r.get("from_ts", OffsetDateTime.class).toInstant(), r.get("to_ts", OffsetDateTime.class).toInstant(),
                r.get("created_by", String.class), r.get("created_at", OffsetDateTime.class).toInstant(),
                r.get("expires_at", OffsetDateTime.class).toInstant(), scope(r),
                CreatorState.valueOf(r.get("creator", String.class)), view(r));
    }

    private static CustomerView view(io.r2dbc.spi.Readable r) {
        String[] legs = r.get("view_legs", String[].class);
        return legs == null ? null : new CustomerView(List.of(legs), List.of(r.get("view_hosts", String[].class)),
                r.get("view_mask", Boolean.class), r.get("view_hide_aliases", Boolean.class));
    }

    private static Scope scope(io.r2dbc.spi.Readable r) {
        String tenant = r.get("scope_tenant", String.class);
        return tenant == null ? Scope.ALL : new Scope(tenant, List.of(r.get("scope_nodes", String[].class)),
                List.of(r.get("scope_networks", String[].class)));
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
