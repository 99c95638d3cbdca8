package io.hepstack.tools.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * Debian's Alertmanager running {@code deploy/prometheus/alertmanager.yml} as shipped, changed only where a loopback
 * test must: the receivers' addresses point at {@link Receivers}, secrets are read from its directory, SMTP runs
 * without TLS, and the group waits and intervals are seconds (1 s, 2 s) instead of the shipped tens of seconds and
 * minutes. Routes, grouping and inhibition rules stay as shipped. Each start begins from an empty data directory.
 */
final class ShippedAlertmanager {

    static final Path CONFIG = Path.of("../deploy/prometheus/alertmanager.yml").toAbsolutePath().normalize();

    /** Where the shipped receivers deliver on loopback: homer-api's port, the generic webhook's port, SMTP's port. */
    record Receivers(int homerApiPort, int webhookPort, int smtpPort, Path secrets) {
    }

    private ShippedAlertmanager() {
    }

    /** The shipped configuration with its receivers on loopback and its waits shortened. */
    static String onLoopback(Receivers receivers) throws IOException {
        return Files.readString(CONFIG)
                .replace("http://homer-api:8081/", "http://127.0.0.1:" + receivers.homerApiPort() + "/")
                .replace("http://alert-bridge.example.org/", "http://127.0.0.1:" + receivers.webhookPort() + "/")
                .replace("/etc/alertmanager/secrets/", receivers.secrets() + "/")
                .replace("smtp.example.org:587", "127.0.0.1:" + receivers.smtpPort())
                .replace("smtp_require_tls: true", "smtp_require_tls: false")
                .replaceAll("group_wait: \\d+s", "group_wait: 1s")
                .replaceAll("group_interval: \\d+m", "group_interval: 2s");
    }

    /**
     * Starts Alertmanager as {@code name} (log, configuration and data under {@code logs}) with
     * {@link #onLoopback} on 127.0.0.1:{@code port}, clustering off, and waits until it is ready.
     */
    static ChildProcess start(String name, Path logs, Receivers receivers, int port) throws Exception {
        String binary = ChildProcess.require("prometheus-alertmanager", "prometheus-alertmanager");
        Files.createDirectories(logs);
        Path config = logs.resolve(name + ".yml");
        Files.writeString(config, onLoopback(receivers));
        // an earlier run's notification log would change what is sent
        Path data = logs.resolve(name + "-data");
        if (Files.exists(data)) {
            try (var paths = Files.walk(data)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        ChildProcess alertmanager = ChildProcess.start(name, logs, List.of(binary, "--config.file=" + config,
                "--storage.path=" + data, "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address="));
        try {
            alertmanager.awaitHttp200("http://127.0.0.1:" + port + "/-/ready", Duration.ofSeconds(60));
        } catch (Exception | AssertionError e) {
            alertmanager.close();
            throw e;
        }
        return alertmanager;
    }
}
