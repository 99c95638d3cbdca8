package io.hepstack.proto.store;

import io.hepstack.proto.media.MediaThresholds;
import io.hepstack.proto.model.BodyCensor;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.model.MethodFilter;
import io.hepstack.proto.sip.HeaderExtractor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestSettingsTest {

    private static IngestSettings custom() {
        PartitionPolicy policy = PartitionPolicy.defaults().withWidth(Duration.ofHours(6), 4)
                .withRetention(MessageKind.SIP_CALL, Duration.ofDays(90));
        return new IngestSettings(policy, new ExtractionSettings(
                List.of(HeaderExtractor.parse("P-Charging-Vector:icid-value=([^;\\s]+)"), HeaderExtractor.parse("X-CID")),
                List.of(HeaderExtractor.parse("User-Agent"))), MethodFilter.of(List.of(" options", "NOTIFY ", "")), 65536,
                BodyCensor.keeping(List.of("application/SDP", "application/isup")), true,
                new MediaThresholds(2.5, 30, 250));
    }

    @Test
    void readsBackWhatItWritesPolicyAndHeadersAlike() {
        IngestSettings read = IngestSettings.fromJson(custom().toJson());
        assertThat(read.partitions()).isEqualTo(custom().partitions());
        assertThat(read.extraction().correlationHeaders()).extracting(HeaderExtractor::spec)
                .containsExactly("P-Charging-Vector:icid-value=([^;\\s]+)", "X-CID");
        assertThat(read.extraction().extraHeaders()).extracting(HeaderExtractor::spec).containsExactly("User-Agent");
        assertThat(read.discard().methods()).containsExactlyInAnyOrder("OPTIONS", "NOTIFY");
        String before = custom().toJson().replaceAll(",\"discardMethods\":\\[[^\\]]*\\]", "");
        assertThat(before).doesNotContain("discardMethods");
        assertThat(IngestSettings.fromJson(before).discard().methods()).as("published by a collector before it").isEmpty();
        assertThat(read.maxInflatedPayload()).isEqualTo(65536);
        String older = custom().toJson().replace(",\"maxInflatedPayload\":65536", "");
        assertThat(older).doesNotContain("maxInflatedPayload");
        assertThat(IngestSettings.fromJson(older).maxInflatedPayload()).as("published by a collector before it")
                .isEqualTo(262144);
        assertThat(read.censor()).isEqualTo(custom().censor());
        assertThat(read.censor().keepContentTypes()).containsExactly("application/isup", "application/sdp");
        String uncensored = custom().toJson().replaceAll(",\"censorBodies\":true,\"keepContentTypes\":\\[[^\\]]*\\]", "");
        assertThat(uncensored).doesNotContain("censorBodies");
        assertThat(IngestSettings.fromJson(uncensored).censor()).as("published by a collector before it")
                .isEqualTo(BodyCensor.OFF);
        assertThat(read.callRecords()).isTrue();
        String withoutRecords = custom().toJson().replace(",\"callRecords\":true", "");
        assertThat(withoutRecords).doesNotContain("callRecords");
        assertThat(IngestSettings.fromJson(withoutRecords).callRecords()).as("published by a collector before it").isFalse();
        assertThat(read.media()).isEqualTo(new MediaThresholds(2.5, 30, 250));
        String withoutThresholds = custom().toJson().replaceAll(",\"mediaThresholds\":\\{[^}]*}", "");
        assertThat(withoutThresholds).doesNotContain("mediaThresholds");
        assertThat(IngestSettings.fromJson(withoutThresholds).media()).as("published by a collector before it")
                .isEqualTo(MediaThresholds.DEFAULTS);
        assertThatThrownBy(() -> IngestSettings.fromJson(custom().toJson().replace("\"jitterMs\":30.0,", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field jitterMs missing");
        assertThat(IngestSettings.fromJson(IngestSettings.defaults().toJson()).partitions()).isEqualTo(PartitionPolicy.defaults());
        assertThat(custom().toJson()).contains("\"partitionWidth\":\"PT6H\"", "\"call\":\"PT2160H\"");
    }

    @Test
    void refusesTextThatIsNotTheSettingsNamingWhatIsWrong() {
        assertThatThrownBy(() -> IngestSettings.fromJson("{}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field retention missing");
        assertThatThrownBy(() -> IngestSettings.fromJson("not json")).isInstanceOf(IllegalArgumentException.class);
        String noLog = custom().toJson().replace("\"log\":", "\"logs\":");
        assertThatThrownBy(() -> IngestSettings.fromJson(noLog)).hasMessageContaining("field log missing");
        String badWidth = custom().toJson().replace("PT6H", "PT7M");
        assertThatThrownBy(() -> IngestSettings.fromJson(badWidth)).hasMessageContaining("a divisor of one day");
    }
}
