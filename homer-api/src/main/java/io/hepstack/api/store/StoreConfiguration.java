package io.hepstack.api.store;

import io.hepstack.api.ApiProperties;
import io.hepstack.proto.store.SchemaMigrator;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.time.Duration;

/**
 * The database: the reactive client of every query (to the primary, the reads of captured traffic to the
 * read configuration when there is one: {@link ReadRouting}), and the start-up bootstrap (migrations, JWT key,
 * first admin) that runs before the server accepts requests.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    @Bean
    ReadRouting readRouting(ConnectionFactory primary, ReadProperties read, R2dbcProperties r2dbc, MeterRegistry meters) {
        return new ReadRouting(primary, read.separate() ? readPool(read, r2dbc) : primary, meters);
    }

    /** Every statement's client: to the primary unless routed to the reads ({@link ReadRouting}). */
    @Bean
    DatabaseClient databaseClient(ReadRouting routing) {
        return DatabaseClient.create(routing.connections());
    }

    @Bean
    ValuePlans valuePlans(DatabaseClient db, ReadRouting routing) {
        return new ValuePlans(db, routing);
    }

    @Bean
    ReplicaLag replicaLag(DatabaseClient db, ReadRouting routing, ReadProperties read, MeterRegistry meters) {
        return new ReplicaLag(db, read.lagInterval(), routing.separate(), meters);
    }

    @Bean
    ReadRequestFilter readRequestFilter() {
        return new ReadRequestFilter();
    }

    @Bean
    ReadRoutingFilter readRoutingFilter(ReadRouting routing, ReplicaLag lag) {
        return new ReadRoutingFilter(routing, lag);
    }

    /**
     * The pool of {@code homer.api.read.url}: its user and password, else {@code spring.r2dbc}'s, and the driver
     * properties of {@code spring.r2dbc.properties} (the statement timeout) for reads too.
     */
    static ConnectionFactory readPool(ReadProperties read, R2dbcProperties r2dbc) {
        ConnectionFactoryOptions.Builder options = ConnectionFactoryOptions.parse(read.url()).mutate();
        String user = read.username() != null ? read.username() : r2dbc.getUsername();
        String password = read.password() != null ? read.password() : r2dbc.getPassword();
        if (user != null) {
            options.option(ConnectionFactoryOptions.USER, user);
        }
        if (password != null) {
            options.option(ConnectionFactoryOptions.PASSWORD, password);
        }
        r2dbc.getProperties().forEach((k, v) -> options.option(Option.valueOf(k), v));
        ConnectionFactory factory = ConnectionFactories.get(options.build());
        return factory instanceof ConnectionPool ? factory : new ConnectionPool(ConnectionPoolConfiguration.builder(factory)
                .name("reads").initialSize(0).maxSize(read.maxSize()).maxIdleTime(Duration.ofMinutes(5)).build());
    }

    @Bean
    PasswordEncoder passwordEncoder(ApiProperties props) {
        return new BCryptPasswordEncoder(props.auth().bcryptStrength());
    }

    @Bean
    DatabaseBootstrap databaseBootstrap(R2dbcProperties r2dbc, ApiProperties props, PasswordEncoder encoder) {
        DatabaseBootstrap bootstrap = new DatabaseBootstrap(SchemaMigrator.jdbcUrl(SchemaMigrator.requireWriterUrl(r2dbc.getUrl())),
                r2dbc.getUsername(), r2dbc.getPassword());
        ApiProperties.Storage storage = props.storage();
        if (storage.migrateSchema()) {
            DatabaseBootstrap.retry(storage.startupTimeout(), "schema migration", () -> {
                bootstrap.migrate();
                return null;
            });
        }
        DatabaseBootstrap.retry(storage.startupTimeout(), "creating the first admin account",
                () -> bootstrap.ensureAdmin(props.auth().adminPassword(), encoder));
        return bootstrap;
    }
}
