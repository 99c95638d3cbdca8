package io.hepstack.api.store;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

class ReadRoutingFilterTest {

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource({
            "GET, /api/v1/messages, true",
            "GET, /api/v1/messages/AAAB, true",
            "GET, /api/v1/calls, true",
            "GET, /api/v1/calls/-/flow, true",
            "GET, /api/v1/calls/-/pcap, true",
            "GET, /api/v1/calls/abc@host/sipp, true",
            "GET, /api/v1/stats/kpi, true",
            "GET, /api/v1/stream/messages, true",
            "GET, /api/v1/shared/0123456789abcdef/flow, true",
            "POST, /api/v1/import/pcap, false",
            "POST, /api/v1/shares, false",
            "GET, /api/v1/shares, false",
            "GET, /api/v1/aliases, false",
            "POST, /api/v1/aliases, false",
            "GET, /api/v1/auth/me, false",
            "POST, /api/v1/auth/login, false",
            "GET, /api/v1/tokens, false",
            "GET, /api/v1/users, false",
            "GET, /api/v1/tenants, false",
            "GET, /api/v1/alerts, false",
            "GET, /api/v1/meta/search, false",
    })
    void routesOnlyTheReadsOfCapturedTrafficToTheReadConfiguration(String method, String path, boolean read) {
        assertThat(ReadRoutingFilter.isRead(HttpMethod.valueOf(method), path)).isEqualTo(read);
    }
}
