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
 * Generates HEPv3 packets carrying SIP, scenario after scenario in the order of a {@link TrafficMix}
 * cycle. Every scenario instance gets its own Call-ID ({@code bench-<run>-<seq>@<ip>}), tags, branches,
 * CSeq, users and addresses, derived from the run id and its sequence number, so two generators with
 * the same run id produce the same messages (timestamps aside).
 *
 * <p>Cheap by construction: each message is built once as a complete HEP packet template (envelope and
 * SIP text, fixed-width slots); producing a message copies that array and writes the slots, the
 * addresses, ports and timestamp in place. Not thread-safe.
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
                list.add(PacketTemplate.build(st.template().replace("{RUN}", run), st.fromA(), captureId));
            }
            templates.put(s, list);
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
        }
        PacketTemplate t = templates.get(scenario).get(step++);
        return t.render(v, epochMicros);
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
        final int srcIpAt;
        final int dstIpAt;
        final int tsSecAt;
        final int tsUsecAt;
        final int payloadAt;
        final Slot[] slots;
        final int[] slotAt;

        private PacketTemplate(byte[] bytes, boolean fromA, int[] chunkAt, int payloadAt, Slot[] slots, int[] slotAt) {
            this.bytes = bytes;
            this.fromA = fromA;
            this.srcIpAt = chunkAt[0];
            this.dstIpAt = chunkAt[1];
            this.tsSecAt = chunkAt[2];
            this.tsUsecAt = chunkAt[3];
            this.payloadAt = payloadAt;
            this.slots = slots;
            this.slotAt = slotAt;
        }

        static PacketTemplate build(String template, boolean fromA, long captureId) {
            String text = template.replace("\n", "\r\n");
            int bodyAt = text.indexOf("\r\n\r\n") + 4;
            text = text.replace("{CLEN}", Integer.toString(expandedLength(text.substring(bodyAt))));
            List<Slot> slots = new ArrayList<>();
            List<Integer> at = new ArrayList<>();
            StringBuilder sip = new StringBuilder(text.length());
            int i = 0;
            while (i < text.length()) {
                int open = text.indexOf('{', i);
                if (open < 0) {
                    sip.append(text, i, text.length());
                    break;
                }
                int close = text.indexOf('}', open);
                sip.append(text, i, open);
                Slot s = Slot.valueOf(text.substring(open + 1, close));
                slots.add(s);
                at.add(sip.length());
                sip.append("0".repeat(s.width));
                i = close + 1;
            }
            byte[] payload = sip.toString().getBytes(StandardCharsets.US_ASCII);
            InetAddress zero = address(new byte[4]);
            byte[] packet = HepEncoder.encode(HepPacket.builder().addresses(zero, 5060, zero, 5060).ipProto(17)
                    .protoType(HepPayloadType.SIP.number()).captureId(captureId).payload(payload).build());
            // HEP3 §chunks: find the bodies to patch by walking the chunk headers
            int[] chunkAt = new int[4];
            int payloadAt = -1;
            for (int p = 6; p < packet.length; ) {
                int type = u16(packet, p + 2);
                int len = u16(packet, p + 4);
                switch (type) {
                    case 0x0003 -> chunkAt[0] = p + 6;
                    case 0x0004 -> chunkAt[1] = p + 6;
                    case 0x0009 -> chunkAt[2] = p + 6;
                    case 0x000a -> chunkAt[3] = p + 6;
                    case 0x000f -> payloadAt = p + 6;
                    default -> { }
                }
                p += len;
            }
            int[] slotAt = new int[at.size()];
            for (int k = 0; k < slotAt.length; k++) {
                slotAt[k] = payloadAt + at.get(k);
            }
            return new PacketTemplate(packet, fromA, chunkAt, payloadAt, slots.toArray(new Slot[0]), slotAt);
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

        byte[] render(Values v, long epochMicros) {
            byte[] b = bytes.clone();
            System.arraycopy(fromA ? v.aIp : v.bIp, 0, b, srcIpAt, 4);
            System.arraycopy(fromA ? v.bIp : v.aIp, 0, b, dstIpAt, 4);
            putInt(b, tsSecAt, (int) (epochMicros / 1_000_000L));
            putInt(b, tsUsecAt, (int) (epochMicros % 1_000_000L));
            for (int k = 0; k < slots.length; k++) {
                write(b, slotAt[k], slots[k], v);
            }
            return b;
        }

        int payloadLength() {
            return bytes.length - payloadAt;
        }

        private static void write(byte[] b, int at, Slot s, Values v) {
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
                case RTPA -> dec(b, at, 10_000L + 2 * Long.remainderUnsigned(v.h1 >>> 7, 25_000L), s.width);
                case RTPB -> dec(b, at, 10_000L + 2 * Long.remainderUnsigned(v.h2 >>> 7, 25_000L), s.width);
                default -> throw new IllegalStateException("slot " + s);
            }
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

        private static int u16(byte[] b, int at) {
            return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
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
