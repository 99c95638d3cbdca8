package io.hepstack.api.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetworkTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            "10.0.0.0/8,10.255.255.255,true",
            "10.0.0.0/8,11.0.0.0,false",
            "10.0.0.0/8,9.255.255.255,false",
            "172.16.0.0/12,172.31.255.1,true",
            "172.16.0.0/12,172.32.0.1,false",
            "10.0.0.128/25,10.0.0.200,true",
            "10.0.0.128/25,10.0.0.127,false",
            "10.0.0.1/8,10.9.9.9,true", // host bits set: the same network as 10.0.0.0/8
            "0.0.0.0/0,203.0.113.7,true",
            "0.0.0.0/0,255.255.255.255,true",
            "10.0.0.1/32,10.0.0.1,true",
            "10.0.0.1/32,10.0.0.2,false",
            "10.0.0.1/32,10.0.0.0,false",
            "10.0.0.1,10.0.0.1,true", // a lone address is its own network
            "10.0.0.1,10.0.0.3,false",
            "fc00::/7,fdff:ffff::1,true",
            "fc00::/7,fe00::1,false",
            "2001:db8::/32,2001:db8:ffff::1,true",
            "2001:db8::/32,2001:db9::1,false",
            "::/0,2001:db8::1,true",
            "::/0,::,true",
            "2001:db8::1/128,2001:db8::1,true",
            "2001:db8::1/128,2001:db8::2,false",
            "2001:db8::1/127,2001:db8::,true",
            "::1,::1,true",
            "10.0.0.0/8,::ffff:10.1.2.3,true", // an IPv4-mapped address is the IPv4 address it maps
    })
    void containsTheAddressesItsPrefixCovers(String network, String address, boolean contained) {
        assertThat(Network.parse(network).contains(IpLiteral.parse(address))).isEqualTo(contained);
    }

    @ParameterizedTest(name = "{0} never contains {1}")
    @CsvSource({"0.0.0.0/0,::", "0.0.0.0/0,2001:db8::1", "::/0,10.0.0.1", "::/0,0.0.0.0", "::a00:1/128,10.0.0.1",
            "10.0.0.1,::a00:1"})
    void neverContainsAnAddressOfTheOtherFamily(String network, String address) {
        assertThat(Network.parse(network).contains(IpLiteral.parse(address))).isFalse();
    }

    @ParameterizedTest(name = "{0} is {1}/{2}")
    @CsvSource({"10.0.0.0/8,10.0.0.0,8", "10.0.0.1,10.0.0.1,32", "10.0.0.1/32,10.0.0.1,32", "0.0.0.0/0,0.0.0.0,0",
            "10.0.0.0/08,10.0.0.0,8", "::1,0:0:0:0:0:0:0:1,128", "::/0,0:0:0:0:0:0:0:0,0",
            "2001:db8::1/128,2001:db8:0:0:0:0:0:1,128", "fc00::/7,fc00:0:0:0:0:0:0:0,7"})
    void readsAnAddressWithOrWithoutAPrefixLength(String text, String address, int prefix) {
        Network n = Network.parse(text);
        assertThat(n.address().getHostAddress()).isEqualTo(address);
        assertThat(n.prefix()).isEqualTo(prefix);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/24/8", "10.0.0.0/x", "10.0.0.0/+8",
            "10.0.0.0/ 8", "10.0.0.0 /8", "10.0.0.0/1000", "::/129", "::ffff:10.0.0.0/104", "/8", "10.0.0.*",
            "010.0.0.0/8", "net.example.com/8", "localhost", "localhost/8", ""})
    void refusesWhatIsNoNetwork(String text) {
        assertThat(Network.parse(text)).isNull();
    }

    @Test
    void clearsHostBitsForItsBase() {
        assertThat(Network.parse("10.0.0.129/25").base()).isEqualTo(Network.parse("10.0.0.128/25"));
        assertThat(Network.parse("10.1.2.3/8").base()).isEqualTo(Network.parse("10.0.0.0/8"));
        assertThat(Network.parse("2001:db8::1/32").base()).isEqualTo(Network.parse("2001:db8::/32"));
        assertThat(Network.parse("255.255.255.255/0").base()).isEqualTo(Network.parse("0.0.0.0/0"));
        Network clean = Network.parse("10.0.0.0/24");
        assertThat(clean.base()).isSameAs(clean);
        Network host = Network.parse("10.0.0.7");
        assertThat(host.base()).isSameAs(host);
        assertThat(host.isHost()).isTrue();
        assertThat(Network.parse("2001:db8::7/128").isHost()).isTrue();
        assertThat(Network.parse("2001:db8::7/127").isHost()).isFalse();
    }

    @Test
    void refusesAPrefixLongerThanItsFamily() {
        assertThatThrownBy(() -> new Network(IpLiteral.parse("10.0.0.0"), 33)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prefix 33 (expected: 0 to 32)");
        assertThatThrownBy(() -> new Network(IpLiteral.parse("::"), -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prefix -1 (expected: 0 to 128)");
        assertThat(Network.bits(IpLiteral.parse("::"))).isEqualTo(128);
        assertThat(Network.bits(IpLiteral.parse("0.0.0.0"))).isEqualTo(32);
    }
}
