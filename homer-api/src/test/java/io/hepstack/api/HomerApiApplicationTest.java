package io.hepstack.api;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HomerApiApplicationTest {

    @Test
    void logFormatJsonSwitchesTheConsoleToOneEcsJsonObjectPerLine() {
        assertThat(HomerApiApplication.logFormat("json")).isEqualTo(Map.of("logging.structured.format.console", "ecs"));
        assertThat(HomerApiApplication.logFormat("JSON")).containsKey("logging.structured.format.console");
        assertThat(HomerApiApplication.logFormat(null)).isEmpty();
        assertThat(HomerApiApplication.logFormat("text")).isEmpty();
    }
}
