package io.hepstack.api.alias;

import io.hepstack.api.web.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AliasAddressTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.1          | 10.0.0.1",
            "' 10.0.0.1 '      | 10.0.0.1",
            "10.0.0.1/32       | 10.0.0.1",
            "10.0.0.0/24       | 10.0.0.0/24",
            "10.0.0.0/8        | 10.0.0.0/8",
            "0.0.0.0/0         | 0.0.0.0/0",
            "172.16.0.0/12     | 172.16.0.0/12",
            "2001:db8::1       | 2001:db8::1",
            "2001:DB8:0:0:0:0:0:1 | 2001:db8::1",
            "2001:db8::/32     | 2001:db8::/32",
            "2001:db8::1/128   | 2001:db8::1",
            "2001:db8:0:1::/64 | 2001:db8:0:1::/64",
            "2001:0:0:1::/64   | 2001:0:0:1::/64",
            "::/0              | ::/0",
            "::1               | ::1",
    })
    void acceptsAnAddressOrANetworkInItsCanonicalSpelling(String value, String canonical) {
        assertThat(AliasAddress.parse(value)).isEqualTo(canonical);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/33       | ip: bad prefix length in \"10.0.0.0/33\" (expected: 0 to 32 after the /)",
            "10.0.0.0/-1       | ip: bad prefix length in \"10.0.0.0/-1\" (expected: 0 to 32 after the /)",
            "10.0.0.0/         | ip: bad prefix length in \"10.0.0.0/\" (expected: 0 to 32 after the /)",
            "10.0.0.0/24/8     | ip: bad prefix length in \"10.0.0.0/24/8\" (expected: 0 to 32 after the /)",
            "2001:db8::/129    | ip: bad prefix length in \"2001:db8::/129\" (expected: 0 to 128 after the /)",
            "10.0.0.1/24       | ip: \"10.0.0.1/24\" has host bits set (the network is 10.0.0.0/24)",
            "10.0.0.129/25     | ip: \"10.0.0.129/25\" has host bits set (the network is 10.0.0.128/25)",
            "2001:db8::1/32    | ip: \"2001:db8::1/32\" has host bits set (the network is 2001:db8::/32)",
            "pbx.example.com   | ip: not an address: \"pbx.example.com\" (expected: an IPv4 or IPv6 address, or a network like 10.0.0.0/24 or 2001:db8::/32)",
            "10.0.0.256        | ip: not an address: \"10.0.0.256\" (expected: an IPv4 or IPv6 address, or a network like 10.0.0.0/24 or 2001:db8::/32)",
            "/24               | ip: not an address: \"/24\" (expected: an IPv4 or IPv6 address, or a network like 10.0.0.0/24 or 2001:db8::/32)",
            "010.0.0.0/8       | ip: not an address: \"010.0.0.0/8\" (expected: an IPv4 or IPv6 address, or a network like 10.0.0.0/24 or 2001:db8::/32)",
            "10.0.0.01         | ip: not an address: \"10.0.0.01\" (expected: an IPv4 or IPv6 address, or a network like 10.0.0.0/24 or 2001:db8::/32)",
            "::ffff:10.0.0.0/104 | ip: bad prefix length in \"::ffff:10.0.0.0/104\" (expected: 0 to 32 after the /)",
            "10.0.0.*          | ip: not an address: \"10.0.0.*\" (expected: an IPv4 or IPv6 address, or a network like 10.0.0.0/24 or 2001:db8::/32)",
    })
    void refusesWhatIsNotAnAddressOrACleanNetwork(String value, String message) {
        assertThatThrownBy(() -> AliasAddress.parse(value)).isInstanceOf(ApiException.class).hasMessage(message);
    }
}
