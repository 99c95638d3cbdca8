package io.hepstack.api.store;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.auth.JwtKey;
import io.hepstack.proto.store.SchemaMigrator;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The database: the reactive client of every query, and the start-up bootstrap (migrations, JWT key,
 * first admin) that runs before the server accepts requests.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    @Bean
    DatabaseClient databaseClient(ConnectionFactory connections) {
        return DatabaseClient.create(connections);
    }

    @Bean
    PasswordEncoder passwordEncoder(ApiProperties props) {
        return new BCryptPasswordEncoder(props.auth().bcryptStrength());
    }

    @Bean
    DatabaseBootstrap databaseBootstrap(R2dbcProperties r2dbc, ApiProperties props, PasswordEncoder encoder) {
        DatabaseBootstrap bootstrap = new DatabaseBootstrap(SchemaMigrator.jdbcUrl(r2dbc.getUrl()),
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

    @Bean
    JwtKey jwtKey(DatabaseBootstrap bootstrap, ApiProperties props) {
        return new JwtKey(DatabaseBootstrap.retry(props.storage().startupTimeout(), "reading the JWT key",
                () -> bootstrap.jwtKey(props.auth().jwtSecret())));
    }
}
