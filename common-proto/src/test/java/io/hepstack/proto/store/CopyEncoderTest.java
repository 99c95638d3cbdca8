package io.hepstack.proto.store;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

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
    void writesARowAsFieldCountThenEveryColumn() {
        var m = Fixtures.invite(1, Instant.parse("2026-11-22T10:00:00Z")).build();
        CopyEncoder.writeRow(out, new StoredRow(m, m.timestampMicros(), null));
        assertThat(out.readShort()).isEqualTo((short) CopyEncoder.FIELD_COUNT);
        assertThat(CopyEncoder.COLUMNS.split(",")).hasSize(CopyEncoder.FIELD_COUNT);
        int fields = 0;
        while (out.isReadable()) {
            int length = out.readInt();
            if (length > 0) {
                out.skipBytes(length);
            }
            fields++;
        }
        assertThat(fields).isEqualTo(CopyEncoder.FIELD_COUNT);
    }
}
