package io.hepstack.tools.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.proto.hep.HepEncoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service jars as an operator starts them with no configuration besides where the database is and which
 * ports to use: a B2BUA's B-leg that names its A-leg in {@code X-CID} is correlated end to end (hep-ingest
 * extracts the header by default, homer-api's flow of the A-leg shows both legs). Logs: {@code target/e2e/}.
 */
class ZeroConfigStackIT {

    static final String ADMIN_PASSWORD = "zero-config-admin-password";
    static final Path LOGS = Path.of("target", "e2e").toAbsolutePath();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestDatabase db = TestDatabase.empty();

    static final List<ChildProcess> processes = new ArrayList<>();
    static int hepPort;
    static int apiPort;

    @BeforeAll
    static void startTheJarsWithNoConfiguration() throws Exception {
        List<Integer> ports = new ArrayList<>();
        hepPort = ChildProcess.freePort(ports);
        int ingestHttp = ChildProcess.freePort(ports);
        apiPort = ChildProcess.freePort(ports);
        List<String> database = List.of("--spring.r2dbc.url=" + db.r2dbcUrl(), "--spring.r2dbc.username=" + db.user(),
                "--spring.r2dbc.password=" + (db.password() == null ? "unused" : db.password()));
        List<String> ingestArgs = new ArrayList<>(List.of("--server.address=127.0.0.1", "--server.port=" + ingestHttp,
                "--homer.ingest.udp.host=127.0.0.1", "--homer.ingest.udp.port=" + hepPort,
                "--homer.ingest.tcp.host=127.0.0.1", "--homer.ingest.tcp.port=" + hepPort));
        ingestArgs.addAll(database);
        ChildProcess ingest = started(ChildProcess.java("zero-config-ingest", LOGS, ChildProcess.jar("hepstack.ingest.jar", "hep-ingest"),
                "192m", ingestArgs));
        List<String> apiArgs = new ArrayList<>(List.of("--server.address=127.0.0.1", "--server.port=" + apiPort,
                "--homer.api.auth.admin-password=" + ADMIN_PASSWORD));
        apiArgs.addAll(database);
        ChildProcess api = started(ChildProcess.java("zero-config-api", LOGS, ChildProcess.jar("hepstack.api.jar", "homer-api"), "192m", apiArgs));
        Duration boot = Duration.ofSeconds(150);
        ingest.awaitHttp200("http://127.0.0.1:" + ingestHttp + "/actuator/health/readiness", boot);
        ingest.awaitLog("partition maintenance:", boot); // schema migrated, partitions created
        api.awaitHttp200("http://127.0.0.1:" + apiPort + "/actuator/health/readiness", boot);
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }

    @Test
    void aBLegNamingItsALegInXCidIsCorrelatedWithoutConfiguration() throws Exception {
        String aLeg = "zero-a-" + System.nanoTime() + "@10.0.0.1";
        String bLeg = "zero-b-" + System.nanoTime() + "@10.0.0.2";
        Instant now = Instant.now();
        try (DatagramSocket socket = new DatagramSocket()) {
            send(socket, invite(aLeg, null, "10.0.0.1", "10.0.0.2"), now);
            send(socket, invite(bLeg, aLeg, "10.0.0.2", "10.0.0.3"), now.plusMillis(5));
        }
        String token = login();
        String range = "from=" + enc(now.minusSeconds(60).toString()) + "&to=" + enc(now.plusSeconds(60).toString());
        JsonNode flow = null;
        for (long end = System.nanoTime() + Duration.ofSeconds(30).toNanos(); System.nanoTime() < end; Thread.sleep(200)) {
            HttpResponse<String> r = get(token, "/api/v1/calls/" + enc(aLeg) + "/flow?" + range);
            if (r.statusCode() == 200 && JSON.readTree(r.body()).get("messages").size() == 2) {
                flow = JSON.readTree(r.body());
                break;
            }
        }
        assertThat(flow).as("the A-leg's flow with both INVITEs stored (logs in " + LOGS + ")").isNotNull();
        List<String> callIds = new ArrayList<>();
        flow.get("callIds").forEach(c -> callIds.add(c.asText()));
        assertThat(callIds).containsExactly(aLeg, bLeg);
    }

    private static byte[] invite(String callId, String xCid, String from, String to) {
        String sip = "INVITE sip:bob@" + to + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + from + ":5060;branch=z9hG4bK-" + callId.hashCode() + "\r\n"
                + "From: <sip:alice@" + from + ">;tag=a" + callId.hashCode() + "\r\n"
                + "To: <sip:bob@" + to + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + (xCid == null ? "" : "X-CID: " + xCid + "\r\n")
                + "Content-Length: 0\r\n\r\n";
        return sip.getBytes(StandardCharsets.US_ASCII);
    }

    private static void send(DatagramSocket socket, byte[] sip, Instant at) throws Exception {
        HepPacket packet = new HepPacket(3, 2, 17, InetAddress.getByName("10.0.0.1"), InetAddress.getByName("10.0.0.2"),
                5060, 5060, at.getEpochSecond(), at.getNano() / 1000, 1, 2001, null, null, null, null, sip, false, null);
        byte[] hep = HepEncoder.encode(packet);
        socket.send(new DatagramPacket(hep, hep.length, InetAddress.getLoopbackAddress(), hepPort));
    }

    private static String login() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/v1/auth/login"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("token").asText();
    }

    private static HttpResponse<String> get(String token, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static ChildProcess started(ChildProcess p) {
        processes.add(p);
        return p;
    }

}
