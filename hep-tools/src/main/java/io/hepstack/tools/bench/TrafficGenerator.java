package io.hepstack.tools.bench;

import io.hepstack.proto.hep.HepEncoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.HepPayloadType;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Generates HEPv3 packets carrying SIP, and RTCP reports on the calls, scenario after scenario in the
 * order of a {@link TrafficMix} cycle. Every scenario instance gets its own Call-ID
 * ({@code bench-<run>-<seq>@<ip>}), tags, branches, CSeq, users and addresses, derived from the run id and
 * its sequence number, so two generators with the same run id produce the same messages (timestamps
 * aside). An RTCP report ({@link Scenario#RTCP}) is on the run's latest call: its correlation id is that
 * call's Call-ID, its addresses and CNAME the call's, its ports the RTCP ports of the call's SDP; its
 * counters (packets, loss, jitter) are its own.
 *
 * <p>Cheap by construction: each message is built once as a complete HEP packet template (envelope,
 * SIP text or RTCP JSON and correlation id, fixed-width slots); producing a message copies that array and
 * writes the slots, the addresses, ports and timestamp in place. Not thread-safe.
 */
public final class TrafficGenerator {

    /** HEP capture agent id written when none is given. */
    public static final long DEFAULT_CAPTURE_ID = 2001;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final List<Scenario> cycle;
    private final Map<Scenario, List<PacketTemplate>> templates = new EnumMap<>(Scenario.class);
    private final long runId;

    private long seq = -1;
    private int step;
    private Scenario scenario;
    private final Values v = new Values();
    /** The values of the latest call scenario: what an RTCP report is on. */
    private final Values call = new Values();

    /**
     * @param runId     distinguishes runs: written in every Call-ID (as 8 hex digits)
     * @param captureId HEP capture agent id (chunk 0x000c)
     * @param mix       scenario proportions
     */
    public TrafficGenerator(long runId, long captureId, TrafficMix mix) {
        this.runId = runId & 0xFFFF_FFFFL;
        this.cycle = mix.cycle();
        String run = String.format("%08x", this.runId);
        for (Scenario s : Scenario.values()) {
            List<PacketTemplate> list = new ArrayList<>(s.size());
            for (Scenario.Step st : s.steps()) {
                String text = st.template().replace("{RUN}", run);
                list.add(s.reportsOnCall()
                        ? PacketTemplate.rtcp(text, RtcpTemplates.CORRELATION_ID.replace("{RUN}", run), st.fromA(), captureId)
                        : PacketTemplate.sip(text, st.fromA(), captureId));
            }
            templates.put(s, list);
        }
        int firstCall = cycle.indexOf(Scenario.CALL);
        if (firstCall >= 0) {
            call.derive(this.runId, firstCall); // reports before the first call are on it
        }
    }

    /** The run id, as written in Call-IDs. */
    public long runId() {
        return runId;
    }

    /** Scenario instances started so far. */
    public long scenarios() {
        return seq + 1;
    }

    /** The scenario of the message last returned by {@link #next}. */
    public Scenario lastScenario() {
        return scenario;
    }

    /** The next message as a complete HEPv3 packet (a new array), stamped with {@code epochMicros}. */
    public byte[] next(long epochMicros) {
        if (scenario == null || step == scenario.size()) {
            seq++;
            scenario = cycle.get((int) (seq % cycle.size()));
            step = 0;
            v.derive(runId, seq);
            if (scenario == Scenario.CALL) {
                call.copy(v);
            }
        }
        PacketTemplate t = templates.get(scenario).get(step++);
        return t.render(t.media ? call : v, v, epochMicros);
    }

    /** Per-instance values, all derived from (run, seq). */
    static final class Values {
        long seq;
        long h1;
        long h2;
        long h3;
        final byte[] aIp = new byte[4];
        final byte[] bIp = new byte[4];

        void derive(long run, long seq) {
            this.seq = seq;
            h1 = mix(run * 0x9E3779B97F4A7C15L + seq);
            h2 = mix(h1 ^ 0x5DEECE66DL);
            h3 = mix(h2 + 0x2545F4914F6CDD1DL);
            address(aIp, h1);
            address(bIp, h2);
        }

        void copy(Values o) {
            seq = o.seq;
            h1 = o.h1;
            h2 = o.h2;
            h3 = o.h3;
            System.arraycopy(o.aIp, 0, aIp, 0, 4);
            System.arraycopy(o.bIp, 0, bIp, 0, 4);
        }

        /** {@code 10.1xx.1yy.1zz}: one million addresses, each 14 characters as text. */
        private static void address(byte[] ip, long h) {
            long u = h >>> 1;
            ip[0] = 10;
            ip[1] = (byte) (100 + u % 100);
            ip[2] = (byte) (100 + (u / 100) % 100);
            ip[3] = (byte) (100 + (u / 10_000) % 100);
        }

        /** splitmix64 finalizer. */
        static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }

    /** One message of one scenario: the whole HEP packet with the offsets to patch. */
    static final class PacketTemplate {
        final byte[] bytes;
        final boolean fromA;
        /** An RTCP report: the envelope's ports are the RTCP ports of the call's SDP. */
        final boolean media;
        final int srcIpAt;
        final int dstIpAt;
        final int srcPortAt;
        final int dstPortAt;
        final int tsSecAt;
        final int tsUsecAt;
        final int payloadAt;
        final Slot[] slots;
        final int[] slotAt;

        private PacketTemplate(byte[] bytes, boolean fromA, boolean media, int[] chunkAt, int payloadAt, Slot[] slots,
                               int[] slotAt) {
            this.bytes = bytes;
            this.fromA = fromA;
            this.media = media;
            this.srcIpAt = chunkAt[0];
            this.dstIpAt = chunkAt[1];
            this.tsSecAt = chunkAt[2];
            this.tsUsecAt = chunkAt[3];
            this.srcPortAt = chunkAt[4];
            this.dstPortAt = chunkAt[5];
            this.payloadAt = payloadAt;
            this.slots = slots;
            this.slotAt = slotAt;
        }

        /** A SIP message (HEP type 1) from its template (LF line ends, {@code {CLEN}} for the body's length). */
        static PacketTemplate sip(String template, boolean fromA, long captureId) {
            String text = template.replace("\n", "\r\n");
            int bodyAt = text.indexOf("\r\n\r\n") + 4;
            text = text.replace("{CLEN}", Integer.toString(expandedLength(text.substring(bodyAt))));
            return build(Slotted.of(text), null, HepPayloadType.SIP, fromA, false, captureId);
        }

        /** An RTCP report (HEP type 5) from its JSON template, with a correlation id (chunk 0x0011) template. */
        static PacketTemplate rtcp(String template, String correlationId, boolean fromA, long captureId) {
            return build(Slotted.of(template), Slotted.of(correlationId), HepPayloadType.RTCP, fromA, true, captureId);
        }

        private static PacketTemplate build(Slotted payload, Slotted correlation, HepPayloadType type, boolean fromA,
                                            boolean media, long captureId) {
            InetAddress zero = address(new byte[4]);
            byte[] packet = HepEncoder.encode(HepPacket.builder().addresses(zero, 5060, zero, 5060).ipProto(17)
                    .protoType(type.number()).captureId(captureId)
                    .correlationId(correlation == null ? null : correlation.text())
                    .payload(payload.text().getBytes(StandardCharsets.US_ASCII)).build());
            // HEP3 §chunks: find the bodies to patch by walking the chunk headers
            int[] chunkAt = new int[6];
            int payloadAt = -1;
            int correlationAt = -1;
            for (int p = 6; p < packet.length; ) {
                int chunk = u16(packet, p + 2);
                int len = u16(packet, p + 4);
                switch (chunk) {
                    case 0x0003 -> chunkAt[0] = p + 6;
                    case 0x0004 -> chunkAt[1] = p + 6;
                    case 0x0009 -> chunkAt[2] = p + 6;
                    case 0x000a -> chunkAt[3] = p + 6;
                    case 0x0007 -> chunkAt[4] = p + 6;
                    case 0x0008 -> chunkAt[5] = p + 6;
                    case 0x000f -> payloadAt = p + 6;
                    case 0x0011 -> correlationAt = p + 6;
                    default -> { }
                }
                p += len;
            }
            List<Slot> slots = new ArrayList<>(payload.slots());
            List<Integer> at = new ArrayList<>();
            for (int k : payload.at()) {
                at.add(payloadAt + k);
            }
            if (correlation != null) {
                slots.addAll(correlation.slots());
                for (int k : correlation.at()) {
                    at.add(correlationAt + k);
                }
            }
            int[] slotAt = at.stream().mapToInt(Integer::intValue).toArray();
            return new PacketTemplate(packet, fromA, media, chunkAt, payloadAt, slots.toArray(new Slot[0]), slotAt);
        }

        private static int expandedLength(String body) {
            int n = body.length();
            for (Slot s : Slot.values()) {
                String token = "{" + s.name() + "}";
                for (int i = body.indexOf(token); i >= 0; i = body.indexOf(token, i + 1)) {
                    n += s.width - token.length();
                }
            }
            return n;
        }

        /**
         * The message of instance {@code own} with the identity (Call-ID, users, addresses, tags) of {@code id}:
         * the same instance for SIP, the call it reports on for RTCP.
         */
        byte[] render(Values id, Values own, long epochMicros) {
            byte[] b = bytes.clone();
            System.arraycopy(fromA ? id.aIp : id.bIp, 0, b, srcIpAt, 4);
            System.arraycopy(fromA ? id.bIp : id.aIp, 0, b, dstIpAt, 4);
            if (media) {
                putShort(b, srcPortAt, rtpPort(fromA ? id.h1 : id.h2) + 1);
                putShort(b, dstPortAt, rtpPort(fromA ? id.h2 : id.h1) + 1);
            }
            putInt(b, tsSecAt, (int) (epochMicros / 1_000_000L));
            putInt(b, tsUsecAt, (int) (epochMicros % 1_000_000L));
            for (int k = 0; k < slots.length; k++) {
                write(b, slotAt[k], slots[k], id, own, epochMicros);
            }
            return b;
        }

        int payloadLength() {
            return bytes.length - payloadAt;
        }

        private static void write(byte[] b, int at, Slot s, Values v, Values own, long epochMicros) {
            switch (s) {
                case SEQ -> hex(b, at, v.seq, s.width);
                case FTAG -> hex(b, at, v.h1, s.width);
                case TTAG -> hex(b, at, v.h2, s.width);
                case BR -> hex(b, at, v.h3, s.width);
                case NONCE -> {
                    hex(b, at, v.h1 ^ v.h3, 16);
                    hex(b, at + 16, v.h2 ^ v.h3, 16);
                }
                case RESP -> {
                    hex(b, at, mixOf(v.h1), 16);
                    hex(b, at + 16, mixOf(v.h2), 16);
                }
                case AUSER -> dec(b, at, 10_000_000L + Long.remainderUnsigned(v.h1, 90_000_000L), s.width);
                case BUSER -> dec(b, at, 10_000_000L + Long.remainderUnsigned(v.h2, 90_000_000L), s.width);
                case AIP -> ip(b, at, v.aIp);
                case BIP -> ip(b, at, v.bIp);
                case CSEQ -> dec(b, at, cseq(v), s.width);
                case CSEQ2 -> dec(b, at, cseq(v) + 1, s.width);
                case SESS -> dec(b, at, 1_000_000_000L + Long.remainderUnsigned(v.h3, 9_000_000_000L), s.width);
                case RTPA -> dec(b, at, rtpPort(v.h1), s.width);
                case RTPB -> dec(b, at, rtpPort(v.h2), s.width);
                case SSRCA -> dec(b, at, ssrc(v.h1), s.width);
                case SSRCB -> dec(b, at, ssrc(v.h2), s.width);
                // RFC 3550 §4: NTP seconds since 1900 and the fraction of a second in 1/2^32
                case NTPSEC -> pad(b, at, epochMicros / 1_000_000L + NTP_UNIX_OFFSET, s.width);
                case NTPFRAC -> pad(b, at, (epochMicros % 1_000_000L << 32) / 1_000_000L, s.width);
                case RTPTS -> pad(b, at, own.h2 & 0xFFFF_FFFFL, s.width);
                case PACKETS -> pad(b, at, packets(own), s.width);
                case OCTETS -> pad(b, at, 160 * packets(own), s.width);
                case HSEQ -> pad(b, at, own.h3 & 0xF_FFFFL, s.width);
                case FLOST -> pad(b, at, Long.remainderUnsigned(own.h1 >>> 20, 26), s.width);
                case LOST -> pad(b, at, Long.remainderUnsigned(own.h2 >>> 20, 1_000), s.width);
                case JITTER -> pad(b, at, Long.remainderUnsigned(own.h3 >>> 20, 400), s.width);
                case LSR -> pad(b, at, own.h1 >>> 32, s.width);
                case DLSR -> pad(b, at, Long.remainderUnsigned(own.h2 >>> 32, 65_536), s.width);
                default -> throw new IllegalStateException("slot " + s);
            }
        }

        /** Seconds from 1900-01-01 (NTP's era 0) to 1970-01-01. */
        private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

        /** The even RTP port of a side's SDP (its RTCP port is the next one). */
        private static int rtpPort(long h) {
            return 10_000 + 2 * (int) Long.remainderUnsigned(h >>> 7, 25_000L);
        }

        /** A side's SSRC: ten decimal digits, within 32 bits. */
        private static long ssrc(long h) {
            return 1_000_000_000L + Long.remainderUnsigned(mixOf(h), 3_000_000_000L);
        }

        private static long packets(Values own) {
            return 50 + Long.remainderUnsigned(own.h1, 90_000L);
        }

        private static long mixOf(long h) {
            return Values.mix(h + 0x632BE59BD9B4E019L);
        }

        private static long cseq(Values v) {
            return 10_000L + Long.remainderUnsigned(v.h3 >>> 3, 80_000L);
        }

        private static void hex(byte[] b, int at, long value, int width) {
            for (int i = width - 1; i >= 0; i--) {
                b[at + i] = HEX[(int) (value & 0xF)];
                value >>>= 4;
            }
        }

        private static void dec(byte[] b, int at, long value, int width) {
            for (int i = width - 1; i >= 0; i--) {
                b[at + i] = (byte) ('0' + value % 10);
                value /= 10;
            }
        }

        /** {@code value} right-aligned in {@code width} characters, leading spaces (JSON whitespace). */
        private static void pad(byte[] b, int at, long value, int width) {
            int i = width - 1;
            do {
                b[at + i--] = (byte) ('0' + value % 10);
                value /= 10;
            } while (value > 0 && i >= 0);
            while (i >= 0) {
                b[at + i--] = ' ';
            }
        }

        private static void ip(byte[] b, int at, byte[] ip) {
            b[at] = '1';
            b[at + 1] = '0';
            int p = at + 2;
            for (int k = 1; k < 4; k++) {
                b[p] = '.';
                dec(b, p + 1, ip[k] & 0xFF, 3);
                p += 4;
            }
        }

        private static void putInt(byte[] b, int at, int v) {
            b[at] = (byte) (v >>> 24);
            b[at + 1] = (byte) (v >>> 16);
            b[at + 2] = (byte) (v >>> 8);
            b[at + 3] = (byte) v;
        }

        private static void putShort(byte[] b, int at, int v) {
            b[at] = (byte) (v >>> 8);
            b[at + 1] = (byte) v;
        }

        private static int u16(byte[] b, int at) {
            return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
        }

        /**
         * A template's text with every slot ({@code {NAME}}, an upper-case {@link Slot} name) replaced by zeros of
         * its width, and where each one starts; other braces (JSON's) are literal.
         */
        record Slotted(String text, List<Slot> slots, List<Integer> at) {

            static Slotted of(String template) {
                List<Slot> slots = new ArrayList<>();
                List<Integer> at = new ArrayList<>();
                StringBuilder out = new StringBuilder(template.length());
                int i = 0;
                while (i < template.length()) {
                    int open = template.indexOf('{', i);
                    int close = open < 0 ? -1 : template.indexOf('}', open);
                    if (open < 0 || close < 0) {
                        out.append(template, i, template.length());
                        break;
                    }
                    String name = template.substring(open + 1, close);
                    if (!name.matches("[A-Z][A-Z0-9]*")) {
                        out.append(template, i, open + 1);
                        i = open + 1;
                        continue;
                    }
                    out.append(template, i, open);
                    Slot s = Slot.valueOf(name);
                    slots.add(s);
                    at.add(out.length());
                    out.append("0".repeat(s.width));
                    i = close + 1;
                }
                return new Slotted(out.toString(), slots, at);
            }
        }

        private static InetAddress address(byte[] ip) {
            try {
                return InetAddress.getByAddress(ip);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }
}
