package io.hepstack.ui;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import java.util.Map;

/** The web UI: serves the single-page app and the embeddable call view, and proxies {@code /api/**} to homer-api. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HomerUiApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(HomerUiApplication.class);
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
