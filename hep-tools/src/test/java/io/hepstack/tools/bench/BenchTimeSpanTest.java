package io.hepstack.tools.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bench --time-span}: history for search benchmarks, stamped evenly over the span before the run. */
class BenchTimeSpanTest {

    private static final DateTimeFormatter PG_TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSx");

    @TempDir
    Path dir;

    private int run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        return new CommandLine(new BenchCommand(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute(args);
    }

    @Test
    void spreadsTheCaptureTimesEvenlyOverTheSpanEndingAtTheStart() throws Exception {
        Path copy = dir.resolve("rows.copy");
        Instant before = Instant.now();
        assertThat(run("--write-copy", copy.toString(), "--messages", "1000", "--time-span", "24h")).isZero();
        Instant after = Instant.now();

        List<Instant> ts = Files.readAllLines(copy).stream()
                .map(line -> OffsetDateTime.parse(line.substring(0, line.indexOf('\t')), PG_TS).toInstant())
                .toList();
        assertThat(ts).hasSize(1000).isSorted();
        assertThat(ts.get(0)).isBetween(before.minus(Duration.ofHours(24)), after.minus(Duration.ofHours(24)));
        // 1000 messages over 24 h: 86.4 s apart, the last one a step before the run started
        Duration step = Duration.between(ts.get(0), ts.get(1));
        assertThat(step.toMillis()).isBetween(86_399L, 86_401L);
        assertThat(Duration.between(ts.get(0), ts.get(999)).toSeconds()).isEqualTo(86_400 - 87);
    }

    @Test
    void refusesASpanWithoutAMessageCount() {
        assertThat(run("--write-copy", dir.resolve("x").toString(), "--duration", "1s", "--time-span", "1h")).isEqualTo(2);
        assertThat(run("--to", "udp:127.0.0.1:9", "--time-span", "1h")).isEqualTo(2);
    }
}
