package io.hepstack.proto.store;

import io.hepstack.proto.model.CapturedMessage;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MessageColumnTest {

    private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");

    /** The columns a row names, in the order {@link StoredRow#writeTo} names them, and the sink method of each. */
    private static List<String> visits(StoredRow row) {
        List<String> seen = new ArrayList<>();
        ColumnSink recorder = (ColumnSink) Proxy.newProxyInstance(ColumnSink.class.getClassLoader(),
                new Class<?>[] {ColumnSink.class}, (proxy, method, args) -> {
                    seen.add(((MessageColumn) args[0]).sqlName() + ":" + method.getName());
                    return null;
                });
        row.writeTo(recorder);
        return seen;
    }

    private static List<String> names(List<String> visits) {
        return visits.stream().map(v -> v.substring(0, v.indexOf(':'))).toList();
    }

    @Test
    void aRowNamesEveryColumnOnceInCopyOrderWhateverIsNull() {
        CapturedMessage full = Fixtures.invite(1, AT).reply(486).build();
        CapturedMessage sparse = Fixtures.invite(2, AT).ips(null, null).extra(null).correlationId(null)
                .payload(new byte[] {0, (byte) 0xff}).build();
        List<String> expected = MessageColumn.ALL.stream().map(MessageColumn::sqlName).toList();
        assertThat(names(visits(new StoredRow(full, full.envelope().timestampMicros(), null)))).isEqualTo(expected);
        assertThat(names(visits(new StoredRow(sparse, sparse.envelope().timestampMicros(), 7L)))).isEqualTo(expected);
        assertThat(String.join(", ", expected)).isEqualTo(MessageColumn.COPY_LIST);
    }

    @Test
    void aPayloadIsStoredInExactlyOneOfTextAndBytes() {
        CapturedMessage text = Fixtures.invite(1, AT).payload("OPTIONS sip:x SIP/2.0\r\n".getBytes(StandardCharsets.UTF_8))
                .build();
        CapturedMessage binary = Fixtures.invite(2, AT).payload(new byte[] {'S', 0}).build();
        assertThat(visits(new StoredRow(text, 0, null))).contains("payload_text:storableText", "payload_bytes:nul");
        assertThat(visits(new StoredRow(binary, 0, null))).contains("payload_text:nul", "payload_bytes:bytea");
        assertThat(visits(new StoredRow(text, 0, null))).contains("agent_ts_us:nul");
        assertThat(visits(new StoredRow(text, 0, 5L))).contains("agent_ts_us:int8");
    }

    @Test
    void onlyTheIndexedTextColumnsAreCut() {
        assertThat(MessageColumn.ALL.stream().filter(c -> c.maxChars() < Integer.MAX_VALUE).map(MessageColumn::sqlName))
                .containsExactly("correlation_id", "call_id", "from_user", "from_tag", "to_user", "to_tag", "ruri_user",
                        "via_branch");
        assertThat(MessageColumn.CALL_ID.maxChars()).isEqualTo(512);
    }
}
