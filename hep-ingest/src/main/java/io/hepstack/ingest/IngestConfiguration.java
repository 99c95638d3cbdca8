package io.hepstack.ingest;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.ingest.listen.HepListeners;
import io.hepstack.ingest.media.MediaKpis;
import io.hepstack.ingest.sip.SecurityEvents;
import io.hepstack.ingest.sip.SipKpis;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.model.MessageExtractor;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** Wires the collector: listeners → pipeline → queue → batcher → writer → {@link BatchSink}. */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

    @Bean
    MetricsAccess metricsAccess(IngestProperties props,
                                @org.springframework.beans.factory.annotation.Value("${server.address:}") String serverAddress,
                                @org.springframework.beans.factory.annotation.Value("${server.port:9096}") int port) {
        MetricsAccess.warnWhenOpen(props.metrics(), serverAddress.isEmpty() ? null : serverAddress, port);
        return new MetricsAccess(props.metrics());
    }

    @Bean
    IngestMetrics ingestMetrics(MeterRegistry registry) {
        return new IngestMetrics(registry);
    }

    @Bean
    RowExtractor rowExtractor(IngestProperties props) {
        return new MessageExtractor(props.extraction().settings())::extract;
    }

    @Bean
    SipKpis sipKpis(MeterRegistry registry, IngestProperties props) {
        return new SipKpis(registry, props.kpi());
    }

    @Bean
    SecurityEvents securityEvents(MeterRegistry registry, IngestProperties props) {
        return new SecurityEvents(registry, props.security(), props.kpi().maxNodes());
    }

    @Bean
    MediaKpis mediaKpis(MeterRegistry registry, IngestProperties props) {
        return new MediaKpis(registry, props.kpi());
    }

    @Bean
    MessageQueue messageQueue(IngestProperties props, IngestMetrics metrics) {
        return new MessageQueue(props.pipeline(), metrics);
    }

    @Bean
    HepForwarder hepForwarder(IngestProperties props, IngestMetrics metrics) {
        return new HepForwarder(props.forward(), metrics);
    }

    @Bean
    IngestPipeline ingestPipeline(IngestProperties props, RowExtractor extractor, SipKpis kpis,
                                  SecurityEvents security, MediaKpis media, MessageQueue queue, HepForwarder forwarder,
                                  IngestMetrics metrics) {
        AgentClocks clocks = new AgentClocks(props.storage().clockTolerance(), AgentClocks.MAX_SOURCES,
                Clock.systemUTC(), metrics.registry());
        AuthPolicy.warnings(props).forEach(w -> org.slf4j.LoggerFactory.getLogger(AuthPolicy.class).warn(w));
        return new IngestPipeline(new HepDecoder(props.pipeline().maxInflatedPayloadBytes()), new AuthPolicy(props.auth()), dedup(props.dedup()),
                forwarder.enabled() ? forwarder : null,
                props.privacy().censor(),
                extractor, kpis.andThen(security).andThen(media), props.filter(), queue, metrics, clocks);
    }

    static DuplicateFilter dedup(IngestProperties.Dedup d) {
        return d.enabled() ? new DuplicateFilter(d.window(), d.maxEntries(), System::nanoTime) : null;
    }

    @Bean
    BatchWriter batchWriter(BatchSink sink, IngestProperties props, IngestMetrics metrics) {
        return new BatchWriter(sink, props.writer(), metrics);
    }

    @Bean
    Batcher batcher(MessageQueue queue, BatchWriter writer, IngestProperties props, IngestMetrics metrics) {
        return new Batcher(queue, writer, props.pipeline(), metrics);
    }

    @Bean
    HepListeners hepListeners(IngestProperties props, IngestPipeline pipeline, IngestMetrics metrics) {
        return new HepListeners(props, pipeline, metrics);
    }

    @Bean
    IngestLifecycle ingestLifecycle(HepListeners listeners, Batcher batcher, BatchWriter writer, IngestProperties props) {
        return new IngestLifecycle(listeners, batcher, writer, props.shutdownTimeout(), props.shutdownDrain());
    }
}
