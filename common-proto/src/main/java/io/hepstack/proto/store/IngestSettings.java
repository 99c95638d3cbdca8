package io.hepstack.proto.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.media.MediaThresholds;
import io.hepstack.proto.model.BodyCensor;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.model.MethodFilter;
import io.hepstack.proto.sip.HeaderExtractor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * How the collectors store rows: their partition and retention policy and what they extract. Published
 * in the database by every collector ({@link IngestSettingsStore}) and read by every other writer, so
 * that a row is stored the same whichever service writes it.
 *
 * @param partitions the partition width, partitions ahead, retention per kind, future tolerance
 * @param extraction the correlation and extra headers
 * @param discard    the SIP methods not stored
 * @param maxInflatedPayload the largest a gzip payload (HEP chunk 0x0010) may inflate to, in bytes
 * @param censor     what of a SIP body is not stored ({@link BodyCensor#OFF}: everything is)
 * @param callRecords whether call records are kept: then a writer feeds the calls its batches change
 *                   to their builder ({@link MessageWriter}'s call changes)
 * @param media      where a stream's quality becomes a verdict: the records' builder's, and so every reader's
 *                   (homer-api rates a call's QoS view with the same thresholds its record was given)
 */
public record IngestSettings(PartitionPolicy partitions, ExtractionSettings extraction, MethodFilter discard,
                             int maxInflatedPayload, BodyCensor censor, boolean callRecords, MediaThresholds media) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public IngestSettings {
        Objects.requireNonNull(partitions, "partitions");
        Objects.requireNonNull(extraction, "extraction");
        Objects.requireNonNull(discard, "discard");
        Objects.requireNonNull(censor, "censor");
        Objects.requireNonNull(media, "media");
        if (maxInflatedPayload < 1) {
            throw new IllegalArgumentException("maxInflatedPayload must be positive: " + maxInflatedPayload);
        }
    }

    /** What a collector with default configuration runs with. */
    public static IngestSettings defaults() {
        return new IngestSettings(PartitionPolicy.defaults(), ExtractionSettings.DEFAULT, MethodFilter.NONE,
                HepDecoder.DEFAULT_MAX_INFLATED_PAYLOAD, BodyCensor.OFF, false, MediaThresholds.DEFAULTS);
    }

    /**
     * The settings as a JSON object: {@code {"partitionWidth": "PT24H", "partitionsAhead": 2,
     * "futureTolerance": "PT24H", "retention": {"call": "PT336H", ...}, "correlationHeaders": ["X-CID"],
     * "extraHeaders": [], "discardMethods": ["OPTIONS"], "maxInflatedPayload": 262144, "censorBodies": true,
     * "keepContentTypes": ["application/sdp"], "callRecords": true,
     * "mediaThresholds": {"lossPercent": 5.0, "jitterMs": 50.0, "rttMs": 400.0}}} (durations in ISO-8601, headers as configured:
     * {@code NAME} or {@code NAME:REGEX}).
     */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("partitionWidth", partitions.width().toString());
        o.put("partitionsAhead", partitions.ahead());
        o.put("futureTolerance", partitions.futureTolerance().toString());
        ObjectNode retention = o.putObject("retention");
        for (MessageKind kind : MessageKind.values()) {
            retention.put(kind.code(), partitions.retentionOf(kind).toString());
        }
        ArrayNode correlation = o.putArray("correlationHeaders");
        extraction.correlationHeaders().forEach(h -> correlation.add(h.spec()));
        ArrayNode extra = o.putArray("extraHeaders");
        extraction.extraHeaders().forEach(h -> extra.add(h.spec()));
        ArrayNode discarded = o.putArray("discardMethods");
        new TreeSet<>(discard.methods()).forEach(discarded::add);
        o.put("maxInflatedPayload", maxInflatedPayload);
        o.put("censorBodies", censor.enabled());
        ArrayNode keep = o.putArray("keepContentTypes");
        censor.keepContentTypes().forEach(keep::add);
        o.put("callRecords", callRecords);
        ObjectNode thresholds = o.putObject("mediaThresholds");
        thresholds.put("lossPercent", media.lossPercent());
        thresholds.put("jitterMs", media.jitterMs());
        thresholds.put("rttMs", media.rttMs());
        return o.toString();
    }

    /**
     * Reads {@link #toJson()}'s form.
     *
     * @throws IllegalArgumentException when the text is not such an object or a value is not valid
     */
    public static IngestSettings fromJson(String json) {
        try {
            JsonNode o = JSON.readTree(json);
            Map<MessageKind, Duration> retention = new EnumMap<>(MessageKind.class);
            for (MessageKind kind : MessageKind.values()) {
                retention.put(kind, Duration.parse(required(required(o, "retention"), kind.code()).asText()));
            }
            PartitionPolicy policy = new PartitionPolicy(Duration.parse(required(o, "partitionWidth").asText()),
                    required(o, "partitionsAhead").asInt(), retention, Duration.parse(required(o, "futureTolerance").asText()));
            List<String> discardMethods = new ArrayList<>();
            JsonNode methods = o.get("discardMethods"); // absent in what collectors before it published
            if (methods != null) {
                methods.forEach(m -> discardMethods.add(m.asText()));
            }
            JsonNode inflated = o.get("maxInflatedPayload"); // absent in what collectors before it published
            JsonNode censorBodies = o.get("censorBodies"); // absent in what collectors before it published
            BodyCensor censor = BodyCensor.OFF;
            if (censorBodies != null && censorBodies.asBoolean()) {
                List<String> keep = new ArrayList<>();
                required(o, "keepContentTypes").forEach(t -> keep.add(t.asText()));
                censor = BodyCensor.keeping(keep);
            }
            JsonNode callRecords = o.get("callRecords"); // absent in what collectors before it published
            JsonNode thresholds = o.get("mediaThresholds"); // absent in what collectors before it published
            MediaThresholds media = thresholds == null ? MediaThresholds.DEFAULTS
                    : new MediaThresholds(required(thresholds, "lossPercent").asDouble(),
                    required(thresholds, "jitterMs").asDouble(), required(thresholds, "rttMs").asDouble());
            return new IngestSettings(policy, new ExtractionSettings(headers(required(o, "correlationHeaders")),
                    headers(required(o, "extraHeaders"))), MethodFilter.of(discardMethods),
                    inflated == null ? HepDecoder.DEFAULT_MAX_INFLATED_PAYLOAD : inflated.asInt(), censor,
                    callRecords != null && callRecords.asBoolean(), media);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("ingest settings " + json + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode o, String field) {
        JsonNode v = o == null ? null : o.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("field " + field + " missing");
        }
        return v;
    }

    private static List<HeaderExtractor> headers(JsonNode array) {
        List<HeaderExtractor> out = new ArrayList<>();
        array.forEach(h -> out.add(HeaderExtractor.parse(h.asText())));
        return List.copyOf(out);
    }
}
