package io.hepstack.api.registration;

import java.time.Instant;
import java.util.List;

/**
 * A registration record as {@code GET /api/v1/registrations} answers it (docs/api.md): one binding of an address of
 * record and where it stands, read by the collectors from its REGISTER transactions. {@code state} is read at the
 * request's time ({@code expired} once a registration's {@code expiresAt} has passed).
 *
 * @param id        the record's id (stable while the record is kept)
 * @param aor       {@code user@domain} of the To URI, the domain lower-cased
 * @param contact   the Contact URI registered
 * @param source    the client's address (the REGISTER's source)
 * @param userAgent its User-Agent, {@code null} without one
 * @param registers REGISTER transactions read (the collectors' lookback, 24 h by default)
 * @param challenges of them answered 401 or 407
 * @param failures  of them answered with another final error
 * @param registrar where the last REGISTER went
 */
public record RegistrationView(long id, String aor, String user, String domain, String contact, Endpoint source,
                               String userAgent, String state, Instant expiresAt, Instant firstRegisterAt,
                               Instant lastRegisterAt, Instant lastSuccessAt, Instant lastFailureAt, Integer lastFailureStatus,
                               int registers, int challenges, int failures, Endpoint registrar, List<String> nodes,
                               Instant updatedAt) {

    /** An address and port. */
    public record Endpoint(String ip, Integer port) {
    }
}
