package io.hepstack.api.query;

import io.hepstack.proto.query.Sql;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScopeTest {

    @Test
    void noTenantAddsNothingToTheStatement() {
        Sql s = new Sql().append("SELECT 1 FROM messages WHERE true");
        Scope.ALL.appendTo(s, "");
        assertThat(s.text()).isEqualTo("SELECT 1 FROM messages WHERE true");
        assertThat(s.params()).isEmpty();
    }

    @Test
    void aTenantBindsItsNodesAndNetworksAsArraysOnTheGivenAlias() {
        Sql s = new Sql();
        String first = s.bind(1);
        new Scope("acme", List.of("kamailio-1", "o'brien"), List.of("10.1.0.0/16")).appendTo(s, "m.");
        assertThat(first).isEqualTo("$1");
        assertThat(s.text()).isEqualTo(" AND (m.node = ANY($2::text[]) OR m.src_ip <<= ANY($3::inet[]) OR m.dst_ip <<= ANY($3::inet[]))");
        assertThat(s.params()).hasSize(3);
        assertThat((String[]) s.params().get(1)).containsExactly("kamailio-1", "o'brien");
        assertThat((String[]) s.params().get(2)).containsExactly("10.1.0.0/16");
        assertThat(s.text()).doesNotContain("kamailio", "10.1");
    }
}
