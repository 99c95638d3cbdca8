package io.hepstack.api.store;

import io.hepstack.proto.store.SchemaMigrator;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Properties;

/**
 * Prepares the database when the API starts, before it serves anything: applies the message store's
 * migrations ({@link SchemaMigrator}) and the API's own (schema {@code homer_api}, Flyway location
 * {@code db/homer-api}), then establishes what every replica must share — the JWT key and the first
 * admin account. Each step is safe when several replicas start at once: Flyway serializes migrations
 * with an advisory lock; the key and the account are inserted with {@code ON CONFLICT DO NOTHING} and
 * read back, so every replica ends up with the winner's.
 *
 * <p>Runs on the starting thread with JDBC (Flyway needs it); retried until the database answers or
 * the start-up timeout passes.
 */
public final class DatabaseBootstrap {

    /** Schema of the API's tables. */
    public static final String SCHEMA = "homer_api";
    static final String JWT_SETTING = "jwt-secret";
    private static final Logger log = LoggerFactory.getLogger(DatabaseBootstrap.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] PASSWORD_ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private final String jdbcUrl;
    private final String user;
    private final String password;

    /**
     * @param jdbcUrl  the database, as {@link SchemaMigrator#jdbcUrl(String)} derives it from {@code spring.r2dbc.url}
     * @param user     database user, or {@code null} to take it from the URL
     * @param password its password, or {@code null}
     */
    public DatabaseBootstrap(String jdbcUrl, String user, String password) {
        this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        this.user = user;
        this.password = password;
    }

    /** Applies the message store's and the API's pending migrations. */
    public void migrate() {
        int store = new SchemaMigrator(jdbcUrl, user, password).migrate();
        int api = Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .schemas(SCHEMA)
                .createSchemas(true)
                .locations("classpath:db/homer-api")
                .cleanDisabled(true)
                .load()
                .migrate()
                .migrationsExecuted;
        log.info("database schema up to date ({} message store and {} API migrations applied)", store, api);
    }

    /**
     * The JWT signing key: {@code configured} when set, else the key kept in the database, generated
     * (256 random bits) by the first replica that needed it.
     */
    public byte[] jwtKey(String configured) throws SQLException {
        if (configured != null && !configured.isEmpty()) {
            return configured.getBytes(StandardCharsets.UTF_8);
        }
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        try (Connection c = open()) {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO homer_api.settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                insert.setString(1, JWT_SETTING);
                insert.setString(2, Base64.getEncoder().encodeToString(fresh));
                if (insert.executeUpdate() == 1) {
                    log.info("generated the JWT signing key and stored it in the database (homer_api.settings)");
                }
            }
            try (PreparedStatement select = c.prepareStatement("SELECT value FROM homer_api.settings WHERE name = ?")) {
                select.setString(1, JWT_SETTING);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return Base64.getDecoder().decode(rs.getString(1));
                }
            }
        }
    }

    /**
     * Creates the account {@code admin} (role admin) when there is no account at all, with
     * {@code configuredPassword}, or when that is unset a random password that is logged once.
     *
     * @return whether this call created it
     */
    public boolean ensureAdmin(String configuredPassword, PasswordEncoder encoder) throws SQLException {
        boolean generated = configuredPassword == null || configuredPassword.isEmpty();
        String pw = generated ? randomPassword() : configuredPassword;
        try (Connection c = open(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO homer_api.users (username, password_hash, role)
                SELECT 'admin', ?, 'admin' WHERE NOT EXISTS (SELECT 1 FROM homer_api.users)
                ON CONFLICT (username) DO NOTHING""")) {
            insert.setString(1, encoder.encode(pw));
            if (insert.executeUpdate() == 0) {
                return false;
            }
        }
        if (generated) {
            log.warn("created account \"admin\" with the generated password {} (shown only this once: log in and "
                    + "change it, or set HOMER_ADMIN_PASSWORD before the first start)", pw);
        } else {
            log.info("created account \"admin\" with the password from HOMER_ADMIN_PASSWORD");
        }
        return true;
    }

    /** Runs {@code step} until it succeeds or {@code timeout} has passed since the first try. */
    public static <T> T retry(Duration timeout, String what, Step<T> step) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long backoff = 500;
        while (true) {
            try {
                return step.run();
            } catch (Exception e) {
                if (System.nanoTime() + backoff * 1_000_000 > deadline) {
                    throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
                }
                log.warn("{} failed, retrying in {} ms: {}", what, backoff, e.toString());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(what + " interrupted", interrupted);
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    /** One try of a start-up step. */
    @FunctionalInterface
    public interface Step<T> {
        T run() throws Exception;
    }

    static String randomPassword() {
        char[] out = new char[20]; // 20 symbols of 57: about 117 bits
        for (int i = 0; i < out.length; i++) {
            out[i] = PASSWORD_ALPHABET[RANDOM.nextInt(PASSWORD_ALPHABET.length)];
        }
        return new String(out);
    }

    private Connection open() throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl, p);
    }
}
