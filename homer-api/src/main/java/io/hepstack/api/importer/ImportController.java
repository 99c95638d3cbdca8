package io.hepstack.api.importer;

import io.hepstack.api.auth.ApiPrincipal;
import io.hepstack.api.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.codec.multipart.PartEventHttpMessageReader;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * {@code POST /api/v1/import/pcap}: a capture uploaded as multipart part {@code file} (optional form
 * field {@code node}) is streamed to a temporary file, at most {@code homer.api.import.max-size}
 * bytes (413 beyond), hashed on the way, then stored by {@link PcapImporter}. The temporary file is
 * deleted whatever happens. An upload beyond the size is read to the bound ({@link BoundedUpload}) and then
 * refused, never cancelled inside the multipart reader. Imports per replica ({@code max-concurrent}) and per
 * caller ({@link ImportQuota}) are bounded; beyond them, 429 with {@code Retry-After}.
 */
@RestController
class ImportController {

    private static final Logger log = LoggerFactory.getLogger(ImportController.class);
    /** Multipart framing and the node field on top of the file itself. */
    private static final long FRAMING = 64 * 1024;
    private static final ResolvableType PART_EVENT = ResolvableType.forClass(PartEvent.class);

    private final PcapImporter importer;
    private final long maxSize;
    private final Semaphore running;
    private final io.micrometer.core.instrument.Counter refusedTooLarge;
    private final io.micrometer.core.instrument.Counter refusedBusy;

    private final PartEventHttpMessageReader partReader;
    private final ImportQuota quota;

    ImportController(PcapImporter importer, ImportProperties props, io.micrometer.core.instrument.MeterRegistry meters,
                     ServerCodecConfigurer codecs) {
        this.importer = importer;
        // the reader Spring would use for @RequestBody Flux<PartEvent>, with its spring.codec.* settings
        this.partReader = codecs.getReaders().stream().filter(PartEventHttpMessageReader.class::isInstance)
                .map(PartEventHttpMessageReader.class::cast).findFirst().orElseGet(PartEventHttpMessageReader::new);
        this.maxSize = props.maxSize().toBytes();
        this.running = new Semaphore(props.maxConcurrent());
        this.quota = new ImportQuota(props, meters, java.time.Clock.systemUTC());
        this.refusedTooLarge = io.micrometer.core.instrument.Counter.builder("homer.api.import.refused").tag("reason", "too_large")
                .description("Imports refused: the capture is larger than homer.api.import.max-size").register(meters);
        this.refusedBusy = io.micrometer.core.instrument.Counter.builder("homer.api.import.refused").tag("reason", "busy")
                .description("Imports refused: homer.api.import.max-concurrent were running").register(meters);
    }

    /** The form, for the OpenAPI document only (the body is read as a stream of part events). */
    record ImportForm(@Schema(type = "string", format = "binary", description = "pcap or pcapng capture") String file,
                      @Schema(description = "node name given to plain SIP messages") String node) {
    }

    @Operation(summary = "Store a capture's SIP (plain SIP and HEP, over UDP or TCP, any port) as the collector would",
            description = "Roles admin and user, not tenant-scoped (403). Idempotent per file content (batch ids from its SHA-256). "
                    + "413 beyond homer.api.import.max-size; 400 with the reader's error when it is not a capture.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = ImportForm.class))))
    @PostMapping(path = "/api/v1/import/pcap", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ImportResult> importPcap(ServerHttpRequest request, @AuthenticationPrincipal ApiPrincipal principal) {
        if (principal != null && !principal.scope().all()) {
            // an import writes messages for every tenant to see; a scoped caller could plant rows in another's scope
            return Mono.error(new ApiException(HttpStatus.FORBIDDEN,
                    "a tenant-scoped account or token may not import captures: ask an unscoped user or an admin"));
        }
        long declared = request.getHeaders().getContentLength();
        if (declared > maxSize + FRAMING) {
            return Mono.error(tooLarge());
        }
        BoundedUpload body = BoundedUpload.of(request, maxSize + FRAMING);
        if (body == null) {
            return Mono.error(ApiException.badRequest("Content-Type: a multipart/form-data boundary is required"));
        }
        ImportQuota.Import mine;
        try {
            mine = quota.start(principal == null ? "anonymous" : principal.key());
        } catch (ApiException e) {
            return Mono.error(e);
        }
        if (!running.tryAcquire()) {
            mine.end(0);
            refusedBusy.increment();
            return Mono.error(ApiException.tooManyRequests(
                    "too many imports running at once (homer.api.import.max-concurrent): try again when one has finished",
                    java.time.Duration.ofSeconds(1)));
        }
        java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        return Mono.usingWhen(
                        Mono.fromCallable(Upload::new).subscribeOn(Schedulers.boundedElastic()),
                        upload -> receive(partReader.read(PART_EVENT, body, Map.of()), upload).then(Mono.defer(() -> {
                            if (upload.tooLarge || body.cut()) {
                                return Mono.error(tooLarge());
                            }
                            if (upload.refusal != null) {
                                return Mono.error(upload.refusal);
                            }
                            if (!upload.sawFile) {
                                return Mono.error(ApiException.badRequest(
                                        "multipart part \"file\" missing: send the capture as form field \"file\""));
                            }
                            log.info("import by {}: {} bytes, node {}", principal == null ? "?" : principal.name(),
                                    upload.size, upload.node);
                            return importer.importFile(upload.path, upload.digest.digest(), upload.node);
                        })),
                        upload -> finish(upload, received),
                        (upload, e) -> finish(upload, received),
                        upload -> finish(upload, received))
                .doFinally(s -> {
                    running.release();
                    mine.end(received.get());
                });
    }

    /** Deletes the upload's file, keeping its size for the caller's quota. */
    private static Mono<Void> finish(Upload upload, java.util.concurrent.atomic.AtomicLong received) {
        return Mono.<Void>fromRunnable(() -> {
            received.set(upload.size);
            upload.delete();
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * Writes the file part to the upload (blocking writes on a bounded-elastic worker), keeps the node field. Reads
     * every part to its end (beyond max-size the content is released unwritten, a bad node field is refused once the
     * form is read): an error thrown here would cancel the multipart reader, which leaks its queued buffers.
     */
    private Mono<Void> receive(Flux<PartEvent> parts, Upload upload) {
        return parts.publishOn(Schedulers.boundedElastic(), 16).doOnNext(event -> {
            DataBuffer content = event.content();
            try {
                if (event instanceof FilePartEvent && "file".equals(event.name())) {
                    upload.sawFile = true;
                    upload.append(content);
                } else if (event instanceof FormPartEvent form && "node".equals(event.name())) {
                    try {
                        upload.node = node(form.value());
                    } catch (ApiException e) {
                        upload.refusal = e;
                    }
                }
            } finally {
                DataBufferUtils.release(content);
            }
        }).doOnDiscard(PartEvent.class, e -> DataBufferUtils.release(e.content())).then()
                .onErrorMap(DecodingException.class, e -> ApiException.badRequest("not a readable multipart form: " + e.getMessage()));
    }

    private static String node(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > 256 || value.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("node: at most 256 characters, no control characters");
        }
        return value;
    }

    private ApiException tooLarge() {
        refusedTooLarge.increment();
        return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "the capture is larger than the "
                + maxSize + " bytes an import may hold (homer.api.import.max-size): split it (editcap -c) and import the parts");
    }

    /** The uploaded file: a temporary file, its size and SHA-256 so far. */
    private final class Upload {
        final Path path;
        final FileChannel channel;
        final MessageDigest digest;
        long size;
        boolean sawFile;
        /** Beyond max-size: the rest is not written, the import refused once the form is read. */
        boolean tooLarge;
        /** A field refused (the node), answered once the form is read. */
        ApiException refusal;
        String node;

        Upload() throws IOException {
            path = Files.createTempFile("hepstack-import-", ".pcap");
            channel = FileChannel.open(path, StandardOpenOption.WRITE);
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every JVM", e);
            }
        }

        void append(DataBuffer content) {
            size += content.readableByteCount();
            if (size > maxSize) {
                tooLarge = true;
            }
            if (tooLarge) {
                return;
            }
            try (DataBuffer.ByteBufferIterator it = content.readableByteBuffers()) {
                while (it.hasNext()) {
                    ByteBuffer b = it.next();
                    digest.update(b.duplicate());
                    while (b.hasRemaining()) {
                        channel.write(b);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void delete() {
            try {
                channel.close();
                Files.deleteIfExists(path);
            } catch (IOException e) {
                log.warn("could not delete {}: {}", path, e.getMessage());
            }
        }
    }
}
