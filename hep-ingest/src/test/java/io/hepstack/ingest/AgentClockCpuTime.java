package io.hepstack.ingest;

import org.openjdk.jmh.infra.Blackhole;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * {@link AgentClockBenchmark}'s work measured in the measuring thread's CPU time rather than wall time, so that
 * other processes competing for the cores do not inflate the figure (as common-proto's {@code CodecCpuTime} does
 * for the codec). Prints, in ns per message, the median of 15 rounds of about a second (after 5 s of warm-up) of
 * each stage, with 1,000 other sources tracked. {@code ./hepstack bench clock-cpu [STAGE ...]}: stages run one
 * after the other in one JVM in the order given (all four by default); name one to measure it in a JVM of its own.
 */
public final class AgentClockCpuTime {

    private static final long WARMUP_NANOS = 5_000_000_000L;
    private static final long ROUND_NANOS = 1_000_000_000L;
    private static final List<String> STAGES = List.of("decodeToStoredRow", "decodeToStoredRowPlaced", "placeSkewed",
            "placeBelieved");

    private AgentClockCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        List<String> wanted = args.length == 0 ? STAGES : List.of(args);
        for (String w : wanted) {
            if (!STAGES.contains(w)) {
                throw new IllegalArgumentException("stage " + w + " (expected one of: " + String.join(", ", STAGES) + ")");
            }
        }
        AgentClockBenchmark b = new AgentClockBenchmark();
        b.tracked = 1000;
        b.load();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (String stage : wanted) {
            long warmStart = System.nanoTime();
            long warmRuns = 0;
            while (System.nanoTime() - warmStart < WARMUP_NANOS) {
                run(b, stage, bh);
                warmRuns++;
            }
            long runsPerRound = Math.max(1, warmRuns * ROUND_NANOS / (System.nanoTime() - warmStart));
            long[] rounds = new long[15];
            for (int r = 0; r < rounds.length; r++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (long rep = 0; rep < runsPerRound; rep++) {
                    run(b, stage, bh);
                }
                rounds[r] = (mx.getCurrentThreadCpuTime() - t0) / (runsPerRound * AgentClockBenchmark.MESSAGES);
            }
            Arrays.sort(rounds);
            System.out.printf("%-26s %6d ns/message thread CPU (median of %d rounds; min %d max %d)%n", stage,
                    rounds[rounds.length / 2], rounds.length, rounds[0], rounds[rounds.length - 1]);
        }
    }

    private static void run(AgentClockBenchmark b, String stage, Blackhole bh) throws Exception {
        switch (stage) {
            case "decodeToStoredRow" -> b.decodeToStoredRow(bh);
            case "decodeToStoredRowPlaced" -> b.decodeToStoredRowPlaced(bh);
            case "placeSkewed" -> b.placeSkewed(bh);
            default -> b.placeBelieved(bh);
        }
    }
}
