package io.hepstack.proto.bench;

import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.sip.HeaderExtractor;
import io.hepstack.proto.sip.SipMessage;
import io.hepstack.proto.sip.SipParser;
import io.netty.buffer.ByteBuf;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * The {@link CodecBenchmark} work measured in thread CPU time rather than wall time, so that other
 * processes competing for the cores do not inflate the figure (time spent descheduled is not
 * counted; cache and frequency effects still are). Prints the median of 15 rounds, ns per message:
 * {@code ./hepstack bench codec-cpu [STAGE ...]}. Stages run one after the other in one JVM, where the
 * earlier ones shape the JIT's profile of the later ones; name one stage to measure it in a JVM of its
 * own (what comparisons between two versions of the code should do).
 */
public final class CodecCpuTime {

    private CodecCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        CodecBenchmark b = new CodecBenchmark();
        b.load();
        ByteBuf[] datagrams = b.datagrams();
        HepDecoder decoder = new HepDecoder();
        MessageExtractor extractor = new MessageExtractor(new ExtractionSettings(
                List.of(HeaderExtractor.parse("X-CID")), List.of()));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sink = 0;
        String[] names = {"decodeOnly", "decodeAndFrameSip", "decodeAndExtractSipFields", "decodeToStoredRow"};
        List<String> wanted = args.length == 0 ? List.of(names) : List.of(args);
        for (String w : wanted) {
            if (!List.of(names).contains(w)) {
                throw new IllegalArgumentException("stage " + w + " (expected one of: " + String.join(", ", names) + ")");
            }
        }
        for (int stage = 0; stage < names.length; stage++) {
            if (!wanted.contains(names[stage])) {
                continue;
            }
            long[] rounds = new long[15];
            for (int warm = 0; warm < 200; warm++) {
                sink += run(stage, datagrams, decoder, extractor);
            }
            for (int r = 0; r < rounds.length; r++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int rep = 0; rep < 100; rep++) {
                    sink += run(stage, datagrams, decoder, extractor);
                }
                rounds[r] = (mx.getCurrentThreadCpuTime() - t0) / (100L * datagrams.length);
            }
            java.util.Arrays.sort(rounds);
            System.out.printf("%-28s %6d ns/message CPU (median of %d rounds; min %d, max %d)%n",
                    names[stage], rounds[rounds.length / 2], rounds.length, rounds[0], rounds[rounds.length - 1]);
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    /** Consumes a result without hashing it (record hash codes would dominate the measurement). */
    private static int nonNull(Object o) {
        return o == null ? 0 : 1;
    }

    private static long run(int stage, ByteBuf[] datagrams, HepDecoder decoder, MessageExtractor extractor)
            throws Exception {
        long h = 0;
        for (ByteBuf d : datagrams) {
            HepPacket p = decoder.decode(d);
            switch (stage) {
                case 0 -> h += p.payload().length;
                case 1 -> h += SipParser.parse(p.payload()).bodyLength();
                case 2 -> {
                    SipMessage m = SipParser.parse(p.payload());
                    h += m.callId().length() + m.cseq().number() + (m.isRequest() ? m.method().length() : m.statusCode());
                    h += nonNull(m.fromUser()) + nonNull(m.fromTag()) + nonNull(m.toUser()) + nonNull(m.toTag())
                            + nonNull(m.requestUriUser());
                    h += nonNull(m.viaBranch()) + nonNull(m.userAgent()) + nonNull(m.header("X-CID"));
                }
                default -> h += nonNull(extractor.extract(p).extra());
            }
        }
        return h;
    }
}
