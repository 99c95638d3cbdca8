package io.hepstack.api.store;

import io.hepstack.api.TestApp;
import io.hepstack.proto.testing.DebianPostgres;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.util.function.Supplier;

/** What the tests of homer-api on PostgreSQL servers they start share (Debian's PostgreSQL 15, trust on loopback). */
final class Nodes {

    private Nodes() {
    }

    /** At most two connections to {@code r2dbcUrl} as the servers' superuser: a test's own writes, as a collector's. */
    static ConnectionPool pool(String r2dbcUrl) {
        return new ConnectionPool(ConnectionPoolConfiguration.builder(ConnectionFactories.get(
                ConnectionFactoryOptions.parse(r2dbcUrl).mutate()
                        .option(ConnectionFactoryOptions.USER, DebianPostgres.superuser()).build())).maxSize(2).build());
    }

    /**
     * The application under test with its writes on {@code url} and its reads of captured traffic on {@code readUrl}
     * ({@code homer.api.read.url}), as the superuser; fast password hashing and the known admin password.
     */
    static void wire(DynamicPropertyRegistry registry, Supplier<Object> url, Supplier<Object> readUrl) {
        registry.add("spring.r2dbc.url", url);
        registry.add("spring.r2dbc.username", DebianPostgres::superuser);
        registry.add("spring.r2dbc.password", () -> "");
        registry.add("homer.api.read.url", readUrl);
        registry.add("homer.api.auth.bcrypt-strength", () -> "4");
        registry.add("homer.api.auth.admin-password", () -> TestApp.ADMIN_PASSWORD);
        registry.add("server.address", () -> "127.0.0.1");
    }
}
