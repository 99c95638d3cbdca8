package io.hepstack.api.importer;

import io.hepstack.api.web.ApiException;
import io.hepstack.proto.capture.CaptureSplitter;
import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.BodyCensor;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.model.MethodFilter;
import io.hepstack.proto.pcap.PcapFormatException;
import io.hepstack.proto.pcap.PcapReader;
import io.hepstack.proto.pcap.PcapStats;
import io.hepstack.proto.pcap.SkipReason;
import io.hepstack.proto.store.CaptureImport;
import io.hepstack.proto.store.IngestSettings;
import io.hepstack.proto.store.IngestSettingsStore;
import io.hepstack.proto.store.MessageWriter;
import io.hepstack.proto.store.WriteResult;
import io.r2dbc.spi.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Stores what a capture file holds as hep-ingest would have stored it: each HEP packet decoded by
 * {@link HepDecoder}, each plain SIP message wrapped as a HEPv3 packet (payload type 1, capture id
 * 0, the given node), every row made by {@link MessageExtractor} and written in batches by
 * {@link MessageWriter} as an imported capture ({@link CaptureImport}: every message at its capture time
 * whatever its age, partitions created for it, kept {@code homer.api.import.retention} from the import), both
 * with the collectors' own settings as they published them ({@link IngestSettingsStore}: extraction
 * headers, partition width, retention, discarded methods, counted as skipped {@code discarded_<method>}),
 * read at the start of each import; the defaults when no collector has published yet.
 *
 * <p>Batch {@code i} of a file has the id {@code UUID.nameUUIDFromBytes("hepstack-import:<sha256>:<i>")}:
 * importing the same file again finds every batch in the ledger and stores nothing (the ledger keeps an
 * import's batch ids as long as the import may be kept). The file is read on a bounded-elastic worker, one batch in
 * memory at a time: each batch is written before the next is read.
 */
@Component
public class PcapImporter {

    private static final Logger log = LoggerFactory.getLogger(PcapImporter.class);
    private static final int MAX_CALL_IDS = 20;
    private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(2);

    private final ConnectionFactory connections;
    private final IngestSettingsStore settings;
    private final Clock clock;
    private final int batchSize;
    private final long maxInflatedSize;
    private final Duration retention;

    public PcapImporter(ConnectionFactory connections, ImportProperties props, ObjectProvider<Clock> clock) {
        this.connections = connections;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
        this.settings = new IngestSettingsStore(connections, this.clock);
        this.batchSize = props.batchSize();
        this.maxInflatedSize = props.maxInflatedSize().toBytes();
        this.retention = props.retention();
    }

    /** Skip reason of a gzip payload beyond the import's {@code max-inflated-size}. */
    static final String INFLATED_BEYOND_IMPORT_LIMIT = "inflated_beyond_import_limit";

    /**
     * Imports {@code file}, whose SHA-256 is {@code sha256}.
     *
     * @param node node name given to plain SIP messages (HEP packets keep their own), or {@code null}
     * @return the outcome; a file that is not a capture fails with a 400 {@link ApiException} carrying the reader's error
     */
    public Mono<ImportResult> importFile(Path file, byte[] sha256, String node) {
        return settings.read().flatMap(s -> Mono.fromCallable(() -> run(file, HexFormat.of().formatHex(sha256), node, s))
                .subscribeOn(Schedulers.boundedElastic()));
    }

    private ImportResult run(Path file, String sha, String node, IngestSettings s) throws IOException {
        Run r = new Run(sha, node, s);
        PcapStats stats;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            stats = PcapReader.read(in, new CaptureSplitter(r, 65535));
        } catch (PcapFormatException e) {
            String stored = r.batches == 0 ? "nothing was stored"
                    : r.stored + " messages of the " + r.batches + " batches before it were stored";
            throw new ApiException(HttpStatus.BAD_REQUEST, "not a readable capture: " + e.getMessage() + " (" + stored + ")");
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        r.flush();
        for (Map.Entry<SkipReason, Long> e : stats.skipped().entrySet()) {
            if (e.getValue() > 0) {
                r.skip("pcap_" + e.getKey().name().toLowerCase(Locale.ROOT), e.getValue());
            }
        }
        log.info("import {}: {} messages, {} stored, {} already stored, {} rejected, skipped {}", sha.substring(0, 12),
                r.messages, r.stored, r.duplicates, r.rejected, r.skipped);
        return new ImportResult(r.messages, r.stored, r.duplicates, r.rejected, r.censored, r.skipped,
                r.from == Long.MAX_VALUE ? null : micros(r.from), r.to == Long.MIN_VALUE ? null : micros(r.to),
                List.copyOf(r.callIds), stats.truncation());
    }

    private static Instant micros(long m) {
        return Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1000);
    }

    /** One import: the pending batch and the counts. */
    private final class Run implements CaptureSplitter.Listener {
        private final String sha;
        private final String node;
        private final MessageWriter writer;
        private final CaptureImport capture;
        private final MessageExtractor extractor;
        private final MethodFilter discard;
        private final BodyCensor censor;
        private final HepDecoder decoder;
        /** Bytes the gzip payloads stored so far inflated to. */
        private long inflated;
        private List<CapturedMessage> batch = new ArrayList<>();
        final Map<String, Long> skipped = new TreeMap<>();
        final Set<String> callIds = new LinkedHashSet<>();
        long messages;
        long stored;
        long duplicates;
        long rejected;
        long censored;
        int batches;
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;

        Run(String sha, String node, IngestSettings settings) {
            this.sha = sha;
            this.node = node;
            this.writer = new MessageWriter(connections, settings.partitions(), clock, settings.callRecords());
            this.capture = new CaptureImport(sha, retention);
            this.extractor = new MessageExtractor(settings.extraction());
            this.discard = settings.discard();
            this.censor = settings.censor();
            this.decoder = new HepDecoder(settings.maxInflatedPayload()); // the collectors' cap per packet
        }

        @Override
        public void onHep(byte[] packet, long timestampMicros) {
            try {
                HepPacket p = decoder.decode(packet);
                if (p.compressed()) {
                    if (inflated + p.payload().length > maxInflatedSize) { // a pcap of decompression bombs
                        skip(INFLATED_BEYOND_IMPORT_LIMIT, 1);
                        return;
                    }
                    inflated += p.payload().length;
                }
                add(p);
            } catch (HepDecodeException e) {
                skip("hep_" + e.reason().name().toLowerCase(Locale.ROOT), 1);
            }
        }

        @Override
        public void onSip(byte[] message, long micros, InetAddress srcIp, int srcPort, InetAddress dstIp, int dstPort,
                          int ipProto) {
            add(HepPacket.builder().addresses(srcIp, srcPort, dstIp, dstPort).ipProto(ipProto).timestampMicros(micros)
                    .protoType(HepPayloadType.SIP.number()).node(node).payload(message).build());
        }

        @Override
        public void onSkip(CaptureSplitter.Skip reason, String detail) {
            skip(reason.code(), 1);
        }

        void skip(String reason, long n) {
            skipped.merge(reason, n, Long::sum);
        }

        private void add(HepPacket packet) {
            HepPacket stored = censor.censor(packet); // the collectors' homer.ingest.privacy
            if (stored != packet) {
                censored++;
            }
            CapturedMessage row = extractor.extract(stored);
            messages++;
            from = Math.min(from, row.envelope().timestampMicros());
            to = Math.max(to, row.envelope().timestampMicros());
            String discarded = discard.discarded(row);
            if (discarded != null) { // the collectors' homer.ingest.filter.discard-methods
                skip("discarded_" + discarded.toLowerCase(Locale.ROOT), 1);
                return;
            }
            if (row.callId() != null && callIds.size() < MAX_CALL_IDS) {
                callIds.add(row.callId());
            }
            batch.add(row);
            if (batch.size() >= batchSize) {
                flush();
            }
        }

        /** Writes the pending batch under its deterministic id, before anything more is read. */
        void flush() {
            if (batch.isEmpty()) {
                return;
            }
            UUID id = UUID.nameUUIDFromBytes(("hepstack-import:" + sha + ":" + batches).getBytes(StandardCharsets.US_ASCII));
            WriteResult result = writer.write(capture, id, batch).block(BATCH_TIMEOUT); // on the import's worker thread
            batches++;
            if (result.alreadyStored()) {
                duplicates += batch.size();
            } else {
                stored += result.stored();
                rejected += result.rejected().size();
                if (!result.rejected().isEmpty()) {
                    log.warn("import {}: batch {} had {} rows refused, the first: {}", sha.substring(0, 12), batches - 1,
                            result.rejected().size(), result.rejected().get(0).sqlState() + " " + result.rejected().get(0).error());
                }
            }
            batch = new ArrayList<>();
        }
    }
}
