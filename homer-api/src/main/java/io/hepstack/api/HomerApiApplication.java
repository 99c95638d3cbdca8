package io.hepstack.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.reactive.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import java.util.Map;

/**
 * The search and troubleshooting API over the hepstack message store: authentication, message
 * search, calls, call flows and their PCAP/text export, all under {@code /api/v1}.
 */
@SpringBootApplication(exclude = ReactiveUserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class HomerApiApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(HomerApiApplication.class);
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
