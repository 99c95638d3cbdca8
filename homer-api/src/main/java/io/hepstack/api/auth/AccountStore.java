package io.hepstack.api.auth;

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

/**
 * Accounts and API tokens in schema {@code homer_api}. API tokens are {@code hsk_} followed by 256
 * random bits (base64url); only their SHA-256 is stored, so a database leak does not leak usable
 * tokens (a slow hash is pointless for 256 random bits and would slow every request).
 */
@Repository
public class AccountStore {

    /** Prefix of every API token, telling it apart from a JWT. */
    public static final String TOKEN_PREFIX = "hsk_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DatabaseClient db;

    public AccountStore(DatabaseClient db) {
        this.db = db;
    }

    /** An account as stored. */
    public record Account(String username, String passwordHash, Role role, boolean disabled) {
    }

    /** An API token's stored description (never the token). */
    public record ApiToken(long id, String name, Role role, String createdBy, Instant createdAt, Instant expiresAt) {
    }

    public Mono<Account> findAccount(String username) {
        return db.sql("SELECT username, password_hash, role, disabled FROM homer_api.users WHERE username = $1")
                .bind(0, username)
                .map(r -> new Account(r.get("username", String.class), r.get("password_hash", String.class),
                        Role.ofCode(r.get("role", String.class)), Boolean.TRUE.equals(r.get("disabled", Boolean.class))))
                .one();
    }

    /**
     * The role of an enabled account whose password has not changed since {@code issuedAt} (a
     * password change ends the sessions opened before it); empty otherwise.
     */
    public Mono<Role> activeRole(String username, Instant issuedAt) {
        return db.sql("""
                        SELECT role FROM homer_api.users WHERE username = $1 AND NOT disabled
                        AND date_trunc('second', password_changed_at) <= $2""")
                .bind(0, username)
                .bind(1, OffsetDateTime.ofInstant(issuedAt, ZoneOffset.UTC))
                .map(r -> Role.ofCode(r.get("role", String.class)))
                .one();
    }

    /** An account as shown to admins (never its hash). */
    public record AccountView(String username, Role role, boolean disabled, Instant createdAt, Instant passwordChangedAt) {
    }

    private static final String ACCOUNT_COLUMNS = "username, role, disabled, created_at, password_changed_at";

    private static AccountView view(io.r2dbc.spi.Readable r) {
        return new AccountView(r.get("username", String.class), Role.ofCode(r.get("role", String.class)),
                Boolean.TRUE.equals(r.get("disabled", Boolean.class)), instant(r.get("created_at", OffsetDateTime.class)),
                instant(r.get("password_changed_at", OffsetDateTime.class)));
    }

    public Flux<AccountView> listAccounts() {
        return db.sql("SELECT " + ACCOUNT_COLUMNS + " FROM homer_api.users ORDER BY username").map(AccountStore::view).all();
    }

    /** Creates an account; empty when the name is taken. */
    public Mono<AccountView> createAccount(String username, String passwordHash, Role role) {
        return db.sql("INSERT INTO homer_api.users (username, password_hash, role) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (username) DO NOTHING RETURNING " + ACCOUNT_COLUMNS)
                .bind(0, username).bind(1, passwordHash).bind(2, role.code())
                .map(AccountStore::view).one();
    }

    /** Changes what is given (null: unchanged); empty when there is no such account. */
    public Mono<AccountView> updateAccount(String username, Role role, Boolean disabled, String passwordHash) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("""
                        UPDATE homer_api.users SET role = coalesce($2::text, role), disabled = coalesce($3::boolean, disabled),
                               password_hash = coalesce($4::text, password_hash),
                               password_changed_at = CASE WHEN $4::text IS NULL THEN password_changed_at ELSE now() END
                        WHERE username = $1""" + " RETURNING " + ACCOUNT_COLUMNS)
                .bind(0, username);
        spec = role == null ? spec.bindNull(1, String.class) : spec.bind(1, role.code());
        spec = disabled == null ? spec.bindNull(2, Boolean.class) : spec.bind(2, disabled);
        spec = passwordHash == null ? spec.bindNull(3, String.class) : spec.bind(3, passwordHash);
        return spec
                .map(AccountStore::view).one();
    }

    public Mono<Boolean> deleteAccount(String username) {
        return db.sql("DELETE FROM homer_api.users WHERE username = $1").bind(0, username).fetch().rowsUpdated()
                .map(n -> n > 0);
    }

    /** The principal of a valid, unexpired API token, empty otherwise. */
    public Mono<ApiPrincipal> findToken(String token) {
        return db.sql("""
                        SELECT name, role FROM homer_api.api_tokens
                        WHERE token_hash = $1 AND (expires_at IS NULL OR expires_at > now())""")
                .bind(0, sha256(token))
                .map(r -> new ApiPrincipal("token:" + r.get("name", String.class), Role.ofCode(r.get("role", String.class)),
                        ApiPrincipal.Kind.API_TOKEN))
                .one();
    }

    /** Creates a token; the result holds the token itself, which is not kept. */
    public Mono<CreatedToken> createToken(String name, Role role, String createdBy, Instant expiresAt) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        DatabaseClient.GenericExecuteSpec spec = db.sql(expiresAt == null
                        ? """
                        INSERT INTO homer_api.api_tokens (name, token_hash, role, created_by)
                        VALUES ($1, $2, $3, $4) RETURNING id, created_at, expires_at"""
                        : """
                        INSERT INTO homer_api.api_tokens (name, token_hash, role, created_by, expires_at)
                        VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at, expires_at""")
                .bind(0, name).bind(1, sha256(token)).bind(2, role.code()).bind(3, createdBy);
        if (expiresAt != null) {
            spec = spec.bind(4, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC));
        }
        return spec.map(r -> new CreatedToken(new ApiToken(r.get("id", Long.class), name, role, createdBy,
                        instant(r.get("created_at", OffsetDateTime.class)),
                        instant(r.get("expires_at", OffsetDateTime.class))), token))
                .one();
    }

    public Flux<ApiToken> listTokens() {
        return db.sql("SELECT id, name, role, created_by, created_at, expires_at FROM homer_api.api_tokens ORDER BY id")
                .map(r -> new ApiToken(r.get("id", Long.class), r.get("name", String.class),
                        Role.ofCode(r.get("role", String.class)), r.get("created_by", String.class),
                        instant(r.get("created_at", OffsetDateTime.class)), instant(r.get("expires_at", OffsetDateTime.class))))
                .all();
    }

    /** Deletes a token; emits whether it existed. */
    public Mono<Boolean> deleteToken(long id) {
        return db.sql("DELETE FROM homer_api.api_tokens WHERE id = $1").bind(0, id).fetch().rowsUpdated()
                .map(n -> n > 0);
    }

    /** A created token and its one-time secret. */
    public record CreatedToken(ApiToken description, String token) {
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
