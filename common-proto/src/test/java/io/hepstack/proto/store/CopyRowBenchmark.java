package io.hepstack.proto.store;

import io.hepstack.proto.bench.CodecBenchmark;
import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageExtractor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Cost per row of the collector's binary COPY encoding ({@link CopyEncoder}) over the 580 rows of the
 * Kamailio fixture: what the writer spends per stored message before the bytes leave for PostgreSQL.
 * Run: {@code ./hepstack bench copy} (docs/performance.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class CopyRowBenchmark {

    private StoredRow[] rows;
    private ByteBuf out;
    private final CopyEncoder encoder = new CopyEncoder();

    @Setup
    public void load() throws IOException, HepDecodeException {
        ByteBuf[] datagrams = CodecBenchmark.fixtureDatagrams();
        HepDecoder decoder = new HepDecoder();
        MessageExtractor extractor = new MessageExtractor(ExtractionSettings.DEFAULT);
        rows = new StoredRow[datagrams.length];
        for (int i = 0; i < datagrams.length; i++) {
            CapturedMessage m = extractor.extract(decoder.decode(datagrams[i]));
            rows[i] = new StoredRow(m, m.envelope().timestampMicros(), null);
            datagrams[i].release();
        }
        out = Unpooled.directBuffer(4 << 20);
    }

    @TearDown
    public void release() {
        out.release();
    }

    /** Every row of the fixture as binary COPY tuples. */
    @Benchmark
    @OperationsPerInvocation(CodecBenchmark.MESSAGES)
    public int encodeRows() {
        out.clear();
        encoder.into(out);
        for (StoredRow row : rows) {
            encoder.writeRow(row);
        }
        return out.writerIndex();
    }
}
