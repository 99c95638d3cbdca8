package io.hepstack.api.share;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

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
}
