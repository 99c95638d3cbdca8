package io.hepstack.proto.store;

import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageExtractor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.hepstack.proto.store.Fixtures.ip;
import static io.hepstack.proto.store.Fixtures.micros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CopyEncoderTest {

    private final ByteBuf out = Unpooled.buffer();

    @AfterEach
    void release() {
        out.release();
    }

    private String hex() {
        return ByteBufUtil.hexDump(out);
    }

    @Test
    void writesTheBinaryCopySignatureFlagsAndExtensionLength() {
        CopyEncoder.writeHeader(out);
        // "PGCOPY\n\377\r\n\0" | flags int32 0 | header extension length int32 0
        assertThat(hex()).isEqualTo("5047434f50590aff0d0a00" + "00000000" + "00000000");
    }

    @Test
    void writesTheTrailerAsFieldCountMinusOne() {
        CopyEncoder.writeTrailer(out);
        assertThat(hex()).isEqualTo("ffff");
    }

    @Test
    void writesNullAsLengthMinusOne() {
        CopyEncoder.writeNull(out);
        assertThat(hex()).isEqualTo("ffffffff");
    }

    @Test
    void writesIntegersBigEndianAfterTheirLength() {
        CopyEncoder.writeInt2(out, 486);
        CopyEncoder.writeInt4(out, 65535);
        CopyEncoder.writeInt8(out, -2);
        assertThat(hex()).isEqualTo("00000002" + "01e6"
                + "00000004" + "0000ffff"
                + "00000008" + "fffffffffffffffe");
    }

    @Test
    void refusesASmallintOutOfRange() {
        assertThatThrownBy(() -> CopyEncoder.writeInt2(out, 70_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value 70000 (expected: a smallint)");
    }

    @Test
    void writesBooleansAsOneByte() {
        CopyEncoder.writeBool(out, true);
        CopyEncoder.writeBool(out, false);
        assertThat(hex()).isEqualTo("0000000101" + "0000000100");
    }

    @Test
    void writesTimestamptzAsMicrosecondsSince2000() {
        CopyEncoder.writeTimestamptz(out, micros(Instant.parse("2000-01-01T00:00:00Z")));
        CopyEncoder.writeTimestamptz(out, micros(Instant.parse("2000-01-01T00:00:01.000002Z")));
        CopyEncoder.writeTimestamptz(out, 0); // 1970: 946684800 s before the PostgreSQL epoch
        assertThat(hex()).isEqualTo("00000008" + "0000000000000000"
                + "00000008" + "00000000000f4242"
                + "00000008" + HexFormat.of().toHexDigits(-946_684_800_000_000L));
    }

    @Test
    void writesIpv4InetAsFamilyMaskCidrFlagLengthAndAddress() {
        CopyEncoder.writeInet(out, ip("192.0.2.10"));
        // length 8 | PGSQL_AF_INET 2 | bits 32 | is_cidr 0 | nb 4 | c0 00 02 0a
        assertThat(hex()).isEqualTo("00000008" + "02" + "20" + "00" + "04" + "c000020a");
    }

    @Test
    void writesIpv6InetAsFamilyMaskCidrFlagLengthAndAddress() {
        CopyEncoder.writeInet(out, ip("2001:db8::1"));
        // length 20 | PGSQL_AF_INET6 3 | bits 128 | is_cidr 0 | nb 16 | address
        assertThat(hex()).isEqualTo("00000014" + "03" + "80" + "00" + "10" + "20010db8000000000000000000000001");
    }

    @Test
    void writesANullAddressAsNull() {
        CopyEncoder.writeInet(out, null);
        assertThat(hex()).isEqualTo("ffffffff");
    }

    @Test
    void writesTextAsUtf8WithoutTerminator() {
        CopyEncoder.writeText(out, "Zoë🎉", Integer.MAX_VALUE);
        assertThat(hex()).isEqualTo("00000008" + "5a6fc3ab" + "f09f8e89");
    }

    @Test
    void writesNulAndUnpairedSurrogatesInTextAsReplacementCharacter() {
        CopyEncoder.writeText(out, "a\0b\uD800c\uDC00", Integer.MAX_VALUE);
        assertThat(out.toString(4, out.readableBytes() - 4, StandardCharsets.UTF_8))
                .isEqualTo("a\uFFFDb\uFFFDc\uFFFD");
        assertThat(out.getInt(0)).isEqualTo(out.readableBytes() - 4);
    }

    @Test
    void cutsIndexedTextWithoutSplittingASurrogatePair() {
        CopyEncoder.writeText(out, "ab🎉", 3);
        assertThat(hex()).isEqualTo("00000002" + "6162");
    }

    @Test
    void writesByteaAsTheBytesThemselves() {
        CopyEncoder.writeBytes(out, new byte[] {0, (byte) 0xff, 10});
        assertThat(hex()).isEqualTo("00000003" + "00ff0a");
    }

    @Test
    void writesJsonbAsVersionOneThenText() {
        CopyEncoder.writeJsonb(out, "{\"a\":1}");
        assertThat(hex()).isEqualTo("00000008" + "01" + HexFormat.of().formatHex("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void writesSipDamagedAtItsEndWithItsColumnsAndThePayloadByteForByte() throws Exception {
        byte[] text = ("INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: cut@host\r\nCSeq: 7 INVITE\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] cutInsideAHeader = concat(text, "To: <sip:bo".getBytes(StandardCharsets.US_ASCII));
        byte[] binaryTrailer = concat(text, new byte[] {(byte) 0xff, (byte) 0xfe, 0, ' ', 'x', '\r', '\n'});

        Map<String, byte[]> cut = row(cutInsideAHeader);
        assertThat(cut.get("call_id")).asString(StandardCharsets.UTF_8).isEqualTo("cut@host");
        assertThat(cut.get("from_user")).asString(StandardCharsets.UTF_8).isEqualTo("alice");
        assertThat(cut.get("to_user")).isNull();
        assertThat(cut.get("parsed")).containsExactly(1);
        assertThat(cut.get("payload_text")).isEqualTo(cutInsideAHeader);
        assertThat(cut.get("payload_bytes")).isNull();
        assertThat(new String(cut.get("extra"), 1, cut.get("extra").length - 1, StandardCharsets.UTF_8))
                .startsWith("{\"sipError\":\"TRUNCATED: line 5: message ends inside header \\\"To\\\" (offset 109)\"");

        Map<String, byte[]> trailer = row(binaryTrailer);
        assertThat(trailer.get("call_id")).asString(StandardCharsets.UTF_8).isEqualTo("cut@host");
        assertThat(trailer.get("from_tag")).asString(StandardCharsets.UTF_8).isEqualTo("a1");
        assertThat(trailer.get("parsed")).containsExactly(1);
        assertThat(trailer.get("payload_text")).as("not UTF-8: not text").isNull();
        assertThat(trailer.get("payload_bytes")).isEqualTo(binaryTrailer);
        assertThat(new String(trailer.get("extra"), 1, trailer.get("extra").length - 1, StandardCharsets.UTF_8))
                .startsWith("{\"sipError\":\"BAD_HEADER: line 5: header line \\\"??? x\\\" has no colon (offset 109)\"");
    }

    /** The columns of the COPY row written for a HEP SIP packet with this payload, by name (null for NULL). */
    private Map<String, byte[]> row(byte[] payload) throws Exception {
        HepPacket p = new HepPacket(3, 2, 17, ip("192.0.2.10"), ip("198.51.100.20"), 5060, 5080, 1_795_375_683L, 0, 1,
                2001, null, null, null, null, payload, false, List.of());
        CapturedMessage m = new MessageExtractor(ExtractionSettings.DEFAULT).extract(p);
        out.clear();
        new CopyEncoder().into(out).writeRow(new StoredRow(m, m.envelope().timestampMicros(), null));
        out.readShort();
        Map<String, byte[]> columns = new LinkedHashMap<>();
        for (String name : MessageColumn.COPY_LIST.split(", ")) {
            int length = out.readInt();
            columns.put(name, length < 0 ? null : ByteBufUtil.getBytes(out.readSlice(length)));
        }
        assertThat(out.isReadable()).isFalse();
        return columns;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void writesARowAsFieldCountThenEveryColumn() {
        var m = Fixtures.invite(1, Instant.parse("2026-11-22T10:00:00Z")).build();
        new CopyEncoder().into(out).writeRow(new StoredRow(m, m.envelope().timestampMicros(), null));
        assertThat(out.readShort()).isEqualTo((short) MessageColumn.ALL.size());
        assertThat(MessageColumn.COPY_LIST.split(",")).hasSize(MessageColumn.ALL.size());
        int fields = 0;
        while (out.isReadable()) {
            int length = out.readInt();
            if (length > 0) {
                out.skipBytes(length);
            }
            fields++;
        }
        assertThat(fields).isEqualTo(MessageColumn.ALL.size());
    }
}
