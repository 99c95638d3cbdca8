package io.hepstack.api.call;

import io.hepstack.api.net.IpLiteral;
import io.hepstack.api.web.Times;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import io.hepstack.api.web.ApiException;
import io.hepstack.proto.media.CallMedia;
import io.hepstack.proto.pcap.PcapMessage;
import io.hepstack.proto.pcap.PcapWriter;
import io.hepstack.proto.pcap.Transport;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link CallFlow} as a capture file or as plain text. */
public final class FlowExport {

    /** The media type of pcap files. */
    public static final MediaType PCAP = MediaType.parseMediaType("application/vnd.tcpdump.pcap");

    private FlowExport() {
    }

    /** Says whether the export was cut with its flow: {@code no}, {@code messages} or {@code bytes}. */
    public static final String TRUNCATED_HEADER = "X-Hepstack-Truncated";

    /**
     * The flow's pcap as a download, written one message at a time as the client takes it: the file is never
     * whole in memory (the flow it is made of is, bounded by {@code homer.api.flow.max-bytes}).
     */
    public static ResponseEntity<Flux<DataBuffer>> pcapResponse(String callId, CallFlow flow) {
        List<PcapMessage> packets = new ArrayList<>(flow.messages().size());
        for (CallFlow.Message m : flow.messages()) {
            PcapMessage packet = packet(m);
            if (packet != null) {
                packets.add(packet);
            }
        }
        return ResponseEntity.ok()
                .contentType(PCAP)
                .header(HttpHeaders.CONTENT_DISPOSITION, attachment(callId, ".pcap"))
                .header("X-Hepstack-Skipped-Messages", Integer.toString(flow.messages().size() - packets.size()))
                .header(TRUNCATED_HEADER, flow.truncated() ? flow.truncatedBy() : "no")
                .body(pcap(packets));
    }

    /**
     * The time zone a text export writes its times in: the {@code tz} parameter, an IANA zone ({@code Europe/Berlin})
     * or {@code UTC} when absent.
     *
     * @throws ApiException 400 when it names no zone
     */
    public static ZoneId zone(String tz) {
        if (tz == null || tz.isEmpty()) {
            return ZoneOffset.UTC;
        }
        try {
            if (tz.length() > 64) {
                throw new java.time.DateTimeException("too long");
            }
            return ZoneId.of(tz);
        } catch (java.time.DateTimeException e) {
            throw ApiException.badRequest("tz: not a time zone: " + Times.quote(tz) + " (expected an IANA zone such as Europe/Berlin, or UTC)");
        }
    }

    /** The flow's text as a download, times in {@code zone}, written one message at a time as the client takes it. */
    public static ResponseEntity<Flux<DataBuffer>> textResponse(String callId, CallFlow flow, ZoneId zone) {
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, attachment(callId, ".txt"))
                .header(TRUNCATED_HEADER, flow.truncated() ? flow.truncatedBy() : "no")
                .body(text(flow, zone));
    }

    /** {@code attachment; filename="call-<Call-ID, safe characters only>.pcap"}. */
    public static String attachment(String callId, String extension) {
        String safe = callId.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 100) {
            safe = safe.substring(0, 100);
        }
        return ContentDisposition.attachment().filename("call-" + safe + extension).build().toString();
    }

    /**
     * The packets as a classic pcap ({@link PcapWriter}): the global header, then one chunk per message, each made
     * when the client asks for it. Chunks are heap buffers: one dropped by a client that leaves holds no pooled memory.
     */
    static Flux<DataBuffer> pcap(List<PcapMessage> packets) {
        return Flux.defer(() -> {
            Chunks out = new Chunks();
            PcapWriter writer = Chunks.unchecked(() -> new PcapWriter(out));
            return Flux.concat(Mono.fromCallable(() -> out.take(writer)),
                    Flux.fromIterable(packets).map(p -> Chunks.unchecked(() -> {
                        writer.write(p);
                        return out.take(writer);
                    })));
        });
    }

    /** What a {@link PcapWriter} wrote since the last take, as one heap buffer. */
    private static final class Chunks extends ByteArrayOutputStream {
        Chunks() {
            super(16 * 1024);
        }

        DataBuffer take(PcapWriter writer) throws IOException {
            writer.flush();
            DataBuffer chunk = DefaultDataBufferFactory.sharedInstance.wrap(toByteArray());
            reset();
            return chunk;
        }

        interface Io<T> {
            T run() throws IOException;
        }

        static <T> T unchecked(Io<T> io) {
            try {
                return io.run();
            } catch (IOException e) {
                throw new UncheckedIOException("writing to memory", e);
            }
        }
    }

    /**
     * A SIP message as a packet with its original addresses, ports, transport (TCP when captured over TCP, else UDP)
     * and timestamp; {@code null} for one without both addresses, or with addresses of two families, which cannot be
     * a packet (skipped and counted).
     */
    private static PcapMessage packet(CallFlow.Message m) {
        InetAddress src = IpLiteral.parse(m.item().srcIp()); // host() output from PostgreSQL, or a masked form
        InetAddress dst = IpLiteral.parse(m.item().dstIp());
        if (src == null || dst == null || (src instanceof Inet4Address) != (dst instanceof Inet4Address)) {
            return null;
        }
        Transport transport = "TCP".equals(m.item().transport()) ? Transport.TCP : Transport.UDP;
        try {
            return new PcapMessage(Times.micros(m.item().timestamp()), src, port(m.item().srcPort()), dst,
                    port(m.item().dstPort()), transport, m.payload());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int port(Integer p) {
        return p == null ? 0 : p;
    }

    /**
     * The flow as text: a header, then each SIP message under a line of time, addresses and leg; one heap buffer per
     * message, each made when the client asks for it.
     */
    static Flux<DataBuffer> text(CallFlow flow, ZoneId zone) {
        DateTimeFormatter at = TEXT_TIME.withZone(zone);
        StringBuilder head = new StringBuilder(256);
        head.append("Call-IDs: ").append(String.join(", ", flow.callIds())).append('\n');
        head.append("Window: ").append(at.format(flow.from())).append(" - ").append(at.format(flow.to())).append('\n');
        head.append("Times: ").append(zone.getId().equals("Z") ? "UTC" : zone.getId()).append('\n');
        head.append("Messages: ").append(flow.messages().size());
        if (flow.truncated()) {
            head.append(" (truncated at the flow's ").append(CallFlow.BY_BYTES.equals(flow.truncatedBy())
                    ? "size limit, homer.api.flow.max-bytes" : "message limit, homer.api.flow.max-messages").append(')');
        }
        head.append("\n\n");
        return Flux.defer(() -> {
            AtomicInteger n = new AtomicInteger();
            return Flux.concat(Mono.fromCallable(() -> chunk(head)),
                    Flux.fromIterable(flow.messages()).map(m -> chunk(message(n.incrementAndGet(), m, at))));
        });
    }

    /** A text export's times: microseconds and the offset, in the export's zone. */
    private static final DateTimeFormatter TEXT_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX");

    private static StringBuilder message(int n, CallFlow.Message m, DateTimeFormatter at) {
        var i = m.item();
        StringBuilder b = new StringBuilder(m.payload().length + 160);
        b.append("[").append(n).append("] ").append(at.format(i.timestamp())).append("  ")
                .append(CallMedia.endpoint(i.srcIp(), i.srcPort())).append(" -> ").append(CallMedia.endpoint(i.dstIp(), i.dstPort()))
                .append("  ").append(i.transport() == null ? "?" : i.transport())
                .append("  leg ").append(m.legCallId()).append('\n');
        String raw = "base64".equals(m.rawEncoding()) ? "(binary payload, " + m.payload().length + " bytes, base64)\n"
                + m.raw() : m.raw();
        b.append(raw.replace("\r\n", "\n"));
        if (!raw.endsWith("\n")) {
            b.append('\n');
        }
        return b.append('\n');
    }

    private static DataBuffer chunk(CharSequence text) {
        return DefaultDataBufferFactory.sharedInstance.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
