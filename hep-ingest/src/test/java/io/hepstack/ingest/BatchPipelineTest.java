package io.hepstack.ingest;

import io.hepstack.ingest.config.IngestProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BatchPipelineTest {

    private final InMemorySink sink = new InMemorySink();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private MessageQueue queue;
    private Batcher batcher;
    private BatchWriter writer;

    private void start(String... kv) {
        Map<String, String> p = new HashMap<>(Map.of(
                "homer.ingest.writer.retry-initial-backoff", "10ms",
                "homer.ingest.writer.retry-max-backoff", "40ms"));
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        IngestProperties props = TestCollector.properties(p);
        IngestMetrics metrics = new IngestMetrics(registry);
        queue = new MessageQueue(props.pipeline(), metrics);
        writer = new BatchWriter(sink, props.writer(), metrics);
        batcher = new Batcher(queue, writer, props.pipeline(), metrics);
        writer.start();
        batcher.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        batcher.stop(Duration.ofSeconds(5));
        writer.drain(Duration.ofSeconds(5));
    }

    private double stored() {
        return registry.find("hep.messages.stored").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void flushesFullBatchesWithoutWaitingForTheirAge() {
        start("homer.ingest.pipeline.batch-size", "10", "homer.ingest.pipeline.batch-age", "1h");
        for (int i = 0; i < 25; i++) {
            queue.offer(Rows.invite("c" + i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.rows().size() == 20);
        assertThat(sink.batchCount()).isEqualTo(2);
    }

    @Test
    void flushesAPartialBatchOnceItsFirstMessageIsOld() {
        start("homer.ingest.pipeline.batch-size", "1000", "homer.ingest.pipeline.batch-age", "100ms");
        long t0 = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            queue.offer(Rows.invite("c" + i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.rows().size() == 3);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(90));
        assertThat(sink.batchCount()).isEqualTo(1);
    }

    @Test
    void retriesWithBackoffWhileTheDatabaseIsDownThenStoresEverything() {
        sink.down = true;
        start("homer.ingest.pipeline.batch-age", "10ms");
        for (int i = 0; i < 5; i++) {
            queue.offer(Rows.invite("c" + i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.attempts.get() >= 4);
        assertThat(stored()).isZero();
        sink.down = false;
        await().atMost(Duration.ofSeconds(5)).until(() -> stored() == 5);
        assertThat(sink.rows()).hasSize(5);
        assertThat(registry.get("hep.batch.failures").counter().count()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void retriesACommittedBatchWhoseAcknowledgementWasLostUnderTheSameIdSoItIsStoredOnce() {
        sink.lostAcks.set(1);
        start("homer.ingest.pipeline.batch-age", "10ms");
        for (int i = 0; i < 5; i++) {
            queue.offer(Rows.invite("c" + i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> stored() == 5);
        assertThat(sink.attempts.get()).isEqualTo(2);
        assertThat(sink.rows()).hasSize(5);
    }

    @Test
    void abandonsAWriteThatNeverAnswersAndStoresTheBatchOnceOnTheRetry() {
        sink.hangs.set(2);
        start("homer.ingest.pipeline.batch-age", "10ms", "homer.ingest.writer.attempt-timeout", "200ms");
        for (int i = 0; i < 5; i++) {
            queue.offer(Rows.invite("c" + i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> stored() == 5);
        assertThat(sink.attempts.get()).as("two silent attempts, then the one that answered").isEqualTo(3);
        assertThat(registry.get("hep.batch.failures").counter().count()).isEqualTo(2);
        assertThat(sink.rows()).hasSize(5);
        assertThat(writer.heldRows()).isZero();
    }

    @Test
    void stopFlushesEverythingQueuedBeforeReturning() throws InterruptedException {
        start("homer.ingest.pipeline.batch-size", "7", "homer.ingest.pipeline.batch-age", "1h");
        for (int i = 0; i < 100; i++) {
            queue.offer(Rows.invite("c" + i));
        }
        assertThat(batcher.stop(Duration.ofSeconds(5))).isTrue();
        assertThat(writer.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(sink.rows()).hasSize(100);
        assertThat(stored()).isEqualTo(100);
    }

    @Test
    void countsWhatIsStillHeldAtTheShutdownTimeoutAsDropped() throws InterruptedException {
        sink.down = true;
        start("homer.ingest.pipeline.batch-age", "10ms");
        for (int i = 0; i < 5; i++) {
            queue.offer(Rows.invite("c" + i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.attempts.get() >= 1);
        batcher.stop(Duration.ofSeconds(1));
        assertThat(writer.drain(Duration.ofMillis(200))).isFalse();
        await().atMost(Duration.ofSeconds(2)).until(() -> registry.find("hep.packets.dropped")
                .tags("stage", "shutdown").counter() != null);
        assertThat(registry.get("hep.packets.dropped").tags("stage", "shutdown").counter().count()).isEqualTo(5);
    }
}
