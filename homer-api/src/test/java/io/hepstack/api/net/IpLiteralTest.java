package io.hepstack.api.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet4Address;
import java.net.Inet6Address;

import static org.assertj.core.api.Assertions.assertThat;

class IpLiteralTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "10.0.0.1,10.0.0.1",
            "0.0.0.0,0.0.0.0",
            "255.255.255.255,255.255.255.255",
            "1.2.3.4,1.2.3.4",
            "100.200.0.9,100.200.0.9",
    })
    void readsFourDecimalOctetsAsIpv4(String text, String address) {
        assertThat(IpLiteral.parse(text)).isInstanceOf(Inet4Address.class)
                .satisfies(a -> assertThat(a.getHostAddress()).isEqualTo(address));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "::1,0:0:0:0:0:0:0:1",
            "::,0:0:0:0:0:0:0:0",
            "2001:db8::1,2001:db8:0:0:0:0:0:1",
            "2001:DB8:0:0:0:0:0:1,2001:db8:0:0:0:0:0:1",
            "fe80::1:2:3:4,fe80:0:0:0:1:2:3:4",
            "::10.0.0.1,0:0:0:0:0:0:a00:1",
            "64:ff9b::192.0.2.33,64:ff9b:0:0:0:0:c000:221",
    })
    void readsEveryIpv6Form(String text, String address) {
        assertThat(IpLiteral.parse(text)).isInstanceOf(Inet6Address.class)
                .satisfies(a -> assertThat(a.getHostAddress()).isEqualTo(address));
    }

    @Test
    void readsAnIpv4MappedIpv6AddressAsTheIpv4AddressItMaps() {
        assertThat(IpLiteral.parse("::ffff:10.0.0.1")).isInstanceOf(Inet4Address.class)
                .satisfies(a -> assertThat(a.getHostAddress()).isEqualTo("10.0.0.1"));
        assertThat(IpLiteral.parse("::FFFF:a00:1")).isEqualTo(IpLiteral.parse("10.0.0.1"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"010.0.0.1", "10.01.0.1", "10.0.00.1", "10.0.0.01", "00.0.0.0", "10.0.0.000",
            "::ffff:010.0.0.1", "64:ff9b::192.0.2.033"})
    void refusesAnIpv4OctetWithALeadingZero(String text) {
        // octal to some stacks (010 is 8), decimal to others: ambiguous, so not an address
        assertThat(IpLiteral.parse(text)).isNull();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " 10.0.0.1", "10.0.0.1 ", "10.0.0", "10.0.0.1.5", "256.0.0.1", "10.0.0.1000", "1.2.3.-4",
            "0x0a.0.0.1", "167772161", "10.1", "1::2::3", "2001:db8::1::", "12345::", "[::1]", "fe80::1%eth0", "fe80::1%1",
            "2001:db8::/32", "10.0.0.0/8", "::ffff:256.0.0.1", "1.2::3", ":", "::ffff:1.2.3",
            "0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:1"})
    void refusesWhatIsNoIpLiteral(String text) {
        assertThat(IpLiteral.parse(text)).isNull();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"localhost", "example.com", "sbc.example.com", "a", "cafe", "face.b00c", "beef:", "ip6-localhost"})
    void neverResolvesAName(String text) {
        // each would resolve (localhost always does): a name is not an address, whatever DNS says
        assertThat(IpLiteral.parse(text)).isNull();
    }

    @Test
    void refusesNothingButText() {
        assertThat(IpLiteral.parse(null)).isNull();
    }
}
