package io.hepstack.api.query;

import io.hepstack.proto.query.Sql;
import io.hepstack.api.web.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilterTest {

    private static String sql(Filter.Field field, String value) {
        Sql sql = new Sql();
        Filter.of(field, value, 20, 256).appendTo(sql, "");
        return sql.toString();
    }

    @Test
    void valuesSplitOnCommasNegateWithBangAndEscapeWithBackslash() {
        assertThat(Term.parse("p", "a,!b,c*,\\,x\\*\\!", 20, 256)).containsExactly(
                new Term(false, "a", null), new Term(true, "b", null), new Term(false, "c", "c%"),
                new Term(false, ",x*!", null));
        assertThat(Term.parse("p", "50%_off*", 20, 256)).containsExactly(new Term(false, "50%_off", "50\\%\\_off%"));
    }

    @Test
    void exactValuesUseEqualityAndWildcardsAPrefixLikeOnTheColumn() {
        assertThat(sql(Filter.Field.CALL_ID, "abc")).isEqualTo(" AND (call_id = $1) -- [abc]");
        assertThat(sql(Filter.Field.CALL_ID, "abc*,!abcd*"))
                .isEqualTo(" AND (call_id LIKE $1) AND (call_id IS NULL OR call_id NOT LIKE $2) -- [abc%, abcd%]");
        assertThat(sql(Filter.Field.FROM_USER, "!alice")).isEqualTo(" AND from_user IS DISTINCT FROM $1 -- [alice]");
    }

    @Test
    void ruriUserSearchImpliesThePartialIndexPredicates() {
        assertThat(sql(Filter.Field.RURI_USER, "bob")).isEqualTo(" AND (((ruri_user = $1 AND ruri_user IS DISTINCT FROM "
                + "to_user) OR (to_user = $1 AND ruri_user = to_user))) -- [bob]");
    }

    @Test
    void addressesBecomeInetEqualityOrContainment() {
        assertThat(sql(Filter.Field.SRC_IP, "10.0.0.1")).isEqualTo(" AND (src_ip = $1::inet) -- [10.0.0.1]");
        assertThat(sql(Filter.Field.SRC_IP, "10.1.*")).isEqualTo(" AND (src_ip <<= $1::inet) -- [10.1.0.0/16]");
        assertThat(sql(Filter.Field.DST_IP, "2001:db8::/32")).isEqualTo(" AND (dst_ip <<= $1::inet) -- [2001:db8:0:0:0:0:0:0/32]");
    }

    @Test
    void statusTakesNumbersRangesAndClasses() {
        assertThat(sql(Filter.Field.STATUS, "486")).isEqualTo(" AND (status = $1) -- [486]");
        assertThat(sql(Filter.Field.STATUS, "4xx,5*")).isEqualTo(" AND (status BETWEEN $1 AND $2 OR status BETWEEN $3 AND $4) -- [400, 499, 500, 599]");
        assertThat(sql(Filter.Field.STATUS, "18*")).isEqualTo(" AND (status BETWEEN $1 AND $2) -- [180, 189]");
    }

    @Test
    void aLogLevelNamesTheLogKindSoThatOnlyItsPartitionsAndIndexAreRead() {
        assertThat(sql(Filter.Field.LOG_LEVEL, "error"))
                .isEqualTo(" AND (extra->'log'->>'level' = $1) AND kind = 'log' -- [error]");
        assertThat(sql(Filter.Field.LOG_LEVEL, "ERR,Warn")).isEqualTo(
                " AND (extra->'log'->>'level' = $1 OR extra->'log'->>'level' = $2) AND kind = 'log' -- [error, warning]");
        assertThat(sql(Filter.Field.LOG_LEVEL, "critical+")).isEqualTo(" AND (extra->'log'->>'level' IN ($1, $2, $3))"
                + " AND kind = 'log' -- [emergency, alert, critical]");
        // a negation alone matches every other message too, as for every field
        assertThat(sql(Filter.Field.LOG_LEVEL, "!debug"))
                .isEqualTo(" AND (extra->'log'->>'level' IS NULL OR NOT (extra->'log'->>'level' = $1)) -- [debug]");
        Sql aliased = new Sql();
        Filter.of(Filter.Field.LOG_LEVEL, "notice", 20, 256).appendTo(aliased, "m.");
        assertThat(aliased.toString()).isEqualTo(" AND (m.extra->'log'->>'level' = $1) AND m.kind = 'log' -- [notice]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "logLevel|loud|logLevel: not a log level: \"loud\" (expected: emergency, alert",
            "logLevel|err*|logLevel: not a log level: \"err*\"",
            "logLevel|+|logLevel: not a log level",
            "logLevel|error++|logLevel: not a log level",
            "srcIp|localhost|srcIp: not an address",
            "srcIp|1.2.3.256|srcIp: not an address",
            "srcIp|::1%eth0|srcIp: not an address",
            "srcIp|1.2.*.4|srcIp: not an address",
            "status|4x|status: not a number",
            "status|600-500|status: out of range",
            "protoType|1*|protoType: not a number",
            "callId|a\\b|callId: a backslash escapes only",
    })
    void rejectsValuesThatDoNotFitTheField(String param, String value, String message) {
        assertThatThrownBy(() -> Filter.of(Filter.field(param), value, 20, 256))
                .isInstanceOf(ApiException.class).hasMessageContaining(message);
    }

    @Test
    void anAddressLiteralIsNeverResolvedAsAName() {
        assertThat(Filter.literalAddress("example.com")).isNull();
        assertThat(Filter.literalAddress("::1")).isNotNull();
        assertThat(List.of("1.2.3.4", "0.0.0.0")).allSatisfy(a -> assertThat(Filter.literalAddress(a)).isNotNull());
    }
}
