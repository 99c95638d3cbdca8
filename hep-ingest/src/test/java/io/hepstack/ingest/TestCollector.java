package io.hepstack.ingest;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.ingest.listen.HepListeners;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.ingest.sip.SipKpis;
import io.hepstack.proto.hep.HepDecoder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** The collector assembled as the application does, on loopback port 0, around a given sink. */
final class TestCollector implements AutoCloseable {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final IngestProperties props;
    final HepListeners listeners;
    private final IngestLifecycle lifecycle;
    private final HepForwarder forwarder;

    TestCollector(BatchSink sink, Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>(Map.of(
                "homer.ingest.udp.host", "127.0.0.1", "homer.ingest.udp.port", "0",
                "homer.ingest.tcp.host", "127.0.0.1", "homer.ingest.tcp.port", "0",
                "homer.ingest.writer.retry-initial-backoff", "10ms",
                "homer.ingest.writer.retry-max-backoff", "50ms"));
        p.putAll(overrides);
        props = properties(p);
        IngestMetrics metrics = new IngestMetrics(registry);
        MessageQueue queue = new MessageQueue(props.pipeline(), metrics);
        forwarder = new HepForwarder(props.forward(), metrics);
        IngestPipeline pipeline = new IngestPipeline(new HepDecoder(), new AuthPolicy(props.auth()),
                IngestConfiguration.dedup(props.dedup()), forwarder.enabled() ? forwarder : null,
                props.privacy().censor(),
                new MessageExtractor(ExtractionSettings.DEFAULT)::extract, new SipKpis(registry, props.kpi()), props.filter(), queue, metrics,
                new AgentClocks(props.storage().clockTolerance(), AgentClocks.MAX_SOURCES, Clock.systemUTC(), registry));
        BatchWriter writer = new BatchWriter(sink, props.writer(), metrics);
        listeners = new HepListeners(props, pipeline, metrics);
        lifecycle = new IngestLifecycle(listeners, new Batcher(queue, writer, props.pipeline(), metrics), writer,
                props.shutdownTimeout(), props.shutdownDrain());
        lifecycle.start();
    }

    static IngestProperties properties(Map<String, String> p) {
        return new Binder(new MapConfigurationPropertySource(p)).bindOrCreate("homer.ingest", IngestProperties.class);
    }

    InetSocketAddress udp() {
        return listeners.udpAddress();
    }

    InetSocketAddress tcp() {
        return listeners.tcpAddress();
    }

    /** Sum of a counter over the series matching the tags. */
    double gauge(String name, String... tags) {
        io.micrometer.core.instrument.Gauge g = registry.find(name).tags(tags).gauge();
        return g == null ? 0 : g.value();
    }

    double count(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    @Override
    public void close() {
        lifecycle.stop();
        forwarder.close();
    }
}
