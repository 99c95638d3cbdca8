package io.hepstack.ui;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class UiPropertiesTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://portal.example.com", "http://127.0.0.2:8443", "http://[::1]:9000"})
    void acceptsOriginsAsCspSources(String origin) {
        assertThat(new UiProperties.Embed(List.of(origin)).allowedOrigins()).containsExactly(origin);
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "'self'", "https://a.example; script-src *", "https://a.example/path",
            "javascript:alert(1)", "https://a.example 'unsafe-inline'", "portal.example.com"})
    void rejectsAnythingButAnOrigin(String origin) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new UiProperties.Embed(List.of(origin)))
                .withMessageContaining("expected: scheme://host[:port]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://api:21", "file:///etc/passwd"})
    void rejectsApiUrlsThatAreNotHttp(String url) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new UiProperties(URI.create(url), true, Duration.ofSeconds(1), new UiProperties.Embed(List.of())))
                .withMessageContaining("expected: http(s)://host[:port]");
    }
}
