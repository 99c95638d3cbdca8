package io.hepstack.proto.store;

import org.flywaydb.core.Flyway;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Brings a PostgreSQL database to the current hepstack schema with Flyway (scripts in
 * {@code db/migration}). Safe when several replicas start at once: Flyway serializes migrations
 * with a PostgreSQL advisory lock, and the replicas that wait find the work done.
 */
public final class SchemaMigrator {

    /** r2dbc-pool options, meaningless to the JDBC driver. */
    private static final Set<String> POOL_OPTIONS = Set.of("acquireretry", "backgroundevictioninterval",
            "initialsize", "maxacquiretime", "maxcreateconnectiontime", "maxidletime", "maxlifetime", "maxsize",
            "maxvalidationtime", "minidle", "poolname", "registerjmx", "validationdepth", "validationquery");

    /** r2dbc-postgresql options the JDBC driver names otherwise or not at all (its own is hostRecheckSeconds). */
    private static final Set<String> R2DBC_ONLY_OPTIONS = Set.of("hostrechecktime");

    private final String jdbcUrl;
    private final String user;
    private final String password;

    /**
     * @param jdbcUrl  {@code jdbc:postgresql://...}
     * @param user     database user allowed to create tables, or {@code null} to take it from the URL
     * @param password its password, or {@code null}
     */
    public SchemaMigrator(String jdbcUrl, String user, String password) {
        this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        this.user = user;
        this.password = password;
    }

    /** Applies pending migrations; returns how many this call applied (0 when up to date). */
    public int migrate() {
        return Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .locations("classpath:db/migration")
                .cleanDisabled(true)
                .load()
                .migrate()
                .migrationsExecuted;
    }

    /**
     * Refuses an R2DBC URL of a writer (a collector, the API's primary) that could connect to a standby:
     * several hosts without {@code targetServerType=primary}. r2dbc-postgresql's default for several hosts
     * is {@code any}, which would send writes, migrations and partition maintenance to whichever node
     * answers first, and a standby refuses them for as long as it is one.
     *
     * @return the URL, when it names one host or the primary of several
     * @throws IllegalArgumentException naming the option otherwise
     */
    public static String requireWriterUrl(String r2dbcUrl) {
        String jdbc = jdbcUrl(r2dbcUrl).substring("jdbc:postgresql://".length());
        int q = jdbc.indexOf('?');
        int slash = jdbc.indexOf('/');
        String hosts = jdbc.substring(0, slash >= 0 ? slash : q >= 0 ? q : jdbc.length());
        if (!hosts.contains(",")) {
            return r2dbcUrl;
        }
        String query = q >= 0 ? jdbc.substring(q + 1) : "";
        for (String option : query.split("&")) {
            if (option.equalsIgnoreCase("targetServerType=primary") || option.equalsIgnoreCase("targetServerType=master")) {
                return r2dbcUrl;
            }
        }
        throw new IllegalArgumentException("URL " + r2dbcUrl + " names several hosts (expected: targetServerType=primary,"
                + " so that writes, migrations and partition maintenance go to the primary)");
    }

    /**
     * The JDBC URL of the database an R2DBC URL names: {@code r2dbc:postgresql://host:5432/db?sslmode=require}
     * and {@code r2dbc:pool:postgresql://...} give {@code jdbc:postgresql://host:5432/db?sslmode=require}.
     * Several hosts are written {@code r2dbc:postgresql:failover://a:5432,b:5432/db?targetServerType=primary}
     * (r2dbc-postgresql's multi-host form) and give {@code jdbc:postgresql://a:5432,b:5432/db?targetServerType=primary}:
     * the JDBC driver takes the same {@code targetServerType} values, so the migration runs where the writes go.
     * Hosts (IPv6 in brackets), port, database and driver options are kept; user and
     * password in the authority become {@code user=} and {@code password=} options; {@code r2dbcs:}
     * (SSL) becomes {@code sslmode=require} unless an sslmode is given; r2dbc-pool options are dropped.
     *
     * @throws IllegalArgumentException when the URL is not an R2DBC PostgreSQL URL
     */
    public static String jdbcUrl(String r2dbcUrl) {
        Objects.requireNonNull(r2dbcUrl, "r2dbcUrl");
        String rest;
        boolean ssl;
        String lower = r2dbcUrl.toLowerCase(Locale.ROOT);
        if (lower.startsWith("r2dbc:")) {
            rest = r2dbcUrl.substring("r2dbc:".length());
            ssl = false;
        } else if (lower.startsWith("r2dbcs:")) {
            rest = r2dbcUrl.substring("r2dbcs:".length());
            ssl = true;
        } else {
            throw new IllegalArgumentException("URL " + r2dbcUrl + " (expected: r2dbc:postgresql://... or r2dbc:pool:postgresql://...)");
        }
        if (rest.toLowerCase(Locale.ROOT).startsWith("pool:")) {
            rest = rest.substring("pool:".length());
        }
        String driverPrefix = "postgresql://";
        boolean failover = rest.toLowerCase(Locale.ROOT).startsWith("postgresql:failover://");
        if (failover) {
            rest = "postgresql://" + rest.substring("postgresql:failover://".length());
        } else if (!rest.toLowerCase(Locale.ROOT).startsWith(driverPrefix)) {
            throw new IllegalArgumentException("URL " + r2dbcUrl + " (expected: driver postgresql, as r2dbc:postgresql://...)");
        }
        rest = rest.substring(driverPrefix.length());

        int slash = rest.indexOf('/');
        int question = rest.indexOf('?');
        int authorityEnd = slash >= 0 ? slash : question >= 0 ? question : rest.length();
        if (question >= 0 && slash > question) {
            authorityEnd = question;
        }
        String authority = rest.substring(0, authorityEnd);
        String pathAndQuery = rest.substring(authorityEnd);
        int q = pathAndQuery.indexOf('?');
        String path = q >= 0 ? pathAndQuery.substring(0, q) : pathAndQuery;
        String query = q >= 0 ? pathAndQuery.substring(q + 1) : "";

        List<String> options = new ArrayList<>();
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            options.add("user=" + (colon >= 0 ? userInfo.substring(0, colon) : userInfo));
            if (colon >= 0) {
                options.add("password=" + userInfo.substring(colon + 1));
            }
        }
        if (authority.isEmpty()) {
            throw new IllegalArgumentException("URL " + r2dbcUrl + " (expected: a host after postgresql://)");
        }
        if (authority.contains(",") && !failover) {
            // r2dbc-postgresql would take "a:5432,b:5432" for one host name and never connect
            throw new IllegalArgumentException("URL " + r2dbcUrl + " (expected: several hosts as r2dbc:postgresql:failover://a:5432,b:5432/...)");
        }
        boolean hasSslMode = false;
        for (String option : query.split("&")) {
            if (option.isEmpty()) {
                continue;
            }
            String name = option.substring(0, option.indexOf('=') >= 0 ? option.indexOf('=') : option.length());
            if (POOL_OPTIONS.contains(name.toLowerCase(Locale.ROOT)) || R2DBC_ONLY_OPTIONS.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            hasSslMode |= name.equalsIgnoreCase("sslmode");
            options.add(option);
        }
        if (ssl && !hasSslMode) {
            options.add("sslmode=require");
        }
        String jdbc = "jdbc:postgresql://" + authority + path;
        URI.create(jdbc); // rejects characters no URL may hold
        return options.isEmpty() ? jdbc : jdbc + "?" + String.join("&", options);
    }
}
