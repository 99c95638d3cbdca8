package io.hepstack.ingest.sip;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.bench.CodecBenchmark;
import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.model.SipFields;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
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
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The SIP KPI tracker's cost per message ({@link SipKpis#accept}: the message's counter, and for INVITE, REGISTER,
 * BYE and their final replies the transaction or session looked up, opened or closed), in ns per message, over the
 * 580 SIP messages of the Kamailio fixture, each under {@value #COPIES} Call-IDs of its own (the fixture's with a
 * suffix), so that the tracker holds tens of thousands of transactions as at a busy collector. Uses the tracker's
 * public surface only, so that the same source measures an earlier build as its baseline. Run with
 * {@code ./hepstack bench kpi} (docs/performance.md); {@code -prof gc} gives the bytes allocated per message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class SipKpisBenchmark {

    static final int COPIES = 128;
    static final int MESSAGES = CodecBenchmark.MESSAGES * COPIES;

    private CapturedMessage[] rows;
    private SipKpis kpis;

    @Setup
    public void load() throws IOException, HepDecodeException {
        HepDecoder decoder = new HepDecoder();
        MessageExtractor extractor = new MessageExtractor(ExtractionSettings.DEFAULT);
        ByteBuf[] datagrams = CodecBenchmark.fixtureDatagrams();
        rows = new CapturedMessage[MESSAGES];
        int n = 0;
        for (int copy = 0; copy < COPIES; copy++) {
            for (ByteBuf d : datagrams) {
                CapturedMessage m = extractor.extract(decoder.decode(d.duplicate()));
                SipFields s = m.sip();
                if (s != null && s.callId() != null && m.part() == s) {
                    s = new SipFields(s.callId() + "-" + copy, s.method(), s.status(), s.cseq(), s.cseqMethod(), s.fromUser(),
                            s.fromTag(), s.toUser(), s.toTag(), s.ruriUser(), s.userAgent(), s.viaBranch());
                    m = new CapturedMessage(m.envelope(), m.kind(), s, m.payload(), m.extra());
                }
                rows[n++] = m;
            }
        }
        IngestProperties props = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("homer.ingest", IngestProperties.class);
        kpis = new SipKpis(new SimpleMeterRegistry(), props.kpi());
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void accept() {
        for (CapturedMessage m : rows) {
            kpis.accept(m);
        }
    }
}
