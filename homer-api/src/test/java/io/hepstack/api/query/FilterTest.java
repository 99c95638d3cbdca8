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

    private static List<Object> params(Filter.Field field, String value) {
        Sql sql = new Sql();
        Filter.of(field, value, 20, 256).appendTo(sql, "");
        return sql.params();
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
    void aHeaderInTheRawMessageIsMatchedByItsExpressionOnlyWhereItsLongestLiteralPartIs() {
        Sql sql = new Sql();
        Filter.of("header.Record-Route", Filter.Field.HEADER, "*;ftag=abc>,!*lr*", 20, 256).appendTo(sql, "");
        assertThat(sql.text()).isEqualTo(" AND (CASE WHEN strpos(payload_text, $2) > 0 THEN payload_text ~ $1 ELSE false END)"
                + " AND (payload_text IS NULL OR CASE WHEN strpos(payload_text, $4) > 0 THEN payload_text !~ $3 ELSE true END)");
        assertThat(sql.params().get(1)).isEqualTo(";ftag=abc>");
        assertThat(sql.params().get(3)).isEqualTo("lr");
        // only wildcards: nothing to look for first
        Sql any = new Sql();
        Filter.of("header.X-CID", Filter.Field.HEADER, "*", 20, 256).appendTo(any, "");
        assertThat(any.text()).isEqualTo(" AND (payload_text ~ $1)");
        assertThat(sql(Filter.Field.CONTACT_USER, "alice")).startsWith(" AND (CASE WHEN strpos(payload_text, $2) > 0 THEN");
    }

    @Test
    void theLongestLiteralPartOfAValueIsBetweenItsWildcardsWithItsEscapesResolved() {
        assertThat(Filter.longestLiteral(Term.parse("p", "abc", 1, 256).get(0))).isEqualTo("abc");
        assertThat(Filter.longestLiteral(Term.parse("p", "ab*cdef*g", 1, 256).get(0))).isEqualTo("cdef");
        assertThat(Filter.longestLiteral(Term.parse("p", "50%_off*x", 1, 256).get(0))).isEqualTo("50%_off");
        assertThat(Filter.longestLiteral(Term.parse("p", "a\\\\b*", 1, 256).get(0))).isEqualTo("a\\b");
        assertThat(Filter.longestLiteral(Term.parse("p", "**", 1, 256).get(0))).isEmpty();
    }

    @Test
    void ruriUserSearchImpliesThePartialIndexPredicates() {
        assertThat(sql(Filter.Field.RURI_USER, "bob")).isEqualTo(" AND (((ruri_user = $1 AND ruri_user IS DISTINCT FROM "
                + "to_user) OR (to_user = $1 AND ruri_user = to_user))) -- [bob]");
    }

    @Test
    void tagsAndBranchesAreExactKeysWithAPrefixLikeOnTheirIndexes() {
        assertThat(sql(Filter.Field.FROM_TAG, "10898SIPpTag001")).isEqualTo(" AND (from_tag = $1) -- [10898SIPpTag001]");
        assertThat(sql(Filter.Field.TO_TAG, "!10892SIPpTag011"))
                .isEqualTo(" AND to_tag IS DISTINCT FROM $1 -- [10892SIPpTag011]");
        assertThat(sql(Filter.Field.VIA_BRANCH, "z9hG4bK-10898-1-*")).isEqualTo(" AND (via_branch LIKE $1) -- [z9hG4bK-10898-1-%]");
    }

    @Test
    void aCorrelationIdIsLookedForInItsIndexAndWhereItIsTheCallIdInTheCallIds() {
        assertThat(sql(Filter.Field.CORRELATION_ID, "aleg-1")).isEqualTo(" AND (((correlation_id = $1 AND correlation_id IS "
                + "DISTINCT FROM call_id) OR (call_id = $1 AND correlation_id = call_id))) -- [aleg-1]");
        assertThat(sql(Filter.Field.CORRELATION_ID, "aleg-*")).isEqualTo(" AND (((correlation_id LIKE $1 AND correlation_id IS "
                + "DISTINCT FROM call_id) OR (call_id LIKE $1 AND correlation_id = call_id))) -- [aleg-%]");
        assertThat(sql(Filter.Field.CORRELATION_ID, "!aleg-1")).isEqualTo(" AND correlation_id IS DISTINCT FROM $1 -- [aleg-1]");
        Sql aliased = new Sql();
        Filter.of(Filter.Field.CORRELATION_ID, "x", 20, 256).appendTo(aliased, "m.");
        assertThat(aliased.toString()).isEqualTo(" AND (((m.correlation_id = $1 AND m.correlation_id IS DISTINCT FROM m.call_id)"
                + " OR (m.call_id = $1 AND m.correlation_id = m.call_id))) -- [x]");
    }

    @Test
    void portsCseqAndCaptureIdsTakeNumbersAndRangesBoundAsTheirColumnsType() {
        assertThat(sql(Filter.Field.SRC_PORT, "5060")).isEqualTo(" AND (src_port = $1) -- [5060]");
        assertThat(sql(Filter.Field.DST_PORT, "5080-5083,!5081"))
                .isEqualTo(" AND (dst_port BETWEEN $1 AND $2) AND (dst_port IS NULL OR NOT (dst_port = $3)) -- [5080, 5083, 5081]");
        assertThat(sql(Filter.Field.CSEQ, "1-3")).isEqualTo(" AND (cseq BETWEEN $1 AND $2) -- [1, 3]");
        assertThat(sql(Filter.Field.CAPTURE_ID, "4294967295")).isEqualTo(" AND (capture_id = $1) -- [4294967295]");
        assertThat(params(Filter.Field.SRC_PORT, "65535")).containsExactly(65535);
        assertThat(params(Filter.Field.CAPTURE_ID, "2001,0-7")).containsExactly(2001L, 0L, 7L);
        assertThat(params(Filter.Field.CSEQ, "2147483648")).containsExactly(2147483648L);
    }

    @Test
    void aTransportIsNamedOrGivenAsTheHepProtocolByte() {
        assertThat(sql(Filter.Field.TRANSPORT, "udp,TLS,wss"))
                .isEqualTo(" AND (transport = $1 OR transport = $2 OR transport = $3) -- [17, 22, 50]");
        assertThat(sql(Filter.Field.TRANSPORT, "!tcp,!sctp"))
                .isEqualTo(" AND (transport IS NULL OR NOT (transport = $1)) AND (transport IS NULL OR NOT (transport = $2)) -- [6, 132]");
        assertThat(sql(Filter.Field.TRANSPORT, "17")).isEqualTo(sql(Filter.Field.TRANSPORT, "UDP"));
        assertThat(Filter.Field.TRANSPORT.syntax()).startsWith("udp, tcp, tls, sctp, ws (wss is ws");
    }

    @Test
    void addressesBecomeInetEqualityOrContainment() {
        assertThat(sql(Filter.Field.SRC_IP, "10.0.0.1")).isEqualTo(" AND (src_ip = $1::inet) -- [10.0.0.1]");
        assertThat(sql(Filter.Field.SRC_IP, "10.1.*")).isEqualTo(" AND (src_ip <<= $1::inet) -- [10.1.0.0/16]");
        assertThat(sql(Filter.Field.DST_IP, "2001:db8::/32")).isEqualTo(" AND (dst_ip <<= $1::inet) -- [2001:db8:0:0:0:0:0:0/32]");
        assertThat(sql(Filter.Field.SRC_IP, "10.*")).isEqualTo(" AND (src_ip <<= $1::inet) -- [10.0.0.0/8]");
        assertThat(sql(Filter.Field.SRC_IP, "10.1.2.*")).isEqualTo(" AND (src_ip <<= $1::inet) -- [10.1.2.0/24]");
        assertThat(sql(Filter.Field.SRC_IP, "0.*")).isEqualTo(" AND (src_ip <<= $1::inet) -- [0.0.0.0/8]");
        assertThat(sql(Filter.Field.SRC_IP, "::ffff:10.0.0.1")).isEqualTo(" AND (src_ip = $1::inet) -- [10.0.0.1]");
        assertThat(sql(Filter.Field.SRC_IP, "10.0.0.0/08")).isEqualTo(" AND (src_ip <<= $1::inet) -- [10.0.0.0/8]");
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

    @Test
    void aRecordsMediaFieldsCompareNumbersAndVerdictsAreArrayMembers() {
        assertThat(sql(Filter.Field.MOS, "<3.5")).isEqualTo(" AND ((mos < $1)) -- [3.5]");
        assertThat(sql(Filter.Field.MOS, "3-3.6")).isEqualTo(" AND ((mos >= $1 AND mos <= $2)) -- [3.0, 3.6]");
        assertThat(sql(Filter.Field.MOS, "!>=4")).isEqualTo(" AND (mos IS NULL OR NOT (mos >= $1)) -- [4.0]");
        assertThat(sql(Filter.Field.LOSS, ">5%,0")).isEqualTo(" AND ((loss_percent > $1) OR (loss_percent >= $2 AND "
                + "loss_percent < $3)) -- [5.0, -0.005, 0.005]");
        assertThat(sql(Filter.Field.JITTER, ">30ms")).isEqualTo(" AND (jitter_ms >= $1) -- [31]");
        assertThat(sql(Filter.Field.VERDICT, "one_way_audio,high_loss"))
                .isEqualTo(" AND (verdicts @> ARRAY[$1]::text[] OR verdicts @> ARRAY[$2]::text[]) -- [one_way_audio, high_loss]");
        assertThat(sql(Filter.Field.VERDICT, "!no_media_reports"))
                .isEqualTo(" AND NOT (verdicts @> ARRAY[$1]::text[]) -- [no_media_reports]");
    }

    @Test
    void theCallListsRecordFieldsMatchTheRecordsColumns() {
        assertThat(sql(Filter.Field.FINAL_STATUS, "4xx,!486"))
                .isEqualTo(" AND (final_status BETWEEN $1 AND $2) AND (final_status IS NULL OR NOT (final_status = $3)) -- [400, 499, 486]");
        // a codec is one of the answer's NAME/RATE entries, by its name or as a whole, in any case
        assertThat(sql(Filter.Field.CODEC, "PCMU")).isEqualTo(" AND (EXISTS (SELECT 1 FROM unnest(codecs) AS e(v) WHERE "
                + "split_part(e.v, '/', 1) ILIKE $1 OR e.v ILIKE $1)) -- [PCMU]");
        assertThat(sql(Filter.Field.CODEC, "G7*,!opus")).isEqualTo(" AND (EXISTS (SELECT 1 FROM unnest(codecs) AS e(v) WHERE "
                + "split_part(e.v, '/', 1) ILIKE $1 OR e.v ILIKE $1)) AND NOT (EXISTS (SELECT 1 FROM unnest(codecs) AS e(v) WHERE "
                + "split_part(e.v, '/', 1) ILIKE $2 OR e.v ILIKE $2)) -- [G7%, opus]");
        assertThat(sql(Filter.Field.CODEC, "50%")).endsWith("-- [50\\%]");
        assertThat(sql(Filter.Field.CODEC, "*")).isEqualTo(" AND (cardinality(codecs) > 0) -- []");
    }

    @Test
    void theNodeOfACallIsOneOfItsRecordsNodes() {
        Sql record = new Sql();
        Filter.of(Filter.Field.NODE, "edge-a,edge-b*,!edge-c", 20, 256).appendToRecord(record, "c.");
        assertThat(record.toString()).isEqualTo(" AND NOT (c.nodes @> ARRAY[$3]::text[]) AND (c.nodes @> ARRAY[$1]::text[] OR "
                + "EXISTS (SELECT 1 FROM unnest(c.nodes) AS e(v) WHERE e.v LIKE $2)) -- [edge-a, edge-b%, edge-c]");
        // a message's node is its column
        assertThat(sql(Filter.Field.NODE, "edge-a")).isEqualTo(" AND (node = $1) -- [edge-a]");
        assertThatThrownBy(() -> Filter.of(Filter.Field.SRC_IP, "10.0.0.1", 20, 256).appendToRecord(new Sql(), "c."))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aNumberMatchesEachOfItsFormsAndAPatternAsWritten() {
        NumberPlan germany = new NumberPlan("49", "00", "0");
        Sql sql = new Sql();
        Filter.of(Filter.Field.CALLER, "030123,!alice", 20, 256, germany).appendTo(sql, "c.");
        assertThat(sql.text()).isEqualTo(" AND (c.caller_user = ANY($1::text[])) AND (c.caller_user IS NULL OR NOT "
                + "(c.caller_user = ANY($2::text[])))");
        assertThat((String[]) sql.params().get(0)).containsExactly("030123", "+4930123", "004930123", "4930123");
        assertThat((String[]) sql.params().get(1)).containsExactly("alice");
        Sql contains = new Sql();
        Filter.of(Filter.Field.CALLEE, "*0123*", 20, 256, germany).appendTo(contains, "");
        assertThat(contains.toString()).isEqualTo(" AND (callee_user LIKE $1) -- [%0123%]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mos|good|mos: not a number: \"good\" (expected: <3.5",
            "mos|<|mos: not a number",
            "mos|-1|mos: not a number",
            "mos|4-3|mos: empty range",
            "loss|5%%|loss: not a percentage",
            "loss|>5 %|loss: not a percentage",
            "verdict|choppy|verdict: not one of the values: \"choppy\" (expected: one_way_audio, high_loss",
            "verdict|one_way*|verdict: not one of the values",
            "logLevel|loud|logLevel: not a log level: \"loud\" (expected: emergency, alert",
            "logLevel|err*|logLevel: not a log level: \"err*\"",
            "logLevel|+|logLevel: not a log level",
            "logLevel|error++|logLevel: not a log level",
            "srcIp|localhost|srcIp: not an address",
            "srcIp|1.2.3.256|srcIp: not an address",
            "srcIp|::1%eth0|srcIp: not an address",
            "srcIp|1.2.*.4|srcIp: not an address",
            // a leading zero is octal to some stacks, decimal to others: refused rather than guessed
            "srcIp|010.0.0.1|srcIp: not an address: \"010.0.0.1\" (expected: an IPv4 or IPv6 address, a CIDR block",
            "srcIp|10.0.0.01|srcIp: not an address",
            "dstIp|010.0.0.0/8|dstIp: not an address",
            "dstIp|10.01.*|dstIp: not an address: \"10.01.*\"",
            "dstIp|::ffff:010.0.0.1|dstIp: not an address",
            "srcIp|256.*|srcIp: not an address: \"256.*\"",
            "status|4x|status: not a number",
            "status|600-500|status: out of range",
            "protoType|1*|protoType: not a number",
            "srcPort|65536|srcPort: out of range: \"65536\" (expected: 0 to 65535)",
            "srcPort|-1|srcPort: not a number",
            "srcPort|50*|srcPort: not a number",
            "dstPort|5080-5060|dstPort: out of range",
            "dstPort|sip|dstPort: not a number: \"sip\" (expected: a number or a range a-b)",
            "captureId|4294967296|captureId: out of range: \"4294967296\" (expected: 0 to 4294967295)",
            "captureId|99999999999|captureId: not a number",
            "cseq|1.5|cseq: not a number",
            "transport|quic|transport: not a transport: \"quic\" (expected: udp, tcp, tls, sctp, ws (wss is ws",
            "transport|udp*|transport: not a transport",
            "transport|256|transport: out of range",
            "fromTag|a\\b|fromTag: a backslash escapes only",
            "callId|a\\b|callId: a backslash escapes only",
            "finalStatus|99x|finalStatus: not a number: \"99x\" (expected: 486, 400-499, 4xx or 4*)",
            "finalStatus|1000|finalStatus: out of range",
            "srcIp|10.0.0.0/33|srcIp: not an address: \"10.0.0.0/33\" (expected: an IPv4 or IPv6 address, a CIDR block",
            "dstIp|10.0.0.0/|dstIp: not an address",
            "dstIp|2001:db8::/129|dstIp: not an address",
            "caller|a,,b|caller: empty value",
    })
    void rejectsValuesThatDoNotFitTheField(String param, String value, String message) {
        assertThatThrownBy(() -> Filter.of(Filter.field(param), value, 20, 256))
                .isInstanceOf(ApiException.class).hasMessageContaining(message);
    }
}
