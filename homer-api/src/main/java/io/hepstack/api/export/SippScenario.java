package io.hepstack.api.export;

import io.hepstack.api.call.CallFlow;
import io.hepstack.api.search.MessageItem;
import io.hepstack.api.web.ApiException;
import io.hepstack.proto.media.CallMedia;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A captured call as a SIPp scenario of its caller (UAC) side, to replay it against a test system:
 * {@code sipp -sf call.xml -m 1 host:port}.
 *
 * <p>The main leg is the requested Call-ID's messages between the source of its first INVITE (the
 * UAC) and that INVITE's destination (the first hop). What the UAC sent becomes {@code <send>} with
 * the captured text templated for SIPp (addresses, ports, Call-ID, branch, tags, Content-Length,
 * SDP connection and media port, dialog routing); what it received becomes {@code <recv>}
 * (provisional responses optional, and 100, 180 and 183 accepted before the first final response to
 * the INVITE even when the capture lacks them); retransmissions are collapsed; a gap of at least
 * {@link #MIN_PAUSE_MS} ms before something the UAC sent becomes a {@code <pause>}.
 *
 * <p>Captured text never reaches SIPp as markup or keyword: every byte outside printable ASCII and
 * every {@code [ ] \} is written as SIPp's {@code \xHH} escape (SIPp's message parser turns it back
 * into the byte), so a header cannot inject a keyword, end the CDATA section or make the XML
 * ill-formed; the CDATA writer splits {@code ]]>} all the same.
 */
public final class SippScenario {

    /** Shorter gaps are processing time, not the UAC waiting. */
    static final long MIN_PAUSE_MS = 10;

    /** Provisional responses to the first INVITE a scenario accepts even when the capture lacks them. */
    private static final int[] ALWAYS_OPTIONAL = {100, 180, 183};

    private static final Pattern URI_USER = Pattern.compile("^(sips?):(?:([^@;>?]*)@)?");
    private static final Pattern TAG = Pattern.compile(";\\s*tag\\s*=\\s*[^;>,\\s]*", Pattern.CASE_INSENSITIVE);
    private static final Pattern CONTACT_HOSTPORT =
            Pattern.compile("(sips?:(?:[^@<>;\\s]*@)?)(\\[[^\\]]*\\]|[^;>?\\s]+)");
    private static final Pattern TRANSPORT_PARAM = Pattern.compile(";transport=[A-Za-z]+", Pattern.CASE_INSENSITIVE);
    private static final Map<String, String> COMPACT = Map.of("v", "via", "i", "call-id", "f", "from", "t", "to",
            "m", "contact", "l", "content-length", "c", "content-type");

    private SippScenario() {
    }

    /** The scenario and what went into it. */
    public record Scenario(String xml, int sends, int recvs, int collapsed, String transport) {
    }

    /** One kept message of the main leg. */
    private record Step(boolean send, MessageItem item, byte[] payload) {
    }

    /**
     * The UAC scenario of {@code callId} in {@code flow}.
     *
     * @throws ApiException 400 when the Call-ID has no parsed INVITE request
     */
    public static Scenario of(String callId, CallFlow flow) {
        List<CallFlow.Message> leg = flow.messages().stream()
                .filter(m -> callId.equals(m.item().callId()) && (m.item().method() != null || m.item().status() != null))
                .toList();
        CallFlow.Message invite = leg.stream().filter(m -> "INVITE".equals(m.item().method())).findFirst()
                .orElseThrow(() -> ApiException.badRequest("call " + quote(callId) + " has no parsed INVITE request ("
                        + leg.size() + " parsed SIP messages): a SIPp scenario replays an INVITE dialog"));
        MessageItem first = invite.item();
        String uacIp = first.srcIp();
        Integer uacPort = first.srcPort();
        String hopIp = first.dstIp();
        Integer hopPort = first.dstPort();
        if (uacIp == null || hopIp == null) {
            throw ApiException.badRequest("the INVITE of " + quote(callId) + " has no source or destination address");
        }
        List<Step> steps = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int collapsed = 0;
        for (CallFlow.Message m : leg) {
            MessageItem i = m.item();
            if (i.timestamp().isBefore(first.timestamp())) {
                continue;
            }
            boolean send = uacIp.equals(i.srcIp()) && Objects.equals(uacPort, i.srcPort())
                    && hopIp.equals(i.dstIp()) && Objects.equals(hopPort, i.dstPort());
            boolean recv = hopIp.equals(i.srcIp()) && Objects.equals(hopPort, i.srcPort())
                    && uacIp.equals(i.dstIp()) && Objects.equals(uacPort, i.dstPort());
            if (!send && !recv) {
                continue;
            }
            String key = (send ? ">" : "<") + (i.method() != null ? i.method() : i.status()) + "|" + i.cseq();
            if (!seen.add(key)) {
                collapsed++; // a retransmission, or another capture of the same message
                continue;
            }
            steps.add(new Step(send, i, m.payload()));
        }
        String transport = first.transport() == null ? "UDP" : first.transport();
        return new Scenario(write(callId, steps, uacIp, uacPort, hopIp, hopPort, transport, collapsed),
                (int) steps.stream().filter(Step::send).count(), (int) steps.stream().filter(s -> !s.send).count(),
                collapsed, transport);
    }

    private static String write(String callId, List<Step> steps, String uacIp, Integer uacPort, String hopIp,
                                Integer hopPort, String transport, int collapsed) {
        // final status of each INVITE transaction (CSeq number), to tell the ACK of a failure from a 2xx ACK
        Map<String, Integer> inviteFinal = new HashMap<>();
        for (Step s : steps) {
            Integer st = s.item.status();
            if (!s.send && st != null && st >= 200 && s.item.cseq() != null && s.item.cseq().endsWith(" INVITE")) {
                inviteFinal.putIfAbsent(cseqNumber(s.item.cseq()), st);
            }
        }
        StringBuilder x = new StringBuilder(8192);
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<!DOCTYPE scenario SYSTEM \"sipp.dtd\">\n\n");
        x.append("<!-- Exported by hepstack homer-api: the caller side (UAC ").append(endpoint(uacIp, uacPort))
                .append(" to first hop ").append(endpoint(hopIp, hopPort)).append(", ").append(xmlText(transport))
                .append(") of a captured call, ").append(steps.size()).append(" messages, ").append(collapsed)
                .append(" retransmissions collapsed.\n");
        x.append("     Run: sipp -sf call.xml -m 1").append("TCP".equals(transport) ? " -t t1" : "")
                .append(" <target host:port> -->\n");
        x.append("<scenario name=\"hepstack call ").append(safeName(callId)).append("\">\n");
        boolean firstFinal = true;
        Set<Integer> provisionals = new HashSet<>();
        long previousMicros = Long.MIN_VALUE;
        for (Step s : steps) {
            long micros = io.hepstack.api.web.Times.micros(s.item.timestamp());
            MessageItem i = s.item;
            if (s.send) {
                long gapMs = previousMicros == Long.MIN_VALUE ? 0 : (micros - previousMicros) / 1000;
                if (gapMs >= MIN_PAUSE_MS) {
                    x.append("  <pause milliseconds=\"").append(gapMs).append("\"/>\n");
                }
                boolean request = i.method() != null;
                x.append("  <send");
                if (request && !"ACK".equals(i.method()) && "UDP".equals(transport)) {
                    x.append(" retrans=\"500\"");
                }
                x.append(">\n");
                String text = request ? templateRequest(s.payload, i, inviteFinal) : templateResponse(s.payload);
                cdata(x, text);
                x.append("  </send>\n");
            } else if (i.method() != null) {
                x.append("  <recv request=\"").append(token(i.method())).append("\"/>\n");
            } else {
                int status = i.status();
                boolean toInvite = i.cseq() != null && i.cseq().endsWith(" INVITE");
                if (toInvite && status < 200) {
                    provisionals.add(status);
                }
                if (toInvite && status >= 200 && firstFinal) {
                    // the test system may ring or trying where the captured one did not
                    for (int p : ALWAYS_OPTIONAL) {
                        if (provisionals.add(p)) {
                            x.append("  <recv response=\"").append(p).append("\" optional=\"true\"/>\n");
                        }
                    }
                }
                x.append("  <recv response=\"").append(status).append('"');
                if (status < 200) {
                    x.append(" optional=\"true\"");
                } else if (toInvite) {
                    if (status < 300) {
                        x.append(" rrs=\"true\"");
                    }
                    if (firstFinal) {
                        x.append(" rtd=\"true\"");
                        firstFinal = false;
                    }
                }
                x.append("/>\n");
            }
            previousMicros = micros;
        }
        x.append("\n  <ResponseTimeRepartition value=\"10, 20, 30, 40, 50, 100, 150, 200\"/>\n");
        x.append("  <CallLengthRepartition value=\"10, 50, 100, 500, 1000, 5000, 10000\"/>\n");
        x.append("</scenario>\n");
        return x.toString();
    }

    /** A request the UAC sent, with its addresses, Call-ID, branch, tags, routing and lengths templated. */
    private static String templateRequest(byte[] payload, MessageItem item, Map<String, Integer> inviteFinal) {
        Message m = Message.parse(payload);
        String method = item.method();
        String[] start = m.startLine.split(" ", 3);
        boolean inDialog = m.headers.stream().anyMatch(h -> h.is("to") && TAG.matcher(h.value).find());
        boolean sameUriAsInvite = "CANCEL".equals(method) || "ACK".equals(method)
                && inviteFinal.getOrDefault(cseqNumber(item.cseq()), 200) >= 300;
        String uri;
        if (inDialog && !sameUriAsInvite) {
            uri = "[next_url]";
        } else {
            Matcher u = URI_USER.matcher(start.length > 1 ? start[1] : "");
            String user = u.find() && u.group(2) != null ? escape(u.group(2)) + "@" : "";
            uri = "sip:" + user + "[remote_ip]:[remote_port]";
        }
        StringBuilder b = new StringBuilder(payload.length + 256);
        b.append(escape(start[0])).append(' ').append(uri).append(" SIP/2.0\n");
        boolean via = false;
        boolean routes = false;
        for (Header h : m.headers) {
            switch (h.canonical) {
                case "via" -> {
                    if (!via) {
                        String firstValue = h.value.split(",", 2)[0];
                        b.append("Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]")
                                .append(firstValue.toLowerCase(Locale.ROOT).contains(";rport") ? ";rport" : "").append('\n');
                        via = true;
                    }
                }
                case "route" -> {
                    if (inDialog && !routes && !sameUriAsInvite) {
                        b.append("[routes]\n");
                        routes = true;
                    }
                }
                case "record-route" -> {
                }
                case "call-id" -> b.append("Call-ID: [call_id]\n");
                case "content-length" -> b.append("Content-Length: [len]\n");
                case "from" -> b.append(escape(h.name)).append(": ")
                        .append(withTag(h.value, ";tag=[pid]SIPpTag00[call_number]")).append('\n');
                case "to" -> {
                    boolean tagged = TAG.matcher(h.value).find();
                    b.append(escape(h.name)).append(": ")
                            .append(tagged ? escape(TAG.matcher(h.value).replaceAll("")) + "[peer_tag_param]" : escape(h.value))
                            .append('\n');
                }
                case "contact" -> b.append(escape(h.name)).append(": ").append(contact(h.value)).append('\n');
                default -> b.append(line(h)).append('\n');
            }
        }
        if (!m.headers.stream().anyMatch(h -> h.is("content-length"))) {
            b.append("Content-Length: [len]\n");
        }
        b.append('\n');
        b.append(body(m));
        return b.toString();
    }

    /** A response the UAC sent to a request it received: the dialog headers are the request's. */
    private static String templateResponse(byte[] payload) {
        Message m = Message.parse(payload);
        StringBuilder b = new StringBuilder(payload.length + 256);
        b.append(escape(m.startLine)).append('\n');
        Set<String> done = new HashSet<>();
        for (Header h : m.headers) {
            switch (h.canonical) {
                case "via" -> {
                    if (done.add("via")) {
                        b.append("[last_Via:]\n");
                    }
                }
                case "from" -> b.append("[last_From:]\n");
                case "to" -> b.append("[last_To:]\n");
                case "call-id" -> b.append("[last_Call-ID:]\n");
                case "cseq" -> b.append("[last_CSeq:]\n");
                case "record-route" -> {
                    if (done.add("record-route")) {
                        b.append("[last_Record-Route:]\n");
                    }
                }
                case "content-length" -> b.append("Content-Length: [len]\n");
                case "contact" -> b.append(escape(h.name)).append(": ").append(contact(h.value)).append('\n');
                default -> b.append(line(h)).append('\n');
            }
        }
        b.append('\n');
        b.append(body(m));
        return b.toString();
    }

    private static String line(Header h) {
        return h.name.isEmpty() ? escape(h.value) : escape(h.name) + ": " + escape(h.value);
    }

    /** The body; in SDP the origin, connection and media ports become the SIPp side's. */
    private static String body(Message m) {
        if (m.body.isEmpty()) {
            return "";
        }
        boolean sdp = m.headers.stream().anyMatch(h -> h.is("content-type")
                && h.value.toLowerCase(Locale.ROOT).startsWith("application/sdp"));
        String[] lines = m.body.split("\r?\n", -1);
        StringBuilder b = new StringBuilder(m.body.length() + 64);
        int media = 0;
        int n = lines.length;
        if (n > 0 && lines[n - 1].isEmpty()) {
            n--; // the body's final line break
        }
        for (int k = 0; k < n; k++) {
            String line = lines[k];
            if (sdp && line.startsWith("o=") && line.split(" ").length >= 6) {
                String[] f = line.split(" ");
                b.append(escape(f[0] + " " + f[1] + " " + f[2] + " IN ")).append("IP[local_ip_type] [local_ip]");
            } else if (sdp && line.startsWith("c=IN IP")) {
                b.append("c=IN IP[media_ip_type] [media_ip]");
            } else if (sdp && line.startsWith("m=") && line.split(" ").length >= 3) {
                String[] f = line.split(" ", 3);
                b.append(escape(f[0])).append(' ').append(media == 0 ? "[media_port]" : "[media_port+" + (2 * media) + "]")
                        .append(' ').append(escape(f[2]));
                media++;
            } else {
                b.append(escape(line));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String withTag(String value, String tag) {
        Matcher t = TAG.matcher(value);
        if (!t.find()) {
            return escape(value);
        }
        return escape(value.substring(0, t.start())) + tag + escape(value.substring(t.end()));
    }

    /** The Contact URI's host and port become the SIPp side's; a transport parameter follows SIPp's. */
    private static String contact(String value) {
        Matcher c = CONTACT_HOSTPORT.matcher(value);
        if (!c.find()) {
            return escape(value);
        }
        String rest = value.substring(c.end());
        Matcher t = TRANSPORT_PARAM.matcher(rest);
        String restOut;
        if (t.find()) {
            restOut = escape(rest.substring(0, t.start())) + ";transport=[transport]" + escape(rest.substring(t.end()));
        } else {
            restOut = escape(rest);
        }
        return escape(value.substring(0, c.start())) + escape(c.group(1)) + "[local_ip]:[local_port]" + restOut;
    }

    /**
     * Captured text as SIPp literal text: printable ASCII but {@code [ ] \} as is, everything else
     * (and a leading space, which SIPp would trim at the start of a line) as {@code \xHH} of its
     * byte. The input holds one char per byte (ISO-8859-1).
     */
    static String escape(String bytes) {
        StringBuilder b = new StringBuilder(bytes.length() + 16);
        for (int k = 0; k < bytes.length(); k++) {
            char c = bytes.charAt(k);
            boolean plain = c >= 0x20 && c < 0x7f && c != '[' && c != ']' && c != '\\' && !(k == 0 && c == ' ');
            if (plain) {
                b.append(c);
            } else {
                b.append("\\x").append(Character.forDigit((c >> 4) & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
        return b.toString();
    }

    /** {@code text} as CDATA; a {@code ]]>} inside (never produced by {@link #escape}) is split across two sections. */
    static void cdata(StringBuilder x, String text) {
        x.append("    <![CDATA[\n\n");
        x.append(text.replace("]]>", "]]]]><![CDATA[>"));
        x.append("\n    ]]>\n");
    }

    private static String cseqNumber(String cseq) {
        return cseq == null ? "" : cseq.split(" ", 2)[0];
    }

    private static String endpoint(String ip, Integer port) {
        return xmlText(CallMedia.endpoint(ip, port));
    }

    /** Text for an XML comment: letters, digits and a few separators only. */
    private static String xmlText(String s) {
        return s.replaceAll("[^A-Za-z0-9.:\\[\\]_/ ]", "_");
    }

    /** A scenario name SIPp shows: the Call-ID reduced to safe characters. */
    static String safeName(String callId) {
        String safe = callId.replaceAll("[^A-Za-z0-9@._+:-]", "_");
        return safe.length() > 100 ? safe.substring(0, 100) : safe;
    }

    /** A SIP method token (RFC 3261 §25.1), for the recv attribute. */
    private static String token(String method) {
        return method.replaceAll("[^A-Za-z0-9.!%*_+`'~-]", "_");
    }

    private static String quote(String s) {
        return io.hepstack.api.web.Times.quote(s);
    }

    /** A header line; {@code canonical} is the lower-case long name. */
    private record Header(String name, String value, String canonical) {
        boolean is(String lower) {
            return canonical.equals(lower);
        }
    }

    /** A captured message split into start line, unfolded headers and body; one char per byte. */
    private record Message(String startLine, List<Header> headers, String body) {
        static Message parse(byte[] payload) {
            String s = new String(payload, StandardCharsets.ISO_8859_1);
            int end = s.indexOf("\r\n\r\n");
            int bodyStart = end + 4;
            if (end < 0) {
                end = s.indexOf("\n\n");
                bodyStart = end + 2;
            }
            if (end < 0) {
                end = s.length();
                bodyStart = s.length();
            }
            String[] lines = s.substring(0, end).split("\r?\n");
            List<Header> headers = new ArrayList<>();
            for (int k = 1; k < lines.length; k++) {
                String line = lines[k];
                if ((line.startsWith(" ") || line.startsWith("\t")) && !headers.isEmpty()) {
                    Header last = headers.remove(headers.size() - 1); // folded (RFC 3261 §7.3.1)
                    headers.add(new Header(last.name, last.value + " " + line.strip(), last.canonical));
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    headers.add(new Header("", line, "")); // kept as it was
                    continue;
                }
                String name = line.substring(0, colon).strip();
                String lower = name.toLowerCase(Locale.ROOT);
                headers.add(new Header(name, line.substring(colon + 1).strip(), COMPACT.getOrDefault(lower, lower)));
            }
            return new Message(lines.length == 0 ? "" : lines[0], headers, s.substring(Math.min(bodyStart, s.length())));
        }
    }
}
