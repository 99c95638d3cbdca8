package io.hepstack.ingest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MessageQueueTest {

    private final MessageQueue queue = new MessageQueue(TestCollector.properties(Map.of(
            "homer.ingest.pipeline.queue-capacity", "20",
            "homer.ingest.pipeline.pause-above", "10",
            "homer.ingest.pipeline.resume-below", "5")).pipeline(), new IngestMetrics(new SimpleMeterRegistry()));

    @Test
    void refusesDatagramsAtCapacity() {
        for (int i = 0; i < 20; i++) {
            assertThat(queue.offer(Rows.invite("c" + i))).isTrue();
        }
        assertThat(queue.offer(Rows.invite("x"))).isFalse();
        assertThat(queue.size()).isEqualTo(20);
    }

    @Test
    void takesEveryStreamMessageAndPausesTheConnectionAboveTheHighWatermarkUntilBelowTheLow() {
        EmbeddedChannel ch = new EmbeddedChannel();
        for (int i = 0; i < 30; i++) {
            queue.put(Rows.invite("c" + i), ch);
        }
        assertThat(queue.size()).isEqualTo(30);
        assertThat(ch.config().isAutoRead()).isFalse();
        queue.drainTo(new ArrayList<>(), 24);
        queue.resumeIfDrained();
        assertThat(ch.config().isAutoRead()).isFalse();
        queue.drainTo(new ArrayList<>(), 2);
        queue.resumeIfDrained();
        assertThat(ch.config().isAutoRead()).isTrue();
        ch.finishAndReleaseAll();
    }
}
