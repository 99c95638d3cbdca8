package io.hepstack.api.share;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AddressMaskTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Via: SIP/2.0/UDP 10.1.0.1:5060;branch=z9 | Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9",
            "c=IN IP4 10.1.0.5 | c=IN IP4 192.0.2.1",
            "Contact: <sip:bob@10.1.0.1> | Contact: <sip:bob@192.0.2.1>",
            "clear 203.0.113.10 stays | clear 203.0.113.10 stays",
            "a longer number 1.10.1.0.1 is no address | a longer number 1.10.1.0.1 is no address",
            "nor 10.1.0.1.5 | nor 10.1.0.1.5",
            "nor 300.1.0.1 or 10.01.0.1 | nor 300.1.0.1 or 10.01.0.1",
            "end of sentence 10.1.0.1. | end of sentence 192.0.2.1.",
            "Contact: <sip:bob@[2001:db8::7]:5060> | Contact: <sip:bob@[2001:db8:ffff::1]:5060>"})
    void masksEveryAddressButTheClearOnesInText(String text, String masked) {
        AddressMask mask = new AddressMask(Set.of("203.0.113.10"));
        mask.address("2001:db8::7"); // an IPv6 host of the flow, as the ladder meets it
        assertThat(mask.text(text)).isEqualTo(masked);
    }

    @Test
    void numbersMaskedAddressesInOrderOfAppearanceAndKeepsThemStable() {
        AddressMask mask = new AddressMask(Set.of());
        assertThat(mask.text("10.0.0.9 then 10.0.0.8 then 10.0.0.9")).isEqualTo("192.0.2.1 then 192.0.2.2 then 192.0.2.1");
        assertThat(mask.label("10.0.0.8")).isEqualTo("host B");
        assertThat(mask.label("10.0.0.7")).isEqualTo("host C");
        assertThat(mask.masks("10.0.0.7")).isTrue();
    }

    @Test
    void rewritesBinaryPayloadsByteForByteOutsideTheAddresses() {
        byte[] payload = {(byte) 0xff, '1', '0', '.', '0', '.', '0', '.', '1', 0};
        assertThat(new AddressMask(Set.of()).payload(payload))
                .containsExactly((byte) 0xff, '1', '9', '2', '.', '0', '.', '2', '.', '1', 0);
    }

    @Test
    void masksEveryIpv6HostInEveryTextTheSameWay() {
        AddressMask mask = new AddressMask(Set.of("2001:db8:c::5"));
        // hosts as the ladder meets them; one is a prefix of others, one is clear
        assertThat(mask.address("2001:db8::1")).isEqualTo("2001:db8:ffff::1");
        assertThat(mask.address("2001:db8::10")).isEqualTo("2001:db8:ffff::2");
        assertThat(mask.address("2001:db8:c::5")).isEqualTo("2001:db8:c::5");
        assertThat(mask.address("fe80::1:2")).isEqualTo("2001:db8:ffff::3");
        String invite = "INVITE sip:bob@[2001:db8::10]:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9\r\n"
                + "Via: SIP/2.0/UDP [2001:db8:c::5]:5060;branch=z8\r\n"
                + "Contact: <sip:alice@[fe80::1:2]>;x=2001:db8::1:5\r\n\r\n"
                + "c=IN IP6 2001:db8::1\r\no=- 1 1 IN IP6 2001:db8::10\r\nc=IN IP4 10.0.0.1\r\n";
        String masked = "INVITE sip:bob@[2001:db8:ffff::2]:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP [2001:db8:ffff::1]:5060;branch=z9\r\n"
                + "Via: SIP/2.0/UDP [2001:db8:c::5]:5060;branch=z8\r\n"
                + "Contact: <sip:alice@[2001:db8:ffff::3]>;x=2001:db8::1:5\r\n\r\n"
                + "c=IN IP6 2001:db8:ffff::1\r\no=- 1 1 IN IP6 2001:db8:ffff::2\r\nc=IN IP4 192.0.2.1\r\n";
        for (int round = 0; round < 3; round++) {
            assertThat(mask.text(invite)).as("round %d", round).isEqualTo(masked);
            assertThat(mask.text("BYE from 2001:db8::10 to fe80::1:2")).isEqualTo("BYE from 2001:db8:ffff::2 to 2001:db8:ffff::3");
        }
        // a host met after the first texts is masked in the next ones, the others as before
        assertThat(mask.address("2001:db8::1:5")).isEqualTo("2001:db8:ffff::4");
        assertThat(mask.text(invite)).isEqualTo(masked.replace("x=2001:db8::1:5", "x=2001:db8:ffff::4"));
        assertThat(mask.label("2001:db8::1:5")).isEqualTo("host E");
        // a fresh mask of the same view numbers the same hosts the same way
        AddressMask again = new AddressMask(Set.of("2001:db8:c::5"));
        List.of("2001:db8::1", "2001:db8::10", "2001:db8:c::5", "fe80::1:2").forEach(again::address);
        assertThat(again.text(invite)).isEqualTo(masked);
    }
}
