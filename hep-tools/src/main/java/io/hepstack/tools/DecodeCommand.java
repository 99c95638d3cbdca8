package io.hepstack.tools;

import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepStreamFramer;
import io.hepstack.proto.pcap.FlowKey;
import io.hepstack.proto.pcap.PcapPacket;
import io.hepstack.proto.pcap.PcapReader;
import io.hepstack.proto.pcap.PcapStats;
import io.hepstack.proto.pcap.PcapVisitor;
import io.hepstack.proto.pcap.TcpCloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code hep-tools decode FILE}: prints every HEP packet of a pcap or pcapng capture as one JSON line,
 * in capture order; HEP over UDP per datagram, HEP over TCP after stream reassembly and framing.
 * A packet that does not decode prints {@code {"frame":N,"error":"REASON","detail":"..."}}.
 * Exit status 0 when the file could be read, 1 when it could not.
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Print the HEP packets of a pcap/pcapng capture as JSON lines.")
final class DecodeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "pcap or pcapng capture")
    Path file;

    @Option(names = "--port", paramLabel = "PORT",
            description = "only UDP datagrams and TCP streams to or from this port (default: all)")
    Integer port;

    @Option(names = "--max-frame", paramLabel = "BYTES", defaultValue = "65535",
            description = "largest HEP frame accepted on a TCP stream (default: ${DEFAULT-VALUE})")
    int maxFrame;

    private final PrintStream stdout;
    private final PrintStream stderr;

    DecodeCommand() {
        this(System.out, System.err);
    }

    DecodeCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() {
        Writer out = new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), 1 << 16);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Visitor visitor = new Visitor(new PacketJson(out));
            PcapStats stats = PcapReader.read(in, visitor);
            visitor.finish();
            out.flush();
            if (stats.truncation() != null) {
                stderr.println("decode: capture truncated: " + stats.truncation());
            }
            return 0;
        } catch (IOException | UncheckedIOException e) {
            flushQuietly(out);
            stderr.println("decode: " + file + ": " + e.getMessage());
            return 1;
        }
    }

    private static void flushQuietly(Writer out) {
        try {
            out.flush();
        } catch (IOException ignored) {
            // the error that matters is reported by the caller
        }
    }

    private boolean selected(int srcPort, int dstPort) {
        return port == null || port == srcPort || port == dstPort;
    }

    /** Decodes datagrams as they come and frames each TCP direction with its own framer. */
    private final class Visitor implements PcapVisitor {
        private final HepDecoder decoder = new HepDecoder();
        private final PacketJson json;
        private final Map<FlowKey, Stream> streams = new HashMap<>();

        Visitor(PacketJson json) {
            this.json = json;
        }

        @Override
        public void onUdp(PcapPacket p) {
            if (!selected(p.srcPort(), p.dstPort())) {
                return;
            }
            emit(p.frameNumber(), Unpooled.wrappedBuffer(p.payload()));
        }

        private void emit(long frameNumber, ByteBuf packet) {
            write(() -> {
                try {
                    json.packet(frameNumber, decoder.decode(packet));
                } catch (HepDecodeException e) {
                    json.rejection(frameNumber, e);
                }
            });
        }

        @Override
        public void onData(FlowKey flow, byte[] data, long timestampMicros, long frameNumber) {
            if (!selected(flow.srcPort(), flow.dstPort())) {
                return;
            }
            Stream s = streams.computeIfAbsent(flow, k -> new Stream());
            if (s.broken) {
                return;
            }
            s.cumulation.writeBytes(data);
            try {
                ByteBuf frame;
                while ((frame = s.framer.nextFrame(s.cumulation)) != null) {
                    try {
                        emit(frameNumber, frame);
                    } finally {
                        frame.release();
                    }
                }
                s.cumulation.discardReadBytes();
            } catch (HepDecodeException e) {
                // A corrupt stream cannot be resynchronised: report once, ignore the flow until it closes.
                s.broken = true;
                s.cumulation.clear();
                write(() -> json.error(frameNumber, e.reason().name(), "TCP " + flow + ": " + e.getMessage()));
            }
        }

        @Override
        public void onGap(FlowKey flow, long skippedBytes, long frameNumber) {
            Stream s = streams.get(flow);
            if (s != null && !s.broken && s.cumulation.isReadable()) {
                s.broken = true;
                s.cumulation.clear();
                write(() -> json.error(frameNumber, "TCP_GAP",
                        "TCP " + flow + ": " + skippedBytes + " bytes missing inside a HEP frame"));
            }
        }

        @Override
        public void onClose(FlowKey flow, TcpCloseReason reason) {
            Stream s = streams.remove(flow);
            if (s != null) {
                s.close();
            }
        }

        void finish() {
            streams.values().forEach(Stream::close);
            streams.clear();
        }

        private void write(IoAction a) {
            try {
                a.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private final class Stream {
        final HepStreamFramer framer = new HepStreamFramer(maxFrame);
        final ByteBuf cumulation = Unpooled.buffer();
        boolean broken;

        void close() {
            cumulation.release();
        }
    }
}
