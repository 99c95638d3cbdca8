package io.hepstack.api.stream;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Bounds of the live message stream ({@code GET /api/v1/stream/messages}), bound from
 * {@code homer.api.stream.*}; docs/api.md documents each one.
 *
 * @param maxStreams     open streams per replica; one more is refused with 429
 * @param maxStreamsPerUser open streams per account or API token on a replica; one more is refused with 429
 * @param adminReserve   of {@code maxStreams}, the streams only an admin may open (an admin still gets a
 *                       stream when others took every other slot); at most {@code maxStreams - 1} apply
 * @param pollInterval   pause between two polls of one stream (none while a poll came back full)
 * @param rowsPerPoll    rows one poll reads at most
 * @param buffer         events waiting for a slow client; one more closes the stream (reason {@code slow_client})
 * @param lookback       how long after a row id was handed out its row may still commit and be streamed
 * @param maxPending     ids of streamed rows kept to skip them while they are inside the lookback
 * @param maxCaptureAge  oldest capture time a streamed row may carry, back from now (partition pruning)
 * @param heartbeat      interval of the {@code :} comment lines that keep proxies from closing an idle stream
 */
@Validated
@ConfigurationProperties("homer.api.stream")
public record StreamProperties(
        @Min(1) @Max(100000) @DefaultValue("50") int maxStreams,
        @Min(1) @Max(100000) @DefaultValue("5") int maxStreamsPerUser,
        @Min(0) @Max(100000) @DefaultValue("5") int adminReserve,
        @NotNull @DefaultValue("1s") Duration pollInterval,
        @Min(1) @Max(10000) @DefaultValue("500") int rowsPerPoll,
        @Min(1) @Max(100000) @DefaultValue("2000") int buffer,
        @NotNull @DefaultValue("30s") Duration lookback,
        @Min(10) @Max(1000000) @DefaultValue("20000") int maxPending,
        @NotNull @DefaultValue("1h") Duration maxCaptureAge,
        @NotNull @DefaultValue("15s") Duration heartbeat) {

    /** The streams a caller who is not an admin may find: the reserve, kept below the cap, comes off it. */
    int maxStreamsForNonAdmins() {
        return maxStreams - Math.min(adminReserve, maxStreams - 1);
    }
}
