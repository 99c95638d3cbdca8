package io.hepstack.proto.store;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.Envelope;
import io.hepstack.proto.model.SipFields;
import io.hepstack.proto.model.MessageKind;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CopyTextWriterTest {

    private static CapturedMessage row(byte[] payload, String callId, String extra) throws Exception {
        Envelope envelope = Envelope.builder().timestampMicros(1_800_000_000_123_456L).captureId(2001)
                .source(InetAddress.getByName("10.1.2.3"), 5060).destination(InetAddress.getByName("10.4.5.6"), 5062)
                .correlationId(callId).build();
        SipFields sip = SipFields.builder().callId(callId).request("INVITE").cseq(12, "INVITE").from("alice", "t1")
                .to("bob", null).ruriUser("bob").userAgent("UA\\1").viaBranch("z9hG4bK1").build();
        return new CapturedMessage(envelope, MessageKind.SIP_CALL, sip, payload, extra);
    }

    private static String[] fields(CapturedMessage m) throws Exception {
        StringWriter out = new StringWriter();
        try (CopyTextWriter w = new CopyTextWriter(out)) {
            w.write(m);
        }
        String line = out.toString();
        assertThat(line).endsWith("\n").containsOnlyOnce("\n");
        return line.substring(0, line.length() - 1).split("\t", -1);
    }

    @Test
    void writesOneTabSeparatedLineOfTheTwentyNineColumnsWithEscapesAndNulls() throws Exception {
        String[] f = fields(row("INVITE sip:bob SIP/2.0\r\n\tx\r\n".getBytes(StandardCharsets.UTF_8), "c1",
                "{\"a\":\"b\\\\c\"}"));
        assertThat(f).hasSize(MessageColumn.ALL.size()).hasSize(29);
        assertThat(f[0]).isEqualTo("2027-01-15 08:00:00.123456+00");
        assertThat(f[1]).isEqualTo("\\N");
        assertThat(f[2]).isEqualTo("call");
        assertThat(f[8]).isEqualTo("10.1.2.3");
        assertThat(f[15]).isEqualTo("\\N");
        assertThat(f[21]).isEqualTo("\\N");
        assertThat(f[23]).isEqualTo("UA\\\\1");
        assertThat(f[25]).isEqualTo("t");
        assertThat(f[26]).isEqualTo("INVITE sip:bob SIP/2.0\\r\\n\\tx\\r\\n");
        assertThat(f[27]).isEqualTo("\\N");
        assertThat(f[28]).isEqualTo("{\"a\":\"b\\\\\\\\c\"}");
    }

    @Test
    void aPayloadThatIsNotUtf8OrHoldsNulGoesToPayloadBytesInHex() throws Exception {
        String[] f = fields(row(new byte[] {'S', 0, (byte) 0xff}, "c1", null));
        assertThat(f[26]).isEqualTo("\\N");
        assertThat(f[27]).isEqualTo("\\\\x5300ff");
        assertThat(f[28]).isEqualTo("\\N");
    }

    @Test
    void indexedTextIsCutAt512CharactersAndNulBecomesAReplacementCharacter() throws Exception {
        String[] f = fields(row("x".getBytes(StandardCharsets.UTF_8), "a".repeat(600) + "\0", null));
        assertThat(f[13]).hasSize(512);
        StringBuilder b = new StringBuilder();
        CopyTextWriter.text(b, "a\0b\uD800c", Integer.MAX_VALUE);
        assertThat(b.toString()).isEqualTo("a\uFFFDb\uFFFDc");
    }
}
