package io.hepstack.api.store;

import io.hepstack.proto.media.MediaThresholds;
import io.hepstack.proto.store.IngestSettings;
import io.hepstack.proto.sip.HeaderExtractor;
import io.hepstack.proto.store.IngestSettingsStore;
import io.r2dbc.spi.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings the collectors published ({@link IngestSettingsStore}, docs/schema.md "Ingest settings") that
 * the API's own answers depend on: what the collectors decide is decided once, by them, and read here, never
 * configured a second time. Read at each use (one row by its key, beside the dozens of rows of the flow it
 * rates), so a collector restarted with new settings is followed at once.
 */
@Component
public class CollectorSettings {

    private static final Logger log = LoggerFactory.getLogger(CollectorSettings.class);

    private final Mono<IngestSettings> published;

    CollectorSettings(ConnectionFactory connections, ObjectProvider<Clock> clock) {
        this.published = new IngestSettingsStore(connections, clock.getIfAvailable(Clock::systemUTC)).read()
                .onErrorResume(e -> {
                    log.warn("the collectors' published settings could not be read, using the defaults: {}", e.toString());
                    return Mono.just(IngestSettings.defaults());
                });
    }

    /**
     * The headers the collectors extract whole into {@code extra.headers} ({@code homer.ingest.extraction.extra-headers}
     * without a pattern): each name in lower case to its name as configured, the key it is stored under. A header
     * extracted through a pattern keeps a part of its value, so it is not among them.
     */
    public Mono<Map<String, String>> extractedHeaders() {
        return published.map(s -> {
            Map<String, String> names = new TreeMap<>();
            for (HeaderExtractor h : s.extraction().extraHeaders()) {
                if (h.pattern() == null) {
                    names.putIfAbsent(h.header().toLowerCase(Locale.ROOT), h.header());
                }
            }
            return Map.copyOf(names);
        });
    }

    /**
     * {@link #extractedHeaders()} for a request with the parameters {@code params}: read only when one of them names a
     * header ({@code header.NAME}), else none.
     */
    public Mono<Map<String, String>> extractedHeadersFor(java.util.Collection<String> params) {
        return params.stream().anyMatch(p -> p.startsWith(io.hepstack.api.query.Filter.HEADER_PREFIX)) ? extractedHeaders()
                : Mono.just(Map.of());
    }

    /** Where a stream's quality becomes a verdict, as the call records' builder rates it. */
    public Mono<MediaThresholds> mediaThresholds() {
        return published.map(IngestSettings::media);
    }
}
