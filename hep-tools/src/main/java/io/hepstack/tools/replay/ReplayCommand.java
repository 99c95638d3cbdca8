package io.hepstack.tools.replay;

import io.hepstack.proto.model.Envelope;
import io.hepstack.proto.capture.CaptureSplitter;
import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepDecoder;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code hep-tools replay FILE}: sends what a capture holds to a collector, in capture order, "as now":
 * every message's time shifted by one offset, the time of sending the first minus its capture time. HEP
 * packets (UDP datagrams, or frames of a reassembled TCP stream) go as they are, byte for byte but for
 * their time chunks; plain SIP (UDP datagrams, or messages of a reassembled TCP stream) is wrapped as HEPv3
 * with the packet's addresses, ports, transport and (shifted) capture time. Anything else is skipped and
 * counted. With {@code --original-times} the capture is imported through the API instead
 * ({@code POST /api/v1/import/pcap}), where every message is stored at its original time.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Send a capture's HEP packets as they are, and its plain SIP wrapped as HEPv3, to a collector, "
                + "shifted to now; or import it at its original times (--original-times).")
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

    @Option(names = "--original-times",
            description = "store the capture at its original times, like an import: it is sent to the API's import "
                    + "(--api, token in HOMER_API_TOKEN) instead of a collector")
    boolean originalTimes;

    @Option(names = "--api", paramLabel = "URL", description = "the API, for --original-times (e.g. http://127.0.0.1:8080)")
    String api;

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
        if (originalTimes) {
            return importAtOriginalTimes(System.getenv(TOKEN_ENV));
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

    /** Where {@code --original-times} reads the API's token (an API token {@code hsk_...} or a session's JWT). */
    static final String TOKEN_ENV = "HOMER_API_TOKEN";

    /** Uploads the file to the API's import, which stores every message at its capture time. */
    int importAtOriginalTimes(String token) {
        if (api == null || token == null || token.isBlank()) {
            stderr.println("replay: --original-times imports the capture through the API: --api URL and " + TOKEN_ENV
                    + " needed");
            return 2;
        }
        if (select != Select.ALL) {
            stderr.println("replay: --original-times imports the whole capture (--select " + select.name()
                    .toLowerCase(Locale.ROOT) + " does not apply)");
            return 2;
        }
        String boundary = "hepstack-" + UUID.randomUUID();
        String name = file.getFileName().toString().replaceAll("[\"\r\n\\\\]", "_");
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        try {
            URI uri = URI.create(api.replaceAll("/+$", "") + "/api/v1/import/pcap");
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .timeout(Duration.ofMinutes(10))
                    .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                            HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofByteArray(tail)))
                    .build();
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                stderr.println("replay: the import at " + uri + " answered " + response.statusCode() + ": " + response.body());
                return 1;
            }
            stdout.println("replay: " + file + " imported at its original times through " + uri);
            stdout.println(response.body());
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            stderr.println("replay: " + file + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private final class Replayer implements CaptureSplitter.Listener {
        private final HepSender sender;
        private final HepDecoder decoder = new HepDecoder();
        /** Added to every capture time: the wall clock at the first message minus its capture time. */
        private long shift = Long.MIN_VALUE;
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
            send(timestampMicros, asNow(packet, timestampMicros));
            asIs++;
        }

        @Override
        public void onSip(byte[] message, long timestampMicros, InetAddress srcIp, int srcPort, InetAddress dstIp,
                          int dstPort, int ipProto) {
            if (select == Select.HEP) {
                skipped++;
                return;
            }
            send(timestampMicros, wrap(shifted(timestampMicros) + timestampMicros, srcIp, srcPort, dstIp, dstPort, ipProto,
                    message));
            wrapped++;
        }

        @Override
        public void onSkip(CaptureSplitter.Skip reason, String detail) {
            skipped++;
            if (reason == CaptureSplitter.Skip.HEP_STREAM_CORRUPT) {
                stderr.println("replay: " + detail + "; rest of the stream skipped");
            }
        }

        /** The offset of every message, fixed by the first one: now minus its capture time. */
        private long shifted(long captureMicros) {
            if (shift == Long.MIN_VALUE) {
                shift = Envelope.micros(Instant.now()) - captureMicros;
            }
            return shift;
        }

        /** The HEP packet with its own time moved by the shift, every other byte as it was. */
        private byte[] asNow(byte[] packet, long captureMicros) {
            long offset = shifted(captureMicros);
            HepPacket p;
            try {
                p = decoder.decode(packet);
            } catch (HepDecodeException e) {
                return packet; // the splitter found it HEP; the collector will say why it is not
            }
            long micros = p.timestampMicros() + offset;
            byte[] retimed = HepEncoder.retimed(packet, micros);
            return retimed != null ? retimed : HepEncoder.encode(p.toBuilder().timestampMicros(micros).build());
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
