package io.hepstack.api.share;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.web.ApiException;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A share link's lifetime ({@code ttlSeconds} or {@code expiresAt}) and its address. */
class ShareLinkTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final ApiProperties.Share LIMITS = new ApiProperties.Share(Duration.ofDays(7), Duration.ofDays(30), null);

    private static ShareController.CreateShare request(Long ttl, Instant expiresAt) {
        return new ShareController.CreateShare("c@test", null, null, ttl, expiresAt, null);
    }

    @Test
    void aLifetimeInSecondsCountsFromNow() {
        assertThat(ShareController.expiry(request(3600L, null), NOW, LIMITS)).isEqualTo(NOW.plusSeconds(3600));
        assertThat(ShareController.expiry(request(30L * 86400, null), NOW, LIMITS)).isEqualTo(NOW.plus(Duration.ofDays(30)));
    }

    @Test
    void anExpiryTimeIsStillAcceptedAndNeitherMeansTheDefault() {
        assertThat(ShareController.expiry(request(null, NOW.plusSeconds(60)), NOW, LIMITS)).isEqualTo(NOW.plusSeconds(60));
        assertThat(ShareController.expiry(request(null, null), NOW, LIMITS)).isEqualTo(NOW.plus(Duration.ofDays(7)));
    }

    @ParameterizedTest(name = "ttlSeconds={0}")
    @ValueSource(longs = {0, -1, -86400, 30L * 86400 + 1, Long.MAX_VALUE, Long.MIN_VALUE})
    void aLifetimeThatIsNotPositiveOrBeyondTheMaximumIsRefused(long ttl) {
        assertThatThrownBy(() -> ShareController.expiry(request(ttl, null), NOW, LIMITS))
                .isInstanceOf(ApiException.class)
                .hasMessage("ttlSeconds: from 1 to 2592000 (homer.api.share.max-ttl, 30 days), got " + ttl);
    }

    @Test
    void bothALifetimeAndAnExpiryTimeAreRefused() {
        assertThatThrownBy(() -> ShareController.expiry(request(60L, NOW.plusSeconds(60)), NOW, LIMITS))
                .isInstanceOf(ApiException.class).hasMessage("give ttlSeconds or expiresAt, not both");
    }

    @ParameterizedTest(name = "public-url [{0}]")
    @CsvSource(nullValues = "-", value = {
            "-                               | /embed/tok",
            "''                              | /embed/tok",
            "https://homer.example.com       | https://homer.example.com/embed/tok",
            "https://homer.example.com/      | https://homer.example.com/embed/tok",
            "http://10.0.0.5:8080/homer      | http://10.0.0.5:8080/homer/embed/tok",
    }, delimiter = '|')
    void theLinkIsAbsoluteWhenAPublicUrlIsConfigured(String publicUrl, String url) {
        assertThat(new ApiProperties.Share(Duration.ofDays(7), Duration.ofDays(30), publicUrl).url("tok")).isEqualTo(url);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"homer.example.com", "ftp://homer.example.com", "https://homer.example.com/?a=b",
            "https://homer.example.com/#x", "https://user@homer.example.com", "javascript:alert(1)"})
    void aPublicUrlThatIsNotAnAbsoluteHttpUrlIsRefused(String publicUrl) {
        try (var factory = Validation.buildDefaultValidatorFactory()) {
            Validator validator = factory.getValidator();
            assertThat(validator.validate(new ApiProperties.Share(Duration.ofDays(7), Duration.ofDays(30), publicUrl)))
                    .singleElement().satisfies(v -> assertThat(v.getPropertyPath().toString()).isEqualTo("publicUrl"));
        }
    }
}
