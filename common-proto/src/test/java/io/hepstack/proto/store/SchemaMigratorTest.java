package io.hepstack.proto.store;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaMigratorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "r2dbc:postgresql://db.example:5432/homer?sslmode=require, jdbc:postgresql://db.example:5432/homer?sslmode=require",
            "r2dbc:pool:postgresql://db.example:5432/homer?sslmode=verify-full, jdbc:postgresql://db.example:5432/homer?sslmode=verify-full",
            "r2dbc:postgresql://db.example/homer, jdbc:postgresql://db.example/homer",
            "r2dbc:postgresql://db.example:5432, jdbc:postgresql://db.example:5432",
            "r2dbc:postgresql://[::1]:5433/homer, jdbc:postgresql://[::1]:5433/homer",
            "'r2dbc:postgresql:failover://a.example:5432,b.example:5432/homer?targetServerType=primary', 'jdbc:postgresql://a.example:5432,b.example:5432/homer?targetServerType=primary'",
            "'r2dbc:pool:postgresql:failover://a.example,b.example/homer?targetServerType=primary&hostRecheckTime=2s&maxSize=4', 'jdbc:postgresql://a.example,b.example/homer?targetServerType=primary'",
            "r2dbc:postgresql://hep:s3cret@db.example/homer, jdbc:postgresql://db.example/homer?user=hep&password=s3cret",
            "r2dbcs:postgresql://db.example/homer, jdbc:postgresql://db.example/homer?sslmode=require",
            "r2dbcs:postgresql://db.example/homer?sslmode=verify-ca, jdbc:postgresql://db.example/homer?sslmode=verify-ca",
            "r2dbc:pool:postgresql://db.example/homer?maxSize=20&initialSize=2&sslmode=disable&validationQuery=SELECT%201, jdbc:postgresql://db.example/homer?sslmode=disable",
            "R2DBC:POSTGRESQL://db.example/homer, jdbc:postgresql://db.example/homer",
            "r2dbc:postgresql://db.example?sslmode=require, jdbc:postgresql://db.example?sslmode=require",
    })
    void derivesTheJdbcUrlOfAnR2dbcUrl(String r2dbc, String jdbc) {
        assertThat(SchemaMigrator.jdbcUrl(r2dbc)).isEqualTo(jdbc);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "jdbc:postgresql://db/homer | URL jdbc:postgresql://db/homer (expected: r2dbc:postgresql://... or r2dbc:pool:postgresql://...)",
            "r2dbc:mysql://db/homer | URL r2dbc:mysql://db/homer (expected: driver postgresql, as r2dbc:postgresql://...)",
            "r2dbc:pool:h2:mem:///x | URL r2dbc:pool:h2:mem:///x (expected: driver postgresql, as r2dbc:postgresql://...)",
            "r2dbc:postgresql:///homer | URL r2dbc:postgresql:///homer (expected: a host after postgresql://)",
            "r2dbc:postgresql://a:5432,b:5432/homer | URL r2dbc:postgresql://a:5432,b:5432/homer (expected: several hosts as r2dbc:postgresql:failover://a:5432,b:5432/...)",
    })
    void refusesUrlsThatAreNotR2dbcPostgresql(String url, String message) {
        assertThatThrownBy(() -> SchemaMigrator.jdbcUrl(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "r2dbc:postgresql://db.example/homer",
            "'r2dbc:postgresql:failover://a.example,b.example/homer?targetServerType=primary'",
            "'r2dbc:pool:postgresql:failover://a.example,b.example/homer?hostRecheckTime=1s&targetServerType=primary'",
    })
    void takesWriterUrlsThatReachOnlyThePrimary(String url) {
        assertThat(SchemaMigrator.requireWriterUrl(url)).isEqualTo(url);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "'r2dbc:postgresql:failover://a.example,b.example/homer'",
            "'r2dbc:postgresql:failover://a.example,b.example/homer?targetServerType=preferSecondary'",
    })
    void refusesWriterUrlsThatMayReachAStandby(String url) {
        assertThatThrownBy(() -> SchemaMigrator.requireWriterUrl(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("URL " + url + " names several hosts (expected: targetServerType=primary,"
                        + " so that writes, migrations and partition maintenance go to the primary)");
    }
}
