package io.hepstack.api.web;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorHandlerTest {

    private final ErrorHandler handler = new ErrorHandler();

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
}
