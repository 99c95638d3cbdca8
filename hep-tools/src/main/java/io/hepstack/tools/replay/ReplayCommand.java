package io.hepstack.tools.replay;

import io.hepstack.proto.capture.CaptureSplitter;
import io.hepstack.proto.hep.HepEncoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.pcap.PcapReader;
import io.hepstack.proto.pcap.PcapStats;
import io.hepstack.tools.bench.BenchCommand;
import io.hepstack.tools.net.HepSender;
import io.hepstack.tools.net.HepTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code hep-tools replay FILE}: sends what a capture holds to a collector, in capture order. HEP
 * packets (UDP datagrams, or frames of a reassembled TCP stream) go as they are, byte for byte; plain
 * SIP (UDP datagrams, or messages of a reassembled TCP stream) is wrapped as HEPv3 with the packet's
 * addresses, ports, transport and capture time. Anything else is skipped and counted.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Send a capture's HEP packets as they are, and its plain SIP wrapped as HEPv3, to a collector.")
public final class ReplayCommand implements Callable<Integer> {

    /** Which packets of the capture are sent. */
    public enum Select { ALL, HEP, SIP }

    @Parameters(index = "0", paramLabel = "FILE", description = "pcap or pcapng capture")
    Path file;

    @Option(names = "--to", paramLabel = "udp|tcp:HOST:PORT", defaultValue = "udp:127.0.0.1:9060",
            converter = BenchCommand.TargetConverter.class, description = "collector (default: ${DEFAULT-VALUE})")
    HepTarget to;

    @Option(names = "--speed", paramLabel = "X", defaultValue = "1",
            description = "1 = original timing, 10 = ten times faster, 0 = as fast as possible (default: ${DEFAULT-VALUE})")
    double speed;

    @Option(names = "--select", paramLabel = "all|hep|sip", defaultValue = "all", converter = SelectConverter.class,
            description = "send HEP packets, plain SIP (wrapped), or both (default: ${DEFAULT-VALUE})")
    Select select;

    @Option(names = "--capture-id", paramLabel = "ID", defaultValue = "2001",
            description = "HEP capture id written when wrapping plain SIP (default: ${DEFAULT-VALUE})")
    long captureId;

    @Option(names = "--max-frame", paramLabel = "BYTES", defaultValue = "65535",
            description = "largest HEP frame accepted on a TCP stream (default: ${DEFAULT-VALUE})")
    int maxFrame;

    private final PrintStream stdout;
    private final PrintStream stderr;

    public ReplayCommand() {
        this(System.out, System.err);
    }

    public ReplayCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() {
        if (speed < 0) {
            stderr.println("replay: --speed " + speed + " (expected: >= 0)");
            return 2;
        }
        long startNanos = System.nanoTime();
        try (HepSender sender = to.open();
             InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Replayer r = new Replayer(sender);
            PcapStats stats;
            try {
                stats = PcapReader.read(in, new CaptureSplitter(r, maxFrame));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            sender.flush();
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            stdout.printf(Locale.ROOT, "replay: %s: sent %d HEP packets as they were and %d SIP messages wrapped as "
                            + "HEPv3 to %s in %.3f s; skipped %d (neither HEP nor SIP, or not selected), %d send errors%n",
                    file, r.asIs, r.wrapped, to, seconds, r.skipped, sender.errors());
            stdout.printf(Locale.ROOT, "{\"summary\":\"replay\",\"target\":\"%s\",\"hep\":%d,\"wrapped\":%d,\"skipped\":%d,"
                    + "\"seconds\":%.3f,\"errors\":%d}%n", to, r.asIs, r.wrapped, r.skipped, seconds, sender.errors());
            if (stats.truncation() != null) {
                stderr.println("replay: capture truncated: " + stats.truncation());
            }
            return 0;
        } catch (IOException e) {
            stderr.println("replay: " + file + ": " + e.getMessage());
            return 1;
        }
    }

    private final class Replayer implements CaptureSplitter.Listener {
        private final HepSender sender;
        private long firstCaptureMicros = Long.MIN_VALUE;
        private long startNanos;
        long asIs;
        long wrapped;
        long skipped;

        Replayer(HepSender sender) {
            this.sender = sender;
        }

        @Override
        public void onHep(byte[] packet, long timestampMicros) {
            if (select == Select.SIP) {
                skipped++;
                return;
            }
            send(timestampMicros, packet);
            asIs++;
        }

        @Override
        public void onSip(byte[] message, long timestampMicros, InetAddress srcIp, int srcPort, InetAddress dstIp,
                          int dstPort, int ipProto) {
            if (select == Select.HEP) {
                skipped++;
                return;
            }
            send(timestampMicros, wrap(timestampMicros, srcIp, srcPort, dstIp, dstPort, ipProto, message));
            wrapped++;
        }

        @Override
        public void onSkip(CaptureSplitter.Skip reason, String detail) {
            skipped++;
            if (reason == CaptureSplitter.Skip.HEP_STREAM_CORRUPT) {
                stderr.println("replay: " + detail + "; rest of the stream skipped");
            }
        }

        private void send(long captureMicros, byte[] packet) {
            try {
                pace(captureMicros);
                sender.send(packet);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Waits until {@code captureMicros} is due: its offset from the first packet, divided by the speed. */
        private void pace(long captureMicros) throws IOException {
            if (firstCaptureMicros == Long.MIN_VALUE) {
                firstCaptureMicros = captureMicros;
                startNanos = System.nanoTime();
                return;
            }
            if (speed == 0) {
                return;
            }
            long due = startNanos + (long) (Math.max(0, captureMicros - firstCaptureMicros) * 1000 / speed);
            long now = System.nanoTime();
            if (due > now) {
                sender.flush();
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
            }
        }

        private byte[] wrap(long micros, InetAddress src, int srcPort, InetAddress dst, int dstPort, int ipProto,
                            byte[] sip) {
            return HepEncoder.encode(HepPacket.builder().addresses(src, srcPort, dst, dstPort).ipProto(ipProto)
                    .timestampMicros(micros).protoType(HepPayloadType.SIP.number()).captureId(captureId).payload(sip)
                    .build());
        }
    }

    static final class SelectConverter implements picocli.CommandLine.ITypeConverter<Select> {
        @Override
        public Select convert(String value) {
            return Select.valueOf(value.toUpperCase(Locale.ROOT));
        }
    }
}
