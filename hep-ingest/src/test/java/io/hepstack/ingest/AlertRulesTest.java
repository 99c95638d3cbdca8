package io.hepstack.ingest;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The alerting rules of deploy/prometheus over this collector's metrics: valid for Prometheus, every
 * rule's firing and quiet cases pass {@code promtool test rules}, every rule carries what an operator
 * needs (severity, summary, description, a runbook that exists), every threshold and metric it uses is
 * documented, and the Alertmanager configuration routes each severity where docs/operations.md says.
 */
class AlertRulesTest {

    private static final Path PROMETHEUS = Path.of("../deploy/prometheus");
    private static final Path RULES = PROMETHEUS.resolve("rules");
    private static final Path TESTS = PROMETHEUS.resolve("tests");
    private static final Pattern THRESHOLD = Pattern.compile("hepstack_alert_threshold\\{threshold=\"(\\w+)\"}");
    private static final Pattern METRIC = Pattern.compile("\\b((?:hep|sip)_[a-z_]+?)(?:_bucket|_count|_sum)?\\b(?![:(])");

    @Test
    void rulesAreValidForPrometheus() throws Exception {
        run("promtool", "check", "rules", RULES.resolve("thresholds.yml").toString(),
                RULES.resolve("recording.yml").toString(), RULES.resolve("alerts.yml").toString());
    }

    @Test
    void everyRuleFiresOnItsCaseAndStaysQuietOnNormalTraffic() throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool", "test", "rules"));
        command.addAll(files(TESTS, ".test.yml").stream().map(Path::toString).toList());
        String out = run(command.toArray(String[]::new));
        assertThat(out).doesNotContain("FAILED");

        Set<String> fired = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (Path test : files(TESTS, ".test.yml")) {
            for (Map<String, Object> t : list(yaml(test).get("tests"))) {
                for (Map<String, Object> a : list(t.get("alert_rule_test"))) {
                    String name = (String) a.get("alertname");
                    (list(a.get("exp_alerts")).isEmpty() ? quiet : fired).add(name);
                }
            }
        }
        Set<String> alerts = alerts().keySet();
        assertThat(fired).as("alerts with a firing case in tests/").containsAll(alerts);
        assertThat(quiet).as("alerts with a quiet case in tests/").containsAll(alerts);
    }

    @Test
    void everyAlertHasASeveritySummaryDescriptionAndARunbookThatExists() throws Exception {
        String operations = Files.readString(Path.of("../docs/operations.md"));
        Set<String> anchors = new HashSet<>();
        for (String line : operations.split("\n")) {
            if (line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        alerts().forEach((name, rule) -> {
            Map<String, Object> labels = map(rule.get("labels"));
            Map<String, Object> annotations = map(rule.get("annotations"));
            assertThat(labels.get("severity")).as(name + " severity").isIn("critical", "warning", "info");
            assertThat(annotations.get("summary")).as(name + " summary").isNotNull();
            assertThat(annotations.get("description")).as(name + " description").isNotNull();
            String runbook = (String) annotations.get("runbook");
            assertThat(runbook).as(name + " runbook").startsWith("docs/operations.md#");
            assertThat(anchors).as(name + " runbook anchor in docs/operations.md")
                    .contains(runbook.substring(runbook.indexOf('#') + 1));
        });
    }

    @Test
    void everyThresholdIsDefinedOnceAndDocumentedAndEveryMetricIsOneTheCollectorDocuments() throws Exception {
        List<String> defined = new ArrayList<>();
        for (Map<String, Object> group : list(yaml(RULES.resolve("thresholds.yml")).get("groups"))) {
            for (Map<String, Object> rule : list(group.get("rules"))) {
                defined.add((String) map(rule.get("labels")).get("threshold"));
            }
        }
        assertThat(defined).as("thresholds defined").doesNotHaveDuplicates();
        String rules = Files.readString(RULES.resolve("alerts.yml")) + Files.readString(RULES.resolve("recording.yml"));
        Set<String> used = new TreeSet<>();
        Matcher m = THRESHOLD.matcher(rules);
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(defined).as("thresholds defined in rules/thresholds.yml").containsExactlyInAnyOrderElementsOf(used);
        String operations = Files.readString(Path.of("../docs/operations.md"));
        for (String t : defined) {
            assertThat(operations).as("docs/operations.md documents threshold " + t).contains("| `" + t + "` |");
        }

        String ingest = Files.readString(Path.of("../docs/ingest.md"));
        Matcher metric = METRIC.matcher(rules.replaceAll("(?m)^\\s*#.*$", ""));
        Set<String> metrics = new TreeSet<>();
        while (metric.find()) {
            metrics.add(metric.group(1));
        }
        assertThat(metrics).as("metrics the rules use").isNotEmpty();
        for (String name : metrics) {
            assertThat(ingest).as("docs/ingest.md lists metric " + name).contains("| `" + name + "` |");
        }
    }

    @Test
    void alertmanagerRoutesEverySeverityToTheSuiteAndCriticalToOnCall() throws Exception {
        String config = "--config.file=" + PROMETHEUS.resolve("alertmanager.yml");
        run("amtool", "check-config", PROMETHEUS.resolve("alertmanager.yml").toString());
        assertThat(run("amtool", "config", "routes", "test", config, "severity=critical").strip())
                .endsWith("homer-api,oncall");
        assertThat(run("amtool", "config", "routes", "test", config, "severity=warning").strip())
                .endsWith("homer-api,operations");
        assertThat(run("amtool", "config", "routes", "test", config, "severity=info").strip())
                .endsWith("homer-api");
    }

    /** Alerting rules of rules/alerts.yml by name. */
    private static Map<String, Map<String, Object>> alerts() throws IOException {
        Map<String, Map<String, Object>> alerts = new java.util.TreeMap<>();
        for (Map<String, Object> group : list(yaml(RULES.resolve("alerts.yml")).get("groups"))) {
            for (Map<String, Object> rule : list(group.get("rules"))) {
                assertThat(alerts.put((String) rule.get("alert"), rule)).as("alert " + rule.get("alert") + " defined once").isNull();
            }
        }
        assertThat(alerts).isNotEmpty();
        return alerts;
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        return new Yaml().load(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return o == null ? List.of() : (List<Map<String, Object>>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    /** Runs a Prometheus tool; fails the test with its output when it exits non-zero. */
    private static String run(String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail(command[0] + " could not be run: install Debian's prometheus and prometheus-alertmanager "
                    + "(./hepstack test does): " + e.getMessage());
            return "";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }
}
