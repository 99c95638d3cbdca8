package io.hepstack.api;

import org.springframework.boot.test.web.reactive.server.WebTestClientBuilderCustomizer;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Every test client opens a new connection per request. Full-suite runs saw a login hang on a
 * kept-alive connection reused after a series of refused requests (docs/api.md, "Known issues"):
 * until that is understood, tests do not depend on connection reuse. Picked up by the
 * application's component scan (test classes share its package).
 */
@Component
class FreshConnectionPerRequest implements WebTestClientBuilderCustomizer {

    @Override
    public void customize(WebTestClient.Builder builder) {
        builder.clientConnector(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())));
    }
}
