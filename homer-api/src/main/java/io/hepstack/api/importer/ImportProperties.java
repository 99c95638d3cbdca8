package io.hepstack.api.importer;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of {@code POST /api/v1/import/pcap}, bound from {@code homer.api.import.*}; docs/api.md
 * documents each one.
 *
 * @param maxSize            largest capture accepted (the multipart body may exceed it by 64 KiB of framing)
 * @param batchSize          messages per stored batch (and per batch id: changing it makes a re-import store again)
 * @param maxConcurrent      imports running at once; more are refused with 429
 * @param maxInflatedSize    bytes the gzip-compressed HEP payloads of one import may inflate to in all; the
 *                           payloads beyond are skipped ({@code inflated_beyond_import_limit}). Each one is
 *                           also capped by the collectors' {@code homer.ingest.pipeline.max-inflated-payload}.
 * @param retention          how long an imported capture is kept, counted from its (last) import, whatever the age
 *                           of its messages and whatever the collectors' retention of their kinds (docs/schema.md,
 *                           "Imported captures")
 * @param maxConcurrentPerUser imports running at once for one account or API token; more are refused with 429
 * @param maxBytesPerUser    bytes one account or API token may upload within {@code userWindow}: an import starts
 *                           only while the caller's uploads of the window are below it (429 with the wait otherwise)
 * @param userWindow         the window of {@code maxBytesPerUser}
 */
@Validated
@ConfigurationProperties("homer.api.import")
public record ImportProperties(
        @NotNull @DefaultValue("100MB") DataSize maxSize,
        @Min(1) @Max(10000) @DefaultValue("1000") int batchSize,
        @Min(1) @Max(64) @DefaultValue("2") int maxConcurrent,
        @NotNull @DefaultValue("100MB") DataSize maxInflatedSize,
        @NotNull @DefaultValue("7d") Duration retention,
        @Min(1) @Max(64) @DefaultValue("1") int maxConcurrentPerUser,
        @NotNull @DefaultValue("1GB") DataSize maxBytesPerUser,
        @NotNull @DefaultValue("1h") Duration userWindow) {

    public ImportProperties {
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("homer.api.import.retention " + retention + " (expected: > 0)");
        }
        if (userWindow != null && (userWindow.isNegative() || userWindow.isZero())) {
            throw new IllegalArgumentException("homer.api.import.user-window " + userWindow + " (expected: > 0)");
        }
    }
}
