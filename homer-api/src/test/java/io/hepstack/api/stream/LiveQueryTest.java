package io.hepstack.api.stream;

import io.hepstack.api.SearchDefaults;
import io.hepstack.api.query.NumberPlan;
import io.hepstack.api.query.Scope;
import io.hepstack.api.search.MessageItem;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The floor and de-dup set of one stream ({@link LiveQuery}). */
class LiveQueryTest {

    private static LiveQuery.Row row(long id) {
        MessageItem item = new MessageItem("id-" + id, Instant.EPOCH, "c", null, "INVITE", null, null, null, null, null,
                null, null, null, null, null, null, null, 1, 1L, null, 1, null);
        return new LiveQuery.Row(id, item);
    }

    @Test
    void theFloorTrailsTheSequenceByTheLookback() {
        LiveQuery q = new LiveQuery(List.of(), Scope.ALL, 100, 30_000, 500, 1000);
        q.mark(0, 200);
        q.mark(10_000, 300);
        assertThat(q.floor()).as("nothing is settled before the lookback").isEqualTo(100);
        q.mark(30_000, 400);
        assertThat(q.floor()).as("ids handed out 30 s ago are settled").isEqualTo(200);
        q.mark(45_000, 450);
        assertThat(q.floor()).isEqualTo(300);
    }

    @Test
    void aRowIsStreamedOnceAndRowsBelowTheFloorNever() {
        LiveQuery q = new LiveQuery(List.of(), Scope.ALL, 100, 30_000, 500, 1000);
        assertThat(q.accept(List.of(row(150), row(120)))).extracting(MessageItem::id).containsExactly("id-150", "id-120");
        // a late commit with a lower id still streams; the rows already streamed do not again
        assertThat(q.accept(List.of(row(110), row(120), row(150)))).extracting(MessageItem::id).containsExactly("id-110");
        assertThat(q.accept(List.of(row(100), row(99)))).isEmpty();
        q.mark(0, 130);
        q.mark(30_000, 160);
        assertThat(q.floor()).isEqualTo(130);
        assertThat(q.pending()).as("ids at or below the floor are forgotten").isEqualTo(1);
    }

    @Test
    void theDeDupSetIsBoundedAndWhatItForgetsIsCounted() {
        LiveQuery q = new LiveQuery(List.of(), Scope.ALL, 0, 30_000, 500, 3);
        q.accept(List.of(row(1), row(2), row(3), row(4), row(5)));
        assertThat(q.pending()).isEqualTo(3);
        assertThat(q.floor()).isEqualTo(2);
        assertThat(q.takeForgotten()).isEqualTo(2);
        assertThat(q.takeForgotten()).isZero();
        assertThat(q.accept(List.of(row(2), row(6)))).extracting(MessageItem::id).containsExactly("id-6");
    }

    @Test
    void rowsPresentAtTheStartAreSkipped() {
        LiveQuery q = new LiveQuery(List.of(), Scope.ALL, 10, 30_000, 500, 1000);
        q.skip(List.of(12L, 11L, 5L));
        assertThat(q.accept(List.of(row(11), row(12), row(13)))).extracting(MessageItem::id).containsExactly("id-13");
        assertThat(q.pollSql(Instant.EPOCH).text()).contains("id <> ALL(");
    }

    @Test
    void aHeaderTheCollectorsExtractIsMatchedInTheExtractAsTheSearchDoes() {
        LinkedMultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        query.add("header.X-Customer-Id", "acme");
        Map<String, String> extracted = Map.of("x-customer-id", "X-Customer-Id");
        String fast = new LiveQuery(StreamController.filters(query, SearchDefaults.search(), NumberPlan.NONE, extracted),
                Scope.ALL, 0, 30_000, 500, 1000).pollSql(Instant.EPOCH).text().split(" WHERE ", 2)[1];
        assertThat(fast).contains("extra ? 'headers'").doesNotContain("payload_text");
        String read = new LiveQuery(StreamController.filters(query, SearchDefaults.search(), NumberPlan.NONE, Map.of()),
                Scope.ALL, 0, 30_000, 500, 1000).pollSql(Instant.EPOCH).text().split(" WHERE ", 2)[1];
        assertThat(read).contains("payload_text").doesNotContain("extra ? 'headers'");
    }
}
