package io.hepstack.api.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressTest {

    private final ClientAddress addresses = new ClientAddress(List.of("127.0.0.0/8", "::1/128", "10.0.0.0/8", "fc00::/7"));

    @ParameterizedTest(name = "from {0} with X-Forwarded-For \"{1}\": {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "192.0.2.7  | -                          | 192.0.2.7",
            // a client that is not a proxy cannot name another address
            "192.0.2.7  | 198.51.100.1               | 192.0.2.7",
            // homer-ui's proxy on loopback names its client
            "127.0.0.1  | 198.51.100.1               | 198.51.100.1",
            // behind nginx (10.x) behind homer-ui: the right-most address that is not a proxy
            "127.0.0.1  | 203.0.113.9, 198.51.100.1, 10.0.0.5 | 198.51.100.1",
            // a forged left-most entry is never reached
            "10.0.0.5   | 1.2.3.4, 198.51.100.1      | 198.51.100.1",
            // every hop a proxy: the left-most
            "127.0.0.1  | 10.1.1.1, 10.0.0.5         | 10.1.1.1",
            // a name or garbage stops the walk at the last proxy
            "127.0.0.1  | evil.example.com           | 127.0.0.1",
            "127.0.0.1  | 198.51.100.1, ', x'        | 127.0.0.1",
            // as does an address with a leading-zero octet (octal to some stacks)
            "127.0.0.1  | 198.51.100.1, 010.0.0.5    | 127.0.0.1",
            // blanks around the hops
            "10.0.0.5   | ' 198.51.100.1 ,  10.0.0.6 ' | 198.51.100.1",
            "::1        | 2001:db8::5                | 2001:db8:0:0:0:0:0:5",
    })
    void theClientIsTheLastAddressNotATrustedProxy(String peer, String forwarded, String client) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.post("/api/v1/auth/login")
                .remoteAddress(new InetSocketAddress(peer, 40000));
        if (forwarded != null) {
            request.header("X-Forwarded-For", forwarded);
        }
        assertThat(addresses.of(request.build())).isEqualTo(client);
    }

    @Test
    void aNetworkOutsideItsPrefixIsNotTrusted() {
        ClientAddress narrow = new ClientAddress(List.of("172.16.0.0/12"));
        assertThat(narrow.of(MockServerHttpRequest.post("/").remoteAddress(new InetSocketAddress("172.31.255.1", 1))
                .header("X-Forwarded-For", "192.0.2.1").build())).isEqualTo("192.0.2.1");
        assertThat(narrow.of(MockServerHttpRequest.post("/").remoteAddress(new InetSocketAddress("172.32.0.1", 1))
                .header("X-Forwarded-For", "192.0.2.1").build())).isEqualTo("172.32.0.1");
    }

    @Test
    void aTrustedNetworkMayHaveBlanksAroundItsParts() {
        ClientAddress spaced = new ClientAddress(List.of(" 10.0.0.0 / 8 "));
        assertThat(spaced.of(MockServerHttpRequest.post("/").remoteAddress(new InetSocketAddress("10.9.9.9", 1))
                .header("X-Forwarded-For", "192.0.2.1").build())).isEqualTo("192.0.2.1");
    }

    @Test
    void overTlsWhenTheSchemeIsHttpsOrATrustedProxySaysSoFirst() {
        ClientAddress addresses = new ClientAddress(List.of("10.0.0.0/8"));
        InetSocketAddress proxy = new InetSocketAddress("10.1.2.3", 1);
        InetSocketAddress stranger = new InetSocketAddress("198.51.100.7", 1);
        assertThat(addresses.overTls(MockServerHttpRequest.post("https://homer.example.com/api/v1/auth/login").build())).isTrue();
        assertThat(addresses.overTls(MockServerHttpRequest.post("/").remoteAddress(proxy)
                .header("X-Forwarded-Proto", "https, http").build())).isTrue();
        assertThat(addresses.overTls(MockServerHttpRequest.post("/").remoteAddress(proxy)
                .header("X-Forwarded-Proto", "http").build())).isFalse();
        assertThat(addresses.overTls(MockServerHttpRequest.post("/").remoteAddress(stranger)
                .header("X-Forwarded-Proto", "https").build())).as("from an address not trusted").isFalse();
        assertThat(addresses.overTls(MockServerHttpRequest.post("/").remoteAddress(proxy).build())).isFalse();
    }

    @Test
    void aBadTrustedNetworkIsRefusedByName() {
        for (String bad : List.of("10.0.0.0", "10.0.0.0/33", "proxy.example.com/8", "::/129", "10.0.0.0/x", "010.0.0.0/8", "10.0.0.0/")) {
            assertThatThrownBy(() -> new ClientAddress(List.of(bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("homer.api.auth.trusted-proxies: not a network like 10.0.0.0/8 or fc00::/7: \"" + bad + "\"");
        }
    }
}
