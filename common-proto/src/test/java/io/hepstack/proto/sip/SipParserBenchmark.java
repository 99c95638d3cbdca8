package io.hepstack.proto.sip;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of framing a real message and reading the fields the storage row needs. Not a unit test;
 * run as described in docs/sip-parser.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SipParserBenchmark {

    @Param({"invite-sdp.sip", "200-invite-sdp.sip", "180-ringing.sip", "register.sip"})
    public String fixture;

    private byte[] message;

    @Setup
    public void load() {
        message = SipFixtures.resource(fixture);
    }

    @Benchmark
    public SipMessage frameOnly() throws SipParseException {
        return SipParser.parse(message);
    }

    @Benchmark
    public void frameAndStorageFields(Blackhole bh) throws SipParseException {
        SipMessage m = SipParser.parse(message);
        bh.consume(m.callId());
        bh.consume(m.cseq());
        bh.consume(m.method());
        bh.consume(m.statusCode());
        SipUri ruri = m.requestUri();
        bh.consume(ruri == null ? null : ruri.user());
        NameAddress from = m.from();
        bh.consume(from.uri().user());
        bh.consume(from.tag());
        NameAddress to = m.to();
        bh.consume(to.uri().user());
        bh.consume(to.tag());
        bh.consume(m.via().branch());
        String ua = m.userAgent();
        bh.consume(ua != null ? ua : m.server());
        bh.consume(m.header("X-CID"));
    }
}
