package io.hepstack.ingest;

import io.hepstack.proto.bench.CodecBenchmark;
import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.sip.HeaderExtractor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The collector's per-message cost of tracking agent clocks ({@link AgentClocks#place}: the tracked source's
 * lookup, the offset's anchor, the skew gauge's value, and the message re-timed when its offset is applied), beside
 * the same message path without it (HEPv3 decode and the stored row, as {@link IngestPipeline} does before
 * placing), over the 580 datagrams of the Kamailio fixture, in ns per message. The fixture's agent is about two
 * weeks behind the machine's clock, so every message gets an offset ({@code skewed}); {@code believed} is the same
 * lookup with a tolerance wider than that skew (the path of an agent whose clock is right: nothing applied).
 * {@code tracked} is how many other sources the table holds. Run with {@code ./hepstack bench clock} (docs/performance.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class AgentClockBenchmark {

    static final int MESSAGES = CodecBenchmark.MESSAGES;

    /** Other sources in the table: one agent alone, or a collector serving a thousand. */
    @Param({"1", "1000"})
    public int tracked;

    private final HepDecoder decoder = new HepDecoder();
    private final MessageExtractor extractor = new MessageExtractor(new ExtractionSettings(
            List.of(HeaderExtractor.parse("X-CID")), List.of()));
    private final InetSocketAddress agent = new InetSocketAddress("127.0.0.1", 9060);
    private ByteBuf[] datagrams;
    private CapturedMessage[] rows;
    private AgentClocks skewed;
    private AgentClocks believed;

    @Setup
    public void load() throws IOException, HepDecodeException {
        datagrams = CodecBenchmark.fixtureDatagrams();
        rows = new CapturedMessage[MESSAGES];
        for (int i = 0; i < MESSAGES; i++) {
            rows[i] = extractor.extract(decoder.decode(datagrams[i]));
        }
        skewed = clocks(Duration.ofMinutes(1)); // the default storage.clock-tolerance
        believed = clocks(Duration.ofDays(3650));
    }

    private AgentClocks clocks(Duration tolerance) {
        AgentClocks clocks = new AgentClocks(tolerance, AgentClocks.MAX_SOURCES, Clock.systemUTC(), new SimpleMeterRegistry());
        for (int i = 1; i < tracked; i++) {
            clocks.place(rows[i % MESSAGES], new InetSocketAddress("10.0." + (i >> 8) + "." + (i & 0xff), 5060));
        }
        return clocks;
    }

    /** Baseline: decode and the stored row, what the pipeline does to a message before placing it. */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void decodeToStoredRow(Blackhole bh) throws HepDecodeException {
        for (ByteBuf d : datagrams) {
            bh.consume(extractor.extract(decoder.decode(d)));
        }
    }

    /** The same, then placed by the agent's clock (an agent two weeks behind: every message re-timed). */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void decodeToStoredRowPlaced(Blackhole bh) throws HepDecodeException {
        for (ByteBuf d : datagrams) {
            bh.consume(skewed.place(extractor.extract(decoder.decode(d)), agent));
        }
    }

    /** The tracking alone for a skewed agent: lookup, offset, the message re-timed. */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void placeSkewed(Blackhole bh) {
        for (CapturedMessage m : rows) {
            bh.consume(skewed.place(m, agent));
        }
    }

    /** The tracking alone for an agent whose time is believed: lookup and offset, the message unchanged. */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void placeBelieved(Blackhole bh) {
        for (CapturedMessage m : rows) {
            bh.consume(believed.place(m, agent));
        }
    }
}
