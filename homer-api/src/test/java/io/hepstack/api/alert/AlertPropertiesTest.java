package io.hepstack.api.alert;

import io.hepstack.api.ApiProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** homer.api.alerts.webhook-secret: unset or empty (a Compose variable left blank) is no secret; a short one stops the start. */
class AlertPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ApiProperties.class)
    static class Bound {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Bound.class);

    @Test
    void anEmptyWebhookSecretIsNoSecret() {
        runner.withPropertyValues("homer.api.alerts.webhook-secret=")
                .run(c -> assertThat(c).hasNotFailed());
        runner.run(c -> assertThat(c.getBean(ApiProperties.class).alerts().webhookSecret()).isNull());
    }

    @Test
    void aWebhookSecretShorterThan16CharactersStopsTheStart() {
        runner.withPropertyValues("homer.api.alerts.webhook-secret=too-short")
                .run(c -> assertThat(c).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("must be 16 to 256 printable characters"));
        runner.withPropertyValues("homer.api.alerts.webhook-secret=sixteen-chars-ok")
                .run(c -> assertThat(c.getBean(ApiProperties.class).alerts().webhookSecret()).isEqualTo("sixteen-chars-ok"));
    }
}
