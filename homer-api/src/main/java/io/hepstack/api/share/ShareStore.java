package io.hepstack.api.share;

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
 */
@Repository
public class ShareStore {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final DatabaseClient db;

    public ShareStore(DatabaseClient db) {
        this.db = db;
    }

    /** A share as stored (never its token). */
    public record Share(long id, String callId, Instant from, Instant to, String createdBy, Instant createdAt,
                        Instant expiresAt, Scope scope) {
    }

    /** A new share and its one-time token. */
    public record Created(Share share, String token) {
    }

    /** A new share; {@code scope} is its creator's, kept as it is now: the link never shows more. */
    public Mono<Created> create(String callId, Instant from, Instant to, String createdBy, Instant expiresAt, Scope scope) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        DatabaseClient.GenericExecuteSpec spec = db.sql("""
                        INSERT INTO homer_api.shares (token_hash, call_id, from_ts, to_ts, created_by, expires_at,
                                                      scope_tenant, scope_nodes, scope_networks)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9::inet[]) RETURNING id, created_at""")
                .bind(0, sha256(token)).bind(1, callId).bind(2, utc(from)).bind(3, utc(to)).bind(4, createdBy)
                .bind(5, utc(expiresAt));
        if (scope.all()) {
            spec = spec.bindNull(6, String.class).bindNull(7, String[].class).bindNull(8, String[].class);
        } else {
            spec = spec.bind(6, scope.tenant()).bind(7, scope.nodes().toArray(String[]::new))
                    .bind(8, scope.networks().toArray(String[]::new));
        }
        return spec.map(r -> new Created(new Share(r.get("id", Long.class), callId, from, to, createdBy,
                        r.get("created_at", OffsetDateTime.class).toInstant(), expiresAt, scope), token))
                .one();
    }

    /** The live (unexpired, unrevoked) share of a token, empty for anything else. */
    public Mono<Share> findLive(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Mono.empty();
        }
        return db.sql("SELECT " + COLUMNS + " FROM homer_api.shares WHERE token_hash = $1 AND expires_at > now()")
                .bind(0, sha256(token)).map(ShareStore::share).one();
    }

    /** Shares created by {@code createdBy}, or every share when it is {@code null}; newest first. */
    public Flux<Share> list(String createdBy) {
        return (createdBy == null
                ? db.sql("SELECT " + COLUMNS + " FROM homer_api.shares ORDER BY id DESC LIMIT 1000")
                : db.sql("SELECT " + COLUMNS + " FROM homer_api.shares WHERE created_by = $1 ORDER BY id DESC LIMIT 1000")
                        .bind(0, createdBy))
                .map(ShareStore::share).all();
    }

    /** Revokes a share of {@code createdBy} (any share when {@code null}); emits whether one was deleted. */
    public Mono<Boolean> delete(long id, String createdBy) {
        DatabaseClient.GenericExecuteSpec spec = createdBy == null
                ? db.sql("DELETE FROM homer_api.shares WHERE id = $1").bind(0, id)
                : db.sql("DELETE FROM homer_api.shares WHERE id = $1 AND created_by = $2").bind(0, id).bind(1, createdBy);
        return spec.fetch().rowsUpdated().map(n -> n > 0);
    }

    private static final String COLUMNS = "id, call_id, from_ts, to_ts, created_by, created_at, expires_at, "
            + "scope_tenant, scope_nodes, scope_networks::text[] AS scope_networks";

    private static Share share(io.r2dbc.spi.Readable r) {
        return new Share(r.get("id", Long.class), r.get("call_id", String.class),
                r.get("from_ts", OffsetDateTime.class).toInstant(), r.get("to_ts", OffsetDateTime.class).toInstant(),
                r.get("created_by", String.class), r.get("created_at", OffsetDateTime.class).toInstant(),
                r.get("expires_at", OffsetDateTime.class).toInstant(), scope(r));
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
