package io.hepstack.api.meta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UI's browser tests answer {@code GET /api/v1/meta/search} with a recording
 * ({@code homer-ui/src/test/resources/fake-api/meta-search.json}, one field per line): it is the API's answer. When
 * a search field or order changes, the answer to record is written to {@code target/meta-search.json}.
 */
class RecordedSearchMetaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RECORDED = Path.of("../homer-ui/src/test/resources/fake-api/meta-search.json");

    @Test
    void theUisRecordedAnswerIsTheApisAnswer() throws IOException {
        String answer = recording(MetaController.SEARCH);
        if (!answer.equals(Files.readString(RECORDED, StandardCharsets.UTF_8))) {
            Files.writeString(Path.of("target/meta-search.json"), answer, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(RECORDED, StandardCharsets.UTF_8))
                .as("record it again: cp homer-api/target/meta-search.json " + RECORDED.normalize()).isEqualTo(answer);
        assertThat(JSON.readTree(answer)).isEqualTo(JSON.valueToTree(MetaController.SEARCH));
    }

    /** The answer as recorded: one field and one search per line. */
    static String recording(MetaController.SearchMeta meta) {
        String fields = meta.fields().stream().map(f -> "  {\"param\": " + q(f.param()) + ", \"label\": " + q(f.label())
                + ", \"syntax\": " + q(f.syntax()) + "}").collect(Collectors.joining(",\n"));
        String searches = meta.searches().stream().map(s -> "  {\"name\": " + q(s.name()) + ", \"paged\": " + s.paged()
                + ", \"fields\": " + list(s.fields()) + ", \"sorts\": " + list(s.sorts()) + "}").collect(Collectors.joining(",\n"));
        return "{\"fields\": [\n" + fields + "\n],\n\"searches\": [\n" + searches + "\n],\n\"extractedHeaders\": "
                + list(meta.extractedHeaders()) + "}\n";
    }

    private static String list(List<String> values) {
        return values.stream().map(RecordedSearchMetaTest::q).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String q(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
