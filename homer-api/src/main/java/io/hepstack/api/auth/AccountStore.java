package io.hepstack.api.auth;

import io.hepstack.api.query.Scope;
import io.hepstack.api.query.Statements;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Times;
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
import java.util.UUID;

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

    /**
     * An account as stored. {@code sessionGeneration} changes with the password and when the account is
     * disabled; a session opened in an older generation has ended.
     */
    public record Account(String username, String passwordHash, Role role, boolean disabled, String tenant,
                          long sessionGeneration) {
    }

    /** Sessions kept per account: opening one more ends the oldest. */
    static final int MAX_SESSIONS_PER_ACCOUNT = 100;

    /** An API token's stored description (never the token). */
    public record ApiToken(long id, String name, Role role, String tenant, String createdBy, Instant createdAt,
                           Instant expiresAt) {
    }

    /**
     * Empty when {@code tenant} is null or names a tenant; a 400 naming it otherwise ({@code hint}, if
     * any, appended). Accounts and tokens name a tenant by a foreign key, which still guards a race.
     */
    public Mono<Void> requireTenant(String tenant, String hint) {
        if (tenant == null) {
            return Mono.empty();
        }
        return db.sql("SELECT 1 FROM homer_api.tenants WHERE name = $1").bind(0, tenant).map(r -> 1).one()
                .switchIfEmpty(Mono.error(() -> ApiException.badRequest("tenant: no such tenant " + Times.quote(tenant)
                        + (hint == null ? "" : " " + hint))))
                .then();
    }

    public Mono<Account> findAccount(String username) {
        return db.sql("SELECT username, password_hash, role, disabled, tenant, session_generation FROM homer_api.users "
                        + "WHERE username = $1")
                .bind(0, username)
                .map(r -> new Account(r.get("username", String.class), r.get("password_hash", String.class),
                        Role.ofCode(r.get("role", String.class)), Boolean.TRUE.equals(r.get("disabled", Boolean.class)),
                        r.get("tenant", String.class), r.get("session_generation", Long.class)))
                .one();
    }

    /**
     * Stores the session of a login whose password was checked against {@code account} as read: emits false,
     * storing nothing, when the account has changed generation since (its password was changed or reset, or
     * it was disabled, while the password was being checked) or is disabled or gone. Ends the account's
     * expired and ended sessions, and the oldest beyond {@link #MAX_SESSIONS_PER_ACCOUNT}.
     */
    public Mono<Boolean> openSession(Account account, UUID session, Instant expiresAt) {
        return db.sql("""
                        WITH opened AS (
                            INSERT INTO homer_api.sessions (id, username, generation, expires_at)
                            SELECT $1, username, session_generation, $4 FROM homer_api.users
                            WHERE username = $2 AND session_generation = $3 AND NOT disabled
                            RETURNING username
                        ), pruned AS (
                            DELETE FROM homer_api.sessions s WHERE s.username IN (SELECT username FROM opened)
                            AND (s.expires_at <= now() OR s.generation <> $3 OR s.id IN (
                                SELECT id FROM homer_api.sessions WHERE username = $2 ORDER BY created_at DESC OFFSET $5))
                        )
                        SELECT count(*) AS opened FROM opened""")
                .bind(0, session).bind(1, account.username()).bind(2, account.sessionGeneration())
                .bind(3, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)).bind(4, MAX_SESSIONS_PER_ACCOUNT - 1)
                .map(r -> r.get("opened", Long.class) == 1L)
                .one();
    }

    /**
     * The principal (role and tenant scope as stored now) of {@code username}'s {@code session} when the
     * session is stored, unexpired and of the account's current generation, and the account enabled; empty
     * otherwise. Asked for every request, and run to its end when the request's client leaves
     * ({@link Statements#whole}).
     */
    public Mono<ApiPrincipal> activePrincipal(String username, UUID session) {
        return Statements.whole(db.sql("""
                        SELECT u.id, u.role, u.tenant, t.nodes, t.networks::text[] AS networks
                        FROM homer_api.sessions s
                        JOIN homer_api.users u ON u.username = s.username AND u.session_generation = s.generation
                        LEFT JOIN homer_api.tenants t ON t.name = u.tenant
                        WHERE s.id = $1 AND s.username = $2 AND s.expires_at > now() AND NOT u.disabled""")
                .bind(0, session)
                .bind(1, username)
                .map(r -> new ApiPrincipal(username, Role.ofCode(r.get("role", String.class)), ApiPrincipal.Kind.ACCOUNT,
                        r.get("id", Long.class), scope(r), session))
                .one());
    }

    /** Ends one session (logout); emits whether it was open. */
    public Mono<Boolean> closeSession(String username, UUID session) {
        return db.sql("DELETE FROM homer_api.sessions WHERE id = $1 AND username = $2").bind(0, session).bind(1, username)
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    /** The scope of a row with columns tenant, nodes, networks (as text[]). */
    static Scope scope(io.r2dbc.spi.Readable r) {
        String tenant = r.get("tenant", String.class);
        if (tenant == null) {
            return Scope.ALL;
        }
        String[] nodes = r.get("nodes", String[].class);
        String[] networks = r.get("networks", String[].class);
        return new Scope(tenant, nodes == null ? List.of() : List.of(nodes), networks == null ? List.of() : List.of(networks));
    }

    /** An account as shown to admins (never its hash). */
    public record AccountView(String username, Role role, String tenant, boolean disabled, Instant createdAt,
                              Instant passwordChangedAt) {
    }

    private static final String ACCOUNT_COLUMNS = "username, role, tenant, disabled, created_at, password_changed_at";

    private static AccountView view(io.r2dbc.spi.Readable r) {
        return new AccountView(r.get("username", String.class), Role.ofCode(r.get("role", String.class)),
                r.get("tenant", String.class),
                Boolean.TRUE.equals(r.get("disabled", Boolean.class)), instant(r.get("created_at", OffsetDateTime.class)),
                instant(r.get("password_changed_at", OffsetDateTime.class)));
    }

    public Flux<AccountView> listAccounts() {
        return db.sql("SELECT " + ACCOUNT_COLUMNS + " FROM homer_api.users ORDER BY username").map(AccountStore::view).all();
    }

    /** Creates an account ({@code tenant} null: unscoped); empty when the name is taken. */
    public Mono<AccountView> createAccount(String username, String passwordHash, Role role, String tenant) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("INSERT INTO homer_api.users (username, password_hash, role, tenant) "
                        + "VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO NOTHING RETURNING " + ACCOUNT_COLUMNS)
                .bind(0, username).bind(1, passwordHash).bind(2, role.code());
        spec = tenant == null ? spec.bindNull(3, String.class) : spec.bind(3, tenant);
        return spec.map(AccountStore::view).one();
    }

    /**
     * Changes what is given (null: unchanged; {@code tenant} an empty Optional: no tenant any more);
     * empty when there is no such account. A new password or disabling the account ends every session of
     * it, in the same statement (docs/api.md, "Sessions").
     */
    public Mono<AccountView> updateAccount(String username, Role role, Boolean disabled, String passwordHash,
                                           java.util.Optional<String> tenant) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("""
                        WITH changed AS (
                            UPDATE homer_api.users SET role = coalesce($2::text, role), disabled = coalesce($3::boolean, disabled),
                                   password_hash = coalesce($4::text, password_hash),
                                   tenant = CASE WHEN $5::boolean THEN $6::text ELSE tenant END,
                                   password_changed_at = CASE WHEN $4::text IS NULL THEN password_changed_at ELSE now() END,
                                   session_generation = session_generation
                                       + CASE WHEN $4::text IS NOT NULL OR $3::boolean THEN 1 ELSE 0 END
                            WHERE username = $1 RETURNING\s""" + ACCOUNT_COLUMNS + """

                        ), ended AS (
                            DELETE FROM homer_api.sessions WHERE username IN (SELECT username FROM changed)
                            AND ($4::text IS NOT NULL OR $3::boolean)
                        )
                        SELECT * FROM changed""")
                .bind(0, username);
        spec = role == null ? spec.bindNull(1, String.class) : spec.bind(1, role.code());
        spec = disabled == null ? spec.bindNull(2, Boolean.class) : spec.bind(2, disabled);
        spec = passwordHash == null ? spec.bindNull(3, String.class) : spec.bind(3, passwordHash);
        spec = spec.bind(4, tenant != null);
        spec = tenant == null || tenant.isEmpty() ? spec.bindNull(5, String.class) : spec.bind(5, tenant.get());
        return spec
                .map(AccountStore::view).one();
    }

    public Mono<Boolean> deleteAccount(String username) {
        return db.sql("DELETE FROM homer_api.users WHERE username = $1").bind(0, username).fetch().rowsUpdated()
                .map(n -> n > 0);
    }

    /** The principal of a valid, unexpired API token, empty otherwise; run to its end when the client leaves. */
    public Mono<ApiPrincipal> findToken(String token) {
        return Statements.whole(db.sql("""
                        SELECT k.id, k.name, k.role, k.tenant, t.nodes, t.networks::text[] AS networks
                        FROM homer_api.api_tokens k LEFT JOIN homer_api.tenants t ON t.name = k.tenant
                        WHERE k.token_hash = $1 AND (k.expires_at IS NULL OR k.expires_at > now())""")
                .bind(0, sha256(token))
                .map(r -> new ApiPrincipal("token:" + r.get("name", String.class), Role.ofCode(r.get("role", String.class)),
                        ApiPrincipal.Kind.API_TOKEN, r.get("id", Long.class), scope(r), null))
                .one());
    }

    /** Creates a token; the result holds the token itself, which is not kept. */
    public Mono<CreatedToken> createToken(String name, Role role, String tenant, String createdBy, Instant expiresAt) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        DatabaseClient.GenericExecuteSpec spec = db.sql(expiresAt == null
                        ? """
                        INSERT INTO homer_api.api_tokens (name, token_hash, role, created_by, tenant)
                        VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at, expires_at"""
                        : """
                        INSERT INTO homer_api.api_tokens (name, token_hash, role, created_by, tenant, expires_at)
                        VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at, expires_at""")
                .bind(0, name).bind(1, sha256(token)).bind(2, role.code()).bind(3, createdBy);
        spec = tenant == null ? spec.bindNull(4, String.class) : spec.bind(4, tenant);
        if (expiresAt != null) {
            spec = spec.bind(5, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC));
        }
        return spec.map(r -> new CreatedToken(new ApiToken(r.get("id", Long.class), name, role, tenant, createdBy,
                        instant(r.get("created_at", OffsetDateTime.class)),
                        instant(r.get("expires_at", OffsetDateTime.class))), token))
                .one();
    }

    public Flux<ApiToken> listTokens() {
        return db.sql("SELECT id, name, role, tenant, created_by, created_at, expires_at FROM homer_api.api_tokens ORDER BY id")
                .map(r -> new ApiToken(r.get("id", Long.class), r.get("name", String.class),
                        Role.ofCode(r.get("role", String.class)), r.get("tenant", String.class), r.get("created_by", String.class),
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
