package io.hepstack.tools.bench;

import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.store.CopyTextWriter;
import io.hepstack.tools.net.HepSender;
import io.hepstack.tools.net.HepTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code hep-tools bench}: sends generated HEPv3 SIP ({@link TrafficGenerator}) to a collector at a
 * paced rate or as fast as possible, for a number of messages or a duration, and/or writes the rows the
 * collector would store for them as a PostgreSQL COPY file. Ends with a human summary and one JSON line.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Send generated HEPv3 SIP load to a collector and/or write the same rows as a COPY file.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--to", paramLabel = "udp|tcp:HOST:PORT", converter = TargetConverter.class,
            description = "collector (default: udp:127.0.0.1:9060, unless only --write-copy is given)")
    HepTarget to;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "0",
            description = "messages per second, paced; 0 = as fast as possible (default)")
    long rate;

    @Option(names = "--messages", paramLabel = "N", description = "messages to send (default 10000 without --duration)")
    Long messages;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "send for this long: 30s, 500ms, 2m (and at most --messages)")
    Duration duration;

    @Option(names = "--mix", paramLabel = "SCENARIO=WEIGHT,...", defaultValue = "call=10,busy=2,register=5,options=3",
            description = "scenarios per cycle (default: ${DEFAULT-VALUE})")
    String mix;

    @Option(names = "--capture-id", paramLabel = "ID", defaultValue = "2001", description = "HEP capture agent id")
    long captureId;

    @Option(names = "--run-id", paramLabel = "HEX", description = "run id in the Call-IDs (default: random); "
            + "the same id gives the same messages")
    String runId;

    @Option(names = "--time-span", paramLabel = "TIME", converter = DurationConverter.class,
            description = "spread the capture timestamps evenly over the last TIME (24h, 90m) instead of stamping "
                    + "the send time: loads history for search benchmarks; needs --messages")
    Duration timeSpan;

    @Option(names = "--write-copy", paramLabel = "FILE",
            description = "write the rows the collector stores for these messages, PostgreSQL COPY text format")
    Path writeCopy;

    private final PrintStream stdout;
    private final PrintStream stderr;

    public BenchCommand() {
        this(System.out, System.err);
    }

    public BenchCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() throws IOException {
        long limit = messages != null ? messages : duration == null ? 10_000 : Long.MAX_VALUE;
        long run = runId != null ? Long.parseUnsignedLong(runId, 16) : new SecureRandom().nextInt() & 0xFFFF_FFFFL;
        TrafficMix trafficMix = TrafficMix.parse(mix);
        if (to == null && writeCopy == null) {
            to = HepTarget.parse("udp:127.0.0.1:9060");
        }
        if (timeSpan != null && (messages == null || timeSpan.isNegative() || timeSpan.isZero())) {
            stderr.println("bench: --time-span needs --messages and a positive span");
            return 2;
        }
        if (writeCopy != null) {
            long n = duration != null && messages == null ? -1 : limit;
            if (n < 0) {
                stderr.println("bench: --write-copy needs --messages (a duration does not fix the row count)");
                return 2;
            }
            writeCopy(new TrafficGenerator(run, captureId, trafficMix), n);
        }
        if (to != null) {
            send(new TrafficGenerator(run, captureId, trafficMix), limit, trafficMix);
        }
        return 0;
    }

    private void writeCopy(TrafficGenerator gen, long n) throws IOException {
        MessageExtractor extractor = new MessageExtractor(ExtractionSettings.DEFAULT);
        HepDecoder decoder = new HepDecoder();
        long startNanos = System.nanoTime();
        long wallMicros = nowMicros();
        try (CopyTextWriter w = new CopyTextWriter(new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(writeCopy), StandardCharsets.UTF_8), 1 << 16))) {
            for (long i = 0; i < n; i++) {
                byte[] packet = gen.next(timestamp(i, n, wallMicros, startNanos, System.nanoTime()));
                try {
                    w.write(extractor.extract(decoder.decode(packet)));
                } catch (HepDecodeException e) {
                    throw new IllegalStateException("generated packet does not decode: " + e.getMessage(), e);
                }
            }
            stderr.printf(Locale.ROOT, "bench: wrote %d rows to %s; load with:%n  psql -c \"%s\"%n", w.rows(), writeCopy,
                    CopyTextWriter.psqlCommand(writeCopy.toString()).replace("\"", "\\\""));
        }
    }

    private void send(TrafficGenerator gen, long limit, TrafficMix trafficMix) throws IOException {
        long sent = 0;
        long bytes = 0;
        long errors;
        long startNanos = System.nanoTime();
        long wallMicros = nowMicros();
        long deadline = duration == null ? Long.MAX_VALUE : startNanos + duration.toNanos();
        double nanosPerMessage = rate > 0 ? 1e9 / rate : 0;
        long endNanos;
        try (HepSender sender = to.open()) {
            while (sent < limit) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    break;
                }
                if (rate > 0) {
                    long due = startNanos + (long) (sent * nanosPerMessage);
                    if (due > now) {
                        sender.flush();
                        while ((now = System.nanoTime()) < due) {
                            LockSupport.parkNanos(due - now);
                        }
                    }
                }
                byte[] packet = gen.next(timestamp(sent, limit, wallMicros, startNanos, now));
                sender.send(packet);
                sent++;
                bytes += packet.length;
            }
            sender.flush();
            errors = sender.errors();
            endNanos = System.nanoTime();
        }
        double seconds = (endNanos - startNanos) / 1e9;
        double achieved = seconds > 0 ? sent / seconds : 0;
        stdout.printf(Locale.ROOT, "bench: sent %d HEP messages (%d scenarios, %d bytes) to %s in %.3f s%n",
                sent, gen.scenarios(), bytes, to, seconds);
        stdout.printf(Locale.ROOT, "bench: achieved %.0f msg/s (target %s), %d send errors, run id %08x, mix %s%n",
                achieved, rate > 0 ? rate + " msg/s" : "max", errors, gen.runId(), trafficMix);
        stdout.printf(Locale.ROOT, "{\"summary\":\"bench\",\"target\":\"%s\",\"sent\":%d,\"scenarios\":%d,\"bytes\":%d,"
                        + "\"seconds\":%.3f,\"rate\":%.1f,\"targetRate\":%d,\"errors\":%d,\"runId\":\"%08x\"}%n",
                to, sent, gen.scenarios(), bytes, seconds, achieved, rate, errors, gen.runId());
        stdout.flush();
    }

    /**
     * The capture time of message {@code i} of {@code n}: the send time, or with {@code --time-span} a point
     * spread evenly over the span that ends when the run started (message 0 at its start).
     */
    private long timestamp(long i, long n, long wallMicros, long startNanos, long nowNanos) {
        if (timeSpan == null) {
            return wallMicros + (nowNanos - startNanos) / 1000;
        }
        long spanMicros = timeSpan.toNanos() / 1000;
        return wallMicros - spanMicros + (long) ((double) i * spanMicros / n);
    }

    private static long nowMicros() {
        return io.hepstack.proto.model.Envelope.micros(java.time.Instant.now());
    }

    /** {@code udp:host:port} / {@code tcp:host:port}. */
    public static final class TargetConverter implements ITypeConverter<HepTarget> {
        @Override
        public HepTarget convert(String value) {
            return HepTarget.parse(value);
        }
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, or ISO-8601 ({@code PT30S}). */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.startsWith("pt")) {
                return Duration.parse(value);
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException("duration " + value + " (expected: 30s, 500ms, 2m, 1h)");
            };
        }
    }
}
