package io.hepstack.ui.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/embed/Zq3xK9a7LmN0pQrStUvWxYz012345678, /embed/Zq3x...",
            "/api/v1/shared/Zq3xK9a7LmN0pQrStUvWxYz012345678/flow, /api/v1/shared/Zq3x.../flow",
            "/api/v1/shared/Zq3xK9a7LmN0pQrStUvWxYz012345678/pcap, /api/v1/shared/Zq3x.../pcap",
            "/embed/ab, /embed/ab...",
            "/api/v1/calls/abc@host/flow, /api/v1/calls/abc@host/flow",
            "/call/x%2Fembed%2Fsecret, /call/x%2Fembed%2Fsecret",
    })
    void aShareTokenKeepsItsFirstFourCharactersOnly(String path, String logged) {
        assertThat(AccessLog.loggable(path)).isEqualTo(logged);
    }
}
