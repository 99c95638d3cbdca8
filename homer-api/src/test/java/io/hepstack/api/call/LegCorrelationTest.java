package io.hepstack.api.call;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The correlation rounds of a flow without a database: the links each round would read, given by hand. */
class LegCorrelationTest {

    private static String[] link(String callId, String correlationId) {
        return new String[] {callId, correlationId};
    }

    @Test
    void followsAnXcidBLegThenACLegThatNamesTheBLegAndStopsWhenNothingIsNew() {
        LegCorrelation c = new LegCorrelation("a", 10);
        assertThat(c.hasFrontier()).isTrue();
        assertThat(c.newLegs()).containsExactly("a");
        // round 1: b's rows carry X-CID a; a's own rows name no other correlation id
        c.absorb(List.<String[]>of(link("b", "a"), link("a", "a")));
        assertThat(c.newLegs()).containsExactly("b");
        assertThat(c.newKeys()).as("b's Call-ID becomes a key").containsExactly("b");
        // round 2: c names b (a C-leg behind a second B2BUA), an RTCP report of b carries no Call-ID
        c.absorb(List.<String[]>of(link("c", "b"), link(null, "b")));
        assertThat(c.newLegs()).containsExactly("c");
        c.absorb(List.<String[]>of(link("c", "b")));
        assertThat(c.hasFrontier()).isFalse();
        assertThat(c.legs()).containsExactly("a", "b", "c");
        assertThat(c.keysAndLegs()).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void namesTheLegOfAReportByItsCorrelationIdAndTheLegOfAMessageByItsCallId() {
        LegCorrelation c = new LegCorrelation("a", 10);
        c.absorb(List.<String[]>of(link("a", "media-1"), link("b", "a")));
        assertThat(c.legOf("b", "a")).isEqualTo("b");
        assertThat(c.legOf(null, "media-1")).as("a QoS report keyed by a's correlation id").isEqualTo("a");
        assertThat(c.legOf(null, "a")).isEqualTo("a");
        assertThat(c.legOf(null, "unknown")).isNull();
        assertThat(c.legOf(null, null)).isNull();
    }

    @Test
    void followsAtMostMaxLegsLegsAndTwiceAsManyKeys() {
        LegCorrelation c = new LegCorrelation("a", 3);
        c.absorb(List.<String[]>of(link("b", "a"), link("c", "a"), link("d", "a"), link("e", "a")));
        assertThat(c.legs()).containsExactly("a", "b", "c");
        assertThat(c.legOf("d", "a")).as("a leg beyond the bound is not one, its row is a's by correlation").isEqualTo("a");
        c.absorb(List.<String[]>of(link("a", "k1"), link("a", "k2"), link("a", "k3"), link("a", "k4"), link("a", "k5")));
        assertThat(c.keysAndLegs()).hasSize(6);
    }
}
