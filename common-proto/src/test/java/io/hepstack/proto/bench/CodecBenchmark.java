package io.hepstack.proto.bench;

import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.sip.HeaderExtractor;
import io.hepstack.proto.sip.SipMessage;
import io.hepstack.proto.sip.SipParseException;
import io.hepstack.proto.sip.SipParser;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cost per message of the ingest hot path over the 580 real Kamailio datagrams of the fixture:
 * HEPv3 decode plus the SIP fields storage and correlation need, and the whole row
 * ({@link MessageExtractor}, extras JSON included). Scores are ns per message (one invocation walks
 * all 580). Run: see docs/performance.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class CodecBenchmark {

    public static final int MESSAGES = 580;

    private final HepDecoder decoder = new HepDecoder();
    private final MessageExtractor extractor = new MessageExtractor(new ExtractionSettings(
            List.of(HeaderExtractor.parse("X-CID")), List.of()));
    private ByteBuf[] datagrams;
    private byte[][] payloads;

    @Setup
    public void load() throws IOException {
        datagrams = fixtureDatagrams();
        payloads = new byte[MESSAGES][];
        for (int i = 0; i < MESSAGES; i++) {
            try {
                payloads[i] = decoder.decode(datagrams[i]).payload();
            } catch (HepDecodeException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The HEP datagrams of the Kamailio fixture, each in a direct buffer. */
    public static ByteBuf[] fixtureDatagrams() throws IOException {
        List<ByteBuf> out = new ArrayList<>();
        try (InputStream in = CodecBenchmark.class.getResourceAsStream("/fixtures/kamailio-siptrace/hep.pcap")) {
            ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            b.position(24);
            while (b.remaining() >= 16) {
                b.position(b.position() + 8);
                int incl = b.getInt();
                b.getInt();
                byte[] frame = new byte[incl];
                b.get(frame);
                int udp = 14 + (frame[14] & 0x0f) * 4;
                out.add(Unpooled.directBuffer(incl).writeBytes(frame, udp + 8, incl - udp - 8));
            }
        }
        if (out.size() != MESSAGES) {
            throw new IllegalStateException("expected " + MESSAGES + " datagrams, read " + out.size());
        }
        return out.toArray(ByteBuf[]::new);
    }

    ByteBuf[] datagrams() {
        return datagrams;
    }

    /** HEPv3 decode + the SIP fields that become columns. */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void decodeAndExtractSipFields(Blackhole bh) throws HepDecodeException, SipParseException {
        for (ByteBuf d : datagrams) {
            HepPacket p = decoder.decode(d);
            SipMessage m = SipParser.parse(p.payload());
            bh.consume(m.callId());
            bh.consume(m.cseq());
            bh.consume(m.isRequest() ? m.method() : m.statusCode());
            bh.consume(m.fromUser());
            bh.consume(m.fromTag());
            bh.consume(m.toUser());
            bh.consume(m.toTag());
            bh.consume(m.requestUriUser());
            bh.consume(m.viaBranch());
            bh.consume(m.userAgent());
            bh.consume(m.header("X-CID"));
        }
    }

    /** SIP framing alone (start line, header index, Call-ID, CSeq) over the already decoded payloads. */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void sipFrameOnly(Blackhole bh) throws SipParseException {
        for (byte[] payload : payloads) {
            bh.consume(SipParser.parse(payload));
        }
    }

    /** HEPv3 decode alone. */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void decodeOnly(Blackhole bh) throws HepDecodeException {
        for (ByteBuf d : datagrams) {
            bh.consume(decoder.decode(d));
        }
    }

    /** The whole stored row, extras JSON (SDP, correlation header) included. */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void decodeToStoredRow(Blackhole bh) throws HepDecodeException {
        for (ByteBuf d : datagrams) {
            bh.consume(extractor.extract(decoder.decode(d)));
        }
    }
}
