package io.hepstack.api.importer;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.Http;
import io.hepstack.api.TestApp;
import io.hepstack.api.web.Times;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MethodFilter;
import io.hepstack.proto.sip.HeaderExtractor;
import io.hepstack.proto.store.IngestSettings;
import io.hepstack.proto.store.IngestSettingsStore;
import io.hepstack.proto.store.PartitionPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/v1/import/pcap} with the Kamailio siptrace captures, stored in a real PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"homer.api.import.max-size=1MB", "homer.api.import.batch-size=100", "homer.api.import.max-inflated-size=3MB"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SuppressWarnings("unchecked")
class PcapImportIT extends AdminApiIT {

    static List<CapturedMessage> kamailio;
    static String from;
    static String to;

    /** The writer's clock just after the capture, so that its timestamps are believed whenever the test runs. */
    @TestConfiguration
    static class CaptureTime {
        @Bean
        Clock importClock() {
            long last = Fixture.kamailio().stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
            return Clock.fixed(Instant.ofEpochSecond(last / 1_000_000 + 60), ZoneOffset.UTC);
        }
    }

    @BeforeAll
    static void readTheFixture() {
        kamailio = Fixture.kamailio();
        from = Times.format(Fixture.instant(kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).min().orElseThrow()));
        to = Times.format(Fixture.instant(kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow() + 1));
    }

    @Override
    protected java.time.Duration patience() {
        return java.time.Duration.ofSeconds(120);
    }

    @Test
    @Order(1)
    void storesEveryHepMessageOfTheCaptureOnceAndServesItsFlows() {
        Map<String, Object> result = upload(admin, resource("hep.pcap"), null).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(result).containsEntry("messages", 580).containsEntry("stored", 580).containsEntry("duplicates", 0)
                .containsEntry("rejected", 0).containsEntry("skipped", Map.of()).containsEntry("truncation", null)
                .containsEntry("from", from);
        assertThat(result.get("to")).isEqualTo(Times.format(Fixture.instant(
                kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow())));
        List<String> firstCallIds = kamailio.stream().map(CapturedMessage::callId).distinct().limit(20).toList();
        assertThat((List<String>) result.get("callIds")).containsExactlyElementsOf(firstCallIds);
        assertThat(kamailio.stream().map(CapturedMessage::callId).collect(Collectors.toSet())).hasSize(80);

        String callId = kamailio.stream().filter(m -> "INVITE".equals(m.sip().method()) && !m.callId().startsWith("busy"))
                .findFirst().orElseThrow().callId();
        long expected = kamailio.stream().filter(m -> callId.equals(m.callId())).count();
        assertThat(flowSize(callId)).isEqualTo(expected).isGreaterThan(7);

        Map<String, Object> again = upload(admin, resource("hep.pcap"), null).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(again).containsEntry("messages", 580).containsEntry("stored", 0).containsEntry("duplicates", 580);
        assertThat(flowSize(callId)).isEqualTo(expected);
    }

    @Test
    @Order(2)
    void storesThePlainSipOfAWireCaptureWithTheGivenNodeBesideItsHepCopies() {
        Map<String, Object> result = upload(admin, resource("sip.pcap"), "lab-1").expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(result).containsEntry("messages", 1160).containsEntry("stored", 1160).containsEntry("rejected", 0);
        // the wire capture's clock runs a little behind Kamailio's HEP timestamps: search a minute around them
        String wideFrom = Times.format(Instant.parse(from).minusSeconds(60));
        String wideTo = Times.format(Instant.parse(to).plusSeconds(60));
        Map<String, Object> page = admin.get().uri(b -> b.path("/api/v1/messages").queryParam("from", "{f}")
                        .queryParam("to", "{t}").queryParam("node", "lab-1").queryParam("limit", "1000").build(wideFrom, wideTo))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
        assertThat(items).hasSize(580).allSatisfy(m -> assertThat(m.get("captureId")).isEqualTo(0));
        assertThat(items.stream().map(m -> m.get("callId")).collect(Collectors.toSet())).hasSize(80);
    }

    @Test
    @Order(3)
    void storesWithTheSettingsTheCollectorsPublished(@Autowired PcapImporter importer, @TempDir Path dir) throws Exception {
        // a collector configured with an extra header publishes its settings; the next import uses them
        IngestSettings collectors = new IngestSettings(PartitionPolicy.defaults(), new ExtractionSettings(
                List.of(HeaderExtractor.parse("X-CID")), List.of(HeaderExtractor.parse("CSeq"))), MethodFilter.NONE,
                io.hepstack.proto.hep.HepDecoder.DEFAULT_MAX_INFLATED_PAYLOAD, io.hepstack.proto.model.BodyCensor.OFF, true,
                io.hepstack.proto.media.MediaThresholds.DEFAULTS);
        new IngestSettingsStore(db.connectionFactory(), Clock.systemUTC()).publish(collectors, "ingest-test")
                .block(java.time.Duration.ofSeconds(30));
        Path file = dir.resolve("sip.pcap");
        Files.write(file, resource("sip.pcap").bytes);
        ImportResult result = importer.importFile(file, new byte[32], "lab-settings").block(java.time.Duration.ofMinutes(2));
        assertThat(result.stored()).isEqualTo(1160);
        try (java.sql.Connection c = db.openJdbc(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet r = s.executeQuery("SELECT count(*) FILTER (WHERE extra -> 'headers' ? 'CSeq'), "
                     + "count(*) FROM messages WHERE node = 'lab-settings' AND parsed")) {
            r.next();
            assertThat(r.getLong(2)).isPositive();
            assertThat(r.getLong(1)).as("every parsed SIP row of the import carries the collectors' extra header")
                    .isEqualTo(r.getLong(2));
        }
        try (java.sql.Connection c = db.openJdbc(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet r = s.executeQuery("SELECT count(DISTINCT f.call_id), (SELECT count(DISTINCT call_id) "
                     + "FROM messages_call WHERE node = 'lab-settings'), count(*) FILTER (WHERE f.import_id IS DISTINCT FROM "
                     + "repeat('0', 64)) FROM call_changes f JOIN messages_call m ON m.call_id = f.call_id AND m.node = 'lab-settings'")) {
            r.next();
            assertThat(r.getLong(2)).isPositive();
            assertThat(r.getLong(1)).as("the collectors keep call records: the import names every call it stored to their builder")
                    .isEqualTo(r.getLong(2));
            assertThat(r.getLong(3)).as("each change names the import (its file's SHA-256), so its calls are read whatever their age")
                    .isZero();
        }
        new IngestSettingsStore(db.connectionFactory(), Clock.systemUTC()).publish(IngestSettings.defaults(), null)
                .block(java.time.Duration.ofSeconds(30));
    }

    @Test
    @Order(4)
    void skipsTheMethodsTheCollectorsDiscard(@Autowired PcapImporter importer, @TempDir Path dir) throws Exception {
        new IngestSettingsStore(db.connectionFactory(), Clock.systemUTC()).publish(new IngestSettings(PartitionPolicy.defaults(),
                ExtractionSettings.DEFAULT, MethodFilter.of(List.of("OPTIONS")), io.hepstack.proto.hep.HepDecoder.DEFAULT_MAX_INFLATED_PAYLOAD,
                io.hepstack.proto.model.BodyCensor.OFF, false, io.hepstack.proto.media.MediaThresholds.DEFAULTS),
                "ingest-test").block(java.time.Duration.ofSeconds(30));
        Path file = dir.resolve("hep.pcap");
        Files.write(file, resource("hep.pcap").bytes);
        long options = kamailio.stream().filter(m -> "OPTIONS".equals(m.sip().cseqMethod())).count();
        ImportResult result = importer.importFile(file, java.util.Arrays.copyOf(new byte[] {4}, 32), null).block(java.time.Duration.ofMinutes(2));
        assertThat(options).isPositive();
        assertThat(result.messages()).isEqualTo(580);
        assertThat(result.stored()).isEqualTo(580 - options);
        assertThat(result.skipped()).containsEntry("discarded_options", options);
        new IngestSettingsStore(db.connectionFactory(), Clock.systemUTC()).publish(IngestSettings.defaults(), null)
                .block(java.time.Duration.ofSeconds(30));
    }

    @Test
    @Order(4)
    void censorsBodiesAsTheCollectorsDo(@Autowired PcapImporter importer, @TempDir Path dir) throws Exception {
        // collectors configured to keep no body but text/plain: the fixture's SDP bodies are censored
        new IngestSettingsStore(db.connectionFactory(), Clock.systemUTC()).publish(new IngestSettings(PartitionPolicy.defaults(),
                ExtractionSettings.DEFAULT, MethodFilter.NONE, io.hepstack.proto.hep.HepDecoder.DEFAULT_MAX_INFLATED_PAYLOAD,
                io.hepstack.proto.model.BodyCensor.keeping(List.of("text/plain")), false,
                io.hepstack.proto.media.MediaThresholds.DEFAULTS), "ingest-test").block(java.time.Duration.ofSeconds(30));
        Path file = dir.resolve("hep.pcap");
        Files.write(file, resource("hep.pcap").bytes);
        long withBody = kamailio.stream().filter(m -> new String(m.payload(), java.nio.charset.StandardCharsets.UTF_8)
                .contains("\r\n\r\nv=0")).count();
        ImportResult result = importer.importFile(file, java.util.Arrays.copyOf(new byte[] {6}, 32), "lab-censor")
                .block(java.time.Duration.ofMinutes(2));
        assertThat(withBody).isPositive();
        assertThat(result.stored()).isEqualTo(580);
        assertThat(result.censored()).isEqualTo(withBody);
        try (java.sql.Connection c = db.openJdbc(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet r = s.executeQuery("SELECT count(*) FILTER (WHERE payload_text LIKE '%[censored % bytes]'), "
                     + "count(*) FILTER (WHERE payload_text LIKE '%v=0%') FROM messages WHERE capture_id = 2001 "
                     + "AND id > (SELECT coalesce(max(id), 0) FROM messages) - 580")) {
            r.next();
            assertThat(r.getLong(1)).as("rows stored with a censored body").isEqualTo(withBody);
            assertThat(r.getLong(2)).as("rows stored with SDP").isZero();
        }
        new IngestSettingsStore(db.connectionFactory(), Clock.systemUTC()).publish(IngestSettings.defaults(), null)
                .block(java.time.Duration.ofSeconds(30));
    }

    /**
     * A capture of decompression bombs: 40 HEP packets of a few hundred bytes each whose gzip payloads inflate
     * to 200 KB (below the collectors' default cap of 256 KiB) and 4 inflating to 1 MiB (above it). The import
     * (max-inflated-size 3MB here) stores what fits in its bound and skips the rest, counted by reason.
     */
    @Test
    @Order(5)
    void boundsWhatGzipPayloadsInflateToPerPacketAndPerImport(@Autowired PcapImporter importer, @TempDir Path dir) throws Exception {
        List<io.hepstack.proto.pcap.PcapMessage> frames = new java.util.ArrayList<>();
        java.net.InetAddress agent = java.net.InetAddress.getByName("192.0.2.10");
        java.net.InetAddress collector = java.net.InetAddress.getByName("192.0.2.20");
        long t0 = Fixture.instant(kamailio.get(0).envelope().timestampMicros()).toEpochMilli() * 1000;
        for (int i = 0; i < 44; i++) {
            byte[] payload = new byte[i < 40 ? 200_000 : 1 << 20];
            byte[] sip = ("MESSAGE sip:bomb@x SIP/2.0\r\nCall-ID: bomb-" + i + "@x\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.arraycopy(sip, 0, payload, 0, sip.length);
            io.hepstack.proto.hep.HepPacket hep = io.hepstack.proto.hep.HepPacket.builder()
                    .addresses(agent, 5060, collector, 5060).ipProto(17).timestampMicros(t0 + i).protoType(1)
                    .captureId(7).node("bomb-agent").payload(payload).compressed(true).build();
            byte[] wire = io.hepstack.proto.hep.HepEncoder.encode(hep);
            assertThat(wire.length).isLessThan(1500);
            frames.add(new io.hepstack.proto.pcap.PcapMessage(t0 + i, agent, 40000, collector, 9060,
                    io.hepstack.proto.pcap.Transport.UDP, wire));
        }
        Path file = dir.resolve("bombs.pcap");
        try (java.io.OutputStream out = Files.newOutputStream(file)) {
            io.hepstack.proto.pcap.PcapWriter.write(out, frames);
        }
        assertThat(Files.size(file)).isLessThan(60_000);
        ImportResult result = importer.importFile(file, java.util.Arrays.copyOf(new byte[] {5}, 32), null)
                .block(java.time.Duration.ofMinutes(2));
        // 3 MB hold 15 payloads of 200 KB; 25 more are beyond the import's bound; the 4 of 1 MiB beyond each packet's
        assertThat(result.stored()).isEqualTo(15);
        assertThat(result.skipped()).containsEntry(PcapImporter.INFLATED_BEYOND_IMPORT_LIMIT, 25L)
                .containsEntry("hep_payload_too_large", 4L);
    }

    @Test
    void refusesAFileThatIsNotACaptureWithTheReadersErrorAndStoresNothing() {
        byte[] garbage = "this is not a capture file, only text".getBytes();
        Map<String, Object> error = upload(admin, new Named(garbage, "notes.pcap"), null).expectStatus().isBadRequest()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(error.get("message")).isEqualTo("not a readable capture: file header at offset 0: magic 0x74686973 "
                + "(expected: pcap a1b2c3d4 or a1b23c4d in either byte order, or pcapng 0a0d0d0a) (nothing was stored)");
    }

    @Test
    void refusesACaptureLargerThanTheLimitWith413(@Autowired io.micrometer.core.instrument.MeterRegistry meters) {
        double before = meters.counter("homer.api.import.refused", "reason", "too_large").count();
        byte[] big = new byte[1024 * 1024 + 1];
        Map<String, Object> error = upload(admin, new Named(big, "big.pcap"), null).expectStatus().isEqualTo(413)
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(error).containsEntry("error", "payload_too_large");
        assertThat((String) error.get("message")).startsWith("the capture is larger than the 1048576 bytes");
        assertThat(meters.counter("homer.api.import.refused", "reason", "too_large").count()).isEqualTo(before + 1);
    }

    /**
     * An upload twice the limit, sent without a length (as browsers and WebTestClient send a form): refused with 413
     * when the bound is crossed, and the multipart parser's buffers of what was not read are released.
     */
    @Test
    void refusesAnUploadFarBeyondTheLimitLeavingNoBufferBehind() {
        int leaksBefore = io.hepstack.proto.testing.NettyLeaks.count();
        byte[] big = new byte[2 * 1024 * 1024];
        for (int i = 0; i < 3; i++) {
            upload(admin, new Named(big, "big.pcap"), null).expectStatus().isEqualTo(413)
                    .expectBody(Map.class).value(e -> assertThat(e).containsEntry("error", "payload_too_large"));
        }
        io.hepstack.proto.testing.NettyLeaks.collect();
        List<String> leaks = io.hepstack.proto.testing.NettyLeaks.take(leaksBefore);
        assertThat(leaks).as("Netty reported %d leaked buffer(s):%n%s", leaks.size(), String.join("\n", leaks)).isEmpty();
    }

    /** A node field refused (too long) before a large file part: 400 once the form is read, no buffer left behind. */
    @Test
    void refusesABadNodeFieldBeforeALargeFileLeavingNoBufferBehind() {
        int leaksBefore = io.hepstack.proto.testing.NettyLeaks.count();
        for (int i = 0; i < 3; i++) {
            MultipartBodyBuilder form = new MultipartBodyBuilder();
            form.part("node", "n".repeat(300));
            form.part("file", new ByteArrayResource(new byte[900 * 1024]) {
                @Override
                public String getFilename() {
                    return "after-the-node.pcap";
                }
            }).contentType(MediaType.APPLICATION_OCTET_STREAM);
            admin.post().uri("/api/v1/import/pcap").contentType(MediaType.MULTIPART_FORM_DATA)
                    .body(BodyInserters.fromMultipartData(form.build())).exchange().expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.message").isEqualTo("node: at most 256 characters, no control characters");
        }
        io.hepstack.proto.testing.NettyLeaks.collect();
        List<String> leaks = io.hepstack.proto.testing.NettyLeaks.take(leaksBefore);
        assertThat(leaks).as("Netty reported %d leaked buffer(s):%n%s", leaks.size(), String.join("\n", leaks)).isEmpty();
    }

    @Test
    void refusesAFormWithoutTheFilePart() {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("node", "x");
        admin.post().uri("/api/v1/import/pcap").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build())).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").isEqualTo("multipart part \"file\" missing: send the capture as form field \"file\"");
    }

    @Test
    void aViewerMayNotImportAndAnonymousCallersAreAskedToLogIn() {
        admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "vera", "password", "vera-password-1", "role", "viewer"))
                .exchange().expectStatus().isCreated().expectBody(Void.class);
        WebTestClient viewer = Http.as(anonymous, Http.login(anonymous, "vera", "vera-password-1"));
        upload(viewer, resource("hep.pcap"), null).expectStatus().isForbidden().expectBody(Void.class);
        upload(anonymous, resource("hep.pcap"), null).expectStatus().isUnauthorized().expectBody(Void.class);
    }

    @Test
    void theOpenApiDocumentShowsTheImportAndTheSippExport() {
        anonymous.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.paths['/api/v1/import/pcap'].post").exists()
                .jsonPath("$.paths['/api/v1/calls/{callId}/sipp'].get").exists()
                .jsonPath("$.paths['/api/v1/shared/{token}/sipp'].get").exists();
    }

    private long flowSize(String callId) {
        Map<String, Object> flow = admin.get().uri(b -> b.path("/api/v1/calls/{id}/flow").queryParam("from", "{f}")
                        .queryParam("to", "{t}").build(callId, from, to))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return ((List<?>) flow.get("messages")).size();
    }

    private static WebTestClient.ResponseSpec upload(WebTestClient client, Named file, String node) {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("file", new ByteArrayResource(file.bytes) {
            @Override
            public String getFilename() {
                return file.name;
            }
        }).contentType(MediaType.APPLICATION_OCTET_STREAM);
        if (node != null) {
            form.part("node", node);
        }
        return client.post().uri("/api/v1/import/pcap").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build())).exchange();
    }

    private record Named(byte[] bytes, String name) {
    }

    private static Named resource(String name) {
        try (InputStream in = PcapImportIT.class.getResourceAsStream("/fixtures/kamailio-siptrace/" + name)) {
            return new Named(in.readAllBytes(), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
