package io.hepstack.tools.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.hepstack.proto.hep.HepEncoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.store.testing.TestDatabase;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alerting end to end on loopback: Debian's Prometheus scrapes a real hep-ingest and evaluates the rules of
 * {@code deploy/prometheus/rules/} (windows and {@code for:} durations divided by 15, so that minutes become
 * seconds), Debian's Alertmanager routes them with {@code deploy/prometheus/alertmanager.yml} (its addresses
 * pointed at loopback, its waits shortened: {@link ShippedAlertmanager}) to homer-api's webhook, to a generic
 * webhook and by e-mail to a real SMTP server (GreenMail). Two capture nodes send calls; one sends a scanner's OPTIONS burst, the other stops: the
 * alerts appear in {@code GET /api/v1/alerts}, the mails and the webhook arrive, and the silent node's alert
 * resolves when its traffic returns. Logs and generated configuration: {@code target/e2e/alerting/}.
 */
class AlertingStackIT {

    static final String ADMIN_PASSWORD = "alerting-admin-password";
    static final String WEBHOOK_SECRET = "alerting-webhook-secret-1234";
    static final String SMTP_PASSWORD = "smtp-test-password";
    static final Path LOGS = Path.of("target", "e2e", "alerting").toAbsolutePath();
    static final Path DEPLOY = Path.of("../deploy/prometheus").toAbsolutePath().normalize();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();
    /** Rule windows and durations are divided by this: 15 min become 60 s. */
    static final int SCALE = 15;

    @RegisterExtension
    static final TestDatabase db = TestDatabase.empty();

    static final List<ChildProcess> processes = new ArrayList<>();
    static final List<String> genericWebhook = new CopyOnWriteArrayList<>();
    static final AtomicBoolean edgeASends = new AtomicBoolean(true);
    static final AtomicLong calls = new AtomicLong();
    static GreenMail smtp;
    static HttpServer bridge;
    static ScheduledExecutorService traffic;
    static DatagramSocket socket;
    static int hepPort;
    static int apiPort;
    static String token;

    @BeforeAll
    static void startTheStack() throws Exception {
        String prometheusBin = ChildProcess.require("prometheus", "prometheus");
        Files.createDirectories(LOGS);
        // a run starts from nothing: an earlier run's samples or notification log would change what fires and what is sent
        deleteTree(LOGS.resolve("prometheus-data"));
        List<Integer> ports = new ArrayList<>();
        hepPort = ChildProcess.freePort(ports);
        int ingestHttp = ChildProcess.freePort(ports);
        apiPort = ChildProcess.freePort(ports);
        int prometheusPort = ChildProcess.freePort(ports);
        int alertmanagerPort = ChildProcess.freePort(ports);
        int smtpPort = ChildProcess.freePort(ports);
        int bridgePort = ChildProcess.freePort(ports);

        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.setUser("hepstack-alerts@example.org", "hepstack-alerts@example.org", SMTP_PASSWORD);
        smtp.start();
        bridge = HttpServer.create(new InetSocketAddress("127.0.0.1", bridgePort), 0);
        bridge.createContext("/hepstack", exchange -> {
            genericWebhook.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        bridge.start();

        List<String> database = List.of("--spring.r2dbc.url=" + db.r2dbcUrl(), "--spring.r2dbc.username=" + db.user(),
                "--spring.r2dbc.password=" + (db.password() == null ? "unused" : db.password()));
        List<String> ingestArgs = new ArrayList<>(List.of("--server.address=127.0.0.1", "--server.port=" + ingestHttp,
                "--homer.ingest.udp.host=127.0.0.1", "--homer.ingest.udp.port=" + hepPort,
                "--homer.ingest.tcp.host=127.0.0.1", "--homer.ingest.tcp.port=" + hepPort));
        ingestArgs.addAll(database);
        ChildProcess ingest = started(ChildProcess.java("alerting-ingest", LOGS, ChildProcess.jar("hepstack.ingest.jar", "hep-ingest"),
                "192m", ingestArgs));
        // Prometheus and Alertmanager (Go) read the real clock even under the shifted-clock run: a long
        // retention keeps what they deliver, and every list below names a wide window.
        List<String> apiArgs = new ArrayList<>(List.of("--server.address=127.0.0.1", "--server.port=" + apiPort,
                "--homer.api.auth.admin-password=" + ADMIN_PASSWORD, "--homer.api.alerts.webhook-secret=" + WEBHOOK_SECRET,
                "--homer.api.alerts.retention=1000d"));
        apiArgs.addAll(database);
        ChildProcess api = started(ChildProcess.java("alerting-api", LOGS, ChildProcess.jar("hepstack.api.jar", "homer-api"), "192m", apiArgs));
        Duration boot = Duration.ofSeconds(150);
        ingest.awaitHttp200("http://127.0.0.1:" + ingestHttp + "/actuator/health/readiness", boot);
        api.awaitHttp200("http://127.0.0.1:" + apiPort + "/actuator/health/readiness", boot);

        Path rules = Files.createDirectories(LOGS.resolve("rules"));
        Files.copy(DEPLOY.resolve("rules/thresholds.yml"), rules.resolve("thresholds.yml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        for (String file : List.of("recording.yml", "alerts.yml")) {
            Files.writeString(rules.resolve(file), faster(Files.readString(DEPLOY.resolve("rules/" + file))));
        }
        Files.writeString(LOGS.resolve("prometheus.yml"), String.join("\n",
                "global: {scrape_interval: 2s, evaluation_interval: 2s}",
                "rule_files: [" + rules.resolve("thresholds.yml") + ", " + rules.resolve("recording.yml") + ", "
                        + rules.resolve("alerts.yml") + "]",
                "alerting: {alertmanagers: [{static_configs: [{targets: ['127.0.0.1:" + alertmanagerPort + "']}]}]}",
                "scrape_configs:",
                "  - {job_name: hep-ingest, metrics_path: /actuator/prometheus, static_configs: [{targets: ['127.0.0.1:" + ingestHttp + "']}]}",
                ""));
        Path secrets = Files.createDirectories(LOGS.resolve("secrets"));
        Files.writeString(secrets.resolve("homer-api-webhook-secret"), WEBHOOK_SECRET);
        Files.writeString(secrets.resolve("smtp-password"), SMTP_PASSWORD);
        started(ShippedAlertmanager.start("alerting-alertmanager", LOGS,
                new ShippedAlertmanager.Receivers(apiPort, bridgePort, smtpPort, secrets), alertmanagerPort));
        ChildProcess prometheus = started(ChildProcess.start("alerting-prometheus", LOGS, List.of(prometheusBin,
                "--config.file=" + LOGS.resolve("prometheus.yml"), "--storage.tsdb.path=" + LOGS.resolve("prometheus-data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort, "--rules.alert.resend-delay=2s")));
        prometheus.awaitHttp200("http://127.0.0.1:" + prometheusPort + "/-/ready", Duration.ofSeconds(60));

        socket = new DatagramSocket();
        traffic = Executors.newSingleThreadScheduledExecutor();
        traffic.scheduleAtFixedRate(() -> {
            try {
                if (edgeASends.get()) {
                    call("edge-a");
                }
                call("edge-b");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, 0, 250, TimeUnit.MILLISECONDS);
        token = login();
    }

    @AfterAll
    static void stop() throws Exception {
        if (traffic != null) {
            traffic.shutdownNow();
        }
        if (socket != null) {
            socket.close();
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
        if (bridge != null) {
            bridge.stop(0);
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The rules with every range, offset and {@code for:} of minutes or hours divided by {@link #SCALE}. */
    static String faster(String rules) {
        Matcher m = Pattern.compile("(\\[|offset |for: )(\\d+)([mh])").matcher(rules);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            long seconds = Long.parseLong(m.group(2)) * (m.group(3).equals("h") ? 3600 : 60) / SCALE;
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + seconds + "s"));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Test
    void aSilentNodeAndAScannerAreAlertedStoredMailedAndTheSilenceResolves() throws Exception {
        // Normal traffic from both nodes for 70 s: what the silent-node rule needs as history (6 h before
        // the last minute, scaled), and nothing fires for edge-a meanwhile. A scanner's burst from edge-b at 30 s,
        // once Prometheus has scraped the collector for longer than the security window.
        Thread.sleep(30_000);
        for (int i = 0; i < 40; i++) {
            send("edge-b", options("scan-" + i + "-" + System.nanoTime()), Instant.now());
        }
        JsonNode scanner = await("HepSipScanner firing for edge-b", Duration.ofSeconds(60),
                a -> a.get("alertname").asText().equals("HepSipScanner") && a.get("node").asText().equals("edge-b"), "edge-b");
        assertThat(scanner.get("severity").asText()).isEqualTo("warning");
        assertThat(scanner.get("labels").get("kind").asText()).isEqualTo("scanner_user_agent");
        assertThat(scanner.get("annotations").get("runbook").asText()).isEqualTo("docs/operations.md#hepsipscanner");
        Thread.sleep(40_000);
        assertThat(alerts("edge-a")).as("no alert for edge-a while it sends").isEmpty();

        // edge-a stops: the silent-node alert fires and reaches homer-api, the on-call mail and the generic webhook.
        edgeASends.set(false);
        JsonNode silent = await("HepCaptureNodeSilent firing for edge-a", Duration.ofSeconds(120),
                a -> a.get("alertname").asText().equals("HepCaptureNodeSilent") && a.get("status").asText().equals("firing"), "edge-a");
        assertThat(silent.get("severity").asText()).isEqualTo("critical");
        assertThat(silent.get("annotations").get("summary").asText()).isEqualTo("Capture node edge-a went silent");
        awaitTrue("an on-call mail for HepCaptureNodeSilent and an operations mail for HepSipScanner", Duration.ofSeconds(60), () -> {
            boolean oncall = false;
            boolean operations = false;
            for (MimeMessage mail : smtp.getReceivedMessages()) {
                String to = String.join(",", java.util.Arrays.stream(mail.getAllRecipients()).map(Object::toString).toList());
                String subject = mail.getSubject();
                oncall |= to.contains("voip-oncall@example.org") && subject.contains("HepCaptureNodeSilent");
                operations |= to.contains("voip-ops@example.org") && subject.contains("HepSipScanner");
            }
            return oncall && operations;
        });
        awaitTrue("the generic webhook got HepCaptureNodeSilent", Duration.ofSeconds(30),
                () -> genericWebhook.stream().anyMatch(b -> b.contains("HepCaptureNodeSilent") && b.contains("edge-a")));

        // edge-a sends again: the alert resolves, in homer-api too.
        edgeASends.set(true);
        JsonNode resolved = await("HepCaptureNodeSilent resolved for edge-a", Duration.ofSeconds(90),
                a -> a.get("alertname").asText().equals("HepCaptureNodeSilent") && a.get("status").asText().equals("resolved")
                        && a.get("id").asLong() == silent.get("id").asLong(), "edge-a");
        assertThat(resolved.get("endsAt").isNull()).isFalse();
    }

    /** The first alert of {@code node} matching {@code match}, waiting for it. */
    static JsonNode await(String what, Duration timeout, Predicate<JsonNode> match, String node) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (JsonNode a : alerts(node)) {
                if (match.test(a)) {
                    return a;
                }
            }
            for (ChildProcess p : processes) {
                p.assertAlive();
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(what + " not in GET /api/v1/alerts after " + timeout + " (logs in " + LOGS + "): " + alerts(node));
    }

    static void awaitTrue(String what, Duration timeout, java.util.concurrent.Callable<Boolean> check) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (check.call()) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(what + ": not after " + timeout + " (logs in " + LOGS + ")");
    }

    static List<JsonNode> alerts(String node) throws Exception {
        Instant now = Instant.now();
        String range = "from=" + enc(now.minus(Duration.ofDays(800)).toString()) + "&to=" + enc(now.plus(Duration.ofDays(1)).toString());
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/v1/alerts?node="
                        + enc(node) + "&" + range)).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        JSON.readTree(r.body()).get("items").forEach(items::add);
        return items;
    }

    /** An answered call from {@code node}: INVITE, then 200. */
    static void call(String node) throws IOException {
        String callId = node + "-" + calls.incrementAndGet() + "@alerting.test";
        Instant now = Instant.now();
        send(node, ("INVITE sip:bob@10.0.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-" + callId.hashCode()
                + "\r\nFrom: <sip:alice@10.0.0.1>;tag=a1\r\nTo: <sip:bob@10.0.0.2>\r\nCall-ID: " + callId
                + "\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII), now);
        send(node, ("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-" + callId.hashCode()
                + "\r\nFrom: <sip:alice@10.0.0.1>;tag=a1\r\nTo: <sip:bob@10.0.0.2>;tag=b1\r\nCall-ID: " + callId
                + "\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII), now.plusMillis(50));
    }

    /** An OPTIONS probe as sipvicious's svmap sends it. */
    static byte[] options(String callId) {
        return ("OPTIONS sip:100@10.0.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bK-" + callId.hashCode()
                + "\r\nFrom: \"sipvicious\" <sip:100@203.0.113.9>;tag=s1\r\nTo: <sip:100@10.0.0.2>\r\nCall-ID: " + callId
                + "\r\nCSeq: 1 OPTIONS\r\nUser-Agent: friendly-scanner\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static synchronized void send(String node, byte[] sip, Instant at) throws IOException {
        HepPacket packet = new HepPacket(3, 2, 17, InetAddress.getByName("10.0.0.1"), InetAddress.getByName("10.0.0.2"),
                5060, 5060, at.getEpochSecond(), at.getNano() / 1000, 1, 2001, null, null, null, node, sip, false, null);
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

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static ChildProcess started(ChildProcess p) {
        processes.add(p);
        return p;
    }
}
