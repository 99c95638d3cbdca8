package io.hepstack.api.meta;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.hepstack.api.query.Scope;
import io.hepstack.api.query.Statements;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.query.Sql;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The fields of the JSON payloads stored in a time range, for {@code json.PATH} searches (docs/api.md,
 * {@code GET /api/v1/meta/json-fields}): a sample of up to {@value #SAMPLE_PER_KIND} JSON payloads of each kind that
 * carries them (QoS reports, logs, other), read without order (the first rows of the range's partitions, no
 * sort), each flattened to its paths as the search writes them ({@code report_blocks.0.fraction_lost}: the first
 * element of an array), with the payload types that carry each path and its value types. Bounded: at most
 * {@value #MAX_FIELDS} paths, {@value #MAX_DEPTH} steps deep, keys a search can name.
 */
@Component
class JsonFields {

    static final int SAMPLE_PER_KIND = 300;
    static final int MAX_FIELDS = 200;
    static final int MAX_DEPTH = 8;
    private static final List<MessageKind> KINDS = List.of(MessageKind.QOS, MessageKind.LOG, MessageKind.OTHER);
    /** A path step a {@code json.PATH} filter can name (the search's own rule). */
    private static final Pattern STEP = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build();

    @Schema(description = "A path of the sampled JSON payloads")
    record JsonField(@Schema(example = "report_blocks.0.fraction_lost") String path,
                     @Schema(description = "HEP payload types whose payloads carry it", example = "[5]") List<Integer> payloadTypes,
                     @Schema(description = "JSON types of its values: number, string, boolean", example = "[\"number\"]")
                     List<String> valueTypes,
                     @Schema(description = "sampled payloads that carry it") int payloads) {
    }

    @Schema(description = "The paths of a sample of the JSON payloads stored in a range")
    record JsonFieldList(@Schema(description = "JSON payloads sampled") int sampled,
                         @Schema(description = "whether more paths were seen than listed") boolean truncated,
                         List<JsonField> fields) {
    }

    private final DatabaseClient db;

    JsonFields(DatabaseClient db) {
        this.db = db;
    }

    Mono<JsonFieldList> sample(Instant from, Instant to, Scope scope) {
        Sql s = new Sql();
        String f = s.bind(java.time.OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
        String t = s.bind(java.time.OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC));
        for (int i = 0; i < KINDS.size(); i++) {
            if (i > 0) {
                s.append(" UNION ALL ");
            }
            s.append("(SELECT proto_type, payload_text FROM messages WHERE kind = '").append(KINDS.get(i).code())
                    .append("' AND ts >= ").append(f).append(" AND ts < ").append(t).append(" AND payload_text LIKE '{%'");
            scope.appendTo(s, "");
            s.append(" LIMIT " + SAMPLE_PER_KIND + ")");
        }
        return Statements.on(s, db).map(r -> new Object[] {r.get("proto_type", Short.class), r.get("payload_text", String.class)})
                .all().collectList().map(JsonFields::summarize);
    }

    private static final class Acc {
        final TreeSet<Integer> types = new TreeSet<>();
        final TreeSet<String> valueTypes = new TreeSet<>();
        int payloads;
    }

    static JsonFieldList summarize(List<Object[]> rows) {
        Map<String, Acc> fields = new LinkedHashMap<>();
        boolean truncated = false;
        int sampled = 0;
        for (Object[] row : rows) {
            Short type = (Short) row[0];
            String text = (String) row[1];
            Map<String, String> paths = new LinkedHashMap<>();
            try {
                flatten(text, paths);
            } catch (IOException notJson) {
                continue;
            }
            sampled++;
            for (Map.Entry<String, String> p : paths.entrySet()) {
                Acc a = fields.get(p.getKey());
                if (a == null) {
                    if (fields.size() >= MAX_FIELDS) {
                        truncated = true;
                        continue;
                    }
                    a = new Acc();
                    fields.put(p.getKey(), a);
                }
                if (type != null) {
                    a.types.add(type.intValue());
                }
                a.valueTypes.add(p.getValue());
                a.payloads++;
            }
        }
        List<JsonField> out = new ArrayList<>(fields.size());
        fields.forEach((path, a) -> out.add(new JsonField(path, List.copyOf(a.types), List.copyOf(a.valueTypes), a.payloads)));
        out.sort(Comparator.comparingInt(JsonField::payloads).reversed().thenComparing(JsonField::path));
        return new JsonFieldList(sampled, truncated, out);
    }

    /** The leaf paths of one JSON document with their value types; only the first element of an array is followed. */
    static void flatten(String text, Map<String, String> paths) throws IOException {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            walkObject(p, new ArrayList<>(), paths);
        }
    }

    private static void walkObject(JsonParser p, List<String> prefix, Map<String, String> paths) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (!STEP.matcher(name).matches() || prefix.size() >= MAX_DEPTH) {
                p.skipChildren();
                continue;
            }
            prefix.add(name);
            value(p, v, prefix, paths);
            prefix.remove(prefix.size() - 1);
        }
    }

    private static void value(JsonParser p, JsonToken v, List<String> prefix, Map<String, String> paths) throws IOException {
        switch (v) {
            case START_OBJECT -> walkObject(p, prefix, paths);
            case START_ARRAY -> {
                JsonToken first = p.nextToken();
                if (first != JsonToken.END_ARRAY) {
                    if (prefix.size() < MAX_DEPTH) {
                        prefix.add("0");
                        value(p, first, prefix, paths);
                        prefix.remove(prefix.size() - 1);
                    } else {
                        p.skipChildren();
                    }
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        p.skipChildren();
                    }
                }
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> paths.put(String.join(".", prefix), "number");
            case VALUE_STRING -> paths.put(String.join(".", prefix), "string");
            case VALUE_TRUE, VALUE_FALSE -> paths.put(String.join(".", prefix), "boolean");
            default -> { } // null
        }
    }
}
