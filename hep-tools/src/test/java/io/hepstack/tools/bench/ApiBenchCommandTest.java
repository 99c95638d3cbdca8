package io.hepstack.tools.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiBenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void percentilesAreNearestRank() {
        double[] sorted = new double[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertThat(ApiBenchCommand.pct(sorted, 50)).isEqualTo(50);
        assertThat(ApiBenchCommand.pct(sorted, 95)).isEqualTo(95);
        assertThat(ApiBenchCommand.pct(sorted, 99)).isEqualTo(99);
        assertThat(ApiBenchCommand.pct(new double[] {7}, 95)).isEqualTo(7);
        assertThat(ApiBenchCommand.pct(new double[] {1, 2, 3}, 50)).isEqualTo(2);
    }

    @Test
    void readsTabSeparatedSamplesAsPsqlWritesThem() throws Exception {
        Path f = dir.resolve("samples.tsv");
        Files.writeString(f, "a@b\t4912\t1795375683366123\tt1\n\nc@d\t\t1795375683366124\t\n");
        assertThat(ApiBenchCommand.readSamples(f)).containsExactly(
                new ApiBenchCommand.Sample("a@b", "4912", 1795375683366123L, "t1"),
                new ApiBenchCommand.Sample("c@d", "", 1795375683366124L, ""));
    }

    @Test
    void aMalformedSampleLineIsNamed() throws Exception {
        Path f = dir.resolve("samples.tsv");
        Files.writeString(f, "a@b\t4912\t1\tt1\nc@d 12 3\n");
        assertThatThrownBy(() -> ApiBenchCommand.readSamples(f))
                .hasMessage("sample line 2 has 1 fields (expected: CALL_ID, FROM_USER, EPOCH_MICROS, FROM_TAG separated by tabs)");
    }

    @Test
    void parsesLengthDelimitedAndChunkedResponsesAndRefusesOtherStatuses() throws Exception {
        ApiBenchCommand c = new ApiBenchCommand();
        byte[] plain = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{\"items\":1}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(c.parse(plain, "x").get("items").asInt()).isEqualTo(1);
        byte[] chunked = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n3;x=y\r\n[2]\r\n1\r\n}\r\n0\r\n\r\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(c.parse(chunked, "x").get("a").get(0).asInt()).isEqualTo(2);
        byte[] refused = "HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\n{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> c.parse(refused, "GET /x")).hasMessage("GET /x: HTTP/1.1 400 Bad Request {}");
    }
}
