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
 * The {@link CodecBenchmark} work measured in CPU time rather than wall time, so that other
 * processes competing for the cores do not inflate the figure (time spent descheduled is not
 * counted; cache and frequency effects still are). Prints, ns per message, the median of 15 rounds
 * of about a second (after 5 s of warm-up) of the measuring thread's CPU time and of the whole
 * process's CPU time: the second adds what the garbage collector's threads spend on the garbage the
 * work leaves, which is the honest cost per message per core.
 * {@code ./hepstack bench codec-cpu [STAGE ...]}. Stages run one after the other in one JVM, where
 * the earlier ones shape the JIT's profile of the later ones; name one stage to measure it in a JVM
 * of its own (what comparisons between two versions of the code should do).
 */
public final class CodecCpuTime {

    private static final long WARMUP_NANOS = 5_000_000_000L;
    private static final long ROUND_NANOS = 1_000_000_000L;

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
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
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
            long[] processRounds = new long[rounds.length];
            // Warm up for WARMUP_NANOS (the JIT settles), and size rounds to about a second each: the
            // process CPU clock ticks in jiffies, so short rounds would read as 0 or 10 ms.
            long warmStart = System.nanoTime();
            long warmRuns = 0;
            while (System.nanoTime() - warmStart < WARMUP_NANOS) {
                sink += run(stage, datagrams, decoder, extractor);
                warmRuns++;
            }
            long runsPerRound = Math.max(1, warmRuns * ROUND_NANOS / (System.nanoTime() - warmStart));
            for (int r = 0; r < rounds.length; r++) {
                long p0 = os.getProcessCpuTime();
                long t0 = mx.getCurrentThreadCpuTime();
                for (long rep = 0; rep < runsPerRound; rep++) {
                    sink += run(stage, datagrams, decoder, extractor);
                }
                long messages = runsPerRound * datagrams.length;
                rounds[r] = (mx.getCurrentThreadCpuTime() - t0) / messages;
                processRounds[r] = (os.getProcessCpuTime() - p0) / messages;
            }
            java.util.Arrays.sort(rounds);
            java.util.Arrays.sort(processRounds);
            System.out.printf("%-28s %6d ns/message thread CPU, %6d process CPU incl. GC"
                            + " (medians of %d rounds; thread min %d max %d, process min %d max %d)%n",
                    names[stage], rounds[rounds.length / 2], processRounds[rounds.length / 2], rounds.length,
                    rounds[0], rounds[rounds.length - 1], processRounds[0], processRounds[rounds.length - 1]);
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
