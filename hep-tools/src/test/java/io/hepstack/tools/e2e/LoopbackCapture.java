package io.hepstack.tools.e2e;

import io.hepstack.proto.capture.CaptureSplitter;
import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.pcap.FlowKey;
import io.hepstack.proto.pcap.PcapPacket;
import io.hepstack.proto.pcap.PcapReader;
import io.hepstack.proto.pcap.PcapVisitor;
import io.hepstack.proto.pcap.TcpCloseReason;
import io.hepstack.proto.sip.SipMessage;
import io.hepstack.proto.sip.SipParseException;
import io.hepstack.proto.sip.SipParser;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A capture of the loopback interface by {@code dumpcap} (Debian {@code tshark}) into {@code NAME.pcap},
 * read back with common-proto's {@link PcapReader} and {@link CaptureSplitter}: the SIP messages of every
 * HEP packet over TCP and of every plain SIP datagram, by direction. A balancer's test tells with it
 * what a proxy handled (SIP datagrams at its port), what it mirrored (HEP to the balancer) and what the
 * balancer forwarded (HEP to each collector).
 *
 * <p>Contract: {@link #start} returns once dumpcap captures; {@link #stop} ends it (SIGTERM: dumpcap
 * writes out what it holds) and fails unless dumpcap and the kernel dropped nothing; {@link #read}
 * fails when a TCP stream has a hole or a frame that is not HEP carrying SIP. An answer is the whole
 * traffic or none.
 */
final class LoopbackCapture implements AutoCloseable {

    private static final Pattern DROPS = Pattern.compile("Packets received/dropped on interface '[^']*': (\\d+)/(\\d+) "
            + "\\(pcap:(\\d+)/dumpcap:(\\d+)/flushed:(\\d+)/ps_ifdrop:(\\d+)\\)");

    private final ChildProcess dumpcap;
    private final Path file;

    private LoopbackCapture(ChildProcess dumpcap, Path file) {
        this.dumpcap = dumpcap;
        this.file = file;
    }

    /** Starts capturing what {@code filter} (libpcap syntax) passes on {@code lo} into {@code logDir/NAME.pcap}. */
    static LoopbackCapture start(String name, Path logDir, String filter) throws Exception {
        String bin = ChildProcess.require("dumpcap", "tshark");
        Path file = logDir.resolve(name + ".pcap");
        Files.deleteIfExists(file);
        ChildProcess p = ChildProcess.start(name, logDir, List.of(bin, "-i", "lo", "-f", filter, "-P", "-w", file.toString()));
        try {
            p.awaitLog("Capturing on", Duration.ofSeconds(20));
        } catch (Exception | AssertionError e) {
            p.close();
            throw e;
        }
        return new LoopbackCapture(p, file);
    }

    Path file() {
        return file;
    }

    /** Ends the capture; fails when dumpcap did not exit cleanly or a packet was dropped on its way to the file. */
    void stop() throws Exception {
        dumpcap.terminate();
        int exit = dumpcap.await(Duration.ofSeconds(20));
        String log = dumpcap.logText();
        if (exit != 0) {
            throw new AssertionError("dumpcap exited with " + exit + ":\n" + log);
        }
        Matcher m = DROPS.matcher(log);
        if (!m.find()) {
            throw new AssertionError("dumpcap did not report its drops:\n" + log);
        }
        for (int g = 2; g <= 6; g++) {
            if (Long.parseLong(m.group(g)) != 0) {
                throw new AssertionError("the capture dropped packets: " + m.group());
            }
        }
    }

    /** What the capture holds; after {@link #stop}. */
    Traffic read() throws IOException {
        return read(file);
    }

    /** What a capture file holds; fails when it cannot be read whole (see the class comment). */
    static Traffic read(Path file) throws IOException {
        Reader r = new Reader();
        try (InputStream in = Files.newInputStream(file)) {
            PcapReader.read(in, r);
        }
        if (!r.problems.isEmpty()) {
            throw new AssertionError("capture " + file + " cannot be read whole: " + r.problems);
        }
        return new Traffic(r.hep, r.sip);
    }

    /** Stops dumpcap if it still runs (a test that failed before {@link #stop}). */
    @Override
    public void close() throws Exception {
        dumpcap.close();
    }

    /**
     * One SIP message seen: its Call-ID and {@code what}, the start line's method or status with the
     * CSeq method and the message's own ports ({@code 200/INVITE 5060>5061}): for a HEP packet the ports
     * of the mirrored message, for a datagram those of the datagram, so that the two compare.
     */
    record Message(String callId, String what) {

        static Message of(byte[] sip, int srcPort, int dstPort) throws SipParseException {
            SipMessage m = SipParser.parse(sip);
            String first = m.isRequest() ? m.method() : m.statusCode() + "/" + m.cseq().method();
            return new Message(m.callId(), first + " " + srcPort + ">" + dstPort);
        }
    }

    /** The SIP messages of HEP packets over TCP and of plain SIP datagrams, each by direction, in capture order. */
    record Traffic(Map<FlowKey, List<Message>> hep, Map<FlowKey, List<Message>> sip) {

        /** HEP packets sent to {@code port}, whose Call-ID starts with {@code prefix}, counted per Call-ID. */
        Map<String, Long> hepTo(int port, String prefix) {
            return count(hep, port, -1, prefix);
        }

        /** SIP datagrams to {@code port}, whose Call-ID starts with {@code prefix}, counted per Call-ID. */
        Map<String, Long> sipTo(int port, String prefix) {
            return count(sip, port, -1, prefix);
        }

        /** SIP datagrams to or from {@code port}, whose Call-ID starts with {@code prefix}, counted per Call-ID. */
        Map<String, Long> sipAt(int port, String prefix) {
            return count(sip, port, port, prefix);
        }

        /**
         * Per Call-ID starting with {@code prefix}: the SIP datagrams at {@code sipPort} that no HEP packet
         * sent to {@code hepPort} copies (same {@link Message#what}), in capture order; calls with none left out.
         */
        Map<String, List<String>> notMirrored(String prefix, int hepPort, int sipPort) {
            Map<String, List<String>> out = new TreeMap<>();
            Map<String, List<String>> copies = new TreeMap<>();
            hep.forEach((flow, ms) -> ms.stream().filter(m -> flow.dstPort() == hepPort && m.callId().startsWith(prefix))
                    .forEach(m -> copies.computeIfAbsent(m.callId(), k -> new ArrayList<>()).add(m.what())));
            sip.forEach((flow, ms) -> ms.stream()
                    .filter(m -> (flow.dstPort() == sipPort || flow.srcPort() == sipPort) && m.callId().startsWith(prefix))
                    .forEach(m -> {
                        List<String> c = copies.getOrDefault(m.callId(), new ArrayList<>());
                        if (!c.remove(m.what())) {
                            out.computeIfAbsent(m.callId(), k -> new ArrayList<>()).add(m.what());
                        }
                    }));
            return out;
        }

        private static Map<String, Long> count(Map<FlowKey, List<Message>> by, int dstPort, int srcPort, String prefix) {
            Map<String, Long> out = new TreeMap<>();
            by.forEach((flow, ms) -> {
                if (flow.dstPort() == dstPort || flow.srcPort() == srcPort) {
                    ms.stream().filter(m -> m.callId().startsWith(prefix)).forEach(m -> out.merge(m.callId(), 1L, Long::sum));
                }
            });
            return out;
        }
    }

    /** One {@link CaptureSplitter} per TCP direction, so that each HEP packet is known by its direction. */
    private static final class Reader implements PcapVisitor {
        final Map<FlowKey, CaptureSplitter> splitters = new LinkedHashMap<>();
        final Map<FlowKey, List<Message>> hep = new LinkedHashMap<>();
        final Map<FlowKey, List<Message>> sip = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
        final HepDecoder decoder = new HepDecoder();

        @Override
        public void onUdp(PcapPacket p) {
            if (!CaptureSplitter.isSip(p.payload(), 0, p.payload().length)) {
                problems.add("UDP " + p.flow() + ", frame " + p.frameNumber() + ": not SIP");
                return;
            }
            try {
                sip.computeIfAbsent(p.flow(), k -> new ArrayList<>()).add(Message.of(p.payload(), p.srcPort(), p.dstPort()));
            } catch (SipParseException e) {
                problems.add("UDP " + p.flow() + ", frame " + p.frameNumber() + ": " + e.getMessage());
            }
        }

        @Override
        public void onData(FlowKey flow, byte[] data, long timestampMicros, long frameNumber) {
            splitters.computeIfAbsent(flow, this::splitter).onData(flow, data, timestampMicros, frameNumber);
        }

        @Override
        public void onGap(FlowKey flow, long skippedBytes, long frameNumber) {
            problems.add("TCP " + flow + ": " + skippedBytes + " bytes not captured before frame " + frameNumber);
        }

        @Override
        public void onClose(FlowKey flow, TcpCloseReason reason) {
            CaptureSplitter s = splitters.remove(flow);
            if (s != null) {
                s.onClose(flow, reason);
            }
        }

        private CaptureSplitter splitter(FlowKey flow) {
            List<Message> messages = hep.computeIfAbsent(flow, k -> new ArrayList<>());
            return new CaptureSplitter(new CaptureSplitter.Listener() {
                @Override
                public void onHep(byte[] packet, long timestampMicros) {
                    try {
                        HepPacket p = decoder.decode(packet);
                        messages.add(Message.of(p.payload(), p.srcPort(), p.dstPort()));
                    } catch (HepDecodeException | SipParseException e) {
                        problems.add("TCP " + flow + ": " + e.getMessage());
                    }
                }

                @Override
                public void onSip(byte[] message, long timestampMicros, InetAddress srcIp, int srcPort,
                                  InetAddress dstIp, int dstPort, int ipProto) {
                    problems.add("TCP " + flow + ": plain SIP where HEP was expected");
                }

                @Override
                public void onSkip(CaptureSplitter.Skip reason, String detail) {
                    problems.add(reason.code() + ": " + detail);
                }
            }, 65_536);
        }
    }
}
