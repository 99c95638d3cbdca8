package io.hepstack.ingest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import java.util.Map;

/** The HEP collector: listens for HEP over UDP, TCP and TLS and stores every accepted message. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HepIngestApplication {

    public static void main(String[] args) {
        // Netty checks every buffer access for a live reference count: ~18% of the UDP listener
        // thread under load (each buffer here is read by one thread between receive and release).
        // Bounds checks stay on. Tests keep both (they never go through main). An operator's -D wins.
        defaultProperty("io.netty.buffer.checkAccessible", "false");
        SpringApplication app = new SpringApplication(HepIngestApplication.class);
        app.setDefaultProperties(logFormat(System.getenv("LOG_FORMAT")));
        app.run(args);
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** {@code LOG_FORMAT=json}: one ECS JSON object per line on stdout; otherwise plain text lines. */
    static Map<String, Object> logFormat(String logFormat) {
        return "json".equalsIgnoreCase(logFormat)
                ? Map.of("logging.structured.format.console", "ecs")
                : Map.of();
    }
}
