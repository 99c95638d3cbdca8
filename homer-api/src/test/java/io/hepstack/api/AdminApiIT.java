package io.hepstack.api;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;

/**
 * An {@link ApiIT} whose tests call the API as nobody ({@link #anonymous}) and as the first admin
 * ({@link #admin}, logged in before each test), both patient: the first request of a fresh application on a
 * busy machine can take seconds.
 */
public abstract class AdminApiIT extends ApiIT {

    @Autowired
    private WebTestClient client;

    /** No credentials. */
    protected WebTestClient anonymous;
    /** The first admin's session. */
    protected WebTestClient admin;

    /** How long a response may take; 60 s unless a class needs more. */
    protected Duration patience() {
        return Duration.ofSeconds(60);
    }

    @BeforeEach
    void loginAsAdmin() {
        anonymous = client.mutate().responseTimeout(patience()).build();
        admin = Http.as(anonymous, Http.login(anonymous, "admin", TestApp.ADMIN_PASSWORD));
    }
}
