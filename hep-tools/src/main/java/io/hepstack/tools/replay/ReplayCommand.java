package io.hepstack.tools.replay;

import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepEncoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.hep.HepStreamFramer;
import io.hepstack.proto.pcap.FlowKey;
import io.hepstack.proto.pcap.PcapPacket;
import io.hepstack.proto.pcap.PcapReader;
import io.hepstack.proto.pcap.PcapStats;
import io.hepstack.proto.pcap.PcapVisitor;
import io.hepstack.proto.pcap.TcpCloseReason;
import io.hepstack.tools.bench.BenchCommand;
import io.hepstack.tools.net.HepSender;
import io.hepstack.tools.net.HepTarget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
                stats = PcapReader.read(in, r);
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

    private final class Replayer implements PcapVisitor {
        private final HepSender sender;
        private final HepDecoder decoder = new HepDecoder();
        private final Map<FlowKey, Stream> streams = new HashMap<>();
        private long firstCaptureMicros = Long.MIN_VALUE;
        private long startNanos;
        long asIs;
        long wrapped;
        long skipped;

        Replayer(HepSender sender) {
            this.sender = sender;
        }

        @Override
        public void onUdp(PcapPacket p) {
            byte[] d = p.payload();
            if (isHep(d)) {
                if (select != Select.SIP) {
                    send(p.timestampMicros(), d);
                    asIs++;
                    return;
                }
            } else if (isSip(d, 0, d.length)) {
                if (select != Select.HEP) {
                    send(p.timestampMicros(), wrap(p.timestampMicros(), p.srcIp(), p.srcPort(), p.dstIp(), p.dstPort(), 17, d));
                    wrapped++;
                    return;
                }
            }
            skipped++;
        }

        @Override
        public void onData(FlowKey flow, byte[] data, long timestampMicros, long frameNumber) {
            Stream s = streams.computeIfAbsent(flow, k -> new Stream());
            if (s.broken) {
                return;
            }
            s.buf.writeBytes(data);
            try {
                if (s.hep == null) {
                    if (s.buf.readableBytes() < 4) {
                        return;
                    }
                    s.hep = isHepStart(s.buf);
                }
                if (s.hep) {
                    ByteBuf frame;
                    while ((frame = s.framer.nextFrame(s.buf)) != null) {
                        try {
                            if (select != Select.SIP) {
                                send(timestampMicros, ByteBufUtil.getBytes(frame));
                                asIs++;
                            } else {
                                skipped++;
                            }
                        } finally {
                            frame.release();
                        }
                    }
                } else {
                    int len;
                    while ((len = SipStreamFraming.messageLength(s.buf)) > 0) {
                        byte[] msg = new byte[len];
                        s.buf.readBytes(msg);
                        if (select != Select.HEP && isSip(msg, 0, msg.length)) {
                            send(timestampMicros, wrap(timestampMicros, flow.srcIp(), flow.srcPort(), flow.dstIp(),
                                    flow.dstPort(), 6, msg));
                            wrapped++;
                        } else {
                            skipped++;
                        }
                    }
                    if (len < 0) {
                        s.broken = true;
                        skipped++;
                    }
                }
                s.buf.discardReadBytes();
            } catch (HepDecodeException e) {
                s.broken = true;
                skipped++;
                stderr.println("replay: TCP " + flow + ": " + e.getMessage() + "; rest of the stream skipped");
            }
        }

        @Override
        public void onGap(FlowKey flow, long skippedBytes, long frameNumber) {
            Stream s = streams.get(flow);
            if (s != null && s.buf.isReadable()) {
                s.broken = true;
                skipped++;
            }
        }

        @Override
        public void onClose(FlowKey flow, TcpCloseReason reason) {
            Stream s = streams.remove(flow);
            if (s != null) {
                s.buf.release();
            }
        }

        private boolean isHep(byte[] d) {
            if (d.length < 4) {
                return false;
            }
            if (d[0] != 'H' && d[0] != 1 && d[0] != 2) {
                return false;
            }
            try {
                decoder.decode(d);
                return true;
            } catch (HepDecodeException e) {
                return false;
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
            int family = src instanceof Inet6Address ? 10 : 2;
            return HepEncoder.encode(new HepPacket(3, family, ipProto, src, dst, srcPort, dstPort,
                    Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L), 1, captureId,
                    null, null, null, null, sip, false, List.of()));
        }
    }

    static final class SelectConverter implements picocli.CommandLine.ITypeConverter<Select> {
        @Override
        public Select convert(String value) {
            return Select.valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    private final class Stream {
        final HepStreamFramer framer = new HepStreamFramer(maxFrame);
        final ByteBuf buf = Unpooled.buffer();
        Boolean hep;
        boolean broken;
    }

    private static boolean isHepStart(ByteBuf b) {
        int i = b.readerIndex();
        return b.getByte(i) == 'H' && b.getByte(i + 1) == 'E' && b.getByte(i + 2) == 'P' && b.getByte(i + 3) == '3'
                || (b.getByte(i) == 1 || b.getByte(i) == 2) && (b.getByte(i + 1) == 16 || b.getByte(i + 1) == 40);
    }

    /** A SIP start line: {@code SIP/2.0 NNN ...} or {@code METHOD uri SIP/2.0}. */
    static boolean isSip(byte[] d, int off, int len) {
        int eol = -1;
        for (int i = off; i < off + len - 1 && i < off + 2048; i++) {
            if (d[i] == '\r' && d[i + 1] == '\n') {
                eol = i;
                break;
            }
        }
        if (eol < 0) {
            return false;
        }
        String line = new String(d, off, eol - off, StandardCharsets.US_ASCII);
        return line.startsWith("SIP/2.0 ") || line.endsWith(" SIP/2.0");
    }
}
