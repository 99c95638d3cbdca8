package io.hepstack.api.call;

import io.hepstack.api.web.Times;
import io.hepstack.proto.media.CallMedia;
import io.hepstack.proto.pcap.PcapMessage;
import io.hepstack.proto.pcap.PcapWriter;
import io.hepstack.proto.pcap.Transport;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/** A {@link CallFlow} as a capture file or as plain text. */
public final class FlowExport {

    /** The media type of pcap files. */
    public static final MediaType PCAP = MediaType.parseMediaType("application/vnd.tcpdump.pcap");

    private FlowExport() {
    }

    /** Says whether the export was cut with its flow: {@code no}, {@code messages} or {@code bytes}. */
    public static final String TRUNCATED_HEADER = "X-Hepstack-Truncated";

    /** The flow's pcap as a download. */
    public static ResponseEntity<byte[]> pcapResponse(String callId, CallFlow flow) {
        Pcap pcap = pcap(flow);
        return ResponseEntity.ok()
                .contentType(PCAP)
                .header(HttpHeaders.CONTENT_DISPOSITION, attachment(callId, ".pcap"))
                .header("X-Hepstack-Skipped-Messages", Integer.toString(pcap.skipped()))
                .header(TRUNCATED_HEADER, flow.truncated() ? flow.truncatedBy() : "no")
                .body(pcap.bytes());
    }

    /** The flow's text as a download. */
    public static ResponseEntity<byte[]> textResponse(String callId, CallFlow flow) {
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, attachment(callId, ".txt"))
                .header(TRUNCATED_HEADER, flow.truncated() ? flow.truncatedBy() : "no")
                .body(text(flow));
    }

    /** {@code attachment; filename="call-<Call-ID, safe characters only>.pcap"}. */
    public static String attachment(String callId, String extension) {
        String safe = callId.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 100) {
            safe = safe.substring(0, 100);
        }
        return ContentDisposition.attachment().filename("call-" + safe + extension).build().toString();
    }

    /** What {@link #pcap} wrote. */
    public record Pcap(byte[] bytes, int written, int skipped) {
    }

    /**
     * The SIP messages as a classic pcap ({@link PcapWriter}): each with its original addresses,
     * ports, transport (TCP when captured over TCP, else UDP) and timestamp. Messages without both
     * addresses, or with addresses of two families, cannot be packets and are skipped (counted).
     */
    public static Pcap pcap(CallFlow flow) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        int written = 0;
        int skipped = 0;
        try (PcapWriter writer = new PcapWriter(out)) {
            for (CallFlow.Message m : flow.messages()) {
                PcapMessage packet = packet(m);
                if (packet == null) {
                    skipped++;
                    continue;
                }
                writer.write(packet);
                written++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return new Pcap(out.toByteArray(), written, skipped);
    }

    private static PcapMessage packet(CallFlow.Message m) {
        InetAddress src = address(m.item().srcIp());
        InetAddress dst = address(m.item().dstIp());
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

    private static InetAddress address(String literal) {
        if (literal == null) {
            return null;
        }
        try {
            return InetAddress.getByName(literal); // host() output from PostgreSQL: always a literal
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The flow as text: a header, then each SIP message under a line of time, addresses and leg. */
    public static byte[] text(CallFlow flow) {
        StringBuilder b = new StringBuilder(16 * 1024);
        b.append("Call-IDs: ").append(String.join(", ", flow.callIds())).append('\n');
        b.append("Window: ").append(Times.format(flow.from())).append(" - ").append(Times.format(flow.to())).append('\n');
        b.append("Messages: ").append(flow.messages().size());
        if (flow.truncated()) {
            b.append(" (truncated at the flow's ").append(CallFlow.BY_BYTES.equals(flow.truncatedBy())
                    ? "size limit, homer.api.flow.max-bytes" : "message limit, homer.api.flow.max-messages").append(')');
        }
        b.append("\n\n");
        int n = 0;
        for (CallFlow.Message m : flow.messages()) {
            var i = m.item();
            b.append("[").append(++n).append("] ").append(Times.format(i.timestamp())).append("  ")
                    .append(endpoint(i.srcIp(), i.srcPort())).append(" -> ").append(endpoint(i.dstIp(), i.dstPort()))
                    .append("  ").append(i.transport() == null ? "?" : i.transport())
                    .append("  leg ").append(m.legCallId()).append('\n');
            String raw = "base64".equals(m.rawEncoding()) ? "(binary payload, " + m.payload().length + " bytes, base64)\n"
                    + m.raw() : m.raw();
            b.append(raw.replace("\r\n", "\n"));
            if (!raw.endsWith("\n")) {
                b.append('\n');
            }
            b.append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code ip:port}, an IPv6 address in brackets; {@code ?} without an address. */
    static String endpoint(String ip, Integer port) {
        return CallMedia.endpoint(ip, port);
    }
}
