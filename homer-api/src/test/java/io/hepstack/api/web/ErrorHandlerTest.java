package io.hepstack.api.web;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;

import java.net.ConnectException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorHandlerTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ErrorHandler handler = new ErrorHandler(new DatabaseUnavailable(meters, new com.fasterxml.jackson.databind.ObjectMapper()));

    @Test
    void aQueryCanceledByTheStatementTimeoutIsA503WithAdvice() {
        var canceled = new DataAccessResourceFailureException("executeMany",
                new R2dbcNonTransientResourceException("canceling statement due to statement timeout", "57014"));
        var response = handler.unexpected(canceled);
        assertThat(response.getStatusCode().value()).isEqualTo(503);
        assertThat(response.getBody().message()).contains("narrow the time range");
    }

    @Test
    void anythingElseUnexpectedIsA500ThatSaysNothingOfInternals() {
        var response = handler.unexpected(new IllegalStateException("password=secret in some driver message"));
        assertThat(response.getStatusCode().value()).isEqualTo(500);
        assertThat(response.getBody()).isEqualTo(new ApiError("internal_server_error", "internal error"));
    }

    @Test
    void aDatabaseThatCannotBeReachedIsA503ToRetryCounted() {
        List<Throwable> unreachable = List.of(
                // no node accepts the connection, or none is primary (r2dbc-postgresql's multi-host connect)
                new DataAccessResourceFailureException("Failed to obtain R2DBC Connection",
                        new R2dbcNonTransientResourceException("Cannot connect to 127.0.0.1:5432", new ConnectException("refused"))),
                new R2dbcTransientResourceException("connection closed"),
                new RuntimeException(new ConnectException("Connection refused")),
                // PostgreSQL's own words: admin_shutdown, crash_shutdown, cannot_connect_now, a connection failure
                // reported as a statement error, a write that reached a standby (read_only_sql_transaction)
                new DataIntegrityViolationException("x", new R2dbcDataIntegrityViolationException("terminating connection", "57P01")),
                new R2dbcBadGrammarException("crash", "57P02"),
                new R2dbcBadGrammarException("the database system is starting up", "57P03"),
                new R2dbcBadGrammarException("connection failure", "08006"),
                new R2dbcBadGrammarException("cannot execute INSERT in a read-only transaction", "25006"));
        for (Throwable e : unreachable) {
            var response = handler.unexpected(e instanceof Exception x ? x : new RuntimeException(e));
            assertThat(response.getStatusCode().value()).as("%s", e).isEqualTo(503);
            assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
            assertThat(response.getBody().message()).contains("database cannot be reached").contains("retry");
        }
        assertThat(meters.get("homer.api.database.unavailable").counter().count()).isEqualTo(unreachable.size());
    }

    @Test
    void aStatementErrorOfAReachableDatabaseIsStillA500() {
        var response = handler.unexpected(new DataIntegrityViolationException("x",
                new R2dbcDataIntegrityViolationException("duplicate key value violates unique constraint", "23505")));
        assertThat(response.getStatusCode().value()).isEqualTo(500);
        // a resource exception of the driver whose SQLSTATE names the statement, not the connection
        assertThat(handler.unexpected(new R2dbcNonTransientResourceException("statement too complex", "54001"))
                .getStatusCode().value()).isEqualTo(500);
        assertThat(meters.get("homer.api.database.unavailable").counter().count()).isZero();
    }
}
