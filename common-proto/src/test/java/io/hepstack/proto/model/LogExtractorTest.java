package io.hepstack.proto.model;

import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.testing.Captures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The log family: real Kamailio {@code hlog()} packets, and the level words of every agent's line format. */
class LogExtractorTest {

    private final MessageExtractor extractor = new MessageExtractor(ExtractionSettings.DEFAULT);

    private CapturedMessage fixture(String name) {
        return Captures.kamailioHlog(ExtractionSettings.DEFAULT, name).get(0);
    }

    @Test
    void aKamailioHlogLineIsStoredAsALogOfItsCallWithItsLevel() {
        CapturedMessage error = fixture("hlog-error.bin");
        assertThat(error.kind()).isEqualTo(MessageKind.LOG);
        assertThat(error.part()).isEqualTo(new LogLine(LogLevel.ERROR));
        assertThat(error.envelope().protoType()).isEqualTo(100);
        assertThat(error.envelope().correlationId()).isEqualTo("1-17738@127.0.0.1");
        assertThat(error.envelope().captureId()).isEqualTo(2001);
        assertThat(error.parsed()).isFalse();
        assertThat(error.callId()).isNull();
        assertThat(new String(error.payload(), StandardCharsets.UTF_8))
                .isEqualTo("ERROR: routing failed for service: no gateway");
        assertThat(error.extra()).isEqualTo("{\"log\":{\"level\":\"error\"}}");

        assertThat(fixture("hlog-info.bin").part()).isEqualTo(new LogLine(LogLevel.INFO));
    }

    @Test
    void aLineThatNamesNoLevelIsStoredWithoutOne() {
        CapturedMessage plain = fixture("hlog-no-cid.bin");
        assertThat(plain.kind()).isEqualTo(MessageKind.LOG);
        assertThat(plain.part()).isEqualTo(LogLine.UNLEVELLED);
        assertThat(plain.envelope().correlationId()).isEqualTo("1-17738@127.0.0.1");
        assertThat(plain.extra()).isNull();
    }

    @Test
    void theSipOfTheSameCallKeepsItsOwnFamily() {
        CapturedMessage invite = fixture("invite.bin");
        assertThat(invite.kind()).isEqualTo(MessageKind.SIP_CALL);
        assertThat(invite.sip().callId()).isEqualTo("1-17738@127.0.0.1");
        assertThat(invite.sip().method()).isEqualTo("INVITE");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            // Kamailio / OpenSIPS log lines (the collector's own test run printed these)
            " 0(17689) INFO: <core> [core/tcp_main.c:5073]: init_tcp(): using epoll_lt | info",
            " 0(17689) NOTICE: <core> [main.c:733]: handle_sigs(): Thank you for flying kamailio!!! | notice",
            "BUG: tm [t_reply.c:1234]: reply to an unknown transaction | critical",
            "CRITICAL: <core> [core/mem/q_malloc.c:300]: out of memory | critical",
            "WARNING: dispatcher [dispatch.c:3000]: destination sip:10.0.0.9 down | warning",
            // FreeSWITCH
            "2026-11-22 10:00:00.123456 [ERR] sofia.c:7299 Gateway carrier-a failed | error",
            "2026-11-22 10:00:00.123456 [CRIT] switch_core_session.c:1234 No codec | critical",
            "2026-11-22 10:00:00.123456 [CONSOLE] switch_loadable_module.c:1540 Successfully Loaded | info",
            "2026-11-22 10:00:00.123456 [DEBUG] switch_rtp.c:7000 RTCP packet | debug",
            // Asterisk
            "[Nov 22 10:00:00] WARNING[1234][C-00000001]: chan_sip.c:4000 Retransmission timeout | warning",
            "[Nov 22 10:00:00] VERBOSE[1234][C-00000001]: pbx.c:4000 Executing Dial | info",
            "[Nov 22 10:00:00] ERROR[1234]: res_pjsip.c:10 Endpoint not found | error",
            // logfmt
            "ts=2026-11-22T10:00:00Z level=warn msg=\"slow answer\" | warning",
            "time=now lvl=\"ERROR\" msg=x | error",
            "mylevel=error message | none",
            // JSON objects: a top-level level field, word or syslog number
            "{\"level\":\"error\",\"message\":\"no route\"} | error",
            "{\"ts\":1,\"severity\":3} | error",
            "{\"lvl\":\"DEBUG\"} | debug",
            "{\"levelname\":\"WARNING\",\"name\":\"sbc\"} | warning",
            "{\"log_level\":\"fatal\"} | critical",
            "  {\"level\":\"verbose\"} | info",
            "{\"msg\":\"x\",\"ctx\":{\"level\":\"error\"}} | none",
            "{\"level\":99} | none",
            "{\"level\":\"loud\",\"severity\":\"notice\"} | notice",
            "{\"msg\":\"cut | none",
            "{\"level\":\"error\" | error",
            "[1,2] ERROR | error",
            // prose and near misses
            "Connection ERRORS counted: 3 | none",
            "an INFOrmation line | none",
            "error: lower-case words are prose | none",
            "plain hlog without explicit correlation id | none",
    })
    void readsTheLevelOfEveryAgentsLineFormat(String line, String level) {
        byte[] payload = line.getBytes(StandardCharsets.UTF_8);
        HepPacket p = HepPacket.builder().protoType(HepPayloadType.LOG.number()).payload(payload).build();
        assertThat(extractor.extract(p).part()).isEqualTo(level == null ? LogLine.UNLEVELLED
                : new LogLine(LogLevel.ofCode(level)));
    }

    @Test
    void aLevelWordPastTheLinesPrefixIsNotItsLevel() {
        String line = "x".repeat(LogExtractor.SCAN) + " ERROR: late";
        HepPacket p = HepPacket.builder().protoType(100).payload(line.getBytes(StandardCharsets.US_ASCII)).build();
        assertThat(extractor.extract(p).part()).isEqualTo(LogLine.UNLEVELLED);
    }

    @Test
    void anyBytesAreStoredWhateverTheyAre() {
        byte[] garbage = {(byte) 0xff, '{', 0, (byte) 0xc3, 'E', 'R', 'R', ']', '{', '{'};
        HepPacket p = HepPacket.builder().protoType(100).payload(garbage).build();
        CapturedMessage m = extractor.extract(p);
        assertThat(m.kind()).isEqualTo(MessageKind.LOG);
        assertThat(m.payload()).isSameAs(garbage);
        byte[] deep = ("{\"a\":" + "[".repeat(5000)).getBytes(StandardCharsets.US_ASCII);
        assertThat(extractor.extract(HepPacket.builder().protoType(100).payload(deep).build()).part())
                .isEqualTo(LogLine.UNLEVELLED);
    }
}
