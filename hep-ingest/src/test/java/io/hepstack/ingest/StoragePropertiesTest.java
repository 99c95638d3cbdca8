package io.hepstack.ingest;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.store.PartitionPolicy;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class StoragePropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(IngestProperties.class)
    static class Bound {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Bound.class);

    @Test
    void defaultsToCommonProtosDefaultPolicy() {
        runner.run(c -> assertThat(c.getBean(IngestProperties.class).storage().partitionPolicy())
                .isEqualTo(PartitionPolicy.defaults()));
    }

    @Test
    void bindsWidthAheadToleranceAndTheRetentionOfEachKind() {
        runner.withPropertyValues(
                        "homer.ingest.storage.partition-width=1h",
                        "homer.ingest.storage.partitions-ahead=6",
                        "homer.ingest.storage.future-tolerance=2h",
                        "homer.ingest.storage.retention.call=30d",
                        "homer.ingest.storage.retention.registration=2d",
                        "homer.ingest.storage.retention.sip_other=36h",
                        "homer.ingest.storage.retention.qos=10d",
                        "homer.ingest.storage.retention.log=3d",
                        "homer.ingest.storage.retention.other=1d")
                .run(c -> {
                    PartitionPolicy p = c.getBean(IngestProperties.class).storage().partitionPolicy();
                    assertThat(p.width()).isEqualTo(Duration.ofHours(1));
                    assertThat(p.ahead()).isEqualTo(6);
                    assertThat(p.futureTolerance()).isEqualTo(Duration.ofHours(2));
                    assertThat(p.retentionOf(MessageKind.SIP_CALL)).isEqualTo(Duration.ofDays(30));
                    assertThat(p.retentionOf(MessageKind.SIP_REGISTRATION)).isEqualTo(Duration.ofDays(2));
                    assertThat(p.retentionOf(MessageKind.SIP_OTHER)).isEqualTo(Duration.ofHours(36));
                    assertThat(p.retentionOf(MessageKind.QOS)).isEqualTo(Duration.ofDays(10));
                    assertThat(p.retentionOf(MessageKind.LOG)).isEqualTo(Duration.ofDays(3));
                    assertThat(p.retentionOf(MessageKind.OTHER)).isEqualTo(Duration.ofDays(1));
                });
    }

    @Test
    void acceptsTheKebabCaseSpellingOfSipOther() {
        runner.withPropertyValues("homer.ingest.storage.retention.sip-other=3d")
                .run(c -> assertThat(c.getBean(IngestProperties.class).storage().partitionPolicy()
                        .retentionOf(MessageKind.SIP_OTHER)).isEqualTo(Duration.ofDays(3)));
    }

    @Test
    void refusesAWidthThatDoesNotDivideADay() {
        runner.withPropertyValues("homer.ingest.storage.partition-width=7m")
                .run(c -> assertThat(c).getFailure().rootCause()
                        .hasMessageContaining("homer.ingest.storage: partition-width must be whole minutes"));
    }

    @Test
    void refusesARetentionShorterThanOnePartition() {
        runner.withPropertyValues("homer.ingest.storage.retention.log=12h")
                .run(c -> assertThat(c).getFailure().rootCause()
                        .hasMessageContaining("every retention at least one partition-width"));
    }

    @Test
    void refusesMorePartitionsAheadThanAThousand() {
        runner.withPropertyValues("homer.ingest.storage.partitions-ahead=1001")
                .run(c -> assertThat(c).getFailure().rootCause().hasMessageContaining("partitionsAhead"));
    }
}
