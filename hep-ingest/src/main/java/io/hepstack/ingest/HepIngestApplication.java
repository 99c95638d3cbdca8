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
        SpringApplication app = new SpringApplication(HepIngestApplication.class);
        app.setDefaultProperties(logFormat(System.getenv("LOG_FORMAT")));
        app.run(args);
    }

    /** {@code LOG_FORMAT=json}: one ECS JSON object per line on stdout; otherwise plain text lines. */
    static Map<String, Object> logFormat(String logFormat) {
        return "json".equalsIgnoreCase(logFormat)
                ? Map.of("logging.structured.format.console", "ecs")
                : Map.of();
    }
}
