package io.hepstack.tools.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every inhibition rule of {@code deploy/prometheus/alertmanager.yml}, on Debian's Alertmanager running the shipped
 * file ({@link ShippedAlertmanager}, receivers on loopback). Alerts carry the labels their rules in
 * {@code deploy/prometheus/rules/alerts.yml} give them and are posted to {@code POST /api/v2/alerts} without
 * timestamps (Alertmanager's own clock stamps them). Each rule: {@code GET /api/v2/alerts} shows the consequence
 * suppressed with {@code status.inhibitedBy} naming the cause, and the look-alikes the rule must leave alone (another
 * node or collector, another alert) active. For the silent capture node, the receivers' deliveries show it too: the
 * other node's ASR alert is delivered, the muted one never is. A fresh Alertmanager per test keeps the rules apart
 * (the PostgreSQL rule mutes every collector). Logs and configuration: {@code target/e2e/alert-inhibition/}.
 */
class AlertInhibitionIT {

    static final Path LOGS = Path.of("target", "e2e", "alert-inhibition").toAbsolutePath();
    static final Path RULES = Path.of("../deploy/prometheus/rules/alerts.yml").toAbsolutePath().normalize();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration SETTLE = Duration.ofSeconds(20);

    /** The static labels (severity, category, ...) of each alerting rule, by alert name. */
    static Map<String, Map<String, String>> ruleLabels;

    /** Webhook deliveries received: the receiver's name and the payload (Alertmanager's webhook version 4). */
    final List<JsonNode> delivered = new CopyOnWriteArrayList<>();
    HttpServer receivers;
    ChildProcess alertmanager;
    String api;

    @BeforeAll
    static void readTheRules() throws Exception {
        Map<String, Map<String, String>> labels = new LinkedHashMap<>();
        Map<String, Object> file = new Yaml().load(Files.readString(RULES));
        for (Map<String, Object> group : list(file.get("groups"))) {
            for (Map<String, Object> rule : list(group.get("rules"))) {
                Map<String, String> l = new LinkedHashMap<>();
                l.put("alertname", (String) rule.get("alert"));
                @SuppressWarnings("unchecked")
                Map<String, Object> ruleLabelMap = (Map<String, Object>) rule.get("labels");
                ruleLabelMap.forEach((k, v) -> l.put(k, String.valueOf(v)));
                labels.put((String) rule.get("alert"), l);
            }
        }
        ruleLabels = labels;
    }

    @BeforeEach
    void startAlertmanager() throws Exception {
        List<Integer> ports = new ArrayList<>();
        int receiverPort = ChildProcess.freePort(ports);
        int smtpPort = ChildProcess.freePort(ports);          // nothing listens: the mails fail, the webhooks carry the proof
        int port = ChildProcess.freePort(ports);
        receivers = HttpServer.create(new InetSocketAddress("127.0.0.1", receiverPort), 0);
        receivers.createContext("/", exchange -> {
            delivered.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receivers.start();
        Path secrets = Files.createDirectories(LOGS.resolve("secrets"));
        Files.writeString(secrets.resolve("homer-api-webhook-secret"), "inhibition-webhook-secret");
        Files.writeString(secrets.resolve("smtp-password"), "unused");
        alertmanager = ShippedAlertmanager.start("alertmanager", LOGS,
                new ShippedAlertmanager.Receivers(receiverPort, receiverPort, smtpPort, secrets), port);
        api = "http://127.0.0.1:" + port + "/api/v2/alerts";
    }

    @AfterEach
    void stop() throws Exception {
        if (alertmanager != null) {
            alertmanager.close();
        }
        if (receivers != null) {
            receivers.stop(0);
        }
    }

    @Test
    void aSilentCaptureNodeMutesTheQualityAndRegistrationAlertsOfThatNodeOnly() throws Exception {
        Map<String, String> silent = alert("HepCaptureNodeSilent", "node", "edge-a");
        post(silent);
        Map<String, String> asrA = alert("HepNodeAsrLow", "node", "edge-a");
        Map<String, String> registerA = alert("HepNodeRegisterFailures", "node", "edge-a");
        Map<String, String> asrB = alert("HepNodeAsrLow", "node", "edge-b");
        Map<String, String> scannerA = alert("HepSipScanner", "node", "edge-a");
        post(asrA, registerA, asrB, scannerA);

        List<JsonNode> state = awaitInhibited(silent, asrA, registerA);
        assertActive(state, silent, asrB, scannerA);

        // What the receivers get: the suite's webhook every alert that is not muted, the muted ones never. Edge-a's
        // groups were created first and flush first; a few group intervals after edge-b's alert arrived, they have
        // flushed more than once.
        awaitDelivery("homer-api", asrB);
        awaitDelivery("homer-api", scannerA);
        awaitDelivery("homer-api", silent);
        awaitDelivery("oncall", silent);
        Thread.sleep(5_000);
        assertThat(deliveredLabels()).as("deliveries to any receiver")
                .noneMatch(l -> l.equals(asrA) || l.equals(registerA));
    }

    @Test
    void aCollectorDownOrWithoutItsDatabaseMutesItsOwnBatchAndQueueAlertsOnly() throws Exception {
        Map<String, String> down = alert("HepCollectorDown", "instance", "c1:9096", "job", "hep-ingest");
        Map<String, String> notReady = alert("HepDatabaseNotReady", "instance", "c3:9096");
        post(down, notReady);
        Map<String, String> retriesC1 = alert("HepBatchRetries", "instance", "c1:9096");
        Map<String, String> queueC3 = alert("HepQueueNearlyFull", "instance", "c3:9096");
        Map<String, String> retriesC2 = alert("HepBatchRetries", "instance", "c2:9096");
        Map<String, String> rejectedC1 = alert("HepPacketsRejected", "instance", "c1:9096", "reason", "auth_wrong");
        post(retriesC1, queueC3, retriesC2, rejectedC1);

        List<JsonNode> state = awaitState(s -> inhibitedBy(s, retriesC1, down) && inhibitedBy(s, queueC3, notReady));
        assertActive(state, down, notReady, retriesC2, rejectedC1);
    }

    @Test
    void sessionDefectsMuteTheServerErrorBurstOfTheSameNodeOnly() throws Exception {
        Map<String, String> defects = alert("HepNodeSessionDefects", "node", "edge-c");
        post(defects);
        Map<String, String> errorsC = alert("HepNodeServerErrors", "node", "edge-c");
        Map<String, String> errorsD = alert("HepNodeServerErrors", "node", "edge-d");
        Map<String, String> ineffectiveC = alert("HepNodeIneffectiveAttempts", "node", "edge-c");
        post(errorsC, errorsD, ineffectiveC);

        List<JsonNode> state = awaitInhibited(defects, errorsC);
        assertActive(state, defects, errorsD, ineffectiveC);
    }

    @Test
    void aCriticalAlertMutesTheWarningOfTheSameNameAndNodeOnly() throws Exception {
        // No shipped rule has two tiers yet: a warning tier of HepNodeNerLow, as an operator would add one.
        Map<String, String> nerCritical = alert("HepNodeNerLow", "node", "edge-e");
        assertThat(nerCritical).containsEntry("severity", "critical");
        post(nerCritical);
        Map<String, String> nerWarningE = alert("HepNodeNerLow", "node", "edge-e", "severity", "warning");
        Map<String, String> nerWarningF = alert("HepNodeNerLow", "node", "edge-f", "severity", "warning");
        Map<String, String> asrE = alert("HepNodeAsrLow", "node", "edge-e");
        assertThat(asrE).containsEntry("severity", "warning");
        post(nerWarningE, nerWarningF, asrE);

        List<JsonNode> state = awaitInhibited(nerCritical, nerWarningE);
        assertActive(state, nerCritical, nerWarningF, asrE);
    }

    @Test
    void aPostgresqlThatIsDownMutesTheCollectorsDatabaseSymptomsButPagesItself() throws Exception {
        Map<String, String> notReady = alert("HepDatabaseNotReady", "instance", "c1:9096");
        Map<String, String> retries = alert("HepBatchRetries", "instance", "c2:9096");
        Map<String, String> collectorDown = alert("HepCollectorDown", "instance", "c4:9096", "job", "hep-ingest");
        Map<String, String> asr = alert("HepNodeAsrLow", "node", "edge-g");
        post(notReady, retries, collectorDown, asr);
        // before the database goes down, each of them is active
        List<JsonNode> before = awaitState(s -> find(s, asr) != null && find(s, retries) != null
                && find(s, notReady) != null && find(s, collectorDown) != null);
        assertActive(before, notReady, retries, collectorDown, asr);

        Map<String, String> postgresDown = alert("HepPostgresDown", "instance", "db1:9187", "job", "postgres");
        post(postgresDown);
        List<JsonNode> state = awaitInhibited(postgresDown, notReady, retries);
        assertActive(state, postgresDown, collectorDown, asr);
    }

    /** An alert's labels: those of its rule, plus (or replacing) the given name-value pairs. */
    static Map<String, String> alert(String name, String... labels) {
        assertThat(ruleLabels).as("rules/alerts.yml defines " + name).containsKey(name);
        Map<String, String> l = new LinkedHashMap<>(ruleLabels.get(name));
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        return l;
    }

    @SafeVarargs
    final void post(Map<String, String>... alerts) throws Exception {
        List<Map<String, Object>> body = new ArrayList<>();
        for (Map<String, String> a : alerts) {
            body.add(Map.of("labels", a, "annotations", Map.of("summary", a.get("alertname") + " (AlertInhibitionIT)")));
        }
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST /api/v2/alerts: " + r.body()).isEqualTo(200);
        // the causes are in before their consequences arrive, so a consequence's group never flushes unmuted
        awaitState(s -> java.util.Arrays.stream(alerts).allMatch(a -> find(s, a) != null));
    }

    /** Waits until each target is suppressed by the source, and returns that state. */
    @SafeVarargs
    final List<JsonNode> awaitInhibited(Map<String, String> source, Map<String, String>... targets) throws Exception {
        return awaitState(s -> java.util.Arrays.stream(targets).allMatch(t -> inhibitedBy(s, t, source)));
    }

    /** {@code GET /api/v2/alerts} until {@code done} holds, failing with the last answer after {@link #SETTLE}. */
    List<JsonNode> awaitState(Predicate<List<JsonNode>> done) throws Exception {
        long end = System.nanoTime() + SETTLE.toNanos();
        List<JsonNode> state;
        do {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("GET /api/v2/alerts: " + r.body()).isEqualTo(200);
            state = new ArrayList<>();
            JSON.readTree(r.body()).forEach(state::add);
            if (done.test(state)) {
                return state;
            }
            alertmanager.assertAlive();
            Thread.sleep(200);
        } while (System.nanoTime() < end);
        throw new AssertionError("Alertmanager's alerts not as expected after " + SETTLE + " (log: " + alertmanager.log() + "):\n"
                + JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
    }

    @SafeVarargs
    static void assertActive(List<JsonNode> state, Map<String, String>... alerts) {
        for (Map<String, String> a : alerts) {
            JsonNode alert = find(state, a);
            assertThat(alert).as("alert " + a).isNotNull();
            assertThat(alert.at("/status/state").asText()).as("state of " + a).isEqualTo("active");
            assertThat(alert.at("/status/inhibitedBy")).as("inhibitedBy of " + a).isEmpty();
        }
    }

    static boolean inhibitedBy(List<JsonNode> state, Map<String, String> target, Map<String, String> source) {
        JsonNode t = find(state, target);
        JsonNode s = find(state, source);
        if (t == null || s == null || !t.at("/status/state").asText().equals("suppressed")) {
            return false;
        }
        for (JsonNode by : t.at("/status/inhibitedBy")) {
            if (by.asText().equals(s.get("fingerprint").asText())) {
                return true;
            }
        }
        return false;
    }

    /** The alert whose labels are exactly {@code labels}, or null. */
    static JsonNode find(List<JsonNode> state, Map<String, String> labels) {
        return state.stream().filter(a -> labels(a).equals(labels)).findFirst().orElse(null);
    }

    void awaitDelivery(String receiver, Map<String, String> alert) throws Exception {
        long end = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < end) {
            for (JsonNode delivery : delivered) {
                if (delivery.get("receiver").asText().equals(receiver)) {
                    for (JsonNode a : delivery.get("alerts")) {
                        if (labels(a).equals(alert)) {
                            return;
                        }
                    }
                }
            }
            alertmanager.assertAlive();
            Thread.sleep(200);
        }
        throw new AssertionError(receiver + " did not get " + alert + " after " + SETTLE + ": " + delivered);
    }

    List<Map<String, String>> deliveredLabels() {
        List<Map<String, String>> all = new ArrayList<>();
        for (JsonNode delivery : delivered) {
            delivery.get("alerts").forEach(a -> all.add(labels(a)));
        }
        return all;
    }

    static Map<String, String> labels(JsonNode alert) {
        Map<String, String> labels = new LinkedHashMap<>();
        alert.get("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return o == null ? List.of() : (List<Map<String, Object>>) o;
    }
}
